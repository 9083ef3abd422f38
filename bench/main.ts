/**
 * quizloop benchmarks: `npm run bench`. Starts Redis, an embedded PostgreSQL and the three roles as
 * separate processes on 127.0.0.1 only, plays games with bot players, prints figures and ratios, and
 * ends every process it started. Parts (all by default, in this order):
 *  - ticks: countdown frame lateness at the players at Redis hz 10 and hz 100, and answer acks;
 *  - fairness: points lost to server queueing and to fan-out position, old rule and fair rule (fairness.ts);
 *    the socket process pinned to core 0, everything else (bots, Redis, api, worker) to core 1 (taskset);
 *  - big-room: 1 room of N players (big-room.ts) — question open → view p50/p99, countdown lateness,
 *    answer burst acks, connect → first view, the `finished` view's size and last arrival, the socket
 *    process's longest event-loop stall, RSS per player, CPU per message and per answer — then a raw
 *    `ws` server with the same bots and schedule, and the ratios quizloop / raw. The socket process is
 *    pinned to core 0 and the bot processes to core 1 (taskset); Redis, the api and the worker to core 1 as well
 *    (--others-core), so that the socket process has a core to itself as the raw server has (as in `fairness`);
 *  - rooms: many rooms of 2 players started together, countdown lateness (many-rooms.ts; the players in a process
 *    of their own, room-players.ts, apart from the bench sending the start requests);
 *  - scale-out: 1 room of 10,000 players over 2 socket processes, with a 100 % delivery check;
 *  - sync-flood: one player flooding room:sync beside another room's game, that room's answer acks (sync-flood.ts).
 * A run with big-room, rooms or scale-out ends with issue 11's targets judged from its own figures (targets.ts), and
 * the machine's speed: a fixed piece of JSON work timed at the start and at the end.
 * Options (after `npm run bench --`):
 *   --only big-room,rooms      the parts to run (or BENCH_ONLY=…)
 *   --sizes 100,1000,5000      players in the big room, one run each (BENCH_SIZES)
 *   --rooms 1,1000             rooms of 2 for `rooms`; alone (without --only), runs only that part
 *   --scale-players 10000      players for `scale-out`, over --scale-sockets 2 socket processes
 *   --bot-processes 2          bot processes (on the bots' core)
 *   --questions 4              questions of a big-room game (odd ones answered by everybody within 1 s)
 *   --no-raw                   skip the raw ws baseline
 *   --bot-client socket.io-client  how big-room and scale-out bots speak to quizloop: `wire` (default: Socket.IO's
 *                              protocol over plain `ws`, parsed and stamped like the raw bots) or the library
 *                              (about twice the bots' CPU per message; the only client before 2026-12-06)
 *   --scrape-ms 500            also scrape the socket processes' /metrics this often in the game (default: only at its
 *                              end; a scrape stalls a socket process ~15 ms at 5,000 players; the bench scraped every
 *                              500 ms before 2026-12-06)
 *   --others-core bots         where big-room pins Redis, the api and the worker: `bots` (default, core 1: the socket process's
 *                              core is its own, their work at a question's opening delays the bots instead), `server` (core 0:
 *                              they delay the socket process's writes) or `none` (unpinned: the default before 2026-12-06)
 *   --gc-rss                   also RSS per player with a full garbage collection before both readings (big-room,
 *                              scale-out; it changes the heap the players connect to, so the plain figure too)
 * The answer burst's ack (emit → ack at the bot) is also split at the server's own stamp of the answer (quizloop's
 * `receivedAt`; the raw server stamps its acks the same way since 2026-12-06): emit → stamp is the wire and the
 * server's loop before it read the answer, stamp → at the bot the server's handling and the bot's read. The bench
 * also prints Redis's costliest commands in each big-room game (`INFO commandstats`) and its calls of 1 ms or more (the
 * slow log, by script); `npx tsx bench/answer-cost.ts` times the answer script alone, `npx tsx bench/reveal-cost.ts` a reveal.
 * BENCH_PLAYERS (default 50), BENCH_QUESTIONS (default 6) size the ticks runs; BENCH_FAIR_PLAYERS
 * (default 500), BENCH_FAIR_QUESTIONS (default 3) the fairness run. To look inside: BENCH_SOCKET_NODE_ARGS
 * (e.g. `--trace-gc`, `--cpu-prof --cpu-prof-dir=…`) for the socket processes, whose output then goes to a file
 * in the temp directory; BENCH_NODE_ARGS the same for the api and the worker; BENCH_FAIR_DUMP=file.json, each
 * fairness answer's timings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Socket, io } from 'socket.io-client';
import { startLocalPostgres } from '../src/local/local-postgres';
import { ensureRedisServer, startLocalRedis } from '../src/local/local-redis';
import type { RoomView } from '../src/shared/room';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/shared/socket-events';
import { createDb, migrateLatest } from '../src/platform/db';
import { type BigRoomOptions, runBigRoom, runRawBaseline } from './big-room';
import { printBigRooms } from './big-room-report';
import { runFairness } from './fairness';
import { CORES, json, startGame, startRoles, stopAll } from './harness';
import { runManyRooms } from './many-rooms';
import { countdownLateness, summary } from './stats';
import { reportSyncFlood } from './sync-flood';
import { calibrate, emptyRunFigures, printTargets } from './targets';

const PLAYERS = Number(process.env.BENCH_PLAYERS ?? 50);
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 6);
const FAIR_PLAYERS = Number(process.env.BENCH_FAIR_PLAYERS ?? 500);
const FAIR_QUESTIONS = Number(process.env.BENCH_FAIR_QUESTIONS ?? 3);
const QUESTION_SECONDS = 8;

const { values: args } = parseArgs({
  options: {
    only: { type: 'string', default: process.env.BENCH_ONLY },
    sizes: { type: 'string', default: process.env.BENCH_SIZES ?? '100,1000,5000' },
    rooms: { type: 'string' },
    'scale-players': { type: 'string', default: '10000' },
    'scale-sockets': { type: 'string', default: '2' },
    'bot-processes': { type: 'string', default: '2' },
    questions: { type: 'string', default: '4' },
    'no-raw': { type: 'boolean', default: false },
    'gc-rss': { type: 'boolean', default: false },
    'scrape-ms': { type: 'string', default: '0' },
    'bot-client': { type: 'string', default: 'wire' },
    'others-core': { type: 'string', default: 'bots' },
  },
});
const numbers = (list: string) => list.split(',').map(Number);

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What the parts measured that issue 11's targets read (targets.ts), printed at the end of the run. */
const run = emptyRunFigures();

