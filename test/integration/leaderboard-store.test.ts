import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isoWeekOf } from '../../src/game/iso-week';
import { type Keys, createKeys } from '../../src/store/keys';
import { type BoardRef, type FinishedGame, type LeaderboardStore, WEEKLY_RETENTION_MS, createLeaderboardStore } from '../../src/store/leaderboard-store';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { deleteNamespace, infra, testNamespace } from '../helpers/infra';

const ROOM_TTL_SECONDS = 3600;
/** Recent: a weekly board whose expiry has passed would vanish at once. */
const FINISHED_AT = Date.now() - 60_000;
const WEEK = isoWeekOf(FINISHED_AT);
const GLOBAL: BoardRef = { name: 'global' };
const WEEKLY: BoardRef = { name: 'weekly', week: WEEK };

let redis: QuizRedis;
let keys: Keys;
let boards: LeaderboardStore;
const namespaces: string[] = [];

/** Ids sort as their letter, so the order of equal scores is easy to read. */
const user = (letter: string) => `${letter.repeat(8)}-0000-4000-8000-000000000000`;

function game(players: FinishedGame['players'], finishedAt = FINISHED_AT): FinishedGame {
  return { gameId: randomUUID(), finishedAt, players };
}

async function scores(ref: BoardRef): Promise<Record<string, number>> {
  const { entries } = await boards.top(ref, 100);
  return Object.fromEntries(entries.map((e) => [e.userId, e.score]));
}

beforeAll(() => {
  redis = createRedis(infra().redisUrl, { name: 'test-leaderboards' });
});

beforeEach(() => {
  // A namespace per test: every test starts from empty boards.
  keys = createKeys(testNamespace('leaderboards'));
  namespaces.push(keys.namespace);
  boards = createLeaderboardStore({ redis, keys, roomTtlSeconds: ROOM_TTL_SECONDS });
});

afterAll(async () => {
  for (const namespace of namespaces) await deleteNamespace(infra().redisUrl, namespace);
  await redis.quit();
});

