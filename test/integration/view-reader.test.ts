import { randomUUID } from 'node:crypto';
import { SETTINGS, roomIn } from '../unit/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transition } from '../../src/game/room-machine';
import { TIE_BREAK_CHARGED, rankPlayers } from '../../src/game/scoring/ranking';
import { generateRoomCode } from '../../src/game/room-code';
import type { Question } from '../../src/shared/room';
import type { RoomState } from '../../src/game/room-state';
import { type AnswerStore, createAnswerStore } from '../../src/store/answer-store';
import { TIMING } from '../helpers/timing';
import { type Keys, createKeys } from '../../src/store/keys';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { type RoomStore, createRoomStore } from '../../src/store/room-store';
import { type ViewReader, createViewReader } from '../../src/store/view-reader';
import { deleteNamespace, infra, testNamespace } from '../helpers/infra';

const QUESTIONS: Question[] = [
  {
    id: 1,
    category: 'Art',
    difficulty: 'easy',
    type: 'multiple',
    text: 'Who painted the Mona Lisa?',
    choices: ['Leonardo', 'Raphael', 'Titian'],
    correct: [0],
    accepted: [],
  },
  { id: 2, category: 'Art', difficulty: 'easy', type: 'boolean', text: 'Monet was an impressionist.', choices: ['True', 'False'], correct: [0], accepted: [] },
];
const PLAYERS = [
  { id: 'p_right', nickname: 'Right' },
  { id: 'p_wrong', nickname: 'Wrong' },
];

let redis: QuizRedis;
let keys: Keys;
let rooms: RoomStore;
let answers: AnswerStore;
let views: ViewReader;

/** A room played through the real transitions up to question 0 open, its players joined (and online, unless a crowd). */
async function roomAtQuestion0(players: { id: string; nickname: string }[] = PLAYERS): Promise<RoomState> {
  const now = Date.now();
  let room: RoomState = roomIn({
    code: generateRoomCode(),
    gameId: randomUUID(),
    hostId: 'host',
    hostName: 'Host',
    settings: { ...SETTINGS, questionCount: 2, questionSeconds: 20, revealSeconds: 3 },
    createdAt: now,
  });
  await rooms.create(room, { type: 'room.created', roomCode: room.code, version: 1, at: now });
  await rooms.saveQuestions(room.code, QUESTIONS);
  if (players === PLAYERS) {
    for (const p of PLAYERS) {
      await rooms.join(room.code, { ...p, userId: null, joinedAt: now });
      await rooms.presence(room.code, p.id, 1);
    }
  } else await Promise.all(players.map((p) => rooms.join(room.code, { ...p, userId: null, joinedAt: now })));
  for (const t of [{ type: 'prepared', questionCount: 2 }, { type: 'start' }] as const) room = await advance(room, t);
  return room;
}

async function advance(room: RoomState, t: Parameters<typeof transition>[1] = { type: 'advance' }): Promise<RoomState> {
  const r = transition(room, t);
  if (!r.ok) throw new Error(r.reason);
  const applied = await rooms.apply(room.version, r);
  if (!applied.ok) throw new Error(applied.code);
  return applied.room;
}

/** Each player's own state at the room's version, which must still be current. */
async function ownStates(room: RoomState) {
  const states = await views.you(room.code, room, PLAYERS);
  if (!states) throw new Error(`room ${room.code} is no longer at version ${room.version}`);
  return states;
}

beforeAll(() => {
  keys = createKeys(testNamespace('view-reader'));
  redis = createRedis(infra().redisUrl, { name: 'test-view-reader' });
  rooms = createRoomStore({ redis, keys, ttlSeconds: 600, instance: { id: 'test-socket', leaseMs: 60_000 } });
  answers = createAnswerStore({ redis, keys, rules: TIMING });
  views = createViewReader({ redis, keys });
});

afterAll(async () => {
  await deleteNamespace(infra().redisUrl, keys.namespace);
  await redis.quit();
});

