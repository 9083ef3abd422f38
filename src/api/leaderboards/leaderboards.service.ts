import { isoWeekOf, parseIsoWeek } from '../../game/iso-week';
import { ErrorCode } from '../../shared/error-codes';
import { BOARD_NAMES, type BoardEntry as StoredEntry, type BoardRef, type LeaderboardStore } from '../../store/leaderboard-store';
import type { UsersRepo } from '../../store/repos/users.repo';
import { AppError } from '../app-error';
import { BoardName, type BoardEntry, type Leaderboard, type LeaderboardAround, type LeaderboardCounts, type LeaderboardPlayer } from './leaderboards.schemas';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The leaderboard use cases: resolve a board from the request, read it, and put names to the user ids. */
export function createLeaderboardsService({ leaderboards, users }: { leaderboards: LeaderboardStore; users: UsersRepo }) {
  async function named(entries: StoredEntry[]): Promise<BoardEntry[]> {
    const names = await users.displayNames(entries.map((e) => e.userId));
    return entries.map((e) => ({ rank: e.rank, userId: e.userId, displayName: names.get(e.userId) ?? null, score: e.score, games: e.games }));
  }

  const head = (ref: BoardRef, total: number) => ({ board: ref.name, week: ref.name === 'weekly' ? ref.week.id : null, total });

  function notOnBoard(ref: BoardRef, userId: string): AppError {
    const where = ref.name === 'weekly' ? `the weekly board of ${ref.week.id}` : 'the global board';
    return new AppError(ErrorCode.NotFound, 404, `User ${userId} has no points on ${where}: they have finished no game there as a signed-in player.`);
  }

  return {
    /** A board from the path and `?week=`; the weekly board defaults to the current week (UTC). */
    board(name: string, week: string | undefined, now = Date.now()): BoardRef {
      const parsed = BoardName.safeParse(name);
      if (!parsed.success) throw new AppError(ErrorCode.NotFound, 404, `No leaderboard "${name}"; the boards are ${BOARD_NAMES.join(' and ')}.`);
      if (parsed.data === 'global') {
        if (week !== undefined) throw AppError.badRequest('week applies to the weekly board only.');
        return { name: 'global' };
      }
      // The query schema has checked the week already; parse it again to hold an IsoWeek.
      return { name: 'weekly', week: (week !== undefined && parseIsoWeek(week)) || isoWeekOf(now) };
    },

    userIdParam(raw: string): string {
      if (!UUID.test(raw)) throw AppError.badRequest(`"${raw}" is not a user id (a UUID).`);
      return raw.toLowerCase();
    },

    async top(ref: BoardRef, limit: number): Promise<Leaderboard> {
      const { entries, total } = await leaderboards.top(ref, limit);
      return { ...head(ref, total), entries: await named(entries) };
    },

    async player(ref: BoardRef, userId: string): Promise<LeaderboardPlayer> {
      const { entry, total } = await leaderboards.player(ref, userId);
      if (!entry) throw notOnBoard(ref, userId);
      const [player] = await named([entry]);
      return { ...head(ref, total), player: player as BoardEntry };
    },

    async around(ref: BoardRef, userId: string, radius: number): Promise<LeaderboardAround> {
      const [window, own] = await Promise.all([leaderboards.around(ref, userId, radius), leaderboards.player(ref, userId)]);
      if (!window || !own.entry) throw notOnBoard(ref, userId);
      const [player, ...entries] = await named([own.entry, ...window.entries]);
      return { ...head(ref, window.total), player: player as BoardEntry, entries };
    },

    async counts(now = Date.now()): Promise<LeaderboardCounts> {
      const week = isoWeekOf(now);
      const counts = await leaderboards.counts(week);
      return {
        boards: [
          { board: 'global', week: null, players: counts.global },
          { board: 'weekly', week: week.id, players: counts.weekly },
        ],
      };
    },
  };
}
export type LeaderboardsService = ReturnType<typeof createLeaderboardsService>;
