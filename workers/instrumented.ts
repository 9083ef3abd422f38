import { DelayedError, type Job, type Processor } from 'bullmq';
import type { QueueName } from '../src/shared/jobs';
import type { WorkerMetrics } from '../src/platform/metrics';

/**
 * A processor that records how long each attempt took and counts the attempts that threw, by
 * queue. In-process timing only: no Redis round trip is added to a job.
 */
export function instrumented<D>(queue: QueueName, processor: Processor<D>, metrics: WorkerMetrics): Processor<D> {
  return async (job: Job<D>, token?: string, signal?: AbortSignal) => {
    const stop = metrics.jobDuration.startTimer({ queue });
    try {
      return await processor(job, token, signal);
    } catch (err) {
      // Moved back to the delayed set (an advance released too early), not failed.
      if (!(err instanceof DelayedError)) metrics.jobFailures.inc({ queue });
      throw err;
    } finally {
      stop();
    }
  };
}
