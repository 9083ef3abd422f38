import { hostname } from 'node:os';
import { type Processor, Worker } from 'bullmq';
import type { ResolvedConfig } from '../src/platform/config';
import { type JobDataByQueue, QueueName, RECONCILE_SCHEDULER_ID } from '../src/shared/jobs';
import type { Logger } from '../src/platform/logger';
import { createMetricsRegistry, createWorkerMetrics, registerWorkerBacklogGauges } from '../src/platform/metrics';
import { createDb } from '../src/platform/db';
import { createEventBus } from '../src/store/event-bus';
import { createKeys } from '../src/store/keys';
import { cappedBackoff, closeQueues } from '../src/store/queues';
import { connectRedis, tuneRedisHz } from '../src/store/redis';
import { createWorkerDeps } from './deps';
import { createEventHandler } from './event-handler';
import { instrumented } from './instrumented';
import { startOpsServer } from './ops-server';
import { startTickThread } from './tick-thread';
import { afterTick } from './ticks';
import { advanceProcessor } from './processors/advance.processor';
import { housekeepingProcessor } from './processors/housekeeping.processor';
import { persistResultsProcessor } from './processors/persist-results.processor';
import { prepareRoomProcessor } from './processors/prepare-room.processor';
import { reconcileProcessor } from './processors/reconcile.processor';

/**
 * A job whose worker was frozen or starved past its lock is taken over and run again: every
 * processor is idempotent, so this many stalls are tolerated rather than failing the job.
 */
const MAX_STALLED_COUNT = 1000;
const RESCHEDULE_RECONCILER_MS = 60_000;
const CLOCK_QUEUES = new Set<QueueName>([QueueName.Advance]);