describe('views read from Redis', () => {
  describe('after the reveal', () => {
    it("tells each player their answer's result, points, score and streak", async () => {
      const room = await roomAtQuestion0();
      await answers.submit(room.code, 'p_right', 0, { choice: 0 });
      await answers.submit(room.code, 'p_wrong', 0, { choice: 2 });
      const revealed = await advance(room);

      const you = await ownStates(revealed);
      const view = await views.view(revealed, QUESTIONS);

      const right = you.get('p_right');
      expect(right).toMatchObject({ rank: 1, streak: 1, answer: { questionIndex: 0, choice: 0, correct: true } });
      expect(right?.score).toBe(right?.answer?.points);
      expect(right?.score).toBeGreaterThan(900);
      expect(you.get('p_wrong')).toMatchObject({ score: 0, rank: 2, streak: 0, answer: { choice: 2, correct: false, points: 0 } });
      expect(view.reveal).toEqual({ correctChoices: [0], acceptedAnswers: [], distribution: [1, 0, 1], correctCount: 1 });
      expect(view.leaderboard.map((e) => e.nickname)).toEqual(['Right', 'Wrong']);
    });
  });

  describe('while the question is open', () => {
    it('shows how many answered and the question, without its answer', async () => {
      const room = await roomAtQuestion0();
      await answers.submit(room.code, 'p_right', 0, { choice: 0 });

      const view = await views.view(room, QUESTIONS);

      expect(view).toMatchObject({ phase: 'question', answeredCount: 1, playerCount: 2, reveal: null });
      expect(view.question).not.toHaveProperty('answer');
    });

    // Scores, streaks and times settle at the reveal; a `room:sync` or a reconnect during the question
    // must not tell a player, through score, streak or rank, whether their answer was right.
    it('does not let score, streak, rank or leaderboard tell whether an answer was right', async () => {
      const room = await roomAtQuestion0();
      const before = await ownStates(room);
      const boardBefore = (await views.view(room, QUESTIONS)).leaderboard;

      await answers.submit(room.code, 'p_right', 0, { choice: 0 });
      await answers.submit(room.code, 'p_wrong', 0, { choice: 2 });
      const after = await ownStates(room);
      const boardAfter = (await views.view(room, QUESTIONS)).leaderboard;

      for (const p of PLAYERS) {
        const { score, streak, rank } = after.get(p.id) ?? {};
        expect({ score, streak, rank }, p.nickname).toEqual({
          score: before.get(p.id)?.score,
          streak: before.get(p.id)?.streak,
          rank: before.get(p.id)?.rank,
        });
      }
      expect(boardAfter).toEqual(boardBefore);
    });

    it('keeps the standings of the last reveal through the next question, then settles it at its reveal', async () => {
      let room = await roomAtQuestion0();
      await answers.submit(room.code, 'p_right', 0, { choice: 0 });
      room = await advance(await advance(room)); // reveal 0, then question 1
      const settled = await ownStates(room);
      expect(settled.get('p_right')).toMatchObject({ rank: 1, streak: 1 });
      expect(settled.get('p_wrong')).toMatchObject({ score: 0, rank: 2, streak: 0 });

      await answers.submit(room.code, 'p_right', 1, { choice: 1 });
      await answers.submit(room.code, 'p_wrong', 1, { choice: 0 });
      const during = await ownStates(room);
      for (const p of PLAYERS)
        expect(during.get(p.id), p.nickname).toMatchObject({
          score: settled.get(p.id)?.score,
          streak: settled.get(p.id)?.streak,
          rank: settled.get(p.id)?.rank,
        });

      const revealed = await advance(room);
      const after = await ownStates(revealed);
      expect(after.get('p_right')).toMatchObject({ score: settled.get('p_right')?.score, streak: 0 });
      expect(after.get('p_wrong')?.score).toBeGreaterThan(0);
      expect(after.get('p_wrong')?.streak).toBe(1);
    });
  });
});