async function runScenario(hz: number, databaseUrl: string) {
  const server = await ensureRedisServer({ toolsDir: path.resolve('.data', 'tools'), say: (line) => console.log(`bench: ${line}`) });
  const redis = await startLocalRedis({ hz, server });
  const ns = `bench-hz${hz}`;
  const roles = await startRoles(redis.url, databaseUrl, ns);
  const api = roles.api;
  const clients: Client[] = [];
  const ackMs: number[] = [];
  const lateness: number[] = [];
  try {
    const token = roles.hostToken;
    const room = await json<{ code: string; hostToken: string }>(
      `${api}/rooms`,
      'POST',
      {
        questionCount: QUESTIONS,
        questionSeconds: QUESTION_SECONDS,
        revealSeconds: 2,
      },
      token,
    );
    while ((await json<RoomView>(`${api}/rooms/${room.code}`, 'GET')).phase === 'building') await new Promise((r) => setTimeout(r, 100));

    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    for (let i = 0; i < PLAYERS; i++) {
      const p = await json<{ token: string }>(`${api}/rooms/${room.code}/players`, 'POST', { nickname: `b${i}` });
      const c: Client = io(roles.socketUrl, { auth: { token: p.token }, transports: ['websocket'] });
      let answered = -1;
      c.on('room:countdown', (m) => {
        const late = countdownLateness(m, QUESTION_SECONDS);
        if (late !== null) lateness.push(late);
      });
      c.on('room:view', (v) => {
        if (v.phase === 'finished') finished();
        // 60 % answer each question, so questions mostly run to their deadline and every tick fires.
        if (v.phase === 'question' && v.question && v.question.index > answered && Math.random() < 0.6) {
          answered = v.question.index;
          const q = v.question;
          setTimeout(
            () => {
              const sent = performance.now();
              const guess = q.choices.length ? { choice: Math.floor(Math.random() * q.choices.length) } : { text: 'no idea' };
              c.emit('answer:submit', { questionIndex: q.index, ...guess }, (ack) => {
                if (ack.ok) ackMs.push(performance.now() - sent);
              });
            },
            Math.random() * QUESTION_SECONDS * 800,
          );
        }
      });
      clients.push(c);
    }
    await new Promise((r) => setTimeout(r, 500));
    await startGame(api, room.code, room.hostToken);
    await done;

    return { hz, delayedTicks: summary(lateness), ack: summary(ackMs) };
  } finally {
    for (const c of clients) c.close();
    roles.stop();
    await new Promise((r) => setTimeout(r, 500));
    await redis.stop();
  }
}

