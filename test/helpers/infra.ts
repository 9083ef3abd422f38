import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

export const infra = () => ({
  redisUrl: inject('redisUrl'),
  databaseUrl: inject('databaseUrl'),
  repoRoot: inject('repoRoot'),
});

/** A namespace of its own for one test file: keys, queues, stream and channels never meet another file's. */
export function testNamespace(label: string): string {
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 24);
  return `qlt-${slug}-${randomBytes(3).toString('hex')}`;
}

/** Removes every key of a namespace (rooms, stream, BullMQ queues). */
export async function deleteNamespace(redisUrl: string, namespace: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value other than undefined, or fails naming what it waited for. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await sleep(everyMs);
  }
}

/**
 * Limits far above what any test does from its one address, so only the tests about limits (which
 * set their own) meet them; every test client comes from 127.0.0.1.
 */
export const GENEROUS_LIMITS: Record<string, string> = {
  RATE_LIMIT_LOGIN_ACCOUNT: '100000/1',
  RATE_LIMIT_LOGIN_ADDRESS: '100000/1',
  RATE_LIMIT_REGISTER_ADDRESS: '100000/1',
  RATE_LIMIT_JOIN_ADDRESS: '100000/1',
  RATE_LIMIT_ROOMS_USER: '100000/1',
  RATE_LIMIT_IMPORTS_USER: '100000/1',
  RATE_LIMIT_ROOM_MISSES_ADDRESS: '100000/1',
  HOST_MAX_OPEN_ROOMS: '100000',
  ROOM_MAX_PLAYERS: '100000',
  /** Every finished game counts, as the leaderboard tests expect; fair-leaderboards.test.ts sets its own. */
  LEADERBOARD_MIN_PLAYERS: '0',
};
