import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit } from '../platform/config';
import type { Keys } from '../store/keys';
import type { QuizRedis } from '../store/redis';

/**
 * SOCKET_CONNECTS_PER_PLAYER: connects of one identity (room, kind and player or host id, from a verified
 * token), counted in Redis (rate-limiter-flexible, fixed windows) so the budget holds across socket
 * processes. Once an identity has spent its budget this process refuses it in memory until the window
 * ends: a client looping on a spent budget costs no Redis round trip here.
 */
export function createConnectBudget({ redis, keys, limit }: { redis: QuizRedis; keys: Keys; limit: RateLimit }) {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: keys.rateLimit('connectsPerPlayer'),
    points: limit.points,
    duration: limit.seconds,
    inMemoryBlockOnConsumed: limit.points,
  });
  return {
    /** The refusal's wording: the limit and its setting. */
    describe: (retryAfterSeconds: number) =>
      `Too many connects with this token: at most ${limit.points} in ${limit.seconds} s (SOCKET_CONNECTS_PER_PLAYER). Connect again in ${retryAfterSeconds} s.`,
    /** Spends one connect of `identity`: 0 when it may connect, else the ms until its budget is back. */
    async spend(identity: string): Promise<number> {
      try {
        await limiter.consume(identity);
        return 0;
      } catch (err) {
        if (err instanceof RateLimiterRes) return Math.max(1, err.msBeforeNext);
        throw err;
      }
    },
  };
}
export type ConnectBudget = ReturnType<typeof createConnectBudget>;
