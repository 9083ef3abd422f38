import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoWeekOf } from '../../src/game/iso-week';
import { type Db, createDb } from '../../src/platform/db';
import { createKeys } from '../../src/store/keys';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import type { ApiClient, HttpResult } from '../helpers/api-client';
import { startInProcessApi } from '../helpers/in-process-api';
import { infra } from '../helpers/infra';

const PASSWORD = 'correct horse battery';
const QUESTION = { difficulty: 'easy', type: 'multiple', choices: ['A', 'B', 'C', 'D'], correct: [0] };

let running: Awaited<ReturnType<typeof startInProcessApi>>;
let client: ApiClient;
let db: Db;
let redis: QuizRedis;
const gameIds: string[] = [];

function expectProblem(res: HttpResult, status: number, code: string, detail?: RegExp): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.contentType).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, code, ...(detail && { detail: expect.stringMatching(detail) }) });
}

const login = (email: string, password: string) => client.request<{ token: string }>('POST', '/auth/login', { body: { email, password } });

beforeAll(async () => {
  // Three wrong passwords spend an account's sign-in attempts, as RATE_LIMIT_LOGIN_ACCOUNT counts them.
  running = await startInProcessApi('account', { RATE_LIMIT_LOGIN_ACCOUNT: '3/60' });
  client = running.client;
  db = createDb(infra().databaseUrl);
  redis = createRedis(infra().redisUrl, { name: 'test-account-api' });
});

afterAll(async () => {
  await db?.('games').whereIn('id', gameIds).delete();
  await Promise.all([running?.stop(), redis?.quit()]);
  await db?.destroy();
});

describe('GET /me', () => {
  it('answers the account of the token, never its password hash', async () => {
    const { token, userId, email } = await client.registerHost('Me');

    const res = await client.request<Record<string, unknown>>('GET', '/me', { token });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: userId, email, displayName: 'Me', role: 'player', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(JSON.stringify(res.body)).not.toMatch(/password|\$2[aby]\$/);
  });

  it('refuses no token, or a host token, with problem+json', async () => {
    const { token } = await client.registerHost('Me');
    const room = await client.request<{ hostToken: string }>('POST', '/rooms', { token, body: { questionCount: 1 } });

    expectProblem(await client.request('GET', '/me'), 401, 'UNAUTHORIZED');
    expectProblem(await client.request('GET', '/me', { token: room.body.hostToken }), 403, 'FORBIDDEN');
  });
});

describe('when a host changes their password', () => {
  let account: { token: string; email: string; userId: string };
  let changed: HttpResult<{ token: string; user: { id: string } }>;

  beforeAll(async () => {
    account = await client.registerHost('Changer');
    changed = await client.request('POST', '/me/password', { token: account.token, body: { currentPassword: PASSWORD, newPassword: 'a brand new secret' } });
  });

  it('answers a new token of the same account, which works', async () => {
    expect(changed.status).toBe(200);
    expect(changed.body.user.id).toBe(account.userId);
    expect((await client.request('GET', '/me', { token: changed.body.token })).status).toBe(200);
    expect((await client.request('POST', '/rooms', { token: changed.body.token, body: { questionCount: 1 } })).status).toBe(201);
  });

  it('refuses every token issued before the change, wherever the account is read', async () => {
    const old = account.token;
    const room = await client.request<{ code: string; hostToken: string }>('POST', '/rooms', { token: changed.body.token, body: { questionCount: 1 } });
    const join = (token: string, nickname: string) => client.request('POST', `/rooms/${room.body.code}/players`, { token, body: { nickname } });
    const refusals = [
      await join(old, 'Old token'),
      await client.request('GET', '/me', { token: old }),
      await client.request('GET', '/questions', { token: old }),
      await client.request('POST', '/categories', { token: old, body: { name: 'Old token quiz' } }),
      await client.request('GET', '/me/games', { token: old }),
      await client.request('GET', '/categories', { token: old }),
      await client.request('POST', '/rooms', { token: old, body: { questionCount: 1 } }),
      await client.request('DELETE', '/me', { token: old, body: { password: 'a brand new secret' } }),
      await client.request('DELETE', `/rooms/${room.body.code}`, { token: old }),
    ];

    for (const res of refusals) expectProblem(res, 401, 'UNAUTHORIZED', /password changed.*sign in again/);
    // The refused join added nobody; the new token joins under the account.
    expect((await join(changed.body.token, 'New token')).status).toBe(201);
    const players = await client.request<{ players: { nickname: string }[] }>('GET', `/rooms/${room.body.code}/players`, { token: room.body.hostToken });
    expect(players.body.players.map((p) => p.nickname)).toEqual(['New token']);
  });

  it('signs in with the new password only', async () => {
    expectProblem(await login(account.email, PASSWORD), 401, 'INVALID_CREDENTIALS');
    expect((await login(account.email, 'a brand new secret')).status).toBe(200);
  });
});