describe('a room of 10,000 players', () => {
  const CROWD = 10_000;
  let finished: RoomState;
  const crowd = Array.from({ length: CROWD }, (_, i) => ({ id: `p_${String(i).padStart(5, '0')}_${randomUUID().slice(0, 4)}`, nickname: `Player ${i}` }));

  beforeAll(async () => {
    let room = await roomAtQuestion0(crowd);
    // Right, wrong or no answer, at arrival times spread over the question: scores and times of every kind, ties too.
    // The answer script clamps a stamp to its own clock, so every stamp must lie in the past when it is submitted:
    // wait out the spread first, or a fast machine submits them all within a few ms and they collapse into a few scores.
    const opened = room.openedAt ?? Date.now();
    const SPREAD_MS = 40 * 100;
    await new Promise((resolve) => setTimeout(resolve, Math.max(opened + SPREAD_MS + 50 - Date.now(), 0)));
    await Promise.all(
      crowd.map((p, i) =>
        i % 7 === 0
          ? null
          : answers.submit(
              room.code,
              p.id,
              0,
              { choice: i % 3 === 0 ? 1 : 0 },
              { arrivedAt: opened + ((i % 40) * SPREAD_MS) / 40, loopBusyMs: null, rttMs: null, reportedMs: null },
            ),
      ),
    );
    room = await advance(room); // reveal 0: settled
    finished = await advance(room, { type: 'end' });
  }, 120_000);

  it('keeps the ranking sorted set in the order rankPlayers gives the scores and times', async () => {
    const [scores, times] = await Promise.all([redis.zrange(keys.scores(finished.code), 0, -1, 'WITHSCORES'), redis.hgetall(keys.times(finished.code))]);
    const rows: { playerId: string; score: number; totalMs: number }[] = [];
    for (let i = 0; i + 1 < scores.length; i += 2)
      // The tie-break time: the charge every player shares, less what this player's correct answers saved (ranking.ts).
      rows.push({ playerId: scores[i] ?? '', score: Number(scores[i + 1]), totalMs: Number(times[TIE_BREAK_CHARGED]) - Number(times[scores[i] ?? ''] ?? 0) });
    const expected = rankPlayers(rows).map((r) => r.playerId);

    expect(rows).toHaveLength(CROWD);
    expect(new Set(rows.map((r) => r.score)).size).toBeGreaterThan(10);
    expect(await redis.zrange(keys.ranking(finished.code), 0, -1)).toEqual(expected);
    expect((await views.standings(finished.code)).map((r) => r.playerId)).toEqual(expected);
  });

  it('sends a finished view of a few KB: the top of the leaderboard, the podium and counts, not every player', async () => {
    const view = await views.view(finished, QUESTIONS);
    const ranked = await views.standings(finished.code);

    expect(view.phase).toBe('finished');
    expect(view.playerCount).toBe(CROWD);
    expect(view.leaderboard).toHaveLength(10);
    expect(view.leaderboard.map((e) => e.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(view.leaderboard.map((e) => e.score)).toEqual(ranked.slice(0, 10).map((r) => r.score));
    expect(view.podium).toEqual(view.leaderboard.slice(0, 3));
    expect(JSON.stringify(view).length).toBeLessThan(4096);
  });

  it('gives each player their own rank, score and streak in a small state of their own', async () => {
    const ranked = await views.standings(finished.code);
    const sample = [ranked[0], ranked[4321], ranked.at(-1)].map((r) => crowd.find((p) => p.id === r?.playerId) ?? { id: '', nickname: '' });
    const own = await views.you(finished.code, finished, sample);

    for (const p of sample) {
      const expected = ranked.find((r) => r.playerId === p.id);
      expect(own?.get(p.id)).toMatchObject({ playerId: p.id, rank: expected?.rank, score: expected?.score });
      expect(JSON.stringify(own?.get(p.id)).length).toBeLessThan(512);
    }
  });

  it('reads the own states of every player at once with the same ranks, scores and streaks', async () => {
    const ranked = await views.standings(finished.code);
    const own = await views.you(finished.code, finished, crowd);
    const streaks = await redis.hgetall(keys.streaks(finished.code));

    expect(own?.size).toBe(CROWD);
    for (const r of ranked) {
      expect(own?.get(r.playerId)).toMatchObject({ rank: r.rank, score: r.score, streak: Number(streaks[r.playerId] ?? 0) });
    }
  });

  it('pages the full standings: every player once, in rank order', async () => {
    const ranked = await views.standings(finished.code);
    const seen: string[] = [];
    for (let offset = 0; offset < CROWD; offset += 1000) {
      const page = await views.page(finished.code, offset, 1000);
      expect(page).toMatchObject({ total: CROWD, offset, limit: 1000 });
      expect(page.entries.map((e) => e.rank)).toEqual(Array.from({ length: 1000 }, (_, i) => offset + i + 1));
      seen.push(...page.entries.map((e) => e.nickname));
    }
    const nickname = new Map(crowd.map((p) => [p.id, p.nickname]));
    expect(seen).toEqual(ranked.map((r) => nickname.get(r.playerId)));
    expect((await views.page(finished.code, CROWD, 10)).entries).toEqual([]);
  });
});
