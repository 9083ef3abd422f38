/**
 * Points lost to things a player does not control (issue 12), measured on one game:
 *  - server queueing: how much less an answer earned than it was worth when the bot sent it;
 *  - fan-out position: how much less it earned for the time between the question opening (old) or
 *    the player's own send (new) and the bot receiving it.
 * "Old" is the rule before fair timing (timed from the opening to when the answer script ran),
 * "new" the fair rule (from this player's send to the answer's arrival). Both come from the same
 * answers: the answer record keeps its arrival, its wait before the script, and the player's send lag.
 * Losses are in points of a 1000-point question, by the speed rule unrounded, and for server queueing also as
 * given: with the latency allowance (the bots report their reaction time, as the web client does) and in the
 * whole points the game gives. Every answer is scored as if correct. The socket process runs on core 0 and
 * the bots on core 1, as in the big-room part (docs/capacity.md).
 */
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { RoomState, StoredAnswer } from '../src/game/room-state';
import type { RoomEvent } from '../src/shared/events';
import type { RoomView } from '../src/shared/room';
import { createKeys } from '../src/store/keys';
import type { FairBotMessage, FairJoin, FairOutcomes, FairSent } from './fair-bots';
import { CORES, json, pinProcess, spawnNode, startGame } from './harness';
import { summary } from './stats';

export interface FairnessOptions {
  api: string;
  socketUrl: string;
  redisUrl: string;
  namespace: string;
  players: number;
  questions: number;
  questionSeconds: number;
  /** Every bot answers within this window after its screen got the question. */
  burstMs: number;
  /** Bot processes (fair-bots.ts); default one per 1,000 players. */
  botProcesses?: number;
  /** A core to pin the Redis server to (taskset), away from the socket process's. */
  redisCpu?: string;
}

/** Players per bot process unless told: one process's event loop keeps up with about this many. */
const PLAYERS_PER_BOT_PROCESS = 1000;
const BOTS = path.join(__dirname, 'fair-bots.ts');
const JOIN_TIMEOUT_MS = Number(process.env.BENCH_FAIR_JOIN_TIMEOUT_MS ?? 900_000);
/** The bots on their own core, so that they take nothing from the socket process's (CORES.server). */
function botProcess(): ChildProcess {
  return spawnNode(['--import', 'tsx', BOTS], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }, CORES.bots);
}

