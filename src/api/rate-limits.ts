import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Limits, RateLimit } from '../platform/config';
import type { Keys } from '../store/keys';
import { retryAfterSeconds } from '../shared/retry-after';
import type { QuizRedis } from '../store/redis';
import { AppError } from './app-error';

/** What is counted, and what a refusal says it was. */
const LIMITS = {
  loginPerAccount: 'sign-in attempts for this account',
  loginPerAddress: 'sign-in attempts from your address',
  registerPerAddress: 'registrations from your address',
  joinPerAddress: 'joins from your address',
  roomsPerUser: 'rooms created by you',
  importsPerUser: 'imports by you',
  passphrasePerAddress: 'wrong passphrases for this room from your address',
  roomMissesPerAddress: 'wrong room codes from your address',
} as const satisfies Partial<Record<keyof Limits, string>>;
export type LimitName = keyof typeof LIMITS;

const tooMany = (name: LimitName, limit: RateLimit, res: RateLimiterRes) => {
  const seconds = retryAfterSeconds(res.msBeforeNext);
  return AppError.rateLimited(`Too many ${LIMITS[name]}: at most ${limit.points} in ${limit.seconds} s. Try again in ${seconds} s.`, seconds);
};

/**
 * Fixed-window counters in Redis (rate-limiter-flexible), so a limit holds across api instances.
 * `consume` counts one and refuses with 429 past the limit, in one atomic step; `reward` gives one back
 * (a right password or passphrase, so only failures use the budget up); `check` refuses a key that has
 * spent its budget without counting one.
 */
export function createRateLimits(redis: QuizRedis, keys: Keys, limits: Limits) {
  const limiters = Object.fromEntries(
    (Object.keys(LIMITS) as LimitName[]).map((name) => [
      name,
      new RateLimiterRedis({ storeClient: redis, keyPrefix: keys.rateLimit(name), points: limits[name].points, duration: limits[name].seconds }),
    ]),
  ) as Record<LimitName, RateLimiterRedis>;

  return {
    async consume(name: LimitName, key: string): Promise<void> {
      try {
        await limiters[name].consume(key);
      } catch (err) {
        if (err instanceof RateLimiterRes) throw tooMany(name, limits[name], err);
        throw err;
      }
    },
    async check(name: LimitName, key: string): Promise<void> {
      const spent = await limiters[name].get(key);
      if (spent && spent.consumedPoints >= limits[name].points) throw tooMany(name, limits[name], spent);
    },
    async reward(name: LimitName, key: string): Promise<void> {
      await limiters[name].reward(key, 1);
    },
    async reset(name: LimitName, key: string): Promise<void> {
      await limiters[name].delete(key);
    },
  };
}
export type RateLimits = ReturnType<typeof createRateLimits>;