describe('the leaderboards', () => {
  describe('when a finished game is recorded', () => {
    it('adds each registered player’s score to the global and the weekly board, and leaves guests out', async () => {
      const result = await boards.recordGame(
        game([
          { userId: user('a'), score: 1800 },
          { userId: null, score: 2500 },
          { userId: user('b'), score: 0 },
        ]),
      );

      expect(result).toBe('counted');
      expect(await scores(GLOBAL)).toEqual({ [user('a')]: 1800, [user('b')]: 0 });
      expect(await scores(WEEKLY)).toEqual({ [user('a')]: 1800, [user('b')]: 0 });
      expect((await boards.top(GLOBAL, 10)).total).toBe(2);
    });

    it('adds up the games of a user and counts them', async () => {
      await boards.recordGame(game([{ userId: user('a'), score: 1000 }]));
      await boards.recordGame(
        game([
          { userId: user('a'), score: 700 },
          { userId: user('b'), score: 900 },
        ]),
      );

      const { entry } = await boards.player(GLOBAL, user('a'));

      expect(entry).toEqual({ userId: user('a'), score: 1700, games: 2, rank: 1 });
    });

    it('counts a user who joined twice in one game once, with their better score', async () => {
      await boards.recordGame(
        game([
          { userId: user('a'), score: 300 },
          { userId: user('a'), score: 800 },
        ]),
      );

      expect((await boards.player(GLOBAL, user('a'))).entry).toMatchObject({ score: 800, games: 1 });
    });

    it('files the game under the ISO week of its finish, and lets that board expire four weeks after the week', async () => {
      const lastWeek = isoWeekOf(FINISHED_AT - 7 * 86_400_000);
      await boards.recordGame(game([{ userId: user('a'), score: 400 }], lastWeek.startsAt + 1000));

      const weeklyKey = boards.boardKey({ name: 'weekly', week: lastWeek });
      expect(await scores({ name: 'weekly', week: lastWeek })).toEqual({ [user('a')]: 400 });
      expect(await scores(WEEKLY)).toEqual({});
      expect(await redis.expiretime(weeklyKey)).toBe(Math.ceil((lastWeek.endsAt + WEEKLY_RETENTION_MS) / 1000));
      expect(await redis.expiretime(keys.leaderboardGames(weeklyKey))).toBe(await redis.expiretime(weeklyKey));
      expect(await redis.ttl(keys.leaderboardGlobal)).toBe(-1);
    });
  });

  describe('when the same game is recorded twice', () => {
    it('changes the boards once, and says so the second time', async () => {
      const once = game([
        { userId: user('a'), score: 1200 },
        { userId: user('b'), score: 600 },
      ]);

      expect(await boards.recordGame(once)).toBe('counted');
      expect(await boards.recordGame(once)).toBe('already-counted');

      expect(await scores(GLOBAL)).toEqual({ [user('a')]: 1200, [user('b')]: 600 });
      expect(await scores(WEEKLY)).toEqual({ [user('a')]: 1200, [user('b')]: 600 });
      expect((await boards.player(WEEKLY, user('a'))).entry?.games).toBe(1);
    });

    it('changes the boards once when the runs race, from separate connections', async () => {
      const once = game([{ userId: user('a'), score: 950 }]);
      const connections = Array.from({ length: 8 }, (_, i) => createRedis(infra().redisUrl, { name: `test-leaderboards-${i}` }));
      try {
        const stores = connections.map((r) => createLeaderboardStore({ redis: r, keys, roomTtlSeconds: ROOM_TTL_SECONDS }));

        const results = await Promise.all(stores.map((s) => s.recordGame(once)));

        expect(results.filter((r) => r === 'counted')).toHaveLength(1);
        expect(results.filter((r) => r === 'already-counted')).toHaveLength(7);
        expect(await scores(GLOBAL)).toEqual({ [user('a')]: 950 });
        expect(await scores(WEEKLY)).toEqual({ [user('a')]: 950 });
      } finally {
        await Promise.all(connections.map((r) => r.quit()));
      }
    });

    it('keeps the marker for a week longer than the room lives', async () => {
      const once = game([{ userId: user('a'), score: 1 }]);
      await boards.recordGame(once);

      const ttl = await redis.ttl(keys.leaderboardCounted(once.gameId));

      expect(ttl).toBeGreaterThan(ROOM_TTL_SECONDS + 7 * 86_400 - 5);
      expect(ttl).toBeLessThanOrEqual(ROOM_TTL_SECONDS + 7 * 86_400);
    });
  });

  describe('when reading a board', () => {
    beforeEach(async () => {
      // Scores: e 900, c 700, d 700, a 700, b 500, f 100.
      await boards.recordGame(
        game([
          { userId: user('a'), score: 700 },
          { userId: user('b'), score: 500 },
          { userId: user('c'), score: 700 },
          { userId: user('d'), score: 700 },
          { userId: user('e'), score: 900 },
          { userId: user('f'), score: 100 },
        ]),
      );
    });

    it('lists the top by score, equal scores by user id from high to low, sharing their rank', async () => {
      const { entries, total } = await boards.top(GLOBAL, 10);

      expect(total).toBe(6);
      expect(entries.map((e) => [e.userId[0], e.score, e.rank])).toEqual([
        ['e', 900, 1],
        ['d', 700, 2],
        ['c', 700, 2],
        ['a', 700, 2],
        ['b', 500, 5],
        ['f', 100, 6],
      ]);
    });

    it('stops at the limit', async () => {
      expect((await boards.top(GLOBAL, 3)).entries.map((e) => e.userId[0])).toEqual(['e', 'd', 'c']);
    });

    it('gives a player’s rank, score and games, and null for a user not on the board', async () => {
      expect((await boards.player(GLOBAL, user('c'))).entry).toEqual({ userId: user('c'), score: 700, games: 1, rank: 2 });
      expect(await boards.player(GLOBAL, user('z'))).toEqual({ entry: null, total: 6 });
    });

    it('gives the players around a player, ranked as the top list ranks them', async () => {
      const around = await boards.around(GLOBAL, user('a'), 1);
      const atTheTop = await boards.around(GLOBAL, user('e'), 2);

      expect(around?.entries.map((e) => [e.userId[0], e.rank])).toEqual([
        ['c', 2],
        ['a', 2],
        ['b', 5],
      ]);
      expect(atTheTop?.entries.map((e) => [e.userId[0], e.rank])).toEqual([
        ['e', 1],
        ['d', 2],
        ['c', 2],
      ]);
      expect(await boards.around(GLOBAL, user('z'), 1)).toBeNull();
    });

    it('counts the players on each board', async () => {
      expect(await boards.counts(WEEK)).toEqual({ global: 6, weekly: 6 });
      expect(await boards.counts(isoWeekOf(FINISHED_AT + 7 * 86_400_000))).toEqual({ global: 6, weekly: 0 });
    });
  });
});
