/**
 * quizloop benchmarks: `npm run bench`. Starts Redis, an embedded PostgreSQL and the three roles as
 * separate processes on 127.0.0.1, plays games with bot players, and reports figures and ratios:
 *  - tick lateness (actual minus due time, from each tick job's result) at Redis hz 10 and hz 100;
 *  - answer acknowledgement latency as the players see it.
 * Options (env): BENCH_PLAYERS (default 50), BENCH_QUESTIONS (default 6).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { type Socket, io } from 'socket.io-client';
import { freePort } from '../src/local/free-port';
import { startLocalPostgres } from '../src/local/local-postgres';
import { ensureRedisServer, startLocalRedis } from '../src/local/local-redis';
import type { RoomView } from '../src/shared/room';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/shared/socket-events';
import { createDb, migrateLatest } from '../src/platform/db';
import { createKeys } from '../src/store/keys';
import { summary } from './stats';

const PLAYERS = Number(process.env.BENCH_PLAYERS ?? 50);
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 6);
const QUESTION_SECONDS = 8;
const SECRET = 'bench-secret-0123456789abcdef';
const ROOT = path.resolve(__dirname, '..');

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

function startRole(role: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js'), role], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} did not start: ${out}`)), 20_000);
    const onData = (d: Buffer) => {
      out += String(d);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (c) => reject(new Error(`${role} exited with ${c}: ${out}`)));
    const poll = setInterval(async () => {
      const port = env.PORT ?? env.SOCKET_PORT;
      const ok =
        role === 'worker'
          ? true
          : await fetch(`http://127.0.0.1:${role === 'api' ? env.PORT : env.SOCKET_PORT}/${role === 'api' ? 'health' : ''}`)
              .then((r) => r.ok)
              .catch(() => false);
      if (ok && port !== undefined) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(child);
      } else if (role === 'worker') {
        clearInterval(poll);
        clearTimeout(timer);
        setTimeout(() => resolve(child), 1000);
      }
    }, 100);
  });
}

async function json<T>(url: string, method: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function runScenario(hz: number, databaseUrl: string) {
  const server = await ensureRedisServer({ toolsDir: path.resolve('.data', 'tools'), say: (line) => console.log(`bench: ${line}`) });
  const redis = await startLocalRedis({ hz, server });
  const ns = `bench-hz${hz}`;
  const [apiPort, socketPort] = [await freePort(), await freePort()];
  const env = {
    REDIS_URL: redis.url, DATABASE_URL: databaseUrl, JWT_SECRET: SECRET, WEBHOOK_SECRET: SECRET,
    QUIZLOOP_NAMESPACE: ns, REDIS_HZ: '0', PORT: String(apiPort), SOCKET_PORT: String(socketPort),
    API_INTERNAL_URL: `http://127.0.0.1:${apiPort}`, METRICS_PORT: '0',
    // Every bench player joins from this one machine.
    RATE_LIMIT_JOIN_ADDRESS: `${PLAYERS + 10}/60`, ROOM_MAX_PLAYERS: String(Math.max(1000, PLAYERS)),
  };
  const children = [await startRole('api', env), await startRole('socket', env), await startRole('worker', env)];
  const api = `http://127.0.0.1:${apiPort}`;
  const clients: Client[] = [];
  const ackMs: number[] = [];
  try {
    const { token } = await json<{ token: string }>(`${api}/auth/register`, 'POST', {
      email: `bench-${hz}-${Date.now()}@bench.invalid`, password: 'bench-password', displayName: 'Bench host',
    });
    const room = await json<{ code: string; hostToken: string }>(`${api}/rooms`, 'POST', {
      questionCount: QUESTIONS, questionSeconds: QUESTION_SECONDS, revealSeconds: 2,
    }, token);
    while ((await json<RoomView>(`${api}/rooms/${room.code}`, 'GET')).phase === 'building') await new Promise((r) => setTimeout(r, 100));

    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    for (let i = 0; i < PLAYERS; i++) {
      const p = await json<{ token: string }>(`${api}/rooms/${room.code}/players`, 'POST', { nickname: `b${i}` });
      const c: Client = io(`http://127.0.0.1:${socketPort}`, { auth: { token: p.token }, transports: ['websocket'] });
      let answered = -1;
      c.on('room:view', (v) => {
        if (v.phase === 'finished') finished();
        // 60 % answer each question, so questions mostly run to their deadline and every tick fires.
        if (v.phase === 'question' && v.question && v.question.index > answered && Math.random() < 0.6) {
          answered = v.question.index;
          const q = v.question;
          setTimeout(() => {
            const sent = performance.now();
            const guess = q.choices.length ? { choice: Math.floor(Math.random() * q.choices.length) } : { text: 'no idea' };
            c.emit('answer:submit', { questionIndex: q.index, ...guess }, (ack) => {
              if (ack.ok) ackMs.push(performance.now() - sent);
            });
          }, Math.random() * QUESTION_SECONDS * 800);
        }
      });
      clients.push(c);
    }
    await new Promise((r) => setTimeout(r, 500));
    await json(`${api}/rooms/${room.code}/start`, 'POST', {}, room.hostToken);
    await done;

    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('tick', { connection, prefix: createKeys(ns).bullPrefix });
    const jobs = await queue.getCompleted(0, 100_000);
    // Tick 0 is enqueued at once by the event handler, so only ticks n ≥ 1 measure the delayed-job path.
    const delayed = jobs
      .filter((j) => j.data.n > 0)
      .map((j) => (j.returnvalue as { latenessMs?: number } | undefined)?.latenessMs)
      .filter((v): v is number => typeof v === 'number');
    await queue.close();
    connection.disconnect();
    return { hz, delayedTicks: summary(delayed), ack: summary(ackMs) };
  } finally {
    for (const c of clients) c.close();
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await redis.stop();
  }
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'quizloop-bench-'));
  const pg = await startLocalPostgres({ dataDir: path.join(dir, 'pg'), database: 'bench', persistent: false });
  const db = createDb(pg.url);
  await migrateLatest(db);
  await db.destroy();
  try {
    console.log(`quizloop bench: ${PLAYERS} players, ${QUESTIONS} questions of ${QUESTION_SECONDS} s, api/worker/socket as separate processes\n`);
    const results = [];
    for (const hz of [10, 100]) {
      process.stdout.write(`running at Redis hz ${hz}…\n`);
      results.push(await runScenario(hz, pg.url));
    }
    const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1).padStart(7) : '      -');
    console.log('\ntick lateness, ms (actual − due; delayed ticks n ≥ 1)');
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

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
