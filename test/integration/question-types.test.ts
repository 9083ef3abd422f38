import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transition } from '../../src/game/room-machine';
import type { Question } from '../../src/shared/room';
import type { RoomState, StoredAnswer } from '../../src/game/room-state';
import { type AnswerStore, createAnswerStore } from '../../src/store/answer-store';
import { TIMING } from '../helpers/timing';
import { type Keys, createKeys } from '../../src/store/keys';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { type RoomStore, createRoomStore } from '../../src/store/room-store';
import { createViewReader } from '../../src/store/view-reader';
import { deleteNamespace, infra, testNamespace } from '../helpers/infra';
import { SETTINGS, openQuestionRoom } from '../unit/fixtures';

const base = { category: 'Science', difficulty: 'easy' as const };
const MULTI: Question = {
  ...base,
  id: 1,
  type: 'multiple',
  text: 'Which are gas giants?',
  choices: ['Mars', 'Jupiter', 'Venus', 'Saturn'],
  correct: [1, 3],
  accepted: [],
};
const TYPED: Question = {
  ...base,
  id: 2,
  type: 'type-answer',
  text: 'Capital of Iceland?',
  choices: [],
  correct: [],
  accepted: ['Reykjavík', 'Reykjavik city'],
};
const POLL: Question = { ...base, id: 3, type: 'poll', text: 'Favourite planet?', choices: ['Mars', 'Jupiter', 'Saturn'], correct: [], accepted: [] };

let redis: QuizRedis;
let keys: Keys;
let rooms: RoomStore;
let answers: AnswerStore;

async function redisNow(): Promise<number> {
  const [s, us] = await redis.time();
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
}

/** A room whose only question is `q`, open now, with ann and bob online; `streaks` are settled streaks from earlier questions. */
async function openRoom(q: Question, opts: { streakBonus?: boolean; streaks?: Record<string, number> } = {}): Promise<RoomState> {
  const now = await redisNow();
  const room = openQuestionRoom(now, {
    settings: { ...SETTINGS, questionCount: 1, revealSeconds: 3, streakBonus: opts.streakBonus ?? false },
  });
  expect(await rooms.create(room, { type: 'room.created', roomCode: room.code, version: room.version, at: now })).not.toBeNull();
  await rooms.saveQuestions(room.code, [q]);
  for (const id of ['ann', 'bob']) {
    expect(await rooms.join(room.code, { id, nickname: id, userId: null, joinedAt: now })).toBe('ok');
    await rooms.presence(room.code, id, 1);
  }
  for (const [id, streak] of Object.entries(opts.streaks ?? {})) await redis.hset(keys.streaks(room.code), id, streak);
  return room;
}

async function reveal(room: RoomState): Promise<RoomState> {
  const r = transition(room, { type: 'advance' });
  if (!r.ok) throw new Error(r.reason);
  const applied = await rooms.apply(room.version, r);
  if (!applied.ok) throw new Error(applied.code);
  return applied.room;
}

const stored = async (room: RoomState, player: string) => {
  const raw = await redis.hget(keys.answers(room.code, 0), player);
  return raw ? (JSON.parse(raw) as StoredAnswer) : null;
};
/** A player's running streak as the scripts read it: a player with none has no field. */
const streak = async (room: RoomState, player: string) => Number((await redis.hget(keys.streaks(room.code), player)) ?? 0);
const score = async (room: RoomState, player: string) => Number(await redis.zscore(keys.scores(room.code), player));

beforeAll(() => {
  keys = createKeys(testNamespace('question-types'));
  redis = createRedis(infra().redisUrl, { name: 'test-question-types' });
  rooms = createRoomStore({ redis, keys, ttlSeconds: 600, instance: { id: 'test-socket', leaseMs: 60_000 } });
  answers = createAnswerStore({ redis, keys, rules: TIMING });
});

afterAll(async () => {
  await deleteNamespace(infra().redisUrl, keys.namespace);
  await redis.quit();
});