describe('a user token signed before tokens carried a version', () => {
  it('is taken as version 0 until the password changes, then refused', async () => {
    const { userId } = await client.registerHost('Old timer');
    const legacy = jwt.sign({ kind: 'user', sub: userId, name: 'Old timer', role: 'player' }, running.config.jwtSecret, {
      algorithm: 'HS256',
      expiresIn: '1h',
    });

    const before = await client.request('GET', '/me', { token: legacy });
    await client.request('POST', '/me/password', { token: legacy, body: { currentPassword: PASSWORD, newPassword: 'a brand new secret' } });
    const after = await client.request('GET', '/me', { token: legacy });

    expect(before.status).toBe(200);
    expectProblem(after, 401, 'UNAUTHORIZED', /password changed/);
  });
});

describe('when a password change is refused', () => {
  it('a wrong current password is a 403 and changes nothing', async () => {
    const { token, email } = await client.registerHost('Wrong');

    const res = await client.request('POST', '/me/password', { token, body: { currentPassword: 'not it at all', newPassword: 'a brand new secret' } });

    expectProblem(res, 403, 'WRONG_PASSWORD');
    expect((await client.request('GET', '/me', { token })).status).toBe(200);
    expect((await login(email, PASSWORD)).status).toBe(200);
  });

  it('a new password registration would refuse, or a missing field, is a 400 naming the field, and changes nothing', async () => {
    const { token, email } = await client.registerHost('Weak');
    const change = (body: unknown) => client.request<{ errors: { path: string }[] }>('POST', '/me/password', { token, body });

    const short = await change({ currentPassword: PASSWORD, newPassword: 'Zq9!xv' });
    const common = await change({ currentPassword: PASSWORD, newPassword: 'password123' });
    const missing = await change({ newPassword: 'a brand new secret' });

    for (const res of [short, common, missing]) expectProblem(res, 400, 'BAD_REQUEST');
    expect(short.body.errors.map((e) => e.path)).toEqual(['newPassword']);
    expect(common.body.errors.map((e) => e.path)).toEqual(['newPassword']);
    expect(missing.body.errors.map((e) => e.path)).toEqual(['currentPassword']);
    expect((await client.request('GET', '/me', { token })).status).toBe(200);
    expect((await login(email, PASSWORD)).status).toBe(200);
  });

  it('wrong current passwords spend the sign-in attempts of the account: then even the right one waits, here and at sign-in', async () => {
    const { token, email } = await client.registerHost('Guesser');
    const change = (currentPassword: string) => client.request('POST', '/me/password', { token, body: { currentPassword, newPassword: 'a brand new secret' } });

    const wrong = [await change('guess one'), await change('guess two'), await change('guess three')];
    const right = await change(PASSWORD);
    const signIn = await login(email, PASSWORD);

    expect(wrong.map((r) => r.status)).toEqual([403, 403, 403]);
    expectProblem(right, 429, 'RATE_LIMITED', /sign-in attempts for this account/);
    expectProblem(signIn, 429, 'RATE_LIMITED');
    expect((await client.request('GET', '/me', { token })).status).toBe(200);
  });
});

