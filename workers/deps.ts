import type { ResolvedConfig } from '../src/platform/config';
import type { Db } from '../src/platform/db';
import type { Logger } from '../src/platform/logger';
import type { WorkerMetrics } from '../src/platform/metrics';
import { type EventBus, createEventBus } from '../src/store/event-bus';
import { createKeys } from '../src/store/keys';
import { type LeaderboardStore, createLeaderboardStore } from '../src/store/leaderboard-store';
import { type Queues, createQueues } from '../src/store/queues';
import type { QuizRedis } from '../src/store/redis';
import { type GamesRepo, createGamesRepo } from '../src/store/repos/games.repo';
import { type QuestionsRepo, createQuestionsRepo } from '../src/store/repos/questions.repo';
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
}

/** What the processors and the event handler use, on the given connections; `streamReader` is a blocking one of its own. */
export function createWorkerDeps(
  config: ResolvedConfig,
  log: Logger,
  { redis, streamReader, db, metrics }: { redis: QuizRedis; streamReader: QuizRedis; db: Db; metrics: WorkerMetrics },
): WorkerDeps {
  const keys = createKeys(config.namespace);
  return {
    log,
    bus: createEventBus({ redis: streamReader, keys }),
    queues: createQueues(redis, keys),
    rooms: createRoomStore({ redis, keys, ttlSeconds: config.roomTtlSeconds }),
    views: createViewReader({ redis, keys }),
    questions: createQuestionsRepo(db),
    games: createGamesRepo(db),
    leaderboards: createLeaderboardStore({ redis, keys, roomTtlSeconds: config.roomTtlSeconds }),
    webhook: createWebhookClient({ baseUrl: config.apiInternalUrl, secret: config.webhookSecret, calls: metrics.webhookCalls }),
    metrics,
    housekeeping: { idleMs: config.roomIdleSeconds * 1000, abandonedMs: config.roomAbandonedSeconds * 1000 },
  };
}
