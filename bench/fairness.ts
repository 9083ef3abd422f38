/**
 * Points lost to things a player does not control (issue 12), measured on one game:
 *  - server queueing: how much less an answer earned than it was worth when the bot sent it;
 *  - fan-out position: how much less it earned for the time between the question opening (old) or
 *    the player's own send (new) and the bot receiving it.
 * "Old" is the rule before fair timing (timed from the opening to when the answer script ran),
 * "new" the fair rule (from this player's send to the answer's arrival). Both come from the same
 * answers: the answer record keeps its arrival, its wait before the script, and the player's send lag.
 * Losses are in points of a 1000-point question, by the speed rule unrounded; the latency allowance (at most
 * 150 ms, for distance) is left out: on 127.0.0.1 there is no distance to make up for.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { RoomState, StoredAnswer } from '../src/game/room-state';
import type { RoomEvent } from '../src/shared/events';
import type { RoomView } from '../src/shared/room';
import { createKeys } from '../src/store/keys';
import type { FairBotMessage, FairJoin, FairOutcomes, FairSent } from './fair-bots';
import { json, startGame } from './harness';
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
}

/** Players per bot process unless told: one process's event loop keeps up with about this many. */
const PLAYERS_PER_BOT_PROCESS = 1000;
const BOTS = path.join(__dirname, 'fair-bots.ts');
const JOIN_TIMEOUT_MS = Number(process.env.BENCH_FAIR_JOIN_TIMEOUT_MS ?? 900_000);
/** The bots on the second core when taskset is there, so that they take as little as possible from the servers' core. */
const BOTS_CPU = spawnSync('taskset', ['-c', '1', 'true']).status === 0 ? ['taskset', '-c', '1'] : [];

function botProcess(): ChildProcess {
  const [command = process.execPath, ...args] = [...BOTS_CPU, process.execPath, '--import', 'tsx', BOTS];
  return spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
    const delivery: number[] = [];
    const waited: number[] = [];
    /** Bot's send → the arrival stamp: the network, and the socket process's loop busy before the turn that read it. */
    const toStamp: number[] = [];
    /** The fair rule with the latency allowance: what the player was given. */
    const queueGiven: number[] = [];
    const T = o.questionSeconds * 1000;
    // The speed rule of src/game/scoring.ts before rounding, so losses under a point still show.
    const worth = (ms: number) => 1000 * (1 - Math.min(Math.max(ms, 0), T) / T / 2);
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
        delivery.push(s.receivedAt - opened);
        waited.push(a.queuedMs ?? 0);
        toStamp.push(a.at - s.sentAt);
        queueGiven.push(worth(s.sentAt - sentToPlayer) - worth(a.elapsedMs));
        // Worth when sent, minus what the rule gave: by the old rule from the opening, by the new from this player's send.
        loss.queueOld.push(worth(s.sentAt - opened) - worth(processedAt - opened));
        loss.queueNew.push(worth(s.sentAt - sentToPlayer) - worth(a.serverMs ?? a.elapsedMs));
        // Worth by the bot's own reaction time, minus worth counting from the opening (old) or from its send (new).
        loss.fanoutOld.push(worth(s.sentAt - s.receivedAt) - worth(s.sentAt - opened));
        loss.fanoutNew.push(worth(s.sentAt - s.receivedAt) - worth(s.sentAt - sentToPlayer));
      }
    }
    const row = (label: string, values: number[]) => {
      const r = summary(values);
      console.log(`${label.padEnd(34)} ${String(r.n).padStart(7)} ${[r.mean, r.p50, r.p95, r.p99, r.max].map((v) => v.toFixed(1).padStart(7)).join(' ')}`);
    };
    console.log(`\n${o.players} players, ${processes} bot process(es)                answers    mean     p50     p95     p99     max`);
    const acks: Record<string, number> = {};
    for (const r of outcomes) for (const [k, v] of Object.entries(r.acks)) acks[k] = (acks[k] ?? 0) + v;
    console.log(`answers sent ${sent.length}, acks ${JSON.stringify(acks)}, connections lost ${outcomes.reduce((n, r) => n + r.disconnects, 0)}`);
    row('bot send → arrival stamp, ms', toStamp);
    row('queueing, fair rule + allowance', queueGiven);
    return {
      answers: loss.queueOld.length,
      delivery: summary(delivery),
      waited: summary(waited),
      queueOld: summary(loss.queueOld),
      queueNew: summary(loss.queueNew),
      fanoutOld: summary(loss.fanoutOld),
      fanoutNew: summary(loss.fanoutNew),
    };
  } finally {
    for (const child of bots) if (child.connected) child.send({ type: 'close' });
    redis.disconnect();
  }
}
