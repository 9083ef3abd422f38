import { z } from 'zod';
import { queryInt } from '../validation';

/** Request and answer shapes of GET /me/games; documented in history.openapi.ts. */

export const MyGamesQuery = z.object({
  limit: queryInt(1, 50, 20),
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]*$/, 'cursor is base64url')
    .optional()
    .describe('`nextCursor` of the previous page.'),
});

export const MyGames = z.object({
  games: z.array(
    z.object({
      gameId: z.string(),
      roomCode: z.string(),
      startedAt: z.string().nullable(),
      finishedAt: z.string(),
      category: z.string().nullable(),
      difficulty: z.string().nullable(),
      questionCount: z.number().int(),
      playerCount: z.number().int(),
      hosted: z.boolean().describe('You hosted this game.'),
      played: z
        .object({ playerId: z.string(), nickname: z.string(), score: z.number(), rank: z.number().int(), correctCount: z.number().int() })
        .nullable()
        .describe('Your place, when you played (signed in); null when you only hosted.'),
    }),
  ),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
});
export type MyGames = z.infer<typeof MyGames>;