/** The next message of `type` from a bot process. */
function reply<T extends FairBotMessage['type']>(child: ChildProcess, type: T): Promise<Extract<FairBotMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: FairBotMessage) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as Extract<FairBotMessage, { type: T }>);
    };
    const onExit = (code: number | null) => reject(new Error(`a fairness bot process exited (${code}) before its ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** When each question opened: its opening event's `at`, which is the record's `openedAt` (both Redis TIME in one script). */
async function openings(redis: Redis, stream: string): Promise<Map<number, number>> {
  const opened = new Map<number, number>();
  for (const [, fields] of await redis.xrange(stream, '-', '+')) {
    const event = JSON.parse(fields[fields.indexOf('event') + 1] ?? 'null') as RoomEvent | null;
    if (event && (event.type === 'room.started' || event.type === 'room.updated') && event.phase === 'question') {
      opened.set(event.questionIndex, event.at);
    }
  }
  return opened;
}

export async function runFairness(o: FairnessOptions) {
  const keys = createKeys(o.namespace);
  const redis = new Redis(o.redisUrl);
  const processes = Math.max(1, Math.min(o.players, o.botProcesses ?? Math.ceil(o.players / PLAYERS_PER_BOT_PROCESS)));
  if (o.redisCpu !== undefined) pinProcess(Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]), o.redisCpu);
  const bots = Array.from({ length: processes }, botProcess);
  try {
    const { token } = await json<{ token: string }>(`${o.api}/auth/register`, 'POST', {
      email: `bench-fair-${Date.now()}@bench.invalid`,
      password: 'bench-password',
      displayName: 'Bench host',
    });
    const room = await json<{ code: string; hostToken: string }>(
      `${o.api}/rooms`,
      'POST',
      {
        questionCount: o.questions,
        questionSeconds: o.questionSeconds,
        revealSeconds: 2,
      },
      token,
    );
    while ((await json<RoomView>(`${o.api}/rooms/${room.code}`, 'GET')).phase === 'building') await new Promise((r) => setTimeout(r, 100));

    let first = 0;
    const joined = bots.map((child, k) => {
      const players = Math.floor(o.players / processes) + (k < o.players % processes ? 1 : 0);
      const order: FairJoin = { type: 'join', api: o.api, socketUrl: o.socketUrl, code: room.code, first, players, total: o.players, burstMs: o.burstMs };
      first += players;
      child.send(order);
      return reply(child, 'joined');
    });
    // A game started before everyone is connected measures nothing: give up instead.
    const everyoneIn = await Promise.race([Promise.all(joined).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), JOIN_TIMEOUT_MS))]);
    if (!everyoneIn) throw new Error(`not all ${o.players} players were connected and shown the full lobby within ${JOIN_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
    await startGame(o.api, room.code, room.hostToken);
    // The answers as they stand while the game runs: a finished game's are moved to PostgreSQL and dropped.
    const answersOf = new Map<number, Record<string, string>>();
    const lagsOf = new Map<number, Record<string, string>>();
    const openedAt = new Map<number, number>();
    const gameEnds = Date.now() + o.questions * (o.questionSeconds + 4) * 1000 + 60_000;
    for (let phase = ''; phase !== 'finished' && Date.now() < gameEnds; ) {
      await new Promise((r) => setTimeout(r, 500));
      const raw = await redis.get(keys.room(room.code));
      phase = raw ? (JSON.parse(raw) as RoomState).phase : 'finished';
      for (const [i, at] of await openings(redis, keys.events(room.code))) openedAt.set(i, at);
      for (let i = 0; i < o.questions; i++) {
        const [answers, lags] = await Promise.all([redis.hgetall(keys.answers(room.code, i)), redis.hgetall(keys.sent(room.code, i))]);
        if (Object.keys(answers).length >= Object.keys(answersOf.get(i) ?? {}).length) answersOf.set(i, answers);
        if (Object.keys(lags).length >= Object.keys(lagsOf.get(i) ?? {}).length) lagsOf.set(i, lags);
      }
    }
    const sent: FairSent[] = [];
    const outcomes: FairOutcomes[] = [];
    for (const child of bots) {
      const report = reply(child, 'report');
      child.send({ type: 'report' });
      const r = await report;
      sent.push(...r.sent);
      outcomes.push(r.outcomes);
    }

    const loss = { queueOld: [] as number[], queueNew: [] as number[], fanoutOld: [] as number[], fanoutNew: [] as number[] };
    /** Server queueing by the fair rule as given: the latency allowance applied, unrounded and in whole points. */
    const given = { unrounded: [] as number[], points: [] as number[], pointsNoAllowance: [] as number[], pointsFromEmitted: [] as number[] };
    /** How long the bot's emit call took: the bots share a core with Redis, the api and the worker, and may be descheduled in it. */
    const emitCall: number[] = [];
    const delivery: number[] = [];
    const waited: number[] = [];
    /** Bot's send → the arrival stamp: the network, and the socket process's loop busy before the turn that read it. */
    const toStamp: number[] = [];
    /** Each answer's counted time less the bot's reported reaction time: what the allowance did not make up for. */
    const overReported: number[] = [];
    const rtt: number[] = [];
    /** The socket process's loop busy before the turn that read each answer: how far a report is believed beyond the round trip. */
    const loopBusy: number[] = [];
    const dump: number[][] = [];
    const T = o.questionSeconds * 1000;
    // The speed rule of src/game/scoring/scoring.ts before rounding, so losses under a point still show.
    const worth = (ms: number) => 1000 * (1 - Math.min(Math.max(ms, 0), T) / T / 2);
    // What the game gives: the same, rounded to whole points (speedPoints, and the answer script).
    const points = (ms: number) => Math.round(worth(ms));
    for (let i = 0; i < o.questions; i++) {
      const answers = answersOf.get(i) ?? {};
      const lags = lagsOf.get(i) ?? {};
      const opened = openedAt.get(i) ?? 0;
      for (const s of sent.filter((x) => x.questionIndex === i)) {
        const raw = answers[s.playerId];
        if (!raw) continue;
        const a = JSON.parse(raw) as StoredAnswer;
        const sentToPlayer = opened + Number(lags[s.playerId] ?? 0);
        const processedAt = a.at + (a.queuedMs ?? 0);
        const serverMs = a.serverMs ?? a.elapsedMs;
        delivery.push(s.receivedAt - opened);
        waited.push(a.queuedMs ?? 0);
        toStamp.push(a.at - s.sentAt);
        dump.push([
          i,
          s.sentAt - opened,
          a.at - s.sentAt,
          s.receivedAt - opened,
          a.queuedMs ?? 0,
          opened,
          a.rttMs ?? -1,
          a.loopBusyMs ?? -1,
          sentToPlayer - opened,
          a.serverMs ?? -1,
          a.elapsedMs,
          s.reactionMs,
        ]);
        overReported.push(a.elapsedMs - s.reactionMs);
        rtt.push(a.rttMs ?? Number.NaN);
        loopBusy.push(a.loopBusyMs ?? Number.NaN);
        // Worth when sent, minus what the rule gave: by the old rule from the opening, by the new from this player's send.
        const sendWorth = s.sentAt - sentToPlayer;
        loss.queueOld.push(worth(s.sentAt - opened) - worth(processedAt - opened));
        loss.queueNew.push(worth(sendWorth) - worth(serverMs));
        given.unrounded.push(worth(sendWorth) - worth(a.elapsedMs));
        given.points.push(points(sendWorth) - points(a.elapsedMs));
        given.pointsNoAllowance.push(points(sendWorth) - points(serverMs));
        // The same, timed from when the bot's emit call returned: what the bot's own scheduling cost is left out.
        given.pointsFromEmitted.push(points(s.emittedAt - sentToPlayer) - points(a.elapsedMs));
        emitCall.push(s.emittedAt - s.sentAt);
        // Worth by the bot's own reaction time, minus worth counting from the opening (old) or from its send (new).
        loss.fanoutOld.push(worth(s.sentAt - s.receivedAt) - worth(s.sentAt - opened));
        loss.fanoutNew.push(worth(s.sentAt - s.receivedAt) - worth(s.sentAt - sentToPlayer));
      }
    }
    // Each answer's [question, bot send after the opening, send → stamp, delivery, stamp → script, opening (epoch), round trip,
    // loop busy, sent to the player after the opening, server time, counted time, reported], ms, for a closer look.
    if (process.env.BENCH_FAIR_DUMP) writeFileSync(process.env.BENCH_FAIR_DUMP, JSON.stringify(dump));
    const acks: Record<string, number> = {};
    for (const r of outcomes) for (const [k, v] of Object.entries(r.acks)) acks[k] = (acks[k] ?? 0) + v;
    console.log(
      `\n${o.players} players, ${processes} bot process(es); answers sent ${sent.length}, acks ${JSON.stringify(acks)}, connections lost ${outcomes.reduce((n, r) => n + r.disconnects, 0)}`,
    );
    /** The share of answers that lost at least one whole point. */
    const lostAPoint = (values: number[]) => values.filter((v) => v >= 1).length / Math.max(1, values.length);
    return {
      answers: loss.queueOld.length,
      delivery: summary(delivery),
      waited: summary(waited),
      toStamp: summary(toStamp),
      emitCall: summary(emitCall),
      overReported: summary(overReported),
      rtt: summary(rtt.filter(Number.isFinite)),
      loopBusy: summary(loopBusy.filter(Number.isFinite)),
      queueOld: summary(loss.queueOld),
      queueNew: summary(loss.queueNew),
      queueGiven: summary(given.unrounded),
      queueGivenPoints: summary(given.points),
      queueNewPoints: summary(given.pointsNoAllowance),
      queueFromEmittedPoints: summary(given.pointsFromEmitted),
      lostAPoint: { given: lostAPoint(given.points), noAllowance: lostAPoint(given.pointsNoAllowance), fromEmitted: lostAPoint(given.pointsFromEmitted) },
      fanoutOld: summary(loss.fanoutOld),
      fanoutNew: summary(loss.fanoutNew),
    };
  } finally {
    for (const child of bots) if (child.connected) child.send({ type: 'close' });
    redis.disconnect();
  }
}
