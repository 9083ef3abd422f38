import type { ResolvedConfig } from '../src/platform/config';
import type { Db } from '../src/platform/db';
import type { Logger } from '../src/platform/logger';
import type { WorkerMetrics } from '../src/platform/metrics';
import { type EventBus, createEventBus } from '../src/store/event-bus';
import type { Keys } from '../src/store/keys';
import { type LeaderboardStore, createLeaderboardStore } from '../src/store/leaderboard-store';
import { type Queues, createQueues } from '../src/store/queues';
import { type ReconcileReports, createReconcileReports } from '../src/store/reconcile-report';
import { type QuizRedis, connectRedis } from '../src/store/redis';
import { type RedisClock, createRedisClock } from '../src/store/redis-clock';
import { type GamesRepo, createGamesRepo } from '../src/store/repos/games.repo';
import { type QuestionsRepo, createQuestionsRepo } from '../src/store/repos/questions.repo';
import { type ResultsBacklog, createResultsBacklog } from '../src/store/results-backlog';
import { type RoomStore, createRoomStore } from '../src/store/room-store';
import { type ViewReader, createViewReader } from '../src/store/view-reader';
import { type WebhookClient, createWebhookClient } from './webhook-client';

export interface WorkerDeps {
  log: Logger;
  bus: EventBus;
  queues: Queues;
  rooms: RoomStore;
  views: ViewReader;
  questions: QuestionsRepo;
  games: GamesRepo;
  leaderboards: LeaderboardStore;
  webhook: WebhookClient;
  metrics: WorkerMetrics;
  housekeeping: { idleMs: number; abandonedMs: number };
  results: ResultsBacklog;
  reports: ReconcileReports;
  reconcile: { graceMs: number; buildingMs: number; roomsPerPass: number };
  /** A question's reveal waits this long past its deadline, for answers that arrived in time (docs/game.md, "Timing"). */
  answerGraceMs: number;
  /** Redis's clock, which every room time is on: deadlines are waited for on it, not on this host's. */
  redisClock: RedisClock;
  /** Signed-in players besides the host a game needs to count on the leaderboards (LEADERBOARD_MIN_PLAYERS). */
  leaderboardMinPlayers: number;
}

/**
 * What the processors and the event handler use, on the given connections. The event stream is read
 * (XREADGROUP BLOCK) on blocking connections of its own, made on demand. `queueRedis`: the queues'
 * connection, kept apart from `redis` because ioredis copies every script BullMQ loads onto a connection
 * into each MULTI and pipeline built on it. `clockRedis`: where Redis's clock is measured, best alone (redis-clock.ts).
 */
export function createWorkerDeps(
  config: ResolvedConfig,
  log: Logger,
  {
    redis,
    queueRedis = redis,
    clockRedis = redis,
    keys,
    db,
    metrics,
  }: { redis: QuizRedis; queueRedis?: QuizRedis; clockRedis?: QuizRedis; keys: Keys; db: Db; metrics: WorkerMetrics },
): WorkerDeps {
  const redisClock = createRedisClock({ redis: clockRedis, log });
  return {
    log,
    bus: createEventBus({ redis, keys, blockingClient: () => connectRedis(config, 'quizloop-worker-events', { blocking: true, log }) }),
    queues: createQueues(queueRedis, keys, { housekeepingAttempts: config.housekeepingAttempts }),
    rooms: createRoomStore({ redis, keys, ttlSeconds: config.roomTtlSeconds }),
    views: createViewReader({ redis, keys, leaderboardSize: config.limits.viewLeaderboardSize, now: redisClock.now }),
    questions: createQuestionsRepo(db),
    games: createGamesRepo(db),
    leaderboards: createLeaderboardStore({ redis, keys, roomTtlSeconds: config.roomTtlSeconds }),
    webhook: createWebhookClient({ baseUrl: config.apiInternalUrl, secret: config.webhookSecret, calls: metrics.webhookCalls }),
    metrics,
    housekeeping: { idleMs: config.roomIdleSeconds * 1000, abandonedMs: config.roomAbandonedSeconds * 1000 },
    results: createResultsBacklog({ redis, keys }),
    reports: createReconcileReports({ redis, keys }),
    reconcile: { graceMs: config.reconcileGraceMs, buildingMs: config.roomBuildingSeconds * 1000, roomsPerPass: config.reconcileRoomsPerPass },
    answerGraceMs: config.timing.answerGraceMs,
    redisClock,
    leaderboardMinPlayers: config.limits.leaderboardMinPlayers,
  };
}
