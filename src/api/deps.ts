import type { Registry } from 'prom-client';
import type { Config } from '../platform/config';
import type { CategoriesRepo } from '../store/repos/categories.repo';
import type { Logger } from '../platform/logger';
import type { Db } from '../platform/db';
import type { GamesRepo } from '../store/repos/games.repo';
import type { HistoryRepo } from '../store/repos/history.repo';
import type { LeaderboardStore } from '../store/leaderboard-store';
import type { QuestionsRepo } from '../store/repos/questions.repo';
import type { Queues } from '../store/queues';
import type { QuizRedis } from '../store/redis';
import type { RateLimits } from './rate-limits';
import type { RoomStore } from '../store/room-store';
import type { UsersRepo } from '../store/repos/users.repo';
import type { ViewReader } from '../store/view-reader';

/** Everything the api needs, handed over as one plain object by `main.ts` or a test. */
export interface ApiDeps {
  config: Pick<
    Config,
    | 'jwtSecret'
    | 'webhookSecret'
    | 'publicSocketUrl'
    | 'publicUrl'
    | 'socketsOnApi'
    | 'socketPort'
    | 'adminCredentials'
    | 'nicknameBlocklist'
    | 'nicknameProfanityFilter'
    | 'timing'
    | 'postgresChecks'
    | 'limits'
    | 'trustProxy'
    | 'metricsToken'
    | 'corsOrigins'
  >;
  log: Logger;
  redis: QuizRedis;
  db: Db;
  rooms: RoomStore;
  views: ViewReader;
  users: UsersRepo;
  questions: QuestionsRepo;
  categories: CategoriesRepo;
  games: GamesRepo;
  history: HistoryRepo;
  leaderboards: LeaderboardStore;
  /** For Bull Board at /admin/queues; the api only reads and manages them, the worker runs the jobs. */
  queues: Queues;
  /** Counters in Redis for the rate limits (docs/configuration.md, "Limits"). */
  rateLimits: RateLimits;
  /** This process's Prometheus registry, served at /metrics. */
  metrics: { registry: Registry };
}
