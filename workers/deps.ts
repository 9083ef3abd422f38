import type { Logger } from '../src/platform/logger';
import type { WorkerMetrics } from '../src/platform/metrics';
import type { EventBus } from '../src/store/event-bus';
import type { GamesRepo } from '../src/store/repos/games.repo';
import type { LeaderboardStore } from '../src/store/leaderboard-store';
import type { QuestionsRepo } from '../src/store/repos/questions.repo';
import type { Queues } from '../src/store/queues';
import type { ReconcileReports } from '../src/store/reconcile-report';
import type { ResultsBacklog } from '../src/store/results-backlog';
import type { RoomStore } from '../src/store/room-store';
import type { ViewReader } from '../src/store/view-reader';
import type { Clock } from './clock';
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
  results: ResultsBacklog;
  reports: ReconcileReports;
  reconcile: { graceMs: number; buildingMs: number };
  /** A question's reveal waits this long past its deadline, for answers that arrived in time (README, "Timing"). */
  answerGraceMs: number;
  /** Timers for countdown frames at their due instant (see clock.ts). */
  clock: Clock;
}
