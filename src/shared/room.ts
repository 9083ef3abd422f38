import { z } from 'zod';
import { plainText } from './plain-text';

export const Difficulty = z.enum(['easy', 'medium', 'hard']);
export type Difficulty = z.infer<typeof Difficulty>;

/**
 * `multiple`: 2–6 choices, one or several correct. `boolean`: two choices (True, False), one correct.
 * `type-answer`: no choices; a typed answer counts when it matches an accepted variant once both are
 * normalised (src/shared/answer-text.ts). `poll`: 2–6 choices, none correct, never scored.
 */
export const QuestionType = z.enum(['multiple', 'boolean', 'type-answer', 'poll']);
export type QuestionType = z.infer<typeof QuestionType>;

export const MIN_CHOICES = 2;
export const MAX_CHOICES = 6;
export const MAX_ACCEPTED = 20;

export const GameMode = z.enum(['timed', 'first-correct']);
export type GameMode = z.infer<typeof GameMode>;

export const RoomPhase = z.enum(['building', 'failed', 'lobby', 'question', 'reveal', 'paused', 'finished', 'cancelled']);
export type RoomPhase = z.infer<typeof RoomPhase>;

/** What a host chooses when creating a room; defaults make `{}` a valid request. */
export const RoomSettings = z.object({
  questionCount: z.number().int().min(1).max(50).default(10),
  category: plainText().trim().min(1).max(60).nullable().default(null),
  difficulty: Difficulty.nullable().default(null),
  questionSeconds: z.number().int().min(3).max(120).default(20),
  revealSeconds: z.number().int().min(1).max(60).default(5),
  mode: GameMode.default('timed'),
  pointsPerQuestion: z.number().int().min(0).max(2000).default(1000),
  streakBonus: z.boolean().default(false),
  maxPlayers: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .optional()
    .describe("The most players this room takes (409 ROOM_FULL after); left out: the server's ceiling, ROOM_MAX_PLAYERS. Above the ceiling is a 400."),
  resultsPublic: z
    .boolean()
    .optional()
    .describe(
      "true: anyone may read the saved results; false or left out: only the game's host, its players and admins. The host may change it later (PUT /games/{id}/visibility).",
    ),
});
export type RoomSettings = z.infer<typeof RoomSettings>;

/** A rule of a question's type that it breaks, and the field a form shows it beside. */
export interface QuestionIssue {
  path: 'choices' | 'correct' | 'accepted';
  message: string;
}

/** What a question of each type must hold; the one rule for the bank, the webhook and the tests. */
export function questionShapeIssues(q: { type: QuestionType; choices: string[]; correct: number[]; accepted: string[] }): QuestionIssue[] {
  const issues: QuestionIssue[] = [];
  const choices = (message: string) => issues.push({ path: 'choices', message });
  const correct = (message: string) => issues.push({ path: 'correct', message });
  const accepted = (message: string) => issues.push({ path: 'accepted', message });
  const n = q.choices.length;
  const choiceType = q.type === 'multiple' || q.type === 'boolean' || q.type === 'poll';
  if (choiceType && (n < MIN_CHOICES || n > MAX_CHOICES)) choices(`a ${q.type} question has ${MIN_CHOICES} to ${MAX_CHOICES} choices`);
  if (q.type === 'boolean' && n !== 2) choices('a boolean question has exactly two choices');
  if (!choiceType && n > 0) choices(`a ${q.type} question has no choices`);
  if (new Set(q.correct).size !== q.correct.length || q.correct.some((c) => c >= n)) correct('correct holds distinct indexes of choices');
  if (q.type === 'multiple' && q.correct.length < 1) correct('a multiple question has at least one correct choice');
  if (q.type === 'boolean' && q.correct.length !== 1) correct('a boolean question has exactly one correct choice');
  if ((q.type === 'type-answer' || q.type === 'poll') && q.correct.length > 0) correct(`a ${q.type} question has no correct choice`);
  if (q.type === 'type-answer' && q.accepted.length < 1) accepted('a type-answer question has at least one accepted answer');
  if (q.type !== 'type-answer' && q.accepted.length > 0) accepted('only a type-answer question has accepted answers');
  return issues;
}

