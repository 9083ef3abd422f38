/**
 * One big room (issue 11): N players, bots in their own processes on one core, the socket
 * process(es) on the other; Redis, the api and the worker on the bots' core unless told (`othersCpu`),
 * so that one socket process has a core to itself as the raw server does. Even questions nobody answers (they run to their deadline: countdown
 * frames), odd ones everybody answers within 1 s of seeing them (the answer burst). The same
 * schedule then runs against a raw `ws` server (raw-ws-server.ts) with the same bots and the same
 * statistics, for the ratios.
 */
import path from 'node:path';
import getPort from 'get-port';
import { Redis } from 'ioredis';
import { ensureRedisServer, startLocalRedis } from '../src/local/local-redis';
import { loadConfig } from '../src/platform/config';
import { refreshFloorMs } from '../src/socket/room-relay';
import type { RoomView } from '../src/shared/room';
import { type FleetOptions, startFleet } from './bot-fleet';
import type { BotClient, BotReport } from './bots';
import { type CpuTrace, busyBetween, cpuNs, traceCpu } from './cpu-trace';
import { CORES, json, pinProcess, serverNodeArgs, spawnNode, startGame, startRoles, stopProcess } from './harness';
import {
  type Sample,
  type SocketReading,
  collectGarbage,
  cpuBetween,
  quiet,
  readCommandStats,
  readSlowLog,
  startSlowLog,
  readRedis,
  readServerAcks,
  readSockets,
  startSampler,
} from './probes';
import { summary } from './stats';

export interface BigRoomOptions {
  players: number;
  databaseUrl: string;
  /** Socket processes; with 1, it is pinned to the server's core. */
  sockets: number;
  botProcesses: number;
  questions: number;
  questionSeconds: number;
  revealSeconds: number;
  /** How the bots speak to quizloop (bots.ts). */
  botClient: BotClient;
  /** How often /metrics is scraped in the game (0: only at its end); each scrape stalls the socket process. */
  scrapeMs: number;
  /** Also read RSS after a full garbage collection, before the players connect and once they have (it changes the heap they connect to). */
  gcReadings: boolean;
  /** A core to pin Redis, the api and the worker to (taskset); unpinned when not given. */
  othersCpu?: string;
}

type Summary = ReturnType<typeof summary>;

/** Cost of one message delivered to one player, and of one answer, µs of one core. */
export interface Cost {
  socketPushUs: number;
  socketAnswerUs: number;
  redisPushUs: number;
  redisAnswerUs: number;
}

export interface Figures {
  players: number;
  connected: number;
  fanout: Summary;
  /** The same, of the questions nobody answers and of those everybody answers (their fan-out meets the burst). */
  fanoutSilent: Summary;
  fanoutAnswered: Summary;
  /** The fan-out split at the view's `serverNow`: opening → written by the server, written → at the bot. */
  fanoutWritten: Summary;
  fanoutTransit: Summary;
  /** Per question (by index): open → view p50 / p99, open → written p99, written → at the bot p99, ms: which question sets the p99. */
  perQuestion: { index: number; answered: boolean; p50: number; p99: number; writtenP99: number; transitP99: number; othersBusy: number[] }[];
  lateness: Summary;
  ack: Summary;
  /** The ack split at the server's arrival stamp: emit → stamp (the wire, and the server's loop before it read the answer), stamp → read by the bot. */
  ackUp: Summary;
  ackDown: Summary;
  /** How long the bot's own loop was busy before it read each ack, at most. */
  ackBotBusy: Summary;
  ackErrors: number;
  connect: Summary;
  questionBytes: number;
  finishedBytes: number;
  /** When the last player got the `finished` view, after it was due (the last reveal's end), ms. */
  finishedLastMs: number;
  /** Players that got every question and the `finished` view. */
  complete: number;
  /** Connections that dropped without the bot closing them. */
  disconnects: number;
  /** Refused answers and failed joins, by code. */
  errors: Record<string, number>;
  stallConnectMs: number;
  stallGameMs: number;
  rssPerPlayerKB: number;
  /** The same, with the process's garbage collected (and unused heap given back) before each of the two readings. */
  rssPerPlayerAfterGcKB: number;
  gameSeconds: number;
  cost: Cost | null;
  busy: Busy;
  /** The server's own ack time (its histogram's bucket bounds), ms; NaN for raw ws. */
  serverAck: { p50: number; p99: number };
}

