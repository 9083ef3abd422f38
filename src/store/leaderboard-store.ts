import type { ChainableCommander } from 'ioredis';
import { type IsoWeek, isoWeekOf } from '../game/iso-week';
import type { Keys } from './keys';
import type { QuizRedis } from './redis';
import { leaderboard as leaderboardScript } from './scripts/leaderboard.lua';

export const BOARD_NAMES = ['global', 'weekly'] as const;
export type BoardName = (typeof BOARD_NAMES)[number];

/** A board: the global one, or the weekly one of a given ISO week. */
export type BoardRef = { name: 'global' } | { name: 'weekly'; week: IsoWeek };

export interface BoardEntry {
  userId: string;
  score: number;
  /** Games counted on this board for the user. */
  games: number;
  /** 1 + the number of users with a strictly higher score: equal scores share a rank. */
  rank: number;
}

const WEEK_MS = 7 * 86_400_000;
/** Weekly boards stay readable for this long after their week ends. */
export const WEEKLY_RETENTION_MS = 4 * WEEK_MS;
/** How much longer than a room the counted marker of its game lives; see `recordGame`. */
const MARKER_MARGIN_SECONDS = 7 * 86_400;

/** Runs a MULTI and returns its replies, throwing the first error; the replies are one consistent read. */
async function transaction<T extends unknown[]>(multi: ChainableCommander): Promise<T> {
  const replies = (await multi.exec()) ?? [];
  return replies.map(([err, value]) => {
    if (err) throw err;
    return value;
  }) as T;
}

export interface FinishedGame {
  gameId: string;
  finishedAt: number;
  /** Every player of the game; guests (no user id) do not count. */
  players: { userId: string | null; score: number }[];
}

/**
 * The all-time and weekly leaderboards of registered players, as Redis sorted sets (user id → points).
 * Listing order is score high to low, then user id high to low (Redis's order for equal scores in a
 * reversed range); the rank ignores that order: equal scores share it.
 */
export function createLeaderboardStore({ redis, keys, roomTtlSeconds }: { redis: QuizRedis; keys: Keys; roomTtlSeconds: number }) {
  const boardKey = (ref: BoardRef) => (ref.name === 'global' ? keys.leaderboardGlobal : keys.leaderboardWeekly(ref.week.id));

  /** Entries from position `start` on, ranked; `higher` counts the users above the first entry's score. */
  function ranked(rows: string[], games: (string | null)[], start: number, higher: number): BoardEntry[] {
    const out: BoardEntry[] = [];
    for (let i = 0; i + 1 < rows.length; i += 2) {
      const n = i / 2;
      const score = Number(rows[i + 1]);
      const previous = out[n - 1];
      const rank = n === 0 ? higher + 1 : previous && previous.score === score ? previous.rank : start + n + 1;
      out.push({ userId: rows[i] as string, score, games: Number(games[n] ?? 0), rank });
    }
    return out;
  }

  /** One consistent read (MULTI) of the entries at positions start…stop and the board's size. */
  async function window(ref: BoardRef, start: number, stop: number): Promise<{ entries: BoardEntry[]; total: number }> {
    const key = boardKey(ref);
    const [rows, total] = await transaction<[string[], number]>(redis.multi().zrange(key, start, stop, 'REV', 'WITHSCORES').zcard(key));
    if (rows.length === 0) return { entries: [], total };
    const firstScore = rows[1] as string;
    const ids = rows.filter((_, i) => i % 2 === 0);
    const [games, higher] = await Promise.all([
      redis.hmget(keys.leaderboardGames(key), ...ids),
      start === 0 ? Promise.resolve(0) : redis.zcount(key, `(${firstScore}`, '+inf'),
    ]);
    return { entries: ranked(rows, games, start, higher), total };
  }

  return {
    boardKey,

    /**
     * Adds a finished game's registered players to both boards, once: the script sets a per-game marker
     * and adds the points together. The marker outlives the room by a week. A run reaches this only after
     * reading the finished room from Redis, which expires ROOM_TTL_SECONDS after the finish, and the marker
     * is set after the finish, so no run can come after it expires. The week is the week of the finish,
     * not of the run, so a retry after midnight on Sunday still counts the game in its own week.
     */
    async recordGame(game: FinishedGame): Promise<'counted' | 'already-counted' | 'no-registered-players'> {
      const best = new Map<string, number>();
      // A user who joined twice under two nicknames counts once, with their better score.
      for (const p of game.players) if (p.userId) best.set(p.userId, Math.max(best.get(p.userId) ?? 0, p.score));
      if (best.size === 0) return 'no-registered-players';
      const week = isoWeekOf(game.finishedAt);
      const weekly = keys.leaderboardWeekly(week.id);
      const result = await leaderboardScript.run(
        redis,
        {
          counted: keys.leaderboardCounted(game.gameId),
          global: keys.leaderboardGlobal,
          globalGames: keys.leaderboardGames(keys.leaderboardGlobal),
          weekly,
          weeklyGames: keys.leaderboardGames(weekly),
        },
        { markerTtlSeconds: roomTtlSeconds + MARKER_MARGIN_SECONDS, weeklyExpiresAt: Math.ceil((week.endsAt + WEEKLY_RETENTION_MS) / 1000), points: [...best] },
      );
      return result.ok ? 'counted' : result.code;
    },

    /** The top `limit` entries and the number of users on the board. */
    top(ref: BoardRef, limit: number) {
      return window(ref, 0, limit - 1);
    },

    /** A user's entry, or null when they are not on the board. */
    async player(ref: BoardRef, userId: string): Promise<{ entry: BoardEntry | null; total: number }> {
      const key = boardKey(ref);
      const [score, games, total] = await transaction<[string | null, string | null, number]>(
        redis.multi().zscore(key, userId).hget(keys.leaderboardGames(key), userId).zcard(key),
      );
      if (score === null) return { entry: null, total };
      const higher = await redis.zcount(key, `(${score}`, '+inf');
      return { entry: { userId, score: Number(score), games: Number(games ?? 0), rank: higher + 1 }, total };
    },

    /** The entries up to `radius` places above and below a user, in listing order; null when they are not on the board. */
    async around(ref: BoardRef, userId: string, radius: number): Promise<{ entries: BoardEntry[]; total: number } | null> {
      const position = await redis.zrevrank(boardKey(ref), userId);
      if (position === null) return null;
      // A game counted between the two reads may shift the window by a place or two; each entry is still true.
      return window(ref, Math.max(0, position - radius), position + radius);
    },

    /**
     * Takes a deleted account off the global board and every weekly board still kept (its week and the
     * five before: any week that may have ended within `WEEKLY_RETENTION_MS`, with a week to spare), in one MULTI: every board shares `{lb}`.
     */
    async forget(userId: string, now: number): Promise<void> {
      const boards = [keys.leaderboardGlobal];
      for (let at = now; at >= now - WEEKLY_RETENTION_MS - WEEK_MS; at -= WEEK_MS) boards.push(keys.leaderboardWeekly(isoWeekOf(at).id));
      const multi = redis.multi();
      for (const board of boards) multi.zrem(board, userId).hdel(keys.leaderboardGames(board), userId);
      await transaction(multi);
    },

    /** How many users each board holds; the weekly one for the given week. */
    async counts(week: IsoWeek): Promise<{ global: number; weekly: number }> {
      const [global, weekly] = await Promise.all([redis.zcard(keys.leaderboardGlobal), redis.zcard(keys.leaderboardWeekly(week.id))]);
      return { global, weekly };
    },
  };
}
export type LeaderboardStore = ReturnType<typeof createLeaderboardStore>;