describe('when a host deletes their account', () => {
  let gone: { token: string; email: string; userId: string };
  let other: { token: string; userId: string };
  const ids = { private: 0, public: 0, category: 0, hostedGame: '', playedGame: '', room: '', otherRoom: '' };
  let deleted: HttpResult;

  beforeAll(async () => {
    gone = await client.registerHost('Leaver');
    other = await client.registerHost('Stayer');
    const question = async (category: string, text: string) =>
      (await client.request<{ id: number }>('POST', '/questions', { token: gone.token, body: { ...QUESTION, category, text } })).body;
    const mine = await question('Leaver quiz', 'Only mine?');
    const published = await question('Leaver quiz', 'Everyone’s?');
    // As an admin publishes it (PUT with public: true).
    await db('questions').where({ id: published.id }).update({ is_public: true });
    ids.private = mine.id;
    ids.public = published.id;
    ids.category = (await db('questions').where({ id: mine.id }).first('category_id')).category_id as number;

    ids.hostedGame = await seedGame(gone.userId, [gone.userId, other.userId]);
    ids.playedGame = await seedGame(other.userId, [other.userId, gone.userId]);
    const keys = createKeys(running.namespace);
    await redis.zadd(keys.leaderboardGlobal, 500, gone.userId, 300, other.userId);
    await redis.zadd(keys.leaderboardWeekly(isoWeekOf(Date.now()).id), 500, gone.userId);
    const room = await client.request<{ code: string }>('POST', '/rooms', { token: gone.token, body: { questionCount: 1 } });
    ids.room = room.body.code;
    ids.otherRoom = (await client.request<{ code: string }>('POST', '/rooms', { token: other.token, body: { questionCount: 1 } })).body.code;

    deleted = await client.request('DELETE', '/me', { token: gone.token, body: { password: PASSWORD } });
  });

  it('answers 204, and refuses its token and its password from then on', async () => {
    expect(deleted.status).toBe(204);
    for (const res of [
      await client.request('GET', '/me', { token: gone.token }),
      await client.request('POST', '/questions', { token: gone.token, body: { ...QUESTION, category: 'Leaver quiz', text: 'Back?' } }),
      await client.request('POST', '/rooms', { token: gone.token, body: { questionCount: 1 } }),
      await client.request('POST', `/rooms/${ids.otherRoom}/players`, { token: gone.token, body: { nickname: 'Ghost' } }),
    ]) {
      expectProblem(res, 401, 'UNAUTHORIZED', /no longer exists.*sign in again/);
    }
    expectProblem(await login(gone.email, PASSWORD), 401, 'INVALID_CREDENTIALS');
  });

  it('deletes its private questions and its categories', async () => {
    expect(await db('questions').where({ id: ids.private }).first()).toBeUndefined();
    expect(await db('categories').where({ id: ids.category }).first()).toBeUndefined();
    expect(await db('categories').where({ owner_id: gone.userId }).first()).toBeUndefined();
  });

  it('keeps its public question in the bank, authorless, in the shared category of its name, for other hosts', async () => {
    const row = await db('questions').where({ id: ids.public }).first();
    const category = await db('categories').where({ id: row.category_id }).first();
    const listed = await client.request<{ items: { id: number }[] }>('GET', '/questions?category=Leaver%20quiz', { token: other.token });

    expect(row).toMatchObject({ author_id: null, is_public: true, deleted_at: null });
    expect(category).toMatchObject({ name: 'Leaver quiz', owner_id: null });
    expect(listed.body.items.map((q) => q.id)).toEqual([ids.public]);
  });

  it('keeps the games it hosted or played for the other players, without its account, its nickname as played', async () => {
    const games = await db('games').whereIn('id', [ids.hostedGame, ids.playedGame]).orderBy('id');
    const players = await db('game_players').whereIn('game_id', [ids.hostedGame, ids.playedGame]).orderBy(['game_id', 'player_id']);

    expect(games.find((g) => g.id === ids.hostedGame)).toMatchObject({ host_id: null });
    expect(games.find((g) => g.id === ids.playedGame)).toMatchObject({ host_id: other.userId });
    expect(players).toHaveLength(4);
    expect(players.filter((p) => p.user_id === null).map((p) => p.nickname)).toEqual(['Leaver', 'Leaver']);
    expect(players.filter((p) => p.user_id === other.userId)).toHaveLength(2);
  });

  it('deletes the rooms it hosted that had not ended, telling why', async () => {
    const res = await client.request('GET', `/rooms/${ids.room}`);
    const record = JSON.parse((await redis.get(createKeys(running.namespace).room(ids.room))) ?? '{}') as { phase: string; failureReason: string };

    expectProblem(res, 410, 'ROOM_DELETED');
    expect(record).toMatchObject({ phase: 'cancelled', failureReason: expect.stringMatching(/deleted their account/) });
  });

  it('takes it off the leaderboards, leaving the others', async () => {
    const keys = createKeys(running.namespace);

    expect(await redis.zscore(keys.leaderboardGlobal, gone.userId)).toBeNull();
    expect(await redis.zscore(keys.leaderboardWeekly(isoWeekOf(Date.now()).id), gone.userId)).toBeNull();
    expect(await redis.zscore(keys.leaderboardGlobal, other.userId)).toBe('300');
  });

  /** A finished game straight into PostgreSQL, as persist-results writes it; each player's nickname is their display name. */
  async function seedGame(hostId: string, userIds: string[]): Promise<string> {
    const id = randomUUID();
    gameIds.push(id);
    await db('games').insert({ id, room_code: 'ABCDEF', host_id: hostId, settings: '{}', questions: '[]', finished_at: new Date() });
    const names = new Map([
      [gone.userId, 'Leaver'],
      [other.userId, 'Stayer'],
    ]);
    await db('game_players').insert(
      userIds.map((userId, i) => ({
        game_id: id,
        player_id: `p_${i}`,
        nickname: names.get(userId),
        user_id: userId,
        score: 10,
        rank: i + 1,
        correct_count: 1,
        total_answer_ms: 100,
      })),
    );
    return id;
  }
});

describe('when a deletion is refused', () => {
  it('a wrong password is a 403, a missing one a 400, and the account stays whole', async () => {
    const { token, email } = await client.registerHost('Keeper');
    await client.request('POST', '/questions', { token, body: { ...QUESTION, category: 'Keeper quiz', text: 'Still here?' } });

    const wrong = await client.request('DELETE', '/me', { token, body: { password: 'not it at all' } });
    const missing = await client.request('DELETE', '/me', { token });

    expectProblem(wrong, 403, 'WRONG_PASSWORD');
    expectProblem(missing, 400, 'BAD_REQUEST');
    expect((await client.request('GET', '/me', { token })).status).toBe(200);
    expect((await client.request<{ total: number }>('GET', '/questions?author=me', { token })).body.total).toBe(1);
    expect((await login(email, PASSWORD)).status).toBe(200);
  });
});
