import { performance } from 'node:perf_hooks';
import type { Logger } from '../platform/logger';

/** TIME round trips per measurement. */
const SAMPLES = 5;
/**
 * How fast this host's monotonic clock and Redis's may drift apart, at most (100 ppm: 1 ms in 10 s); a kept
 * offset's bounds widen by it as it ages. NTP keeps both hosts far closer; a clock stepped by more is noticed
 * as a measurement outside the bounds, and taken.
 */
const DRIFT_PER_MS = 100e-6;

/** Where the offset (Redis's clock − this host's) must lie: Redis ran TIME between the send and the reply. */
interface Bounds {
  lo: number;
  hi: number;
}
const intersect = (a: Bounds, b: Bounds): Bounds | null => {
  const lo = Math.max(a.lo, b.lo);
  const hi = Math.min(a.hi, b.hi);
  return lo <= hi ? { lo, hi } : null;
};

/**
 * Redis's clock, read locally: a measured offset between this process's monotonic clock and Redis
 * `TIME`, refreshed every `refreshMs`. Lets the socket process stamp an answer on arrival, on the
 * clock the answer script checks it against, without a round trip per answer.
 *
 * Each TIME round trip bounds the offset (Redis read its clock somewhere between send and reply), and a
 * measurement keeps what all its bounds and the previous ones (widened by the drift since) agree on. So a
 * round trip slowed by queued work (a burst of answer scripts ahead of it) cannot move the offset by the
 * time it waited, as taking its midpoint did: it only fails to narrow it. Give it a connection of its own
 * (`quizloop-…-clock`), so TIME waits at most for the one command Redis is running, not for the queue.
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
  let kept: { bounds: Bounds; at: number } | null = null;
  let timer: NodeJS.Timeout | null = null;

  /** The kept bounds as they stand now, widened by how far the clocks may have drifted since. */
  function current(): Bounds | null {
    if (!kept) return null;
    const drift = (local() - kept.at) * DRIFT_PER_MS;
    return { lo: kept.bounds.lo - drift, hi: kept.bounds.hi + drift };
  }

  async function sync(): Promise<void> {
    let measured: Bounds | null = null;
    for (let i = 0; i < SAMPLES; i++) {
      const before = local();
      const [seconds, micros] = await redis.time();
      const after = local();
      const remote = Number(seconds) * 1000 + Number(micros) / 1000;
      const sample = { lo: remote - after, hi: remote - before };
      // Disjoint samples (a clock stepped between them): the latest one stands.
      measured = (measured && intersect(measured, sample)) ?? sample;
    }
    if (!measured) return;
    const previous = current();
    const agreed = previous && intersect(previous, measured);
    if (previous && !agreed) log.warn("Redis's clock moved outside the bounds of the last measurement; taking the new one", { previous, measured });
    kept = { bounds: agreed ?? measured, at: local() };
  }

  // The bounds widen alike on both sides as they age: their middle is the kept one's, read on every stamp with no allocation.
  const offsetMs = () => (kept ? (kept.bounds.lo + kept.bounds.hi) / 2 : 0);
  return {
    /** Now, epoch ms on Redis's clock. */
    now: () => local() + offsetMs(),
    offsetMs,
    /** How far off the offset may be: half the width of its bounds. */
    uncertaintyMs: () => {
      const b = current();
      return b ? (b.hi - b.lo) / 2 : Number.POSITIVE_INFINITY;
    },
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