async function reportFairness(databaseUrl: string) {
  console.log(`quizloop bench, fairness: ${FAIR_PLAYERS} players answering within 1 s of seeing each of ${FAIR_QUESTIONS} questions of 12 s`);
  const server = await ensureRedisServer({ toolsDir: path.resolve('.data', 'tools'), say: (line) => console.log(`bench: ${line}`) });
  const redis = await startLocalRedis({ hz: 100, server });
  // The socket process alone on one core, and everything else (bots, Redis, api, worker) on the other:
  // the stamps measure the socket process's own event loop, as on a server with a core per socket process.
  const roles = await startRoles(redis.url, databaseUrl, 'bench-fair', { socketCpu: CORES.server, otherCpu: CORES.bots });
  let r: Awaited<ReturnType<typeof runFairness>>;
  try {
    r = await runFairness({
      ...roles,
      redisUrl: redis.url,
      namespace: 'bench-fair',
      players: FAIR_PLAYERS,
      questions: FAIR_QUESTIONS,
      questionSeconds: 12,
      burstMs: 1000,
      redisCpu: CORES.bots,
    });
  } finally {
    await roles.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await redis.stop();
  }
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1).padStart(7) : '      -');
  const row = (label: string, s: ReturnType<typeof summary>) =>
    console.log(`${label.padEnd(26)} ${String(s.n).padStart(7)} ${f(s.mean)} ${f(s.p50)} ${f(s.p95)} ${f(s.p99)} ${f(s.max)}`);
  const header = '                           answers    mean     p50     p95     p99     max';
  console.log(`\nquestion delivery and timing, ms (delivery: after it opened, at the bots)\n${header}`);
  row('delivery', r.delivery);
  row('bot send → arrival stamp', r.toStamp);
  row("bot's emit call", r.emitCall);
  // The wait inside the socket process, charged by the old rule only.
  row('arrival stamp → script', r.waited);
  row('round trip used (min of 4)', r.rtt);
  row('loop busy before the read', r.loopBusy);
  row('counted − reported time', r.overReported);
  console.log(`\npoints a 1000-point answer lost (by the speed rule; negative: gained)\n${header}`);
  row('server queueing, old rule', r.queueOld);
  row('server queueing, fair rule', r.queueNew);
  row('  with the allowance', r.queueGiven);
  row('  whole points, given', r.queueGivenPoints);
  row('  whole, no allowance', r.queueNewPoints);
  row('  whole, from emit return', r.queueFromEmittedPoints);
  row('fan-out position, old rule', r.fanoutOld);
  row('fan-out position, fair rule', r.fanoutNew);
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  console.log(
    `answers that lost ≥ 1 whole point to queueing: ${pct(r.lostAPoint.given)} as given, ${pct(r.lostAPoint.noAllowance)} without the allowance, ${pct(r.lostAPoint.fromEmitted)} timed from the emit's return`,
  );
}

