import { Redis } from 'ioredis';
import { ALL_SCRIPTS } from './scripts/all-scripts';
import type { ScriptCommands } from './scripts/define-script';

/**
 * A Redis client with quizloop's Lua scripts loaded as commands (EVALSHA, falling back to EVAL).
 * Run them through their typed definitions (`script.run(redis, keys, args)`), not by command name.
 */
export type QuizRedis = Redis & ScriptCommands;

/**
 * `blocking` clients (BullMQ workers, stream readers) must retry commands forever rather than
 * fail them during a Redis restart; BullMQ insists on `maxRetriesPerRequest: null` for them.
 * A `rediss://` URL connects over TLS; `rejectUnauthorized: false` accepts a self-signed server.
 */
export function createRedis(url: string, opts: { name: string; blocking?: boolean; rejectUnauthorized?: boolean }): QuizRedis {
  const redis = new Redis(url, {
    connectionName: opts.name,
    maxRetriesPerRequest: opts.blocking ? null : 3,
    enableReadyCheck: true,
    ...(url.startsWith('rediss://') ? { tls: { rejectUnauthorized: opts.rejectUnauthorized ?? true } } : {}),
  });
  for (const script of ALL_SCRIPTS) redis.defineCommand(script.command, { lua: script.lua });
  return redis as QuizRedis;
}

/**
 * BullMQ delayed jobs fire only as punctually as Redis's `hz` allows (about 100 ms late at the
 * default 10). Raise it where the server permits; managed services often refuse CONFIG.
 */
export async function tuneRedisHz(redis: Redis, hz: number): Promise<'set' | 'kept' | 'refused'> {
  if (hz <= 0) return 'kept';
  try {
    const current = (await redis.config('GET', 'hz')) as string[];
    if (Number(current[1]) >= hz) return 'kept';
    await redis.config('SET', 'hz', String(hz));
    return 'set';
  } catch {
    return 'refused';
  }
}
