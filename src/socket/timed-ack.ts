import type { Histogram } from 'prom-client';
import type { ErrorBody } from '../shared/error-codes';

/**
 * Wraps an acknowledgement so that calling it records the time since the event arrived, labelled
 * `ok` or the error code. In-process only: no Redis round trip is added to an answer.
 */
export function timedAck<A extends { ok: true } | { ok: false; error: ErrorBody }>(
  ack: (answer: A) => void,
  histogram: Histogram<'outcome'>,
): (answer: A) => void {
  const stop = histogram.startTimer();
  return (answer) => {
    stop({ outcome: answer.ok ? 'ok' : answer.error.code });
    ack(answer);
  };
}
