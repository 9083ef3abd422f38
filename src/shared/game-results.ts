import { z } from 'zod';
import { QuestionFields, RoomSettings } from './room';

/** How one question went: derived from the answers when the results are read. */
export const QuestionBreakdown = z.object({
  answeredCount: z.number().int(),
  correctCount: z.number().int(),
  distribution: z.array(z.number().int()).describe('How many players picked each choice, by choice index.'),
  players: z
    .array(
      z.object({
        playerId: z.string(),
        nickname: z.string(),
        answered: z.boolean(),
        choice: z.number().int().nullable().describe('null: no answer, or a typed one.'),
        text: z.string().nullable().describe('type-answer: what the player typed; else null.'),
        correct: z.boolean(),
        points: z.number(),
        elapsedMs: z.number().nullable(),
      }),
    )
    .describe('Every player of the game, by final rank, with their answer to this question.'),
});
export type QuestionBreakdown = z.infer<typeof QuestionBreakdown>;

/**
 * A finished game as PostgreSQL keeps it, each question with its breakdown; `GET /games/:id/results`
 * returns it. Times are ISO 8601.
 */
export const GameResults = z.object({
  game: z.object({
    id: z.string(),
    roomCode: z.string(),
    hostId: z.string().nullable(),
    settings: RoomSettings,
    startedAt: z.string().nullable(),
    finishedAt: z.string(),
  }),
  questions: z.array(QuestionFields.extend({ index: z.number().int(), breakdown: QuestionBreakdown })),
  players: z.array(
    z.object({
      playerId: z.string(),
      nickname: z.string(),
      userId: z.string().nullable(),
      score: z.number(),
      rank: z.number().int(),
      correctCount: z.number().int(),
      totalAnswerMs: z.number(),
    }),
  ),
  answers: z.array(
    z.object({
      playerId: z.string(),
      questionIndex: z.number().int(),
      choice: z.number().int().nullable().describe('null for a typed answer.'),
      text: z.string().nullable().describe('The typed answer of a type-answer question, as sent; else null.'),
      correct: z.boolean().describe('Always false for a poll.'),
      points: z.number(),
      elapsedMs: z.number(),
      answeredAt: z.string(),
    }),
  ),
});
export type GameResults = z.infer<typeof GameResults>;
