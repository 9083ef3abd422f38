import path from 'node:path';
import { Redis } from 'ioredis';
import { type Socket, io } from 'socket.io-client';
import { ensureRedisServer, startLocalRedis } from '../src/local/local-redis';
import type { RoomView } from '../src/shared/room';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/shared/socket-events';
import { cpuNs } from './cpu-trace';
import { json, startGame, startRoles } from './harness';
import { countdownLateness, summary } from './stats';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const QUESTION_SECONDS = 9;

/** Runs `work` over `items`, `width` at a time. */
export async function pooled<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i] as T);
      }
    }),
  );
  return out;
}

/**
 * Many small rooms at once: `rooms` rooms of `playersPerRoom` players, all started together, nobody
 * answering, so every question runs to its deadline. Measures, at the players, how late each
 * countdown frame arrives after its due instant (phase start + 2 s × n, n ≥ 1: the delayed ticks).
 * Processes and players share this machine's clock, so arrival and due time are on one clock.
 */
export async function runManyRooms(rooms: number, databaseUrl: string, playersPerRoom = 2) {
  const server = await ensureRedisServer({ toolsDir: path.resolve('.data', 'tools'), say: (line) => console.log(`bench: ${line}`) });
  const redis = await startLocalRedis({ hz: 100, server });
  const roles = await startRoles(redis.url, databaseUrl, `bench-rooms-${rooms}`);
  const { api, hostToken: token } = roles;
  const clients: Client[] = [];
  const lateness: number[] = [];
  const relayLateness: number[] = [];
  /** Lateness at the players, by the frame's question and tick (`q0 t4`) and by its due second after the first start: which frames set the p99. */
  const byTick = new Map<string, number[]>();
  const bySecond = new Map<number, number[]>();
  /** The same frames' lateness when the socket process wrote them (their `serverNow`): the server's part of each figure. */
  const byTickWritten = new Map<string, number[]>();
  const bySecondWritten = new Map<number, number[]>();
  let firstStart = Number.NaN;
  const keep = <K>(into: Map<K, number[]>, key: K, late: number) => {
    const list = into.get(key) ?? [];
    list.push(late);
    into.set(key, list);
  };
  try {
    const created = await pooled(
      Array.from({ length: rooms }, (_, i) => i),
      16,
      () => json<{ code: string; hostToken: string }>(`${api}/rooms`, 'POST', { questionCount: 2, questionSeconds: QUESTION_SECONDS, revealSeconds: 2 }, token),
    );
    await pooled(created, 16, async (room) => {
      while ((await json<RoomView>(`${api}/rooms/${room.code}`, 'GET')).phase === 'building') await new Promise((r) => setTimeout(r, 100));
    });
    let finishedRooms = 0;
    let allFinished!: () => void;
    const done = new Promise<void>((resolve) => (allFinished = resolve));
    await pooled(created, 16, async (room) => {
      let finished = false;
      for (let p = 0; p < playersPerRoom; p++) {
        const player = await json<{ token: string }>(`${api}/rooms/${room.code}/players`, 'POST', { nickname: `b${p}` });
        const c: Client = io(roles.socketUrl, { auth: { token: player.token }, transports: ['websocket'] });
        c.on('room:countdown', (m) => {
          const late = countdownLateness(m, QUESTION_SECONDS);
          if (late !== null) {
            lateness.push(late);
            keep(byTick, `q${m.questionIndex} t${m.tick}`, late);
            keep(bySecond, Math.floor((Date.now() - late - firstStart) / 1000), late);
          }
          const relayed = countdownLateness(m, QUESTION_SECONDS, m.serverNow);
          if (relayed !== null && late !== null) {
            relayLateness.push(relayed);
            keep(byTickWritten, `q${m.questionIndex} t${m.tick}`, relayed);
            keep(bySecondWritten, Math.floor((Date.now() - late - firstStart) / 1000), relayed);
          }
        });
        c.on('room:view', (v) => {
          if (v.phase !== 'finished' || finished) return;
          finished = true;
          if (++finishedRooms === rooms) allFinished();
        });
        await new Promise<void>((resolve, reject) => {
          c.once('room:view', () => resolve());
          c.once('connect_error', reject);
        });
        clients.push(c);
      }
    });
    // The players are this process's own clients: its CPU is theirs (and the start requests').
    const cpu = await gameCost(redis.url, { api: roles.apiPid, worker: roles.workerPid, socket: roles.socketPids[0], players: process.pid });
    firstStart = Date.now();
    await Promise.all(created.map((room) => startGame(api, room.code, room.hostToken)));
    const game = 2 * (QUESTION_SECONDS + 2) * 1000;
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, game * 3))]);
    const cost = await cpu.stop(rooms);
    const summaries = <K>(of: Map<K, number[]>, written: Map<K, number[]>) =>
      [...of].map(([key, list]) => ({ key, ...summary(list), writtenP99: summary(written.get(key) ?? []).p99 }));
    return {
      rooms,
      players: rooms * playersPerRoom,
      finishedRooms,
      countdownLateness: summary(lateness),
      relay: summary(relayLateness),
      byTick: summaries(byTick, byTickWritten).sort((a, b) => a.key.localeCompare(b.key)),
      bySecond: summaries(bySecond, bySecondWritten).sort((a, b) => a.key - b.key),
      cost,
    };
  } finally {
    for (const c of clients) c.close();
    roles.stop();
    await new Promise((r) => setTimeout(r, 500));
    await redis.stop();
  }
}

/** Redis's per-command counters (`INFO commandstats`): calls and µs by command. */
export async function commandStats(redis: Redis): Promise<Map<string, { calls: number; usec: number }>> {
  const stats = new Map<string, { calls: number; usec: number }>();
  for (const m of (await redis.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    stats.set(m[1] as string, { calls: Number(m[2]), usec: Number(m[3]) });
  }
  return stats;
}

type CommandStats = Awaited<ReturnType<typeof commandStats>>;

/** The commands run between two `commandStats`, calls and µs divided by `per`, by most µs first. */
export function commandsBetween(before: CommandStats, after: CommandStats, per: number): { name: string; calls: number; usec: number }[] {
  return [...after]
    .map(([name, { calls, usec }]) => ({ name, calls: (calls - (before.get(name)?.calls ?? 0)) / per, usec: (usec - (before.get(name)?.usec ?? 0)) / per }))
    .filter((c) => c.calls > 0)
    .sort((a, b) => b.usec - a.usec);
}

/**
 * What the game (start to the last room finished) cost: each process's CPU time and Redis's commands,
 * per room (one start, four advances, the countdown's ticks), to tell what one transition costs.
 */
async function gameCost(redisUrl: string, pids: Record<string, number | undefined>) {
  const redis = new Redis(redisUrl);
  const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
  const all: Record<string, number | undefined> = { ...pids, redis: redisPid };
  const cpu = () => Object.fromEntries(Object.entries(all).map(([role, pid]) => [role, pid === undefined ? NaN : cpuNs(pid)]));
  const before = cpu();
  const commandsBefore = await commandStats(redis);
  return {
    async stop(rooms: number) {
      const after = cpu();
      const commandsAfter = await commandStats(redis);
      redis.disconnect();
      const cpuMsPerRoom = Object.fromEntries(Object.keys(all).map((role) => [role, ((after[role] ?? NaN) - (before[role] ?? NaN)) / 1e6 / rooms]));
      const commandsPerRoom = commandsBetween(commandsBefore, commandsAfter, rooms);
      return { cpuMsPerRoom, commandsPerRoom };
    },
  };
}
