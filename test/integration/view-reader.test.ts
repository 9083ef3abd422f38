import { randomUUID } from 'node:crypto';
import { SETTINGS, roomIn } from '../unit/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transition } from '../../src/game/room-machine';
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

/** A room played through the real transitions up to question 0 open, both players joined and online. */
async function roomAtQuestion0(): Promise<RoomState> {
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
  for (const p of PLAYERS) {
    await rooms.join(room.code, { ...p, userId: null, joinedAt: now });
    await rooms.presence(room.code, p.id, 1);
  }
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

      const you = await views.you(revealed, PLAYERS);
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
      const before = await views.you(room, PLAYERS);
      const boardBefore = (await views.view(room, QUESTIONS)).leaderboard;

      await answers.submit(room.code, 'p_right', 0, { choice: 0 });
      await answers.submit(room.code, 'p_wrong', 0, { choice: 2 });
      const after = await views.you(room, PLAYERS);
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
      const settled = await views.you(room, PLAYERS);
      expect(settled.get('p_right')).toMatchObject({ rank: 1, streak: 1 });
      expect(settled.get('p_wrong')).toMatchObject({ score: 0, rank: 2, streak: 0 });

      await answers.submit(room.code, 'p_right', 1, { choice: 1 });
      await answers.submit(room.code, 'p_wrong', 1, { choice: 0 });
      const during = await views.you(room, PLAYERS);
      for (const p of PLAYERS)
        expect(during.get(p.id), p.nickname).toMatchObject({
          score: settled.get(p.id)?.score,
          streak: settled.get(p.id)?.streak,
          rank: settled.get(p.id)?.rank,
        });

      const revealed = await advance(room);
      const after = await views.you(revealed, PLAYERS);
      expect(after.get('p_right')).toMatchObject({ score: settled.get('p_right')?.score, streak: 0 });
      expect(after.get('p_wrong')?.score).toBeGreaterThan(0);
      expect(after.get('p_wrong')?.streak).toBe(1);
    });
  });
});