export async function startWorker(config: ResolvedConfig, log: Logger) {
  const keys = createKeys(config.namespace, config.eventPartitions);
  const redis = connectRedis(config, 'quizloop-worker', { log });
  const blocking = connectRedis(config, 'quizloop-worker-bull', { blocking: true, log });
  const queueRedis = connectRedis(config, 'quizloop-worker-queues', { log });
  const clockRedis = connectRedis(config, 'quizloop-worker-clock', { log });
  const db = createDb(config.databaseUrl, config.databaseSsl);

  const hz = await tuneRedisHz(redis, config.redisHz);
  if (hz === 'refused') {
    log.warn(`Redis refused CONFIG SET hz ${config.redisHz}; delayed jobs (deadline advances) may fire up to ~100 ms late. See docs/game.md, "Timing".`);
  }

  const registry = createMetricsRegistry('worker');
  const metrics = createWorkerMetrics(registry);
  // The stream readers block in XREADGROUP on connections of their own; readiness and metrics use `redis`.
  const monitorBus = createEventBus({ redis, keys });
  const deps = createWorkerDeps(config, log, { redis, queueRedis, clockRedis, keys, db, metrics });
  // Room times are on Redis's clock: measure it before any deadline is waited for.
  await deps.redisClock.start();
  const { queues, results, reports } = deps;
  registerWorkerBacklogGauges(registry, {
    events: () => monitorBus.backlog(),
    resultsBacklog: () => results.size(),
    stuckRooms: async () => (await reports.read())?.stuckRooms ?? 0,
  });
  const ops = await startOpsServer(config.metricsPort, {
    registry,
    checks: {
      redis: () => redis.ping(),
      postgres: () => db.raw('select 1'),
      events: async () => {
        const backlog = await monitorBus.backlog();
        if (!backlog.group) throw new Error('the events consumer group is missing');
        const waited = backlog.oldestUnreadMs ?? 0;
        if (waited > config.eventsReadyLagSeconds * 1000) {
          throw new Error(`${backlog.unread} room event(s) unread, the oldest for ${Math.round(waited / 1000)} s`);
        }
      },
    },
    metricsToken: config.metricsToken,
    // Reported, not failed on: a backlog waiting for PostgreSQL or a stuck room is not cured by taking this worker out of rotation.
    report: async () => {
      const [events, resultsBacklog, stuckRooms] = await Promise.all([monitorBus.backlog(), results.size(), reports.read()]);
      return { unreadEvents: events.unread, resultsBacklog, stuckRooms: stuckRooms?.stuckRooms ?? 0 };
    },
  });

  const processors: { [Q in QueueName]: Processor<JobDataByQueue[Q]> } = {
    [QueueName.PrepareRoom]: prepareRoomProcessor(deps),
    [QueueName.Advance]: advanceProcessor(deps),
    [QueueName.PersistResults]: persistResultsProcessor(deps),
    [QueueName.Housekeeping]: housekeepingProcessor(deps),
    [QueueName.Reconcile]: reconcileProcessor(deps),
  };
  // BullMQ reports an error on every try while Redis refuses commands (OOM, READONLY): thousands a second. One line
  // per 5 s per key stands for them.
  const lastLogged = new Map<string, { at: number; quieted: number }>();
  /** Null when `key`'s line is left out (one was written under 5 s ago); else how many were left out since that one. */
  const loggable = (key: string): number | null => {
    const now = Date.now();
    const last = lastLogged.get(key);
    if (last && last.at + 5000 > now) {
      last.quieted++;
      return null;
    }
    if (lastLogged.size > 1000) lastLogged.clear();
    lastLogged.set(key, { at: now, quieted: 0 });
    return last?.quieted ?? 0;
  };
  const workers = (Object.keys(processors) as QueueName[]).map((name) => {
    const worker = new Worker(name, instrumented(name, processors[name] as Processor, metrics), {
      connection: blocking,
      prefix: keys.bullPrefix(name),
      // Advances mostly wait out their lead on a timer: many at once, so rooms due together do not queue.
      concurrency: name === QueueName.Reconcile ? 1 : CLOCK_QUEUES.has(name) ? config.clockConcurrency : config.workerConcurrency,
      // Short locks: a job held by a killed or frozen worker is taken over after about WORKER_LOCK_MS.
      lockDuration: config.workerLockMs,
      stalledInterval: Math.max(250, Math.round(config.workerLockMs / 3)),
      maxStalledCount: MAX_STALLED_COUNT,
      settings: { backoffStrategy: cappedBackoff(config.retryBackoffCapMs) },
    });
    worker.on('failed', (job, err) => {
      const fields = { queue: name, job: job?.id, attempt: job?.attemptsMade, err: err.message };
      // The last try (or a failure no try can mend): BullMQ keeps the job as failed, and nothing runs it again.
      if (!job || job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError') {
        log.error('job failed for good', fields);
        return;
      }
      // A try that is tried again: in an outage every room's job fails on every try, so one line per 5 s stands for them.
      const quieted = loggable(`${name}:failed:${err.message}`);
      if (quieted !== null) log.warn('job failed', { ...fields, willRetry: true, failedTriesSinceLastLine: quieted + 1 });
    });
    worker.on('stalled', (jobId) => log.warn('job stalled (its worker lost the lock); it runs again', { queue: name, job: jobId }));
    worker.on('error', (err) => {
      if (loggable(`${name}:${err.message}`) === null) return;
      log.error('worker error (the same error is logged at most once per 5 s)', { queue: name, err: err.message });
    });
    return worker;
  });

  // Every worker upserts the same scheduler (one id), so there is one pass per period however many
  // run; again every minute, so a Redis that lost its data (no persistence, FLUSHALL) gets it back.
  const scheduleReconciler = () =>
    queues.reconcile
      .upsertJobScheduler(
        RECONCILE_SCHEDULER_ID,
        { every: config.reconcileEveryMs },
        {
          name: 'reconcile',
          data: {},
          // A pass every few seconds: keep the last hundred, not an hour's worth.
          opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
        },
      )
      .catch((err: Error) => log.warn('could not schedule the reconciler; trying again in a minute', { err: err.message }));
  await scheduleReconciler();
  const rescheduler = setInterval(() => void scheduleReconciler(), RESCHEDULE_RECONCILER_MS);

  // DYNO (worker.1) survives restarts on Heroku-style platforms, so a restarted worker finds its own pending entries.
  const consumer = process.env.DYNO ?? `${hostname()}-${process.pid}`;
  const ticks = startTickThread(config, log, afterTick(deps));
  const events = createEventHandler(deps, consumer, ticks);
  events.start();
  log.info('worker ready', { consumer, queues: Object.keys(processors).join(','), redisHz: hz, metricsPort: ops.port });

  return {
    /** Graceful: stop taking events and jobs, and finish the jobs in hand before closing connections. */
    async stop() {
      clearInterval(rescheduler);
      await events.stop();
      await ticks.stop();
      deps.redisClock.stop();
      await Promise.all(workers.map((w) => w.close()));
      log.info('worker stopped; jobs in hand finished');
      await closeQueues(queues);
      await Promise.all([redis.quit(), blocking.quit(), queueRedis.quit(), clockRedis.quit()]);
      await db.destroy();
      await ops.stop();
    },
  };
}
