/**
 * The set-up shared by the benches that time one Redis script alone (answer-cost.ts, presence-cost.ts): a
 * room with a question open and `players` players joined and online on one socket instance, and Redis's
 * own time per EVALSHA call.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureRedisServer, startLocalRedis } from '../src/local/local-redis';
import { createKeys } from '../src/store/keys';
import { type QuizRedis, createRedis } from '../src/store/redis';
import { type RoomStore, createRoomStore } from '../src/store/room-store';
import { SETTINGS, openQuestionRoom } from '../test/unit/fixtures';

type ScriptBench = Awaited<ReturnType<typeof startScriptBench>>;

/** `--players` and `--runs` from the command line, a Redis of the bench's own, its keys and a room store on it. */
async function startScriptBench(name: string, defaultRuns: number) {
  const { values } = parseArgs({ options: { players: { type: 'string', default: '5000' }, runs: { type: 'string', default: String(defaultRuns) } } });
  const binary = await ensureRedisServer({ toolsDir: path.resolve('.data', 'tools'), say: (line) => console.log(`bench: ${line}`) });
  const server = await startLocalRedis({ server: binary });
  const redis = createRedis(server.url, { name });
  const keys = createKeys(name);
  const rooms = createRoomStore({ redis, keys, ttlSeconds: 3600, instance: { id: 'socket-a', leaseMs: 3_600_000 } });
  return { players: Number(values.players), runs: Number(values.runs), server, redis, keys, rooms };
}

/** Runs `body` on a fresh bench set-up, then stops its Redis; a failure sets the exit code. */
export function runScriptBench(name: string, defaultRuns: number, body: (bench: ScriptBench) => Promise<void>): void {
  (async () => {
    const bench = await startScriptBench(name, defaultRuns);
    try {
      await body(bench);
    } finally {
      bench.redis.disconnect();
      await bench.server.stop();
    }
  })().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

/** Creates the room on Redis's clock and joins `players` players (`player-0`…), all online; its code, players and now. */
export async function openRoomWithPlayers(redis: QuizRedis, rooms: RoomStore, players: number) {
  const [s] = await redis.time();
  const now = Number(s) * 1000;
  const room = openQuestionRoom(now, { settings: { ...SETTINGS, questionCount: 2 }, deadlineAt: now + 3_600_000 });
  await rooms.create(room, { type: 'room.created', roomCode: room.code, version: room.version, at: now });
  const ids = Array.from({ length: players }, (_, i) => `player-${i}`);
  for (let i = 0; i < ids.length; i += 500) {
    await Promise.all(ids.slice(i, i + 500).map((id) => rooms.join(room.code, { id, nickname: id, userId: null, joinedAt: now })));
    await Promise.all(ids.slice(i, i + 500).map((id) => rooms.presence(room.code, id, 1)));
  }
  return { room, code: room.code, ids, now };
}

/** Redis's own µs per EVALSHA call since the last `CONFIG RESETSTAT`, and the whole `INFO commandstats`. */
export async function evalshaMicros(redis: QuizRedis): Promise<{ perCall: number; stats: string }> {
  const stats = await redis.info('commandstats');
  const perCall = Number(/cmdstat_evalsha:calls=\d+,usec=\d+,usec_per_call=([\d.]+)/.exec(stats)?.[1] ?? Number.NaN);
  return { perCall, stats };
}
