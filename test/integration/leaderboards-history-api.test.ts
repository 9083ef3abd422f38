import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MyGames } from '../../src/api/history/history.schemas';
import type { Leaderboard, LeaderboardAround } from '../../src/api/leaderboards/leaderboards.schemas';
import { startApi } from '../../src/api/main';
import { isoWeekOf } from '../../src/game/iso-week';
import { loadConfig } from '../../src/platform/config';
import { createLogger } from '../../src/platform/logger';
import { signToken } from '../../src/shared/tokens';
import { type Db, createDb } from '../../src/platform/db';
import { createKeys } from '../../src/store/keys';
import { createLeaderboardStore } from '../../src/store/leaderboard-store';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { ApiClient, type HttpResult } from '../helpers/api-client';
import { GENEROUS_LIMITS, deleteNamespace, infra, testNamespace } from '../helpers/infra';

const namespace = testNamespace('leaderboards-api');
const emails: string[] = [];
const gameIds: string[] = [];
let api: Awaited<ReturnType<typeof startApi>>;
let client: ApiClient;
let db: Db;
let redis: QuizRedis;
let jwtSecret: string;

function expectProblem(res: HttpResult, status: number, code: string, detail: RegExp): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.contentType).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, code, detail: expect.stringMatching(detail) });
}

/** A finished game straight into PostgreSQL, as persist-results would write it. */
async function seedGame(hostId: string, finishedAt: Date, players: { userId: string | null; score: number; rank: number }[]): Promise<string> {
  const id = randomUUID();
  gameIds.push(id);
  await db('games').insert({
    id,
    room_code: 'ABCDEF',
    host_id: hostId,
    settings: JSON.stringify({ category: 'Science', difficulty: null }),
    questions: JSON.stringify([{}, {}, {}]),
    started_at: new Date(finishedAt.getTime() - 60_000),
    finished_at: finishedAt,
  });
  await db('game_players').insert(
    players.map((p, i) => ({
      game_id: id,
      player_id: `p_${i}`,
      nickname: `Nick ${i}`,
      user_id: p.userId,
      score: p.score,
      rank: p.rank,
      correct_count: 1,
      total_answer_ms: 100,
    })),
  );
  return id;
}

beforeAll(async () => {
  const { redisUrl, databaseUrl } = infra();
  const config = loadConfig({ REDIS_URL: redisUrl, DATABASE_URL: databaseUrl, QUIZLOOP_NAMESPACE: namespace, LOG_LEVEL: 'silent', ...GENEROUS_LIMITS }, 'api');
  jwtSecret = config.jwtSecret;
  api = await startApi({ ...config, redisUrl, databaseUrl }, createLogger('api', 'silent'), 0);
  client = new ApiClient(`http://127.0.0.1:${api.port}`, { game: (id) => gameIds.push(id), email: (e) => emails.push(e) });
  db = createDb(databaseUrl);
  redis = createRedis(redisUrl, { name: 'test-leaderboards-api' });
});

afterAll(async () => {
  await api?.stop();
  await deleteNamespace(infra().redisUrl, namespace);
  await db('games').whereIn('id', gameIds).delete();
  await db('users').whereIn('email', emails).delete();
  await Promise.all([db.destroy(), redis.quit()]);
});

describe('the leaderboard endpoints', () => {
  let ids: string[];

  beforeAll(async () => {
    const accounts = await Promise.all(['Ada', 'Bea', 'Cy', 'Dee'].map((n) => client.registerHost(n)));
    ids = accounts.map((a) => a.userId);
    const boards = createLeaderboardStore({ redis, keys: createKeys(namespace), roomTtlSeconds: 3600 });
    await boards.recordGame({ gameId: randomUUID(), finishedAt: Date.now(), players: ids.map((userId, i) => ({ userId, score: 1000 - 100 * i })) });
  });

  it('name the players on the top list', async () => {
    const res = await client.request<Leaderboard>('GET', '/leaderboards/global?limit=2');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      board: 'global',
      week: null,
      total: 4,
      entries: [
        { rank: 1, userId: ids[0], displayName: 'Ada', score: 1000, games: 1 },
        { rank: 2, userId: ids[1], displayName: 'Bea', score: 900, games: 1 },
      ],
    });
  });

  it('answer an empty board for a week without games', async () => {
    const res = await client.request<Leaderboard>('GET', '/leaderboards/weekly?week=2020-W53');

    expect(res.body).toEqual({ board: 'weekly', week: '2020-W53', total: 0, entries: [] });
  });

  it('answer the players around one, at the edges too', async () => {
    const res = await client.request<LeaderboardAround>('GET', `/leaderboards/weekly/players/${ids[3]?.toUpperCase()}/around?radius=2`);

    expect(res.body.week).toBe(isoWeekOf(Date.now()).id);
    expect(res.body.player).toMatchObject({ userId: ids[3], rank: 4 });
    expect(res.body.entries.map((e) => e.displayName)).toEqual(['Bea', 'Cy', 'Dee']);
  });

  describe('when asked for what is not there or not valid', () => {
    it('refuse an unknown board, naming the boards', async () => {
      expectProblem(await client.request('GET', '/leaderboards/monthly'), 404, 'NOT_FOUND', /No leaderboard "monthly".*global and weekly/);
    });

    it('refuse a limit or radius out of bounds, naming the field', async () => {
      for (const q of ['limit=0', 'limit=101', 'limit=ten', 'limit=2.5']) {
        const res = await client.request('GET', `/leaderboards/global?${q}`);
        expectProblem(res, 400, 'BAD_REQUEST', /^Invalid request: limit: /);
      }
      expectProblem(await client.request('GET', `/leaderboards/global/players/${ids[0]}/around?radius=26`), 400, 'BAD_REQUEST', /radius: /);
    });

    it('refuse a week that is malformed or does not exist, or a week on the global board', async () => {
      for (const week of ['2026-48', '2025-W53', 'last']) {
        expectProblem(await client.request('GET', `/leaderboards/weekly?week=${week}`), 400, 'BAD_REQUEST', /week: week must be an ISO week/);
      }
      expectProblem(await client.request('GET', '/leaderboards/global?week=2026-W01'), 400, 'BAD_REQUEST', /weekly board only/);
    });

    it('refuse a user id that is not one, and say when a user is not on the board', async () => {
      expectProblem(await client.request('GET', '/leaderboards/global/players/ada'), 400, 'BAD_REQUEST', /not a user id/);
      const stranger = randomUUID();
      expectProblem(
        await client.request('GET', `/leaderboards/global/players/${stranger}`),
        404,
        'NOT_FOUND',
        new RegExp(`${stranger} has no points on the global board`),
      );
      expectProblem(await client.request('GET', `/leaderboards/weekly/players/${stranger}/around?week=2026-W01`), 404, 'NOT_FOUND', /weekly board of 2026-W01/);
    });
  });
});

