/**
 * `npm run bench -- --only sync-flood`: does one hostile player slow down everyone else's game?
 * A room of BENCH_FLOOD_PLAYERS (default 3,000) joined and connected players sits in its lobby while a
 * small room (BENCH_FLOOD_VICTIMS players, default 20) plays a game on the same socket process. Each
 * question of the small room's game is one of three parts, in turn (BENCH_FLOOD_QUESTIONS each, default 6),
 * so that load from outside the bench falls on all three alike:
 *  - baseline: nobody floods;
 *  - burst: one player of the big room sends 100 `room:sync` at once, every second;
 *  - rate: the same player sends `room:sync` at 1,000 a second.
 * A flooder the server drops (the per-socket event budget) connects again at once and goes on, as an
 * attacker would. The big room's clients and the flooder run in a child process, as they would on other
 * machines: the small room's clients, which measure, share their event loop with nobody else's.
 * Reported: the answer ack latency of the small room's players in each part, and what became of the
 * flood (answered, refused, dropped). Budget settings are the defaults (docs/configuration.md, Limits).
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { type Socket, io } from 'socket.io-client';
import { ensureRedisServer, startLocalRedis } from '../src/local/local-redis';
import type { RoomView } from '../src/shared/room';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/shared/socket-events';
import { json, startGame, startRoles } from './harness';
import { summary } from './stats';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
type Part = 'baseline' | 'burst' | 'rate';

const BIG = Number(process.env.BENCH_FLOOD_PLAYERS ?? 3000);
const VICTIMS = Number(process.env.BENCH_FLOOD_VICTIMS ?? 20);
const PER_PART = Number(process.env.BENCH_FLOOD_QUESTIONS ?? 6);
const QUESTION_SECONDS = 4;
const PARTS: Part[] = ['baseline', 'burst', 'rate'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function connect(url: string, token: string): Promise<Client> {
  const c: Client = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  return new Promise((resolve, reject) => {
    c.once('room:view', () => resolve(c));
    c.once('connect_error', reject);
  });
}

async function createRoom(api: string, token: string, settings: Record<string, unknown>) {
  const room = await json<{ code: string; hostToken: string }>(`${api}/rooms`, 'POST', settings, token);
  while ((await json<RoomView>(`${api}/rooms/${room.code}`, 'GET')).phase === 'building') await sleep(100);
  return room;
}

/** Joins `n` players by REST, `concurrency` at a time; returns their player tokens. */
async function joinMany(api: string, code: string, n: number, prefix: string, concurrency = 16): Promise<string[]> {
  const tokens: string[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        tokens[i] = (await json<{ token: string }>(`${api}/rooms/${code}/players`, 'POST', { nickname: `${prefix}${i}` })).token;
      }
    }),
  );
  return tokens;
}

/** The flooding player: sends `room:sync` by the part in hand, and connects again whenever it is dropped. */
function startFlooder(url: string, token: string, part: () => Part) {
  const stats = {
    sent: { baseline: 0, burst: 0, rate: 0 } as Record<Part, number>,
    answered: 0,
    refused: 0,
    dropped: 0,
    handshakesRefused: 0,
    syncMs: [] as number[],
  };
  const open = () => {
    const s: Client = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
    s.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return;
      stats.dropped++;
      socket = open();
    });
    // Refused at the handshake (dropped a moment ago): try again 20 times a second, as an attacker would.
    s.on('connect_error', () => {
      stats.handshakesRefused++;
      if (!stopped) setTimeout(() => (socket = open()), 50);
    });
    return s;
  };
  let stopped = false;
  let socket = open();
  const sync = () => {
    if (!socket.connected) return;
    const sent = performance.now();
    stats.sent[part()]++;
    socket.emit('room:sync', (ack) => {
      if (ack.ok) {
        stats.answered++;
        stats.syncMs.push(performance.now() - sent);
      } else stats.refused++;
    });
  };
  const burst = setInterval(() => {
    if (part() === 'burst') for (let i = 0; i < 100; i++) sync();
  }, 1000);
  // 10 every 10 ms: 1,000 a second, as evenly as timers allow (the count sent is reported).
  const rate = setInterval(() => {
    if (part() === 'rate') for (let i = 0; i < 10; i++) sync();
  }, 10);
  return {
    stats,
    stop() {
      stopped = true;
      clearInterval(burst);
      clearInterval(rate);
      socket.close();
    },
  };
}

/** The child process: connects the big room's players and floods from the first, by the part the parent names. */
function floodChild(): void {
  const clients: Client[] = [];
  let part: Part = 'baseline';
  let since = performance.now();
  const seconds: Record<Part, number> = { baseline: 0, burst: 0, rate: 0 };
  let flooder: ReturnType<typeof startFlooder> | null = null;
  const send = (m: unknown) => process.send?.(m);
  process.on('message', async (m: { type: 'start'; socketUrl: string; tokens: string[] } | { type: 'part'; part: Part } | { type: 'stop' }) => {
    switch (m.type) {
      case 'start':
        for (let i = 1; i < m.tokens.length; i += 100) {
          clients.push(...(await Promise.all(m.tokens.slice(i, i + 100).map((t) => connect(m.socketUrl, t)))));
        }
        flooder = startFlooder(m.socketUrl, m.tokens[0] as string, () => part);
        return send({ type: 'ready' });
      case 'part':
        seconds[part] += (performance.now() - since) / 1000;
        since = performance.now();
        part = m.part;
        return;
      case 'stop': {
        seconds[part] += (performance.now() - since) / 1000;
        flooder?.stop();
        for (const c of clients) c.close();
        const stats = flooder?.stats;
        send({ type: 'stats', stats: stats && { ...stats, sync: summary(stats.syncMs), syncMs: [], seconds } });
        return setTimeout(() => process.exit(0), 200);
      }
    }
  });
}

