import type { Logger } from '../src/platform/logger';
import type { WorkerMetrics } from '../src/platform/metrics';
import type { EventBus } from '../src/store/event-bus';
import type { GamesRepo } from '../src/store/repos/games.repo';
import type { LeaderboardStore } from '../src/store/leaderboard-store';
import type { QuestionsRepo } from '../src/store/repos/questions.repo';
import type { Queues } from '../src/store/queues';
import type { RoomStore } from '../src/store/room-store';
import type { ViewReader } from '../src/store/view-reader';
import type { WebhookClient } from './webhook-client';

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
  /** Signed-in players besides the host a game needs to count on the leaderboards (LEADERBOARD_MIN_PLAYERS). */
  leaderboardMinPlayers: number;
}