async function reportTicks(databaseUrl: string) {
  console.log(`quizloop bench: ${PLAYERS} players, ${QUESTIONS} questions of ${QUESTION_SECONDS} s, api/worker/socket as separate processes\n`);
  const results = [];
  for (const hz of [10, 100]) {
    process.stdout.write(`running at Redis hz ${hz}…\n`);
    results.push(await runScenario(hz, databaseUrl));
  }
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1).padStart(7) : '      -');
  console.log('\ncountdown frame lateness at the players, ms (arrival − due; ticks n ≥ 1)');
  console.log('   hz   ticks    mean     p50     p95     p99     max');
  for (const r of results) {
    const s = r.delayedTicks;
    console.log(`${String(r.hz).padStart(5)} ${String(s.n).padStart(7)} ${f(s.mean)} ${f(s.p50)} ${f(s.p95)} ${f(s.p99)} ${f(s.max)}`);
  }
  console.log('\nanswer acknowledgement latency, ms (emit → ack at the client)');
  console.log('   hz answers    mean     p50     p95     p99     max');
  for (const r of results) {
    const s = r.ack;
    console.log(`${String(r.hz).padStart(5)} ${String(s.n).padStart(7)} ${f(s.mean)} ${f(s.p50)} ${f(s.p95)} ${f(s.p99)} ${f(s.max)}`);
  }
  const [slow, fast] = results;
  if (slow && fast) {
    const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}×` : 'n/a (hz 100 at 0 ms)');
    console.log(
      `\nratio hz 10 / hz 100: tick lateness mean ${ratio(slow.delayedTicks.mean, fast.delayedTicks.mean)}, ` +
        `p95 ${ratio(slow.delayedTicks.p95, fast.delayedTicks.p95)}`,
    );
  }
}

function bigRoomOptions(players: number, sockets: number, databaseUrl: string): BigRoomOptions {
  return {
    players,
    databaseUrl,
    sockets,
    botProcesses: Number(args['bot-processes']),
    questions: Number(args.questions),
    questionSeconds: 6,
    revealSeconds: 2,
    gcReadings: args['gc-rss'],
    scrapeMs: Number(args['scrape-ms']),
    botClient: args['bot-client'] === 'socket.io-client' ? 'socket.io-client' : 'wire',
    othersCpu: args['others-core'] === 'server' ? CORES.server : args['others-core'] === 'bots' ? CORES.bots : undefined,
  };
}

async function reportBigRooms(databaseUrl: string) {
  console.log(`quizloop bench: big rooms (socket process on core 0, bots on core 1, Redis/api/worker: ${args['others-core']}; p99s compared)`);
  for (const players of numbers(args.sizes ?? '')) {
    const o = bigRoomOptions(players, 1, databaseUrl);
    process.stdout.write(`running 1 room of ${players} players…\n`);
    const quizloop = await runBigRoom(o);
    process.stdout.write(`running the raw ws baseline with ${players} players…\n`);
    const sizes = { viewBytes: quizloop.questionBytes, finishedBytes: quizloop.finishedBytes };
    const raw = args['no-raw'] ? null : await runRawBaseline(o, sizes);
    run.bigRooms.set(players, { quizloop, raw });
    // Printed as soon as measured: a later size that runs out of time leaves these on screen.
    printBigRooms([{ quizloop, raw, sockets: 1 }]);
  }
}

async function reportScaleOut(databaseUrl: string) {
  const sockets = Number(args['scale-sockets']);
  const players = Number(args['scale-players']);
  process.stdout.write(`running 1 room of ${players} players over ${sockets} socket processes…\n`);
  const quizloop = await runBigRoom(bigRoomOptions(players, sockets, databaseUrl));
  console.log(`\nquizloop bench: scale-out, ${players} players over ${sockets} socket processes (unpinned)`);
  printBigRooms([{ quizloop, raw: null, sockets }]);
  run.scaleOut = { players, sockets, complete: quizloop.complete };
  const delivered = quizloop.complete === players;
  console.log(`delivery: ${quizloop.complete} of ${players} players got every question and the finished view (${delivered ? '100 %' : 'INCOMPLETE'})`);
}

/** Every part of the bench, in the order a full run takes them; one line each. */
const PARTS: { name: string; run: (databaseUrl: string) => Promise<void> }[] = [
  { name: 'ticks', run: reportTicks },
  { name: 'fairness', run: reportFairness },
  { name: 'big-room', run: reportBigRooms },
  { name: 'rooms', run: (db) => manyRooms(numbers(args.rooms ?? '1,1000'), db) },
  { name: 'scale-out', run: reportScaleOut },
  { name: 'sync-flood', run: reportSyncFlood },
];

async function main() {
  // `--rooms` alone keeps its old meaning: only the many-rooms part.
  const only = (args.only ?? (args.rooms ? 'rooms' : '')).split(',').filter(Boolean);
  const unknown = only.filter((name) => !PARTS.some((p) => p.name === name));
  if (unknown.length) throw new Error(`unknown part(s) ${unknown.join(', ')}; parts: ${PARTS.map((p) => p.name).join(', ')}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'quizloop-bench-'));
  const pg = await startLocalPostgres({ dataDir: path.join(dir, 'pg'), database: 'bench', persistent: false });
  const db = createDb(pg.url);
  await migrateLatest(db);
  await db.destroy();
  const started = Date.now();
  run.calibrationMs.push(calibrate());
  try {
    const failed: string[] = [];
    for (const part of PARTS) {
      if (only.length && !only.includes(part.name)) continue;
      console.log(`\n== ${part.name} ==`);
      // A part that fails is reported and the others still run; the bench then exits with 1.
      await part.run(pg.url).catch((err: unknown) => {
        failed.push(part.name);
        console.error(`bench: part ${part.name} failed:`, err);
      });
      await stopAll();
    }
    run.calibrationMs.push(calibrate());
    if (only.some((name) => ['big-room', 'rooms', 'scale-out'].includes(name)) || !only.length) printTargets(run);
    console.log(`\nbench done in ${((Date.now() - started) / 60_000).toFixed(1)} min${failed.length ? `; failed: ${failed.join(', ')}` : ''}`);
    if (failed.length) process.exitCode = 1;
  } finally {
    await stopAll();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `--rooms 1,100,1000`: rooms of 2 players started together; countdown lateness at the players, and its ratio to the first size. */
async function manyRooms(sizes: number[], databaseUrl: string): Promise<void> {
  console.log(
    `quizloop bench: many rooms of 2 players (${sizes.join(', ')} rooms), nobody answering, Redis hz 100, api/worker/socket as separate processes, the players in one more (room-players.ts)\n`,
  );
  const results = [];
  for (const rooms of sizes) {
    process.stdout.write(`running ${rooms} room(s)…\n`);
    const result = await runManyRooms(rooms, databaseUrl);
    run.roomsCountdownP99.set(rooms, result.countdownLateness.p99);
    results.push(result);
  }
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1).padStart(7) : '      -');
  console.log('\ncountdown frame lateness at the players, ms (arrival − due, ticks n ≥ 1)');
  console.log('  rooms players finished  frames    p50     p95     p99     max  p99 / first size  p99 when the socket sent it');
  const base = results[0]?.countdownLateness.p99 ?? NaN;
  for (const r of results) {
    const s = r.countdownLateness;
    const ratio = base > 0 ? `${(s.p99 / base).toFixed(2)}×` : '-';
    console.log(
      `${String(r.rooms).padStart(7)} ${String(r.players).padStart(7)} ${String(r.finishedRooms).padStart(8)} ${String(s.n).padStart(7)} ${f(s.p50)} ${f(s.p95)} ${f(s.p99)} ${f(s.max)}  ${ratio.padStart(16)}  ${f(r.relay.p99)}`,
    );
    // Which frames set the p99: by question and tick, and by the second (after the first start) they were due in;
    // after the slash, the same frames' p99 when the socket process wrote them.
    const each = (list: { key: string | number; n: number; p99: number; writtenP99: number }[], label: (key: string | number) => string) =>
      list.map((t) => `${label(t.key)} ${t.p99.toFixed(0)}/${t.writtenP99.toFixed(0)} (${t.n})`).join(', ');
    console.log(`         p99 at the players / when written (frames) by tick: ${each(r.byTick, String)}`);
    console.log(`         by due second after the first start: ${each(r.bySecond, (k) => `${k}s`)}`);
  }
  console.log('\nCPU time of the game (start to the last room finished) per room, ms; Redis commands per room (calls, µs)');
  for (const r of results) {
    const { cpuMsPerRoom, commandsPerRoom } = r.cost;
    const total = Object.values(cpuMsPerRoom).reduce((a, b) => a + b, 0);
    console.log(
      `${String(r.rooms).padStart(7)}  ${Object.entries(cpuMsPerRoom)
        .map(([role, ms]) => `${role} ${ms.toFixed(2)}`)
        .join(', ')}; all ${total.toFixed(2)}`,
    );
    console.log(
      `         ${commandsPerRoom
        .slice(0, 12)
        .map((c) => `${c.name} ${c.calls.toFixed(1)}/${c.usec.toFixed(0)}`)
        .join(', ')}`,
    );
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
