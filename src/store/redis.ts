import { Redis } from 'ioredis';
import type { Logger } from '../platform/logger';
import { answerScript } from './scripts/answer.lua';
import { joinScript } from './scripts/join.lua';
import { kickScript } from './scripts/kick.lua';
import { leaderboardScript } from './scripts/leaderboard.lua';
import { presenceScript, reconnectingScript } from './scripts/presence.lua';
import { transitionScript } from './scripts/transition.lua';

/** A Redis client with quizloop's Lua scripts loaded as commands (EVALSHA, falling back to EVAL). */
export type QuizRedis = Redis & {
  qlTransition(...args: (string | number)[]): Promise<number>;
  qlJoin(...args: (string | number)[]): Promise<number>;
  qlAnswer(...args: (string | number)[]): Promise<number[]>;
  qlPresence(...args: (string | number)[]): Promise<number>;
  qlKick(...args: (string | number)[]): Promise<number>;
  qlReconnecting(...args: (string | number)[]): Promise<number>;
  qlLeaderboard(...args: (string | number)[]): Promise<number>;
};

/**
 * `blocking` clients (BullMQ workers, stream readers) must retry commands forever rather than
 * fail them during a Redis restart; BullMQ insists on `maxRetriesPerRequest: null` for them.
 * A `rediss://` URL connects over TLS; `rejectUnauthorized: false` accepts a self-signed server.
 * Connection errors go to `log` (stderr without one), once per outage rather than once per retry.
 */
export function createRedis(url: string, opts: { name: string; blocking?: boolean; rejectUnauthorized?: boolean; log?: Logger }): QuizRedis {
  const redis = new Redis(url, {
    connectionName: opts.name,
    maxRetriesPerRequest: opts.blocking ? null : 3,
    enableReadyCheck: true,
    ...(url.startsWith('rediss://') ? { tls: { rejectUnauthorized: opts.rejectUnauthorized ?? true } } : {}),
  });
  const scripts: Record<string, string> = {
    qlTransition: transitionScript,
    qlJoin: joinScript,
    qlAnswer: answerScript,
    qlPresence: presenceScript,
    qlKick: kickScript,
    qlReconnecting: reconnectingScript,
    qlLeaderboard: leaderboardScript,
  };
  for (const [name, lua] of Object.entries(scripts)) redis.defineCommand(name, { lua });
  reportConnectionErrors(redis, opts.name, opts.log);
  return redis as QuizRedis;
}

/** ioredis retries by itself; without an `error` listener it would print every failed retry's stack. */
function reportConnectionErrors(redis: Redis, name: string, log: Logger | undefined): void {
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    if (log) log.warn('Redis connection lost; retrying', { client: name, err: err.message });
    else process.stderr.write(`${name}: Redis connection lost (${err.message}); retrying\n`);
  });
  redis.on('ready', () => {
    if (down) log?.info('Redis connection back', { client: name });
    down = false;
  });
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