/**
 * Share of one core the bot processes and the server process used, mean over the windows: each
 * question's fan-out (its opening to the last player's view) and each answer burst (its opening to
 * 1.5 s after). Near 1 for the bots: their core, not the server, set the figure.
 */
export interface Busy {
  fanoutBots: number;
  fanoutServer: number;
  burstBots: number;
  burstServer: number;
  /** The bot processes' longest event-loop delay in the game, ms: how late a bot can stamp what came. */
  botLoopDelayMs: number;
}

const MB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
/** The heap's young and old spaces at a reading, and the collections between two readings: where a plain RSS figure comes from. */
function heapLine(label: string, from: SocketReading, to: SocketReading): string {
  const gc = (kind: 'minor' | 'major') =>
    `${to.gc[kind].count - from.gc[kind].count} (${((to.gc[kind].seconds - from.gc[kind].seconds) * 1000).toFixed(0)} ms)`;
  return `${label}: RSS ${MB(from.rssBytes)} → ${MB(to.rssBytes)}, young ${MB(from.newSpaceBytes)} → ${MB(to.newSpaceBytes)}, old ${MB(from.oldSpaceBytes)} → ${MB(to.oldSpaceBytes)}; scavenges ${gc('minor')}, mark-compacts ${gc('major')}`;
}

/** The processes beside the socket process and the bots (quizloop only), traced apart. */
export const OTHERS = ['api', 'worker', 'redis'] as const;

const burstOf = (questions: number) => Array.from({ length: questions }, (_, i) => i).filter((i) => i % 2 === 1);
const bench = (line: string) => console.log(`bench: ${line}`);

function figures(
  r: BotReport,
  o: { players: number },
  extra: Pick<Figures, 'stallConnectMs' | 'stallGameMs' | 'rssPerPlayerKB' | 'rssPerPlayerAfterGcKB' | 'gameSeconds' | 'cost' | 'serverAck'>,
  trace: CpuTrace,
): Figures {
  const fanout: number[] = [];
  const fanoutOf: Record<'silent' | 'answered', number[]> = { silent: [], answered: [] };
  const split: Record<'written' | 'transit', number[]> = { written: [], transit: [] };
  const perQuestion: Figures['perQuestion'] = [];
  for (const [k, arrivals] of Object.entries(r.questionArrivals)) {
    const open = r.opens[Number(k)];
    const kind = (r.answers[Number(k)] ?? 0) > 0 ? 'answered' : 'silent';
    if (open === undefined) continue;
    const written = r.questionWritten[Number(k)] ?? [];
    const own: Record<'fanout' | 'written' | 'transit', number[]> = { fanout: [], written: [], transit: [] };
    for (const [i, at] of arrivals.entries()) {
      own.fanout.push(at - open);
      const w = written[i];
      if (w !== undefined && Number.isFinite(w)) {
        own.written.push(w - open);
        own.transit.push(at - w);
      }
    }
    fanout.push(...own.fanout);
    fanoutOf[kind].push(...own.fanout);
    split.written.push(...own.written);
    split.transit.push(...own.transit);
    const { p50, p99 } = summary(own.fanout);
    perQuestion.push({
      index: Number(k),
      answered: kind === 'answered',
      p50,
      p99,
      writtenP99: summary(own.written).p99,
      transitP99: summary(own.transit).p99,
      // Redis, the api and the worker (quizloop only) over the fan-out: work beside the socket process and the bots.
      othersBusy: OTHERS.map((group) => busyBetween(trace, group, open, Math.max(...own.fanout) + open)),
    });
  }
  const last = Math.max(...Object.keys(r.revealEnds).map(Number));
  const due = r.revealEnds[last] ?? Math.min(...r.finishedArrivals);
  return {
    players: o.players,
    connected: r.connectMs.length,
    fanout: summary(fanout),
    fanoutSilent: summary(fanoutOf.silent),
    fanoutAnswered: summary(fanoutOf.answered),
    fanoutWritten: summary(split.written),
    fanoutTransit: summary(split.transit),
    perQuestion,
    lateness: summary(r.lateness),
    ack: summary(r.ackMs),
    ackUp: summary(r.ackUpMs),
    ackDown: summary(r.ackDownMs),
    ackBotBusy: summary(r.ackBotBusyMs),
    ackErrors: r.ackErrors,
    connect: summary(r.connectMs),
    questionBytes: r.questionBytes,
    finishedBytes: r.finishedBytes,
    finishedLastMs: r.finishedArrivals.length ? Math.max(...r.finishedArrivals) - due : NaN,
    complete: r.complete,
    disconnects: r.disconnects,
    errors: r.errors,
    ...extra,
    busy: busyOf(r, trace),
  };
}