describe('the answer script, by question type', () => {
  describe('a multiple-choice question with several correct choices', () => {
    it('counts a pick of any correct choice as correct, and any other as wrong', async () => {
      const room = await openRoom(MULTI);

      const ann = await answers.submit(room.code, 'ann', 0, { choice: 3 });
      const bob = await answers.submit(room.code, 'bob', 0, { choice: 0 });

      expect(ann).toMatchObject({ ok: true, points: expect.any(Number) });
      expect(await stored(room, 'ann')).toMatchObject({ choice: 3, correct: true });
      expect(await stored(room, 'bob')).toMatchObject({ choice: 0, correct: false, points: 0 });
      expect(bob).toMatchObject({ ok: true, points: 0 });
      await reveal(room);
      expect(await score(room, 'ann')).toBeGreaterThan(500);
      expect(await score(room, 'bob')).toBe(0);
    });

    it('refuses text with WRONG_ANSWER_TYPE, and records nothing', async () => {
      const room = await openRoom(MULTI);

      const result = await answers.submit(room.code, 'ann', 0, { text: 'Jupiter' });

      expect(result).toMatchObject({ ok: false, code: 'WRONG_ANSWER_TYPE' });
      expect(await stored(room, 'ann')).toBeNull();
    });
  });

  describe('a type-answer question', () => {
    it('accepts a variant whatever its case, accents and spacing', async () => {
      const room = await openRoom(TYPED);

      const ann = await answers.submit(room.code, 'ann', 0, { text: '  REYKJAVIK   City ' });
      const bob = await answers.submit(room.code, 'bob', 0, { text: 'reykjavík' });

      expect(ann).toMatchObject({ ok: true });
      expect(bob).toMatchObject({ ok: true });
      expect(await stored(room, 'ann')).toMatchObject({ choice: null, text: 'REYKJAVIK   City', correct: true });
      expect(await stored(room, 'bob')).toMatchObject({ choice: null, text: 'reykjavík', correct: true });
    });

    it('scores a wrong text 0 and breaks the streak at the reveal', async () => {
      const room = await openRoom(TYPED, { streaks: { ann: 2 } });

      await answers.submit(room.code, 'ann', 0, { text: 'Oslo' });
      await reveal(room);

      expect(await stored(room, 'ann')).toMatchObject({ correct: false, points: 0, text: 'Oslo' });
      expect(await streak(room, 'ann')).toBe(0);
    });

    it('refuses a choice with WRONG_ANSWER_TYPE', async () => {
      const room = await openRoom(TYPED);

      expect(await answers.submit(room.code, 'ann', 0, { choice: 0 })).toMatchObject({ ok: false, code: 'WRONG_ANSWER_TYPE' });
    });

    it('shows the accepted answers and how many typed one at the reveal', async () => {
      const room = await openRoom(TYPED);
      await answers.submit(room.code, 'ann', 0, { text: 'Reykjavik' });
      await answers.submit(room.code, 'bob', 0, { text: 'Oslo' });

      const view = await createViewReader({ redis, keys }).view(await reveal(room), [TYPED]);

      expect(view.reveal).toEqual({ correctChoices: [], acceptedAnswers: ['Reykjavík', 'Reykjavik city'], distribution: [], correctCount: 1 });
    });
  });

  describe('a poll', () => {
    it('scores nothing, calls nothing correct, and leaves every streak as it was', async () => {
      const room = await openRoom(POLL, { streakBonus: true, streaks: { ann: 3, bob: 2 } });

      const ann = await answers.submit(room.code, 'ann', 0, { choice: 1 });
      const revealed = await reveal(room);

      expect(ann).toMatchObject({ ok: true, points: 0 });
      expect(await stored(room, 'ann')).toMatchObject({ choice: 1, correct: false, points: 0, streak: 3 });
      expect(await score(room, 'ann')).toBe(0);
      expect(await streak(room, 'ann')).toBe(3);
      // Bob did not vote: on any other question that would end his streak.
      expect(await streak(room, 'bob')).toBe(2);
      const view = await createViewReader({ redis, keys }).view(revealed, [POLL]);
      expect(view.reveal).toEqual({ correctChoices: [], acceptedAnswers: [], distribution: [0, 1, 0], correctCount: 0 });
    });

    it('refuses a choice that is not offered', async () => {
      const room = await openRoom(POLL);

      expect(await answers.submit(room.code, 'ann', 0, { choice: 3 })).toMatchObject({ ok: false, code: 'INVALID_CHOICE' });
    });
  });
});
