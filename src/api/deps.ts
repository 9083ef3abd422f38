import type { Config } from '../shared/config';
import type { Logger } from '../shared/logger';
import type { Db } from '../store/db';
import type { GamesRepo } from '../store/games.repo';
import type { QuestionsRepo } from '../store/questions.repo';
import type { QuizRedis } from '../store/redis';
import type { RoomStore } from '../store/room-store';
import type { UsersRepo } from '../store/users.repo';
import type { ViewReader } from '../store/view-reader';

/** Everything the api needs, handed over as one plain object by `main.ts` or a test. */
export interface ApiDeps {
  config: Pick<Config, 'jwtSecret' | 'webhookSecret'>;
  log: Logger;
  redis: QuizRedis;
  db: Db;
  rooms: RoomStore;
  views: ViewReader;
  users: UsersRepo;
  questions: QuestionsRepo;
  games: GamesRepo;
}