function busyOf(r: BotReport, trace: CpuTrace): Busy {
  const mean = (windows: [number, number][], group: string) =>
    windows.reduce((a, [from, to]) => a + busyBetween(trace, group, from, to), 0) / Math.max(1, windows.length);
  const fanouts: [number, number][] = [];
  const bursts: [number, number][] = [];
  for (const [k, open] of Object.entries(r.opens)) {
    const arrivals = r.questionArrivals[Number(k)];
    if (arrivals?.length) fanouts.push([open, Math.max(...arrivals)]);
    if ((r.answers[Number(k)] ?? 0) > 0) bursts.push([open, open + 1500]);
  }
  return {
    fanoutBots: mean(fanouts, 'bots'),
    fanoutServer: mean(fanouts, 'server'),
    burstBots: mean(bursts, 'bots'),
    burstServer: mean(bursts, 'server'),
    botLoopDelayMs: r.loopDelayMaxMs,
  };
}

/**
 * Charges each question (its opening to the next one's) the CPU the socket processes and Redis spent
 * in it, less their idle rate: questions nobody answered give the cost of a message delivered to one
 * player, the answered ones, less their messages at that cost, the cost of an answer.
 */
function costOf(r: BotReport, samples: Sample[], idle: { socket: number; redis: number }): Cost | null {
  const opens = Object.entries(r.opens)
    .map(([k, at]) => [Number(k), at] as const)
    .sort((a, b) => a[0] - b[0]);
  const spans = opens.map(([index, from], n) => {
    const to = opens[n + 1]?.[1] ?? r.revealEnds[index] ?? from;
    const spend = (pick: (s: Sample) => number, rate: number) => cpuBetween(samples, pick, from, to) - rate * ((to - from) / 1000);
    return {
      messages: r.messages[index] ?? 0,
      answers: r.answers[index] ?? 0,
      socket: spend((s) => s.socketCpu, idle.socket),
      redis: spend((s) => s.redisCpu, idle.redis),
    };
  });
  const silent = spans.filter((s) => s.answers === 0);
  const answered = spans.filter((s) => s.answers > 0);
  const total = (list: typeof spans, pick: (s: (typeof spans)[number]) => number) => list.reduce((a, s) => a + pick(s), 0);
  const messages = total(silent, (s) => s.messages);
  const answers = total(answered, (s) => s.answers);
  if (!messages || !answers) return null;
  const perPush = (key: 'socket' | 'redis') => total(silent, (s) => s[key]) / messages;
  const perAnswer = (key: 'socket' | 'redis') => (total(answered, (s) => s[key]) - perPush(key) * total(answered, (s) => s.messages)) / answers;
  return {
    socketPushUs: perPush('socket') * 1e6,
    socketAnswerUs: perAnswer('socket') * 1e6,
    redisPushUs: perPush('redis') * 1e6,
    redisAnswerUs: perAnswer('redis') * 1e6,
  };
}

function fleetOptions(o: BigRoomOptions, target: FleetOptions['target']): FleetOptions {
  return {
    target,
    players: o.players,
    processes: o.botProcesses,
    questions: o.questions,
    questionSeconds: o.questionSeconds,
    burst: burstOf(o.questions),
    burstMs: 1000,
  };
}

/** Longer than any game can take here: the bench stops by itself, with what it has. */
function gameTimeoutMs(o: BigRoomOptions): number {
  return 3 * o.questions * (o.questionSeconds + o.revealSeconds) * 1000 + 60_000 + o.players * 10;
}

