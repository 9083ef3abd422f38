import { type Job, type Processor, type Queue, Worker } from 'bullmq';
import { startApi } from '../../src/api/main';
import { loadConfig } from '../../src/platform/config';
import { createDb } from '../../src/platform/db';
import { createLogger } from '../../src/platform/logger';
import { createMetricsRegistry, createWorkerMetrics } from '../../src/platform/metrics';
import type { JobDataByQueue, QueueName } from '../../src/shared/jobs';
import { createAnswerStore } from '../../src/store/answer-store';
import { createKeys } from '../../src/store/keys';
import { closeQueues } from '../../src/store/queues';
import { createRedis } from '../../src/store/redis';
import { type WorkerDeps, createWorkerDeps } from '../../workers/deps';
import { ApiClient } from './api-client';
import { deleteNamespace, infra, testNamespace } from './infra';

/** How one job ended: its return value, or the error of its last attempt and how many attempts it had. */
export type JobOutcome = { state: 'completed'; result: unknown; job: Job } | { state: 'failed'; error: Error; job: Job };

/**
 * The worker's dependencies as `workers/main.ts` builds them (settings from `env`), on real Redis and
 * PostgreSQL in a namespace of its own, with a real api (in this process, on port 0) behind the
 * webhooks. No worker runs until `run` starts one for a single job, so nothing moves a room but the test.
 */
export async function startWorkerHarness(label: string, env: NodeJS.ProcessEnv = {}) {
  const { databaseUrl } = infra();
  // A test may bring a Redis of its own (REDIS_URL), for a keyspace holding nothing but its namespace.
  const redisUrl = env.REDIS_URL ?? infra().redisUrl;
  const namespace = testNamespace(label);
  const config = loadConfig(
    {
      REDIS_URL: redisUrl,
      DATABASE_URL: databaseUrl,
      QUIZLOOP_NAMESPACE: namespace,
      LOG_LEVEL: 'silent',
      HOST_MAX_OPEN_ROOMS: '1000',
      LEADERBOARD_MIN_PLAYERS: '1',
      ...env,
    },
    'worker',
  );
  const resolved = { ...config, redisUrl, databaseUrl };
  const log = createLogger('worker', 'silent');
  const api = await startApi(resolved, createLogger('api', 'silent'), 0);
  const games: string[] = [];
  const emails: string[] = [];
  const client = new ApiClient(`http://127.0.0.1:${api.port}`, { game: (id) => games.push(id), email: (e) => emails.push(e) });

  const keys = createKeys(namespace);
  const redis = createRedis(redisUrl, { name: `test-${label}` });
  const blocking = createRedis(redisUrl, { name: `test-${label}-bull`, blocking: true });
  const db = createDb(databaseUrl);
  const metrics = createWorkerMetrics(createMetricsRegistry('worker'));
  const deps = createWorkerDeps({ ...resolved, apiInternalUrl: `http://127.0.0.1:${api.port}` }, log, { redis, keys, db, metrics });
  const { queues } = deps;

  /**
   * Adds one job to the real queue, with the queue's own retry policy unless `opts` says otherwise,
   * and runs `processor` in a BullMQ worker until that job completes or fails for good. One at a time per queue:
   * two runs at once each start a worker, and the one that takes the other's job leaves that run waiting.
   */
  async function run<Q extends QueueName>(
    queue: Q,
    processor: (d: WorkerDeps) => Processor<JobDataByQueue[Q]>,
    data: JobDataByQueue[Q],
    opts: { jobId?: string; timeoutMs?: number } = {},
  ): Promise<JobOutcome> {
    const { timeoutMs = 15_000, ...jobOpts } = opts;
    const added = await (queues[queue] as Queue).add(queue, data, jobOpts);
    const worker = new Worker<JobDataByQueue[Q]>(queue, processor(deps), { connection: blocking, prefix: keys.bullPrefix(queue), autorun: false });
    const outcome = new Promise<JobOutcome>((resolve, reject) => {
      worker.on('completed', (job, result) => job.id === added.id && resolve({ state: 'completed', result, job }));
      worker.on('failed', (job, error) => {
        // A failed attempt that will be retried has no finishedOn yet.
        if (job && job.id === added.id && job.finishedOn) resolve({ state: 'failed', error, job });
      });
      setTimeout(() => reject(new Error(`${queue} job ${added.id} neither completed nor failed for good in ${timeoutMs} ms`)), timeoutMs).unref();
    });
    void worker.run();
    try {
      return await outcome;
    } finally {
      await worker.close();
    }
  }

  return {
    api: client,
    keys,
    redis,
    db,
    deps,
    answers: createAnswerStore({ redis, keys, rules: resolved.timing }),
    run,
    async stop() {
      await api.stop();
      await closeQueues(queues);
      await deleteNamespace(redisUrl, namespace);
      await db('games').whereIn('id', games).delete();
      await db('users').whereIn('email', emails).delete();
      await Promise.all([redis.quit(), blocking.quit(), db.destroy()]);
    },
  };
}
export type WorkerHarness = Awaited<ReturnType<typeof startWorkerHarness>>;
