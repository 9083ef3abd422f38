import { type BackoffStrategy, Queue, type DefaultJobOptions } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { type JobDataByQueue, QueueName } from '../shared/jobs';
import type { Keys } from './keys';

/** The backoff type of jobs that must never give up: exponential from their `delay`, capped (see `cappedBackoff`). */
export const CAPPED_BACKOFF = 'capped';
/** "Without limit", as BullMQ counts attempts. */
const UNLIMITED = Number.MAX_SAFE_INTEGER;

/**
 * Retry policy per queue. A room's progress (advance) and its results (persist-results) retry
 * without limit on a capped backoff: an api or PostgreSQL outage of any length delays them, never
 * drops them; a 409 or a permanent refusal ends them. (Countdown ticks are timers in the worker, not jobs.)
 */
const JOB_OPTIONS: Record<QueueName, DefaultJobOptions> = {
  [QueueName.PrepareRoom]: { attempts: 8, backoff: { type: 'exponential', delay: 500 } },
  [QueueName.Advance]: { attempts: UNLIMITED, backoff: { type: CAPPED_BACKOFF, delay: 250 } },
  [QueueName.PersistResults]: { attempts: UNLIMITED, backoff: { type: CAPPED_BACKOFF, delay: 1000 } },
  [QueueName.Housekeeping]: { attempts: 8, backoff: { type: 'exponential', delay: 1000 } },
  [QueueName.Reconcile]: { attempts: 1 },
};

/**
 * The failed tries' stack traces a job keeps (its last ones): a job that retries without limit through an
 * outage of hours would otherwise grow in Redis with every try.
 */
export const STACK_TRACES_KEPT = 3;

/**
 * Retention by age only: completed jobs an hour, so a deterministic job id still deduplicates a
 * repeated event; failed ones a week for inspection. Ids carry the game id, so neither blocks a new game.
 */
const RETENTION = { removeOnComplete: { age: 3600 }, removeOnFail: { age: 7 * 24 * 3600 }, stackTraceLimit: STACK_TRACES_KEPT };

/** Exponential from the job's own `delay`, never more than `capMs` between two tries. */
export function cappedBackoff(capMs: number): BackoffStrategy {
  return (attemptsMade, _type, _err, job) => {
    const base = job?.opts.backoff && typeof job.opts.backoff === 'object' ? (job.opts.backoff.delay ?? 250) : 250;
    return Math.min(capMs, base * 2 ** Math.min(Math.max(attemptsMade - 1, 0), 20));
  };
}

export type Queues = { [Q in QueueName]: Queue<JobDataByQueue[Q]> };

/** `housekeepingAttempts`: HOUSEKEEPING_ATTEMPTS; the reconciler, not these tries, is what ends an idle room for sure. */
export function createQueues(connection: Redis | Cluster, keys: Keys, { housekeepingAttempts }: { housekeepingAttempts?: number } = {}): Queues {
  const make = <Q extends QueueName>(name: Q) => {
    const attempts = name === QueueName.Housekeeping && housekeepingAttempts !== undefined ? { attempts: housekeepingAttempts } : {};
    const queue = new Queue<JobDataByQueue[Q]>(name, {
      connection,
      prefix: keys.bullPrefix(name),
      defaultJobOptions: { ...JOB_OPTIONS[name], ...attempts, ...RETENTION },
    });
    // The shared connection's own listener reports an outage once; without one here BullMQ prints every retry's stack.
    queue.on('error', () => undefined);
    return queue;
  };
  return {
    [QueueName.PrepareRoom]: make(QueueName.PrepareRoom),
    [QueueName.Advance]: make(QueueName.Advance),
    [QueueName.PersistResults]: make(QueueName.PersistResults),
    [QueueName.Housekeeping]: make(QueueName.Housekeeping),
    [QueueName.Reconcile]: make(QueueName.Reconcile),
  };
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
