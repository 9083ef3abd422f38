import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankKey } from '../../src/game/scoring/ranking';
import { createKeys } from '../../src/store/keys';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import type { StandingsPage } from '../../src/shared/room';
import type { ApiClient, CreatedRoom } from '../helpers/api-client';
import { startInProcessApi } from '../helpers/in-process-api';
import { infra } from '../helpers/infra';

const PAGE_MAX = 7;
const PLAYERS = 23;

let running: Awaited<ReturnType<typeof startInProcessApi>>;
let client: ApiClient;
let redis: QuizRedis;
let room: CreatedRoom;
/** Nicknames by the score each was given, best first. */
const expected: string[] = [];

beforeAll(async () => {
  running = await startInProcessApi('standings', { STANDINGS_PAGE_MAX: String(PAGE_MAX) });
  client = running.client;
  redis = createRedis(infra().redisUrl, { name: 'test-standings' });
  const host = await client.registerHost('Standings host');
  room = await client.createRoom(host.token, { questionCount: 3, questionSeconds: 10, revealSeconds: 2 });
  const keys = createKeys(running.namespace);
  const joined: { playerId: string; nickname: string }[] = [];
  for (let i = 0; i < PLAYERS; i++) {
    const nickname = `Runner ${i}`;
    joined.push({ ...(await client.join(room.code, nickname)), nickname });
  }
  // Standings as reveals leave them (see transition.lua): points and cumulative time, in both sorted sets.
  const tx = redis.multi();
  joined.forEach((p, i) => {
    const score = (i % 5) * 100;
    const totalMs = 1000 + (i % 3);
    tx.zadd(keys.scores(room.code), score, p.playerId).zadd(keys.ranking(room.code), rankKey(score, totalMs), p.playerId);
  });
  await tx.exec();
  const ranked = joined
    .map((p, i) => ({ ...p, score: (i % 5) * 100, totalMs: 1000 + (i % 3) }))
    .sort((a, b) => b.score - a.score || a.totalMs - b.totalMs || (a.playerId < b.playerId ? -1 : 1));
  expected.push(...ranked.map((p) => p.nickname));
}, 60_000);

afterAll(async () => {
  await redis?.quit();
  await running?.stop();
});

describe('GET /rooms/{code}/standings', () => {
  it('pages every player once, in rank order, with ranks counted from the offset', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < PLAYERS; offset += PAGE_MAX) {
      const res = await client.request<StandingsPage>('GET', `/rooms/${room.code}/standings?offset=${offset}&limit=${PAGE_MAX}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: PLAYERS, offset, limit: PAGE_MAX });
      expect(res.body.entries.map((e) => e.rank)).toEqual(Array.from({ length: Math.min(PAGE_MAX, PLAYERS - offset) }, (_, i) => offset + i + 1));
      expect(res.body.entries.every((e) => Object.keys(e).sort().join() === 'nickname,rank,score')).toBe(true);
      seen.push(...res.body.entries.map((e) => e.nickname));
    }
    expect(seen).toEqual(expected);
  });

  it('gives STANDINGS_PAGE_MAX players when no limit is asked for, and none past the end', async () => {
    expect((await client.standings(room.code, 0, PAGE_MAX)).entries).toHaveLength(PAGE_MAX);
    const res = await client.request<StandingsPage>('GET', `/rooms/${room.code}/standings`);
    expect(res.body).toMatchObject({ offset: 0, limit: PAGE_MAX, total: PLAYERS });
    expect(res.body.entries.map((e) => e.nickname)).toEqual(expected.slice(0, PAGE_MAX));
    expect((await client.standings(room.code, PLAYERS + 5, 3)).entries).toEqual([]);
  });

  it('shows the same top as the view', async () => {
    const view = await client.room(room.code);
    expect(view.leaderboard.map((e) => e.nickname)).toEqual(expected.slice(0, 10));
    expect(view.playerCount).toBe(PLAYERS);
  });

  it.each([
    ['a limit above STANDINGS_PAGE_MAX', `limit=${PAGE_MAX + 1}`],
    ['a limit of 0', 'limit=0'],
    ['a negative offset', 'offset=-1'],
    ['an offset that is not a number', 'offset=ten'],
  ])('refuses %s with a 400 problem', async (_, query) => {
    const res = await client.request<{ code: string }>('GET', `/rooms/${room.code}/standings?${query}`);
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('BAD_REQUEST');
  });

  it('answers 404 for a room that does not exist', async () => {
    const res = await client.request('GET', '/rooms/ZZZZZZ/standings');
    expect(res.status).toBe(404);
  });
});
