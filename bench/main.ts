/**
 * quizloop benchmarks: `npm run bench`. Starts Redis, an embedded PostgreSQL and the three roles as
 * separate processes on 127.0.0.1, plays games with bot players, and reports figures and ratios:
 *  - countdown frame lateness at the players (arrival minus due time) at Redis hz 10 and hz 100;
 *  - answer acknowledgement latency as the players see it;
 *  - points lost to server queueing and to fan-out position, old rule and fair rule (fairness.ts).
 * Options (env): BENCH_PLAYERS (default 50), BENCH_QUESTIONS (default 6) for the tick runs;
 * BENCH_FAIR_PLAYERS (default 500), BENCH_FAIR_QUESTIONS (default 3) for the fairness run, where every
 * player answers within 1 s of seeing a 12 s question; BENCH_ONLY=ticks or fairness runs one part.
 * `npm run bench -- --rooms 1,100,1000` runs the many-rooms clock scenario instead (bench/many-rooms.ts).
 * `npm run bench -- --sync-flood` runs the hostile-player scenario instead (bench/sync-flood.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Socket, io } from 'socket.io-client';
import { startLocalPostgres } from '../src/local/local-postgres';
import { ensureRedisServer, startLocalRedis } from '../src/local/local-redis';
import type { RoomView } from '../src/shared/room';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/shared/socket-events';
import { createDb, migrateLatest } from '../src/platform/db';
import { runFairness } from './fairness';
import { json, startRoles } from './harness';
import { countdownLateness, runManyRooms } from './many-rooms';
import { summary } from './stats';
import { reportSyncFlood } from './sync-flood';

const PLAYERS = Number(process.env.BENCH_PLAYERS ?? 50);
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 6);
const FAIR_PLAYERS = Number(process.env.BENCH_FAIR_PLAYERS ?? 500);
const FAIR_QUESTIONS = Number(process.env.BENCH_FAIR_QUESTIONS ?? 3);
/** `ticks`, `fairness`, or unset for both. */
const ONLY = process.env.BENCH_ONLY ?? '';
const QUESTION_SECONDS = 8;

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

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
    await json(`${api}/rooms/${room.code}/start`, 'POST', {}, room.hostToken);
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
  const roles = await startRoles(redis.url, databaseUrl, 'bench-fair');
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
    });
  } finally {
    roles.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await redis.stop();
  }
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1).padStart(7) : '      -');
  const row = (label: string, s: ReturnType<typeof summary>) =>
    console.log(`${label.padEnd(26)} ${String(s.n).padStart(7)} ${f(s.mean)} ${f(s.p50)} ${f(s.p95)} ${f(s.p99)} ${f(s.max)}`);
  console.log('\nquestion delivery, ms after it opened (at the bots)');
  console.log('                           answers    mean     p50     p95     p99     max');
  row('delivery', r.delivery);
  console.log('\nwait inside the socket process, ms (arrival stamp → answer script; charged by the old rule only)');
  row('arrival → script', r.waited);
  console.log('\npoints a 1000-point answer lost (by the speed rule; negative: gained)');
  console.log('                           answers    mean     p50     p95     p99     max');
  row('server queueing, old rule', r.queueOld);
  row('server queueing, fair rule', r.queueNew);
  row('fan-out position, old rule', r.fanoutOld);
  row('fan-out position, fair rule', r.fanoutNew);
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'quizloop-bench-'));
  const pg = await startLocalPostgres({ dataDir: path.join(dir, 'pg'), database: 'bench', persistent: false });
  const db = createDb(pg.url);
  await migrateLatest(db);
  await db.destroy();
  try {
    if (process.argv.includes('--sync-flood')) return await reportSyncFlood(pg.url);
    const roomsFlag = process.argv.indexOf('--rooms');
    if (roomsFlag >= 0) {
      await manyRooms((process.argv[roomsFlag + 1] ?? '1,100,1000').split(',').map(Number), pg.url);
      return;
    }
    if (ONLY !== 'ticks') await reportFairness(pg.url);
    if (ONLY === 'fairness') return;
    console.log(`quizloop bench: ${PLAYERS} players, ${QUESTIONS} questions of ${QUESTION_SECONDS} s, api/worker/socket as separate processes\n`);
    const results = [];
    for (const hz of [10, 100]) {
      process.stdout.write(`running at Redis hz ${hz}…\n`);
      results.push(await runScenario(hz, pg.url));
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
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `--rooms 1,100,1000`: rooms of 2 players started together; countdown lateness at the players, and its ratio to the first size. */
async function manyRooms(sizes: number[], databaseUrl: string): Promise<void> {
  console.log(`quizloop bench: many rooms of 2 players (${sizes.join(', ')} rooms), nobody answering, Redis hz 100, api/worker/socket as separate processes\n`);
  const results = [];
  for (const rooms of sizes) {
    process.stdout.write(`running ${rooms} room(s)…\n`);
    results.push(await runManyRooms(rooms, databaseUrl));
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
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
