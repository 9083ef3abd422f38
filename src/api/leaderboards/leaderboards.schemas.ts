import { z } from 'zod';
import { ISO_WEEK_PATTERN, parseIsoWeek } from '../../game/iso-week';
import { BOARD_NAMES } from '../../store/leaderboard-store';
import { queryInt } from '../validation';

/** Request and answer shapes of the leaderboard endpoints; documented in leaderboards.openapi.ts. */

export const BoardName = z.enum(BOARD_NAMES);

const Week = z
  .string()
  .refine((s) => parseIsoWeek(s) !== null, 'week must be an ISO week that exists, as YYYY-Www (e.g. 2026-W48)')
  .meta({ pattern: ISO_WEEK_PATTERN })
  .describe('An ISO week (UTC) as YYYY-Www; the weekly board only. Default: the current week.');

export const LeaderboardQuery = z.object({ limit: queryInt(1, 100, 10), week: Week.optional() });
export const LeaderboardPlayerQuery = z.object({ week: Week.optional() });
export const LeaderboardAroundQuery = z.object({ radius: queryInt(0, 25, 5), week: Week.optional() });

export const BoardEntry = z.object({
  rank: z.number().int().describe('1 + the number of players with a higher score: equal scores share a rank.'),
  userId: z.string(),
  displayName: z.string().nullable().describe('null when the account has been deleted.'),
  score: z.number().int(),
  games: z.number().int().describe('Games counted on this board.'),
});
export type BoardEntry = z.infer<typeof BoardEntry>;

const BoardHead = {
  board: BoardName,
  week: z.string().nullable().describe('The ISO week of a weekly board; null for the global one.'),
  total: z.number().int().describe('Players on this board.'),
};

export const Leaderboard = z.object({ ...BoardHead, entries: z.array(BoardEntry) });
export type Leaderboard = z.infer<typeof Leaderboard>;

export const LeaderboardPlayer = z.object({ ...BoardHead, player: BoardEntry });
export type LeaderboardPlayer = z.infer<typeof LeaderboardPlayer>;

export const LeaderboardAround = z.object({
  ...BoardHead,
  player: BoardEntry,
  entries: z.array(BoardEntry).describe('Up to `radius` players above and below, the player included, in board order.'),
});
export type LeaderboardAround = z.infer<typeof LeaderboardAround>;

export const LeaderboardCounts = z.object({
  boards: z.array(z.object({ board: BoardName, week: z.string().nullable(), players: z.number().int() })),
});
export type LeaderboardCounts = z.infer<typeof LeaderboardCounts>;
