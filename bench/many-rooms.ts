import path from 'node:path';
import { Redis } from 'ioredis';
import { ensureRedisServer, startLocalRedis } from '../src/local/local-redis';
import type { RoomView } from '../src/shared/room';
import { reply } from './bot-fleet';
import { cpuNs } from './cpu-trace';
import { json, spawnNode, startGame, startRoles, stopProcess } from './harness';
import { pooled } from './pooled';
import type { ConnectOrder, Report } from './room-players';
import { summary } from './stats';

const PLAYERS = path.join(__dirname, 'room-players.ts');

const QUESTION_SECONDS = 9;

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
  const lateness: number[] = [];
  const relayLateness: number[] = [];
  /** Lateness at the players, by the frame's question and tick (`q0 t4`) and by its due second after the first start: which frames set the p99. */
  const byTick = new Map<string, number[]>();
  const bySecond = new Map<number, number[]>();
  /** The same frames' lateness when the socket process wrote them (their `serverNow`): the server's part of each figure. */
  const byTickWritten = new Map<string, number[]>();
  const bySecondWritten = new Map<number, number[]>();
  const keep = <K>(into: Map<K, number[]>, key: K, late: number) => {
    const list = into.get(key) ?? [];
    list.push(late);
    into.set(key, list);
  };
  // The players in a process of their own (room-players.ts), as on their own devices: this one sends the start requests.
  const players = spawnNode(['--expose-gc', '--import', 'tsx', PLAYERS], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const finished = reply(players, 'finished');
  finished.catch(() => undefined);
  try {
    const created = await pooled(
      Array.from({ length: rooms }, (_, i) => i),
      16,
      () => json<{ code: string; hostToken: string }>(`${api}/rooms`, 'POST', { questionCount: 2, questionSeconds: QUESTION_SECONDS, revealSeconds: 2 }, token),
    );
    await pooled(created, 16, async (room) => {
      while ((await json<RoomView>(`${api}/rooms/${room.code}`, 'GET')).phase === 'building') await new Promise((r) => setTimeout(r, 100));
    });
    const joined = await pooled(
      created.flatMap((room) => Array.from({ length: playersPerRoom }, (_, p) => ({ room: room.code, nickname: `b${p}` }))),
      16,
      async ({ room, nickname }) => ({ room, token: (await json<{ token: string }>(`${api}/rooms/${room}/players`, 'POST', { nickname })).token }),
    );
    const connected = reply(players, 'connected');
    players.send({ type: 'connect', socketUrl: roles.socketUrl, players: joined, questionSeconds: QUESTION_SECONDS } satisfies ConnectOrder);
    await connected;
    const cpu = await gameCost(redis.url, {
      api: roles.apiPid,
      worker: roles.workerPid,
      socket: roles.socketPids[0],
      players: players.pid,
      bench: process.pid,
    });
    const firstStart = Date.now();
    await Promise.all(created.map((room) => startGame(api, room.code, room.hostToken)));
    const game = 2 * (QUESTION_SECONDS + 2) * 1000;
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, game * 3))]);
    const cost = await cpu.stop(rooms);
    const reported = reply<Report>(players, 'report');
    players.send({ type: 'report' });
    const report = await reported;
    for (const f of report.frames) {
      const tick = `q${f.questionIndex} t${f.tick}`;
      const second = Math.floor((f.dueAt - firstStart) / 1000);
      lateness.push(f.lateMs);
      relayLateness.push(f.writtenLateMs);
      keep(byTick, tick, f.lateMs);
      keep(bySecond, second, f.lateMs);
      keep(byTickWritten, tick, f.writtenLateMs);
      keep(bySecondWritten, second, f.writtenLateMs);
    }
    const summaries = <K>(of: Map<K, number[]>, written: Map<K, number[]>) =>
      [...of].map(([key, list]) => ({ key, ...summary(list), writtenP99: summary(written.get(key) ?? []).p99 }));
    return {
      rooms,
      players: rooms * playersPerRoom,
      finishedRooms: report.finishedRooms,
      countdownLateness: summary(lateness),
      relay: summary(relayLateness),
      byTick: summaries(byTick, byTickWritten).sort((a, b) => a.key.localeCompare(b.key)),
      bySecond: summaries(bySecond, bySecondWritten).sort((a, b) => a.key - b.key),
      cost,
    };
  } finally {
    if (players.connected) players.send({ type: 'close' });
    await stopProcess(players, 3000);
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
