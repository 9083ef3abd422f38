import { z } from 'zod';
import { QuestionFields, RoomSettings } from './room';

/** A finished game as PostgreSQL keeps it; `GET /games/:id/results` returns it. Times are ISO 8601. */
export const GameResults = z.object({
  game: z.object({
    id: z.string(),
    roomCode: z.string(),
    hostId: z.string().nullable(),
    settings: RoomSettings,
    startedAt: z.string().nullable(),
    finishedAt: z.string(),
  }),
  questions: z.array(QuestionFields.extend({ index: z.number().int() })),
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
