import { performance } from 'node:perf_hooks';
import type { Logger } from '../platform/logger';

/** TIME round trips per measurement; the quickest one's reading is kept. */
const SAMPLES = 5;

/**
 * Redis's clock, read locally: a measured offset between this process's monotonic clock and Redis
 * `TIME`, refreshed every `refreshMs`. Lets the socket process stamp an answer on arrival, on the
 * clock the answer script checks it against, without a round trip per answer.
 */
export function createRedisClock({
  redis,
  log,
  refreshMs = 10_000,
}: {
  redis: { time(): Promise<[number | string, number | string] | unknown[]> };
  log: Logger;
  refreshMs?: number;
}) {
  const local = () => performance.timeOrigin + performance.now();
  let offsetMs = 0;
  /** Half the quickest TIME round trip: how far off the offset may be. */
  let uncertaintyMs = Number.POSITIVE_INFINITY;
  let timer: NodeJS.Timeout | null = null;

  async function sync(): Promise<void> {
    let best: { rtt: number; offset: number } | null = null;
    for (let i = 0; i < SAMPLES; i++) {
      const before = local();
      const [seconds, micros] = await redis.time();
      const after = local();
      const remote = Number(seconds) * 1000 + Number(micros) / 1000;
      if (!best || after - before < best.rtt) best = { rtt: after - before, offset: remote - (before + after) / 2 };
    }
    if (best) {
      offsetMs = best.offset;
      uncertaintyMs = best.rtt / 2;
    }
  }

  return {
    /** Now, epoch ms on Redis's clock. */
    now: () => local() + offsetMs,
    offsetMs: () => offsetMs,
    uncertaintyMs: () => uncertaintyMs,
    /** Measures once (so `now` is right from the start), then keeps measuring in the background. */
    async start(): Promise<void> {
      await sync();
      timer = setInterval(() => {
        sync().catch((err: Error) => log.warn('could not measure the Redis clock; keeping the last offset', { err: err.message }));
      }, refreshMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
export type RedisClock = ReturnType<typeof createRedisClock>;
