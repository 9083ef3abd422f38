import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transition } from '../../src/game/room-machine';
import type { RoomState } from '../../src/game/room-state';
import type { Question, RoomSettings } from '../../src/shared/room';
import { type AnswerStore, createAnswerStore } from '../../src/store/answer-store';
import { type Keys, createKeys } from '../../src/store/keys';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { type RoomStore, createRoomStore } from '../../src/store/room-store';
import { deleteNamespace, infra, testNamespace } from '../helpers/infra';
import { TIMING } from '../helpers/timing';
import { SETTINGS, openQuestionRoom } from '../unit/fixtures';

/**
 * Equal points are ranked by the lower total time, which the reveal settles (transition.lua.ts): a correct
 * answer's counted time, the whole question time for a wrong answer or none. Real Redis, real scripts.
 */

const QUESTION: Question = {
  id: 1,
  category: 'Science',
  difficulty: 'easy',
  type: 'multiple',
  text: 'Largest planet?',
  choices: ['Mars', 'Venus', 'Jupiter', 'Mercury'],
  correct: [2],
  accepted: [],
};
const CORRECT = 2;
const WRONG = 1;
const QUESTION_SECONDS = 20;

let redis: QuizRedis;
let keys: Keys;
let rooms: RoomStore;
let answers: AnswerStore;

beforeAll(() => {
  keys = createKeys(testNamespace('tie-break'));
  redis = createRedis(infra().redisUrl, { name: 'test-tie-break' });
  rooms = createRoomStore({ redis, keys, ttlSeconds: 600, instance: { id: 'test-socket', leaseMs: 60_000 } });
  answers = createAnswerStore({ redis, keys, rules: TIMING });
});

afterAll(async () => {
  await deleteNamespace(infra().redisUrl, keys.namespace);
  await redis.quit();
});

/** A room whose one question opened 2 s ago by Redis's clock, with players ann, bob and cid (all online). */
async function openRoom(settings: Partial<RoomSettings>): Promise<RoomState> {
  const [s, us] = await redis.time();
  const now = Number(s) * 1000 + Math.floor(Number(us) / 1000);
  const room = openQuestionRoom(now, {
    settings: { ...SETTINGS, questionCount: 1, questionSeconds: QUESTION_SECONDS, ...settings },
    phaseStartedAt: now - 2000,
    openedAt: now - 2000,
    deadlineAt: now + 18_000,
  });
  expect(await rooms.create(room, { type: 'room.created', roomCode: room.code, version: room.version, at: now })).not.toBeNull();
  await rooms.saveQuestions(room.code, [QUESTION]);
  for (const id of ['ann', 'bob', 'cid']) {
    expect(await rooms.join(room.code, { id, nickname: id, userId: null, joinedAt: 0 })).toBe('ok');
    // In the room before the question opened (the join stamps Redis's now): timed from the opening.
    await redis.hset(keys.players(room.code), id, JSON.stringify({ id, nickname: id, userId: null, joinedAt: now - 5000 }));
    await rooms.presence(room.code, id, 1);
  }
  return room;
}

async function reveal(room: RoomState): Promise<void> {
  const r = transition(room, { type: 'advance' });
  if (!r.ok) throw new Error(r.reason);
  expect((await rooms.apply(room.version, r)).ok).toBe(true);
}

const order = (code: string) => redis.zrange(keys.ranking(code), 0, -1);
const times = async (code: string) => Object.fromEntries(Object.entries(await redis.hgetall(keys.times(code))).map(([id, ms]) => [id, Number(ms)]));

describe('the tie-break at a reveal', () => {
  it('ranks a correct answer above no answer in a room for no points, where everyone has 0 points', async () => {
    const room = await openRoom({ pointsPerQuestion: 0 });
    expect(await answers.submit(room.code, 'cid', 0, { choice: CORRECT })).toMatchObject({ ok: true, points: 0 });

    await reveal(room);

    // ann and bob let the question pass: each is charged the whole question, and their order is by id.
    expect(await order(room.code)).toEqual(['cid', 'ann', 'bob']);
    const t = await times(room.code);
    expect(t.cid).toBeGreaterThan(1000);
    expect(t.cid).toBeLessThan(QUESTION_SECONDS * 1000);
    expect(t).toMatchObject({ ann: QUESTION_SECONDS * 1000, bob: QUESTION_SECONDS * 1000 });
  });

  it('charges a wrong answer the whole question time, as no answer, so answering wrong fast gains nothing', async () => {
    const room = await openRoom({});
    expect(await answers.submit(room.code, 'bob', 0, { choice: WRONG })).toMatchObject({ ok: true, points: 0 });
    expect(await answers.submit(room.code, 'cid', 0, { choice: CORRECT })).toMatchObject({ ok: true });

    await reveal(room);

    expect(await times(room.code)).toMatchObject({ ann: QUESTION_SECONDS * 1000, bob: QUESTION_SECONDS * 1000 });
    expect(await order(room.code)).toEqual(['cid', 'ann', 'bob']);
  });
});
