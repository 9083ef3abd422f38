import { hostname } from 'node:os';
import { Worker, type Processor } from 'bullmq';
import type { ResolvedConfig } from '../src/platform/config';
import { type JobDataByQueue, QueueName } from '../src/shared/jobs';
import type { Logger } from '../src/platform/logger';
import { createMetricsRegistry, createWorkerMetrics } from '../src/platform/metrics';
import { createDb } from '../src/platform/db';
import { createEventBus } from '../src/store/event-bus';
import { createGamesRepo } from '../src/store/repos/games.repo';
import { createKeys } from '../src/store/keys';
import { createLeaderboardStore } from '../src/store/leaderboard-store';
import { createQuestionsRepo } from '../src/store/repos/questions.repo';
import { closeQueues, createQueues } from '../src/store/queues';
import { createRedis, tuneRedisHz } from '../src/store/redis';
import { createRoomStore } from '../src/store/room-store';
import { createViewReader } from '../src/store/view-reader';
import type { WorkerDeps } from './deps';
import { createEventHandler } from './event-handler';
import { instrumented } from './instrumented';
import { startOpsServer } from './ops-server';
import { advanceProcessor } from './processors/advance.processor';
import { housekeepingProcessor } from './processors/housekeeping.processor';
import { persistResultsProcessor } from './processors/persist-results.processor';
import { prepareRoomProcessor } from './processors/prepare-room.processor';
import { tickProcessor } from './processors/tick.processor';
import { createWebhookClient } from './webhook-client';

/**
 * Short locks: a job held by a killed worker is taken over after about 3 s instead of 60 s.
 * Ticks and webhooks take milliseconds, and BullMQ renews the lock of a longer job as it runs.
 */
const LOCKS = { lockDuration: 3000, stalledInterval: 1000 };

export async function startWorker(config: ResolvedConfig, log: Logger) {
  const keys = createKeys(config.namespace);
  const redis = createRedis(config.redisUrl, { name: 'quizloop-worker', rejectUnauthorized: config.redisTlsRejectUnauthorized });
  const blocking = createRedis(config.redisUrl, { name: 'quizloop-worker-bull', blocking: true, rejectUnauthorized: config.redisTlsRejectUnauthorized });
  const streamReader = createRedis(config.redisUrl, { name: 'quizloop-worker-events', blocking: true, rejectUnauthorized: config.redisTlsRejectUnauthorized });
  const db = createDb(config.databaseUrl, config.databaseSsl);

  const hz = await tuneRedisHz(redis, config.redisHz);
  if (hz === 'refused') {
    log.warn(`Redis refused CONFIG SET hz ${config.redisHz}; delayed jobs (ticks) may fire up to ~100 ms late. See README, "Timing".`);
  }

  const registry = createMetricsRegistry('worker');
  const metrics = createWorkerMetrics(registry);
  const ops = await startOpsServer(config.metricsPort, {
    registry,
    checks: { redis: () => redis.ping(), postgres: () => db.raw('select 1') },
    metricsToken: config.metricsToken,
  });

  const queues = createQueues(redis, keys);
  const deps: WorkerDeps = {
    log,
    bus: createEventBus({ redis: streamReader, keys }),
    queues,
    rooms: createRoomStore({ redis, keys, ttlSeconds: config.roomTtlSeconds }),
    views: createViewReader({ redis, keys }),
    questions: createQuestionsRepo(db),
    games: createGamesRepo(db),
    leaderboards: createLeaderboardStore({ redis, keys, roomTtlSeconds: config.roomTtlSeconds }),
    webhook: createWebhookClient({ baseUrl: config.apiInternalUrl, secret: config.webhookSecret, calls: metrics.webhookCalls }),
    metrics,
    housekeeping: { idleMs: config.roomIdleSeconds * 1000, abandonedMs: config.roomAbandonedSeconds * 1000 },
    leaderboardMinPlayers: config.limits.leaderboardMinPlayers,
  };

  const processors: { [Q in QueueName]: Processor<JobDataByQueue[Q]> } = {
    [QueueName.PrepareRoom]: prepareRoomProcessor(deps),
    [QueueName.Tick]: tickProcessor(deps),
    [QueueName.Advance]: advanceProcessor(deps),
    [QueueName.PersistResults]: persistResultsProcessor(deps),
    [QueueName.Housekeeping]: housekeepingProcessor(deps),
  };
  const workers = (Object.keys(processors) as QueueName[]).map((name) => {
    const worker = new Worker(name, instrumented(name, processors[name] as Processor, metrics), {
      connection: blocking,
      prefix: keys.bullPrefix,
      concurrency: config.workerConcurrency,
      ...LOCKS,
    });
    worker.on('failed', (job, err) =>
      log.warn('job failed', { queue: name, job: job?.id, attempt: job?.attemptsMade, err: err.message }),
    );
    worker.on('error', (err) => log.error('worker error', { queue: name, err: err.message }));
    return worker;
  });

  // DYNO (worker.1) survives restarts on Heroku-style platforms, so a restarted worker finds its own pending entries.
  const consumer = process.env.DYNO ?? `${hostname()}-${process.pid}`;
  const events = createEventHandler(deps, consumer);
  events.start();
  log.info('worker ready', { consumer, queues: Object.keys(processors).join(','), redisHz: hz, metricsPort: ops.port });

  return {
    /** Graceful: stop taking events and jobs, and finish the jobs in hand before closing connections. */
    async stop() {
      await events.stop();
      await Promise.all(workers.map((w) => w.close()));
      log.info('worker stopped; jobs in hand finished');
      await closeQueues(queues);
      await Promise.all([redis.quit(), blocking.quit(), streamReader.quit()]);
      await db.destroy();
      await ops.stop();
    },
  };
}
