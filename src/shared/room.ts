import { z } from 'zod';

export const Difficulty = z.enum(['easy', 'medium', 'hard']);
export type Difficulty = z.infer<typeof Difficulty>;

export const QuestionType = z.enum(['multiple', 'boolean']);
export type QuestionType = z.infer<typeof QuestionType>;

export const GameMode = z.enum(['timed', 'first-correct']);
export type GameMode = z.infer<typeof GameMode>;

export const RoomPhase = z.enum(['building', 'failed', 'lobby', 'question', 'reveal', 'paused', 'finished', 'cancelled']);
export type RoomPhase = z.infer<typeof RoomPhase>;

/** What a host chooses when creating a room; defaults make `{}` a valid request. */
export const RoomSettings = z.object({
  questionCount: z.number().int().min(1).max(50).default(10),
  category: z.string().trim().min(1).max(60).nullable().default(null),
  difficulty: Difficulty.nullable().default(null),
  questionSeconds: z.number().int().min(3).max(120).default(20),
  revealSeconds: z.number().int().min(1).max(60).default(5),
  mode: GameMode.default('timed'),
  pointsPerQuestion: z.number().int().min(0).max(2000).default(1000),
  streakBonus: z.boolean().default(false),
});
export type RoomSettings = z.infer<typeof RoomSettings>;

/** A question with its answer: lives in PostgreSQL and in Redis, never on a player's wire before the reveal. */
export const Question = z.object({
  id: z.number().int(),
  category: z.string(),
  difficulty: Difficulty,
  type: QuestionType,
  text: z.string(),
  choices: z.array(z.string()).min(2).max(6),
  answer: z.number().int().min(0),
});
export type Question = z.infer<typeof Question>;

/**
 * The authoritative room record in Redis. It holds no answers, so it may be published as is.
 * Times are absolute epoch milliseconds, read off the api's clock.
 */
export const RoomState = z.object({
  code: z.string(),
  gameId: z.string().uuid(),
  hostId: z.string(),
  hostName: z.string(),
  phase: RoomPhase,
  version: z.number().int(),
  questionIndex: z.number().int(),
  settings: RoomSettings,
  /** When the phase in hand began; ticks are due every 2 s from here. */
  phaseStartedAt: z.number().nullable(),
  /** When the current question opened; answer speed is measured from here. */
  openedAt: z.number().nullable(),
  deadlineAt: z.number().nullable(),
  /** Set while the host has paused a question or a reveal: what to resume, with the time it had left. */
  paused: z.object({ phase: z.enum(['question', 'reveal']), remainingMs: z.number().int().min(0), at: z.number() }).nullable().default(null),
  failureReason: z.string().nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
});
export type RoomState = z.infer<typeof RoomState>;

/** A question as players see it: no `answer`. */
export const PublicQuestion = z.object({
  index: z.number().int(),
  category: z.string(),
  difficulty: Difficulty,
  type: QuestionType,
  text: z.string(),
  choices: z.array(z.string()),
});
export type PublicQuestion = z.infer<typeof PublicQuestion>;

export const LeaderboardEntry = z.object({
  rank: z.number().int(),
  nickname: z.string(),
  score: z.number(),
});
export type LeaderboardEntry = z.infer<typeof LeaderboardEntry>;

/**
 * The view every member of a room gets, the same for all. Never holds a correct answer before the reveal.
 * A schema so that the REST docs and the socket contract describe the very shape the code builds.
 */
export const RoomView = z.object({
  code: z.string(),
  gameId: z.string(),
  phase: RoomPhase,
  version: z.number().int(),
  hostName: z.string(),
  settings: RoomSettings.pick({ questionCount: true, questionSeconds: true, revealSeconds: true, mode: true, category: true, difficulty: true }),
  questionIndex: z.number().int().describe('The current question, from 0; -1 before the first.'),
  question: PublicQuestion.nullable(),
  deadlineAt: z.number().nullable().describe('When the current phase ends, epoch ms by the server clock.'),
  serverNow: z.number().describe('The server clock when this view was made, epoch ms: the client offset is serverNow - Date.now().'),
  playerCount: z.number().int(),
  answeredCount: z.number().int(),
  leaderboard: z.array(LeaderboardEntry).describe('The top 5.'),
  reveal: z
    .object({ correctChoice: z.number().int(), distribution: z.array(z.number().int()) })
    .nullable()
    .describe('Only in the reveal phase: the correct choice and how many players picked each choice.'),
  locked: z.boolean().describe('The host has locked the room: nobody new can join.'),
  paused: z
    .object({ phase: z.enum(['question', 'reveal']), remainingMs: z.number().int() })
    .nullable()
    .describe('While the host has paused the game: the phase shown, and the time it will have left on resume.'),
  podium: z.array(LeaderboardEntry).nullable().describe('Once finished: the first three.'),
  standings: z.array(LeaderboardEntry).nullable().describe('Once finished: every player, ranked (ties: earlier cumulative answer time first).'),
  failureReason: z.string().nullable(),
});
export type RoomView = z.infer<typeof RoomView>;

/** One player's own state; `correct` and `points` appear only once the question is revealed. */
export interface PlayerYou {
  playerId: string;
  nickname: string;
  score: number;
  rank: number;
  streak: number;
  answer: { questionIndex: number; choice: number; correct?: boolean; points?: number } | null;
}

/** A recorded answer as the answer script stores it (JSON in `...:answers:{i}`). */
export interface StoredAnswer {
  choice: number;
  correct: boolean;
  points: number;
  elapsedMs: number;
  at: number;
  /** The player's streak of correct answers once this answer is settled at the reveal. */
  streak: number;
}

export interface StoredPlayer {
  id: string;
  nickname: string;
  userId: string | null;
  joinedAt: number;
}
