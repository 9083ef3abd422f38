import { CircuitState, ConsecutiveBreaker, TimeoutStrategy, circuitBreaker, handleAll, isBrokenCircuitError, timeout, wrap } from 'cockatiel';
import type { Logger } from '../platform/logger';

export interface PostgresChecksOptions {
  /** How long one check waits for PostgreSQL (POSTGRES_CHECK_WAIT_MS). */
  waitMs: number;
  /** After a check that got no answer, how long the next ones go unchecked before one asks again (POSTGRES_CHECK_RETRY_MS). */
  retryMs: number;
  log: Logger;
}

export type PostgresChecks = ReturnType<typeof createPostgresChecks>;

/**
 * The api's reads of PostgreSQL that a room can do without: the question bank's count when a room is made, and
 * the account of a signed-in player who joins. Rooms and joins run on Redis alone, so a check that gets no answer
 * (an error, or none within `waitMs`) lets its caller go ahead unchecked.
 *
 * One miss stands for the outage: the checks after it do not ask PostgreSQL at all, and so neither wait nor pile
 * up queries on its pool, until `retryMs` has passed; then one check asks again (a circuit breaker, from
 * `cockatiel`). An outage logs one warning when it starts and one line when PostgreSQL answers again, with the
 * number of checks skipped meanwhile.
 */
export function createPostgresChecks({ waitMs, retryMs, log }: PostgresChecksOptions) {
  const breaker = circuitBreaker(handleAll, { halfOpenAfter: retryMs, breaker: new ConsecutiveBreaker(1) });
  const policy = wrap(breaker, timeout(waitMs, TimeoutStrategy.Aggressive));
  /** Whether PostgreSQL is taken to be away (from the first miss to the next answer), and the checks skipped since. */
  let away = false;
  let skipped = 0;

  // The breaker opens again at each failed retry of a long outage: only its first opening is news.
  breaker.onBreak((reason) => {
    if (away) return;
    away = true;
    skipped = 0;
    const error = 'error' in reason ? reason.error : undefined;
    log.warn(
      `PostgreSQL failed a check or gave no answer within ${waitMs} ms (POSTGRES_CHECK_WAIT_MS); new rooms and signed-in joins go ahead without its checks, and it is asked again every ${retryMs} ms (POSTGRES_CHECK_RETRY_MS)`,
      { err: error },
    );
  });
  breaker.onReset(() => {
    away = false;
    log.info('PostgreSQL answers again; rooms and joins are checked again', { skippedChecks: skipped });
  });

  return {
    /**
     * `read`'s answer, or undefined when PostgreSQL did not give one in time, or is taken to be away: the caller
     * goes ahead unchecked. `read` is not called while the checks are skipped.
     */
    async ask<T>(read: () => Promise<T>): Promise<T | undefined> {
      // One check is asking PostgreSQL again: the others would wait for its answer (cockatiel holds them), so they skip.
      if (breaker.state === CircuitState.HalfOpen) {
        skipped += 1;
        return undefined;
      }
      try {
        // Past the wait, cockatiel's race still holds the read's late failure: nothing is left unhandled.
        return await policy.execute(read);
      } catch (err) {
        if (isBrokenCircuitError(err)) skipped += 1;
        return undefined;
      }
    },
  };
}