/**
 * A question with its answer: lives in PostgreSQL and in Redis, never on a player's wire before the reveal.
 * One flat shape for every type: `choices` is empty for type-answer, `correct` (choice indexes) is empty
 * for type-answer and poll, `accepted` (typed answers, as the author wrote them) only for type-answer.
 */
export const QuestionFields = z.object({
  id: z.number().int(),
  category: z.string(),
  difficulty: Difficulty,
  type: QuestionType,
  text: z.string(),
  choices: z.array(z.string()).max(MAX_CHOICES),
  correct: z.array(z.number().int().min(0)).max(MAX_CHOICES).describe('Every correct choice; empty for type-answer and poll.'),
  accepted: z.array(z.string()).max(MAX_ACCEPTED).describe('type-answer: the accepted answers, as the author wrote them; else empty.'),
});

/** QuestionFields, checked against the rules of its type. */
export const Question = QuestionFields.superRefine((q, ctx) => {
  for (const { path, message } of questionShapeIssues(q)) ctx.addIssue({ code: 'custom', path: [path], message });
});
export type Question = z.infer<typeof Question>;

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
  playerCount: z.number().int().describe('Players in the room, online or not.'),
  onlineCount: z.number().int().describe('Players connected now (as of this view).'),
  answeredCount: z.number().int().describe('Players who answered the current question.'),
  leaderboard: z
    .array(LeaderboardEntry)
    .describe(
      'The top of the standings: at most VIEW_LEADERBOARD_SIZE players (default 10), never everyone. A player finds their own rank in `room:you`; every rank is paged by GET /rooms/{code}/standings.',
    ),
  reveal: z
    .object({
      correctChoices: z.array(z.number().int()).describe('Every correct choice; empty for type-answer and poll.'),
      acceptedAnswers: z.array(z.string()).describe('type-answer: the answers that count, as the author wrote them; else empty.'),
      distribution: z.array(z.number().int()).describe('How many players picked each choice; empty for type-answer.'),
      correctCount: z.number().int().describe('How many players answered correctly; 0 for a poll.'),
    })
    .nullable()
    .describe('Only in the reveal phase: what was right and how players answered.'),
  locked: z.boolean().describe('The host has locked the room: nobody new can join.'),
  passphraseRequired: z.boolean().describe('Joining takes the passphrase the host set (`passphrase` in the join body).'),
  paused: z
    .object({ phase: z.enum(['question', 'reveal']), remainingMs: z.number().int() })
    .nullable()
    .describe('While the host has paused the game: the phase shown, and the time it will have left on resume.'),
  podium: z.array(LeaderboardEntry).nullable().describe('Once finished: the first three.'),
  failureReason: z.string().nullable(),
});
export type RoomView = z.infer<typeof RoomView>;

/** A page of a room's standings, every player ranked (ties: the lower total time first, docs/game.md). */
export const StandingsPage = z.object({
  total: z.number().int().describe('Players in the standings.'),
  offset: z.number().int(),
  limit: z.number().int(),
  entries: z.array(LeaderboardEntry).describe('Ranks offset + 1 to offset + limit, best first.'),
});
export type StandingsPage = z.infer<typeof StandingsPage>;

/** One player's own state; `correct` and `points` appear only once the question is revealed. */
export const PlayerYou = z.object({
  playerId: z.string(),
  nickname: z.string(),
  score: z.number(),
  rank: z.number().int(),
  streak: z.number().int(),
  answer: z
    .object({
      questionIndex: z.number().int(),
      choice: z.number().int().nullable(),
      text: z.string().optional(),
      correct: z.boolean().optional(),
      points: z.number().optional(),
    })
    .nullable()
    .describe(
      'The answer to the question of its `questionIndex` (stale once the view shows a later question: a new question sends no `room:you` just to clear it); `choice` is null and `text` set for a type-answer question.',
    ),
});
export type PlayerYou = z.infer<typeof PlayerYou>;