export async function runBigRoom(o: BigRoomOptions): Promise<Figures> {
  const server = await ensureRedisServer({ toolsDir: path.resolve('.data', 'tools'), say: bench });
  const redis = await startLocalRedis({ hz: 100, server });
  const ns = `bench-big-${o.players}-${o.sockets}`;
  const roles = await startRoles(redis.url, o.databaseUrl, ns, {
    sockets: o.sockets,
    socketCpu: o.sockets === 1 ? CORES.server : undefined,
    otherCpu: o.othersCpu,
    inspectSockets: o.gcReadings,
  });
  const { api, socketUrls } = roles;
  const afterGc = async () => {
    if (!o.gcReadings) return null;
    await Promise.all(roles.socketInspectPorts.map(collectGarbage));
    return readSockets(socketUrls);
  };
  const redisClient = new Redis(redis.url);
  const redisPid = Number(/process_id:(\d+)/.exec(await redisClient.info('server'))?.[1]);
  if (o.othersCpu !== undefined) pinProcess(redisPid, o.othersCpu);
  let fleet: Awaited<ReturnType<typeof startFleet>> | null = null;
  try {
    const room = await json<{ code: string; hostToken: string }>(
      `${api}/rooms`,
      'POST',
      { questionCount: o.questions, questionSeconds: o.questionSeconds, revealSeconds: o.revealSeconds },
      roles.hostToken,
    );
    while ((await json<RoomView>(`${api}/rooms/${room.code}`, 'GET')).phase === 'building') await new Promise((r) => setTimeout(r, 100));
    const before = await readSockets(socketUrls);
    const beforeGc = await afterGc();
    fleet = await startFleet(fleetOptions(o, { kind: 'quizloop', api, code: room.code, socketUrls, client: o.botClient }));
    await fleet.join();
    // A lobby's last refresh can come up to its floor after the last join (SOCKET_REFRESH_MIN_MS, more per
    // 1,000 members): wait it out, so that it is charged to neither the idle rate nor the game.
    const lobbyFloorMs = refreshFloorMs(o.players / o.sockets, loadConfig(process.env, 'socket'));
    let settleStallMs = await quiet(socketUrls);
    await new Promise((r) => setTimeout(r, lobbyFloorMs));
    settleStallMs = Math.max(settleStallMs, await quiet(socketUrls));
    const connected = await readSockets(socketUrls);
    // The idle rate (heartbeats, presence leases) is charged to no message.
    const socketCpu = () => roles.socketPids.reduce((a, pid) => a + cpuNs(pid), 0) / 1e9;
    const idleFrom = { at: Date.now(), socket: socketCpu(), redis: (await readRedis(redisClient)).cpuSeconds };
    await new Promise((r) => setTimeout(r, 1000));
    const idleTo = { at: Date.now(), socket: socketCpu(), redis: (await readRedis(redisClient)).cpuSeconds };
    const idleSeconds = (idleTo.at - idleFrom.at) / 1000;
    const connectedGc = await afterGc();
    const sampler = startSampler(socketUrls, roles.socketPids, redis.url, { scrapeEveryMs: o.scrapeMs });
    const pids = (pid: number | undefined) => (pid !== undefined && Number.isFinite(pid) ? [pid] : []);
    const cpu = traceCpu({ bots: fleet.pids, server: roles.socketPids, api: pids(roles.apiPid), worker: pids(roles.workerPid), redis: pids(redisPid) });
    await redisClient.config('RESETSTAT');
    await startSlowLog(redisClient);
    const started = Date.now();
    await startGame(api, room.code, room.hostToken);
    const inTime = await fleet.finished(gameTimeoutMs(o));
    if (!inTime) bench(`${o.players} players: not every player had the finished view in time`);
    const gameSeconds = (Date.now() - started) / 1000;
    const trace = cpu.stop();
    const { samples, stallMs } = await sampler.stop();
    const played = await readSockets(socketUrls);
    // From after the forced collections (--gc-rss), so that these count only what the players caused.
    bench(heapLine(`${o.players} players connecting`, beforeGc ?? before, connected));
    bench(heapLine(`${o.players} players, the game`, connectedGc ?? connected, played));
    // What held Redis in the game: a command queues every answer behind it.
    bench(`${o.players} players, Redis's costliest commands in the game: ${await readCommandStats(redisClient)}`);
    bench(`${o.players} players, Redis's longest single calls in the game (≥ 1 ms, by script): ${await readSlowLog(redisClient)}`);
    const r = await fleet.report();
    const serverAck = await readServerAcks(socketUrls);
    return figures(
      r,
      o,
      {
        serverAck,
        stallConnectMs: Math.max(settleStallMs, connected.stallMs),
        stallGameMs: stallMs,
        rssPerPlayerKB: (connected.rssBytes - before.rssBytes) / 1024 / Math.max(1, connected.connected),
        rssPerPlayerAfterGcKB: connectedGc && beforeGc ? (connectedGc.rssBytes - beforeGc.rssBytes) / 1024 / Math.max(1, connected.connected) : NaN,
        gameSeconds,
        cost: costOf(r, samples, { socket: (idleTo.socket - idleFrom.socket) / idleSeconds, redis: (idleTo.redis - idleFrom.redis) / idleSeconds }),
      },
      trace,
    );
  } finally {
    await fleet?.close();
    redisClient.disconnect();
    await roles.stop();
    await redis.stop();
  }
}