type FloodStats = Omit<ReturnType<typeof startFlooder>['stats'], 'syncMs'> & { sync: ReturnType<typeof summary>; seconds: Record<Part, number> };

export async function runSyncFlood(databaseUrl: string) {
  const server = await ensureRedisServer({ toolsDir: path.resolve('.data', 'tools'), say: (line) => console.log(`bench: ${line}`) });
  const redis = await startLocalRedis({ hz: 100, server });
  const roles = await startRoles(redis.url, databaseUrl, 'bench-flood');
  const clients: Client[] = [];
  const child = fork(__filename, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, QUIZLOOP_FLOOD_CHILD: '1' } });
  const fromChild = (type: string) =>
    new Promise<{ stats?: FloodStats }>((resolve) => child.on('message', (m: { type: string; stats?: FloodStats }) => m.type === type && resolve(m)));
  try {
    const { api, socketUrl } = roles;
    const big = await createRoom(api, roles.hostToken, {});
    process.stdout.write(`joining ${BIG} players to room ${big.code}…\n`);
    const bigTokens = await joinMany(api, big.code, BIG, 'big');
    process.stdout.write('connecting them (child process)…\n');
    const ready = fromChild('ready');
    child.send({ type: 'start', socketUrl, tokens: bigTokens });
    await ready;

    const small = await createRoom(api, roles.hostToken, { questionCount: PER_PART * PARTS.length, questionSeconds: QUESTION_SECONDS, revealSeconds: 1 });
    const smallTokens = await joinMany(api, small.code, VICTIMS, 'v');
    const victims = await Promise.all(smallTokens.map((t) => connect(socketUrl, t)));
    clients.push(...victims);

    let part: Part = 'baseline';
    const acks: Record<Part, number[]> = { baseline: [], burst: [], rate: [] };
    const lost: Record<Part, number> = { baseline: 0, burst: 0, rate: 0 };
    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    for (const c of victims) {
      let answered = -1;
      c.on('room:view', (v) => {
        if (v.phase === 'finished') finished();
        if (v.phase !== 'question' || !v.question || v.question.index <= answered) return;
        const q = v.question;
        answered = q.index;
        const now = PARTS[q.index % PARTS.length] as Part;
        if (now !== part) {
          part = now;
          child.send({ type: 'part', part });
        }
        setTimeout(
          () => {
            const sent = performance.now();
            const guess = q.choices.length ? { choice: Math.floor(Math.random() * q.choices.length) } : { text: 'no idea' };
            const late = setTimeout(() => lost[now]++, 10_000);
            c.emit('answer:submit', { questionIndex: q.index, ...guess }, (ack) => {
              clearTimeout(late);
              if (ack.ok) acks[now].push(performance.now() - sent);
              else lost[now]++;
            });
          },
          200 + Math.random() * (QUESTION_SECONDS - 1.5) * 1000,
        );
      });
    }
    await startGame(api, small.code, small.hostToken);
    await done;
    const stats = fromChild('stats');
    child.send({ type: 'stop' });
    const flood = (await stats).stats as FloodStats;
    return {
      ack: Object.fromEntries(PARTS.map((p) => [p, summary(acks[p])])) as Record<Part, ReturnType<typeof summary>>,
      lost,
      flood,
    };
  } finally {
    child.kill();
    for (const c of clients) c.close();
    roles.stop();
    await sleep(500);
    await redis.stop();
  }
}

export async function reportSyncFlood(databaseUrl: string): Promise<void> {
  console.log(
    `quizloop bench, sync flood: one player of a ${BIG}-player room floods room:sync while ${VICTIMS} players of another room answer ` +
      `(${PER_PART} questions of ${QUESTION_SECONDS} s per part), one socket process, default event budget\n`,
  );
  const r = await runSyncFlood(databaseUrl);
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1).padStart(7) : '      -');
  console.log('\nanswer ack latency in the other room, ms (emit → ack at the client)');
  console.log('  part      answers  lost    mean     p50     p95     p99     max  p95 − baseline');
  for (const p of PARTS) {
    const s = r.ack[p];
    console.log(
      `  ${p.padEnd(9)} ${String(s.n).padStart(7)} ${String(r.lost[p]).padStart(5)} ${f(s.mean)} ${f(s.p50)} ${f(s.p95)} ${f(s.p99)} ${f(s.max)}  ${f(s.p95 - r.ack.baseline.p95)}`,
    );
  }
  const fl = r.flood;
  console.log(
    `\nflood: room:sync sent ${fl.sent.burst} in the burst part (${fl.seconds.burst.toFixed(0)} s), ${fl.sent.rate} in the rate part ` +
      `(${fl.seconds.rate.toFixed(0)} s, ${(fl.sent.rate / fl.seconds.rate).toFixed(0)}/s); ` +
      `${fl.answered} answered (p95 ${fl.sync.p95.toFixed(1)} ms), ${fl.refused} refused RATE_LIMITED, dropped ${fl.dropped} times, ${fl.handshakesRefused} handshakes refused (it tries again every 50 ms)`,
  );
}

if (process.env.QUIZLOOP_FLOOD_CHILD === '1' && process.send) floodChild();
