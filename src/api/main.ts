import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResolvedConfig } from '../platform/config';
import type { Logger } from '../platform/logger';
import { createApiMetrics, createMetricsRegistry } from '../platform/metrics';
import { createCategoriesRepo } from '../store/repos/categories.repo';
import { createDb } from '../platform/db';
import { createGamesRepo } from '../store/repos/games.repo';
import { createHistoryRepo } from '../store/repos/history.repo';
import { createKeys } from '../store/keys';
import { createLeaderboardStore } from '../store/leaderboard-store';
import { createQuestionsRepo } from '../store/repos/questions.repo';
import { closeQueues, createQueues } from '../store/queues';
import { connectRedis } from '../store/redis';
import { createRoomCensus } from '../store/room-census';
import { createRoomStore } from '../store/room-store';
import { createUsersRepo } from '../store/repos/users.repo';
import { listen } from '../platform/ops-http';
import { closeServer } from '../platform/shutdown';
import { createRedisClock } from '../store/redis-clock';
import { createViewReader } from '../store/view-reader';
import { createApp } from './app';
import { createRateLimits } from './rate-limits';

export async function startApi(config: ResolvedConfig, log: Logger, port = config.apiPort) {
  const keys = createKeys(config.namespace, config.eventPartitions);
  const redis = connectRedis(config, 'quizloop-api', { log });
  const db = createDb(config.databaseUrl, config.databaseSsl);
  const registry = createMetricsRegistry('api');
  createApiMetrics(registry, createRoomCensus({ redis, keys }));
  // BullMQ loads its ~40 scripts onto the connection it is given, and ioredis copies every loaded script
  // onto each MULTI and pipeline it builds: the queues (for Bull Board) get a connection of their own.
  const queueRedis = connectRedis(config, 'quizloop-api-queues', { log });
  const queues = createQueues(queueRedis, keys, { housekeepingAttempts: config.housekeepingAttempts });
  // Views tell clients `serverNow` on the clock of their deadlines, Redis's.
  const clock = createRedisClock({ redis, log });
  await clock.start();
  const app = createApp({
    config,
    log,
    redis,
    db,
    rooms: createRoomStore({ redis, keys, ttlSeconds: config.roomTtlSeconds }),
    views: createViewReader({ redis, keys, leaderboardSize: config.limits.viewLeaderboardSize, now: clock.now }),
    users: createUsersRepo(db),
    questions: createQuestionsRepo(db),
    categories: createCategoriesRepo(db),
    games: createGamesRepo(db),
    history: createHistoryRepo(db),
    leaderboards: createLeaderboardStore({ redis, keys, roomTtlSeconds: config.roomTtlSeconds }),
    queues,
    rateLimits: createRateLimits(redis, keys, config.limits),
    metrics: { registry },
  });
  const server = createServer(app);
  await listen(server, port);
  const actualPort = (server.address() as AddressInfo).port;
  log.info('api ready', { port: actualPort });

  return {
    port: actualPort,
    /** The Express app, for tests that read its routes. */
    app,
    /** The HTTP server, which Socket.IO may share (one port). */
    server,
    registry,
    /** Graceful: stop accepting, let requests in flight finish (at most 10 s), then close. */
    async stop() {
      const closed = closeServer(server, 10_000);
      log.info('api closed to new connections; finishing requests in flight');
      await closed;
      clock.stop();
      await closeQueues(queues);
      await Promise.all([redis.quit(), queueRedis.quit()]);
      await db.destroy();
    },
  };
}
