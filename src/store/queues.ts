import { Queue, type DefaultJobOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { type JobDataByQueue, QueueName } from '../shared/jobs';
import type { Keys } from './keys';

/**
 * Retry policy per queue. Ticks are cheap and time-bound, so few retries; results must never be
 * lost, so persisting retries for about an hour (PostgreSQL down for a while).
 */
const JOB_OPTIONS: Record<QueueName, DefaultJobOptions> = {
  [QueueName.PrepareRoom]: { attempts: 8, backoff: { type: 'exponential', delay: 500 } },
  [QueueName.Tick]: { attempts: 3, backoff: { type: 'fixed', delay: 200 } },
  [QueueName.Advance]: { attempts: 10, backoff: { type: 'exponential', delay: 250 } },
  [QueueName.PersistResults]: { attempts: 13, backoff: { type: 'exponential', delay: 1000 } },
  [QueueName.Housekeeping]: { attempts: 8, backoff: { type: 'exponential', delay: 1000 } },
};

/** Completed jobs are kept an hour so a deterministic job id still deduplicates a repeated event. */
const RETENTION = { removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } };

export type Queues = { [Q in QueueName]: Queue<JobDataByQueue[Q]> };

export function createQueues(connection: Redis, keys: Keys): Queues {
  const make = <Q extends QueueName>(name: Q) => {
    const queue = new Queue<JobDataByQueue[Q]>(name, {
      connection,
      prefix: keys.bullPrefix,
      defaultJobOptions: { ...JOB_OPTIONS[name], ...RETENTION },
    });
    // The shared connection's own listener reports an outage once; without one here BullMQ prints every retry's stack.
    queue.on('error', () => undefined);
    return queue;
  };
  return {
    [QueueName.PrepareRoom]: make(QueueName.PrepareRoom),
    [QueueName.Tick]: make(QueueName.Tick),
    [QueueName.Advance]: make(QueueName.Advance),
    [QueueName.PersistResults]: make(QueueName.PersistResults),
    [QueueName.Housekeeping]: make(QueueName.Housekeeping),
  };
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