interface RawStats {
  rss: number;
  stallMs: number;
  clients: number;
}

/** The same players, schedule and statistics against a plain `ws` server sending each player its own JSON of `sizes`. */
export async function runRawBaseline(o: BigRoomOptions, sizes: { viewBytes: number; finishedBytes: number }): Promise<Figures> {
  const inspectPort = await getPort();
  const child = spawnNode(
    [...serverNodeArgs(), ...(o.gcReadings ? [`--inspect=127.0.0.1:${inspectPort}`] : []), '--import', 'tsx', path.join(__dirname, 'raw-ws-server.ts')],
    { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] },
    CORES.server,
  );
  // The inspector's own lines ("Debugger listening…") are not the bench's.
  child.stderr?.on('data', (d: Buffer) => {
    const lines = String(d)
      .split('\n')
      .filter((l) => l && !/^(Debugger |For help, see)/.test(l));
    if (lines.length) process.stderr.write(`${lines.join('\n')}\n`);
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type !== type) return;
        child.off('message', on);
        resolve(m as T);
      };
      child.on('message', on);
    });
  const stats = () => {
    const r = next<RawStats>('stats');
    child.send({ type: 'stats' });
    return r;
  };
  let fleet: Awaited<ReturnType<typeof startFleet>> | null = null;
  try {
    const { port } = await next<{ port: number }>('listening');
    const statsAfterGc = async () => {
      if (!o.gcReadings) return { rss: NaN };
      await collectGarbage(inspectPort);
      return stats();
    };
    const before = await stats();
    const beforeGc = await statsAfterGc();
    fleet = await startFleet(fleetOptions(o, { kind: 'raw', url: `ws://127.0.0.1:${port}` }));
    await fleet.join();
    const connected = await stats();
    const connectedGc = await statsAfterGc();
    const cpu = traceCpu({ bots: fleet.pids, server: child.pid === undefined ? [] : [child.pid] });
    const started = Date.now();
    child.send({
      type: 'play',
      questions: o.questions,
      questionSeconds: o.questionSeconds,
      revealSeconds: o.revealSeconds,
      burst: burstOf(o.questions),
      ...sizes,
    });
    await fleet.finished(gameTimeoutMs(o));
    const gameSeconds = (Date.now() - started) / 1000;
    const trace = cpu.stop();
    const game = await stats();
    return figures(
      await fleet.report(),
      o,
      {
        stallConnectMs: connected.stallMs,
        stallGameMs: game.stallMs,
        rssPerPlayerKB: (connected.rss - before.rss) / 1024 / Math.max(1, connected.clients),
        rssPerPlayerAfterGcKB: (connectedGc.rss - beforeGc.rss) / 1024 / Math.max(1, connected.clients),
        gameSeconds,
        cost: null,
        serverAck: { p50: NaN, p99: NaN },
      },
      trace,
    );
  } finally {
    await fleet?.close();
    await stopProcess(child);
  }
}