describe('GET /me/games', () => {
  let user: { token: string; userId: string };
  let other: { token: string; userId: string };
  const seeded: string[] = [];

  beforeAll(async () => {
    user = await client.registerHost('Historian');
    other = await client.registerHost('Other');
    const t0 = Date.parse('2026-11-01T12:00:00Z');
    // Oldest first: hosted, played, someone else's game, played twice under two nicknames, hosted and played.
    seeded.push(await seedGame(user.userId, new Date(t0), [{ userId: null, score: 10, rank: 1 }]));
    seeded.push(
      await seedGame(other.userId, new Date(t0 + 1000), [
        { userId: user.userId, score: 500, rank: 2 },
        { userId: null, score: 900, rank: 1 },
      ]),
    );
    await seedGame(other.userId, new Date(t0 + 2000), [{ userId: other.userId, score: 1, rank: 1 }]);
    seeded.push(
      await seedGame(other.userId, new Date(t0 + 3000), [
        { userId: user.userId, score: 100, rank: 2 },
        { userId: user.userId, score: 300, rank: 1 },
      ]),
    );
    seeded.push(await seedGame(user.userId, new Date(t0 + 3000), [{ userId: user.userId, score: 700, rank: 1 }]));
  });

  it('lists the games a user hosted or played, newest first, page by page', async () => {
    const pages: MyGames[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const res: HttpResult<MyGames> = await client.request<MyGames>('GET', `/me/games?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: user.token });
      expect(res.status).toBe(200);
      pages.push(res.body);
      cursor = res.body.nextCursor;
    }
    const games = pages.flatMap((p) => p.games);

    expect(pages.map((p) => p.games.length)).toEqual([3, 1]);
    // Two games finished at the same instant: the higher id comes first.
    const [sameA, sameB] = [seeded[2] ?? '', seeded[3] ?? ''].sort().reverse();
    expect(games.map((g) => g.gameId)).toEqual([sameA, sameB, seeded[1], seeded[0]]);
    const byId = new Map(games.map((g) => [g.gameId, g]));
    expect(byId.get(seeded[0] ?? '')).toMatchObject({ hosted: true, played: null, playerCount: 1, questionCount: 3, category: 'Science' });
    expect(byId.get(seeded[1] ?? '')).toMatchObject({ hosted: false, played: { score: 500, rank: 2, nickname: 'Nick 0' }, playerCount: 2 });
    expect(byId.get(seeded[2] ?? '')?.played).toMatchObject({ score: 300, rank: 1 });
    expect(byId.get(seeded[3] ?? '')).toMatchObject({ hosted: true, played: { score: 700, rank: 1 } });
  });

  it('needs a user token', async () => {
    expectProblem(await client.request('GET', '/me/games'), 401, 'UNAUTHORIZED', /token/);
    const hostToken = signToken(jwtSecret, { kind: 'host', sub: user.userId, name: 'Historian', room: 'ABCDEF' });
    expectProblem(await client.request('GET', '/me/games', { token: hostToken }), 403, 'FORBIDDEN', /user token/);
  });

  it('refuses a cursor it did not give out, and a limit out of bounds', async () => {
    expectProblem(await client.request('GET', '/me/games?cursor=bm9wZQ', { token: user.token }), 400, 'BAD_REQUEST', /cursor is not one this api gave out/);
    expectProblem(await client.request('GET', '/me/games?limit=51', { token: user.token }), 400, 'BAD_REQUEST', /limit: /);
  });

  it('answers an empty list to a user without games', async () => {
    const newcomer = await client.registerHost('Newcomer');

    expect((await client.request('GET', '/me/games', { token: newcomer.token })).body).toEqual({ games: [], nextCursor: null });
  });
});

describe('GET /games/:id/results.csv', () => {
  it('is a 404 problem for a game that is not saved', async () => {
    expectProblem(await client.request('GET', `/games/${randomUUID()}/results.csv`), 404, 'NOT_FOUND', /No results for this game/);
  });
});
