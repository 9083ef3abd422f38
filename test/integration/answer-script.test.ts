import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalRedis } from '../../src/local/local-redis';
import { transition } from '../../src/game/room-machine';
import type { Question, RoomSettings } from '../../src/shared/room';
import type { RoomState, StoredAnswer } from '../../src/game/room-state';
import { type AnswerStore, createAnswerStore } from '../../src/store/answer-store';
import { TIMING } from '../helpers/timing';
import { type Keys, createKeys } from '../../src/store/keys';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { type RoomStore, createRoomStore } from '../../src/store/room-store';
import { type ViewReader, createViewReader } from '../../src/store/view-reader';
import { countedMs, speedPoints, streakBonus } from '../../src/game/scoring/scoring';
import { deleteNamespace, infra, sleep, testNamespace } from '../helpers/infra';
import { SETTINGS, openQuestionRoom } from '../unit/fixtures';

const QUESTIONS: Question[] = [
  {
    id: 1,
    category: 'Science',
    difficulty: 'easy',
    type: 'multiple',
    text: 'Largest planet?',
    choices: ['Mars', 'Venus', 'Jupiter', 'Mercury'],
    correct: [2],
    accepted: [],
  },
  {
    id: 2,
    category: 'Science',
    difficulty: 'easy',
    type: 'boolean',
    text: 'Water boils at 100 °C at sea level.',
    choices: ['True', 'False'],
    correct: [0],
    accepted: [],
  },
];
const CORRECT = 2;
const WRONG = 1;

let redis: QuizRedis;
let keys: Keys;
let rooms: RoomStore;
let answers: AnswerStore;
let views: ViewReader;

/** Redis's own clock, the one the answer script reads. */
async function redisNow(on: QuizRedis = redis): Promise<number> {
  const [s, us] = await on.time();
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
}

/**
 * A room with question 0 open, three players who joined before it opened (ann, bob online; cid joined but
 * offline), opened and due relative to Redis's clock.
 */
async function openRoom(
  opts: { settings?: Partial<RoomSettings>; openedAgoMs?: number; dueInMs?: number; phase?: RoomState['phase'] } = {},
  on: { redis: QuizRedis; rooms: RoomStore } = { redis, rooms },
) {
  const created = openQuestionRoom(await redisNow(on.redis), { settings: { ...SETTINGS, questionCount: 2, revealSeconds: 3, ...opts.settings } });
  expect(await on.rooms.create(created, { type: 'room.created', roomCode: created.code, version: created.version, at: created.createdAt })).not.toBeNull();
  await on.rooms.saveQuestions(created.code, QUESTIONS);
  for (const nickname of ['ann', 'bob', 'cid']) {
    expect(await on.rooms.join(created.code, { id: nickname, nickname, userId: null, joinedAt: 0 })).toBe('ok');
  }
  await on.rooms.presence(created.code, 'ann', 1);
  await on.rooms.presence(created.code, 'bob', 1);
  // Opened `openedAgoMs` ago, after everyone joined: join.lua stamps the join with Redis TIME, so it is set back to the opening.
  // Players join only rooms that are still running, so the other phases are written after they joined too.
  const now = await redisNow(on.redis);
  const at = now - (opts.openedAgoMs ?? 0);
  for (const nickname of ['ann', 'bob', 'cid']) {
    await on.redis.hset(keys.players(created.code), nickname, JSON.stringify({ id: nickname, nickname, userId: null, joinedAt: at }));
  }
  const room: RoomState = { ...created, phase: opts.phase ?? created.phase, phaseStartedAt: at, openedAt: at, deadlineAt: now + (opts.dueInMs ?? 60_000) };
  await on.redis.set(keys.room(room.code), JSON.stringify(room), 'KEEPTTL');
  return room;
}

/** Applies a host's pause or resume through the real transition; the record as written. */
async function applied(room: RoomState, type: 'pause' | 'resume'): Promise<RoomState> {
  const r = transition(room, { type });
  if (!r.ok) throw new Error(r.reason);
  const written = await rooms.apply(room.version, r);
  if (!written.ok) throw new Error(written.code);
  return written.room;
}

/** Moves the open question to its reveal through the real transition, which settles its answers. */
async function reveal(room: RoomState): Promise<void> {
  const r = transition(room, { type: 'advance' });
  if (!r.ok) throw new Error(r.reason);
  expect((await rooms.apply(room.version, r)).ok).toBe(true);
}

/** The room's `question.closable` events (its stream is shared with other rooms): what closes a question early. */
const closableEvents = async (code: string) =>
  ((await redis.xrange(keys.events(code), '-', '+')) as [string, string[]][]).filter(
    ([, [, type, , event = '{}']]) => type === 'question.closable' && (JSON.parse(event) as { roomCode?: string }).roomCode === code,
  ).length;
const score = async (code: string, player: string) => Number(await redis.zscore(keys.scores(code), player));
/** A player's running streak as the scripts read it: a player with none has no field. */
const streak = async (code: string, player: string) => Number((await redis.hget(keys.streaks(code), player)) ?? 0);
/** Each player's tie-break time as the standings read it (view-reader.ts): the shared charge less their saving. */
const tieBreakTimes = async (code: string) => Object.fromEntries((await views.standings(code)).map((r) => [r.playerId, r.totalMs]));
const stored = async (code: string, index: number, player: string) => {
  const raw = await redis.hget(keys.answers(code, index), player);
  return raw ? (JSON.parse(raw) as StoredAnswer) : null;
};

/** An answer's timing with nothing but its arrival: no round trip, no busy loop, no report. */
const UNREPORTED = { arrivedAt: null, loopBusyMs: null, rttMs: null, reportedMs: null };

beforeAll(() => {
  keys = createKeys(testNamespace('answer-script'));
  redis = createRedis(infra().redisUrl, { name: 'test-answer-script' });
  rooms = createRoomStore({ redis, keys, ttlSeconds: 600, instance: { id: 'test-socket', leaseMs: 60_000 } });
  answers = createAnswerStore({ redis, keys, rules: TIMING });
  views = createViewReader({ redis, keys });
});

afterAll(async () => {
  await deleteNamespace(infra().redisUrl, keys.namespace);
  await redis.quit();
});

describe('the answer script', () => {
  describe('when a player answers an open question', () => {
    it('reads an answer key stored before question types (one correct index) as one correct choice', async () => {
      const room = await openRoom();
      await redis.hset(keys.answerKey(room.code), '0', JSON.stringify({ c: CORRECT, n: 4 }));

      await answers.submit(room.code, 'ann', 0, { choice: CORRECT });
      await answers.submit(room.code, 'bob', 0, { choice: WRONG });

      expect(await stored(room.code, 0, 'ann')).toMatchObject({ correct: true });
      expect(await stored(room.code, 0, 'bob')).toMatchObject({ correct: false, points: 0 });
    });

    it('runs answers of one turn in the order they came, over several pipelines when they are more than one holds', async () => {
      const room = await openRoom();
      const small = createAnswerStore({ redis, keys, rules: TIMING, pipelineMax: 2 });

      const results = await Promise.all([
        small.submit(room.code, 'ann', 0, { choice: CORRECT }),
        small.submit(room.code, 'bob', 0, { choice: WRONG }),
        small.submit(room.code, 'ann', 0, { choice: WRONG }),
        small.submit(room.code, 'cid', 0, { choice: CORRECT }),
        small.submit(room.code, 'bob', 0, { choice: CORRECT }),
      ]);

      expect(results.map((r) => (r.ok ? r.answeredCount : r.code))).toEqual([1, 2, 'ALREADY_ANSWERED', 3, 'ALREADY_ANSWERED']);
      expect(await stored(room.code, 0, 'ann')).toMatchObject({ choice: CORRECT });
      expect(await stored(room.code, 0, 'bob')).toMatchObject({ choice: WRONG });
    });

    it('records every answer of a turn once and in order when Redis no longer holds the script (restarted)', async () => {
      // A Redis of its own: SCRIPT FLUSH would take every other test's scripts with it.
      const server = await startLocalRedis({ server: inject('redisServer') ?? undefined });
      const own = createRedis(server.url, { name: 'test-answer-noscript' });
      try {
        const on = { redis: own, rooms: createRoomStore({ redis: own, keys, ttlSeconds: 600, instance: { id: 'test-socket', leaseMs: 60_000 } }) };
        const room = await openRoom({}, on);
        const store = createAnswerStore({ redis: own, keys, rules: TIMING });
        expect(await store.submit(room.code, 'cid', 0, { choice: WRONG })).toMatchObject({ ok: true, answeredCount: 1 });
        await own.script('FLUSH');

        const results = await Promise.all([
          store.submit(room.code, 'ann', 0, { choice: CORRECT }),
          store.submit(room.code, 'bob', 0, { choice: WRONG }),
          store.submit(room.code, 'ann', 0, { choice: WRONG }),
          store.submit(room.code, 'cid', 0, { choice: CORRECT }),
        ]);

        expect(results.map((r) => (r.ok ? r.answeredCount : r.code))).toEqual([2, 3, 'ALREADY_ANSWERED', 'ALREADY_ANSWERED']);
        const kept = await own.hgetall(keys.answers(room.code, 0));
        expect(Object.fromEntries(Object.entries(kept).map(([id, raw]) => [id, (JSON.parse(raw) as StoredAnswer).choice]))).toEqual({
          ann: CORRECT,
          bob: WRONG,
          cid: WRONG,
        });
      } finally {
        own.disconnect();
        await server.stop();
      }
    });

    it('tells an answer sent again with its arrival stamp (its reply lost to a Redis restart) what its first run said, even after the reveal', async () => {
      const room = await openRoom({ openedAgoMs: 3000 });
      const arrivedAt = (room.openedAt ?? 0) + 1000;
      const timing = { ...UNREPORTED, arrivedAt };

      const first = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, timing);
      const resent = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, timing);
      const otherChoice = await answers.submit(room.code, 'ann', 0, { choice: WRONG }, timing);
      const otherStamp = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, { ...timing, arrivedAt: arrivedAt + 1 });
      await reveal(room);
      const afterReveal = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, timing);

      expect(first).toMatchObject({ ok: true, receivedAt: arrivedAt, closable: false });
      const told = { ok: true, points: first.ok ? first.points : NaN, receivedAt: arrivedAt, closable: false, answeredCount: 1 };
      expect(resent).toMatchObject(told);
      expect(afterReveal).toMatchObject(told);
      // Another choice, or another stamp, is a second answer.
      expect(otherChoice).toMatchObject({ ok: false, code: 'ALREADY_ANSWERED' });
      expect(otherStamp).toMatchObject({ ok: false, code: 'ALREADY_ANSWERED' });
      // Scored once.
      expect(await score(room.code, 'ann')).toBe(first.ok ? first.points : NaN);
    });

    it('knows a repeat whose stamp was ahead of Redis (kept as TIME by the first run) as the same answer', async () => {
      const room = await openRoom({ openedAgoMs: 3000 });
      // The socket process's estimate of Redis's clock ran ahead: the script kept TIME instead.
      const timing = { ...UNREPORTED, arrivedAt: (await redisNow()) + 5000 };

      const first = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, timing);
      const resent = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, timing);

      expect(first.ok && first.receivedAt).toBeLessThan(timing.arrivedAt);
      expect(resent).toMatchObject({ ok: true, points: first.ok ? first.points : NaN, receivedAt: first.ok ? first.receivedAt : NaN });
    });

    it('tells a later copy of the same tap ALREADY_ANSWERED, and one after the reveal no ok, when the first was kept at TIME', async () => {
      const room = await openRoom({ openedAgoMs: 3000 });
      // Stamped ahead of Redis, the first is kept at TIME and waited 0 ms, as one stamped in the ms Redis read TIME is.
      const first = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: (await redisNow()) + 5000 });
      const keptAt = first.ok ? first.receivedAt : NaN;
      const copy = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: keptAt + 30 });
      await reveal(room);
      const afterReveal = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: keptAt + 60 });

      expect(await stored(room.code, 0, 'ann')).toMatchObject({ at: keptAt, queuedMs: 0 });
      expect(copy).toMatchObject({ ok: false, code: 'ALREADY_ANSWERED' });
      expect(afterReveal).toMatchObject({ ok: false, code: 'NOT_ACCEPTING_ANSWERS' });
      expect(await score(room.code, 'ann')).toBe(first.ok ? first.points : NaN);
    });

    it('still knows a re-sent answer by the old rule when its first run kept no stamp (recorded before it was kept)', async () => {
      const room = await openRoom({ openedAgoMs: 3000 });
      const timing = { ...UNREPORTED, arrivedAt: (room.openedAt ?? 0) + 1000 };
      const first = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, timing);
      const { stamp: _kept, ...old } = (await stored(room.code, 0, 'ann')) ?? {};
      await redis.hset(keys.answers(room.code, 0), 'ann', JSON.stringify(old));

      const resent = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, timing);

      expect(resent).toMatchObject({ ok: true, points: first.ok ? first.points : NaN, receivedAt: timing.arrivedAt });
    });

    it('records the first answer only; a second one is refused and changes neither choice nor score', async () => {
      const room = await openRoom();

      const first = await answers.submit(room.code, 'ann', 0, { choice: CORRECT });
      const again = await answers.submit(room.code, 'ann', 0, { choice: WRONG });

      expect(first).toMatchObject({ ok: true, answeredCount: 1, version: room.version });
      expect(again).toEqual({ ok: false, code: 'ALREADY_ANSWERED', message: expect.stringMatching(/first answer counts/) });
      expect(await stored(room.code, 0, 'ann')).toMatchObject({ choice: CORRECT, correct: true, points: first.ok ? first.points : NaN });
      expect(await score(room.code, 'ann')).toBe(0);
      await reveal(room);
      expect(await score(room.code, 'ann')).toBe(first.ok ? first.points : NaN);
    });

    it('scores a correct answer by the time since the question opened, on the Redis clock', async () => {
      const room = await openRoom({ openedAgoMs: 4000 });
      const before = await redisNow();

      const result = await answers.submit(room.code, 'ann', 0, { choice: CORRECT });

      const after = await redisNow();
      if (!result.ok) throw new Error(result.message);
      expect(result.receivedAt).toBeGreaterThanOrEqual(before);
      expect(result.receivedAt).toBeLessThanOrEqual(after);
      const answer = await stored(room.code, 0, 'ann');
      expect(answer?.elapsedMs).toBe(result.receivedAt - (room.openedAt ?? 0));
      expect(answer?.elapsedMs).toBeGreaterThanOrEqual(4000);
      expect(result.points).toBe(Math.round(1000 * (1 - (answer?.elapsedMs ?? 0) / 10_000 / 2)));
      expect(await tieBreakTimes(room.code)).toEqual({ ann: 0, bob: 0, cid: 0 });
      await reveal(room);
      expect((await tieBreakTimes(room.code)).ann).toBe(answer?.elapsedMs);
    });

    it('gives a wrong answer no points and breaks the streak', async () => {
      const room = await openRoom();
      await redis.hset(keys.streaks(room.code), 'bob', 3);

      const result = await answers.submit(room.code, 'bob', 0, { choice: WRONG });

      expect(result).toMatchObject({ ok: true, points: 0 });
      expect(await stored(room.code, 0, 'bob')).toMatchObject({ choice: WRONG, correct: false, points: 0, streak: 0 });
      expect(await redis.hget(keys.streaks(room.code), 'bob')).toBe('3');
      await reveal(room);
      expect(await score(room.code, 'bob')).toBe(0);
      expect(await streak(room.code, 'bob')).toBe(0);
    });

    it('adds the streak bonus when the room plays with one', async () => {
      const room = await openRoom({ settings: { streakBonus: true } });
      await redis.hset(keys.streaks(room.code), 'ann', 2);

      const result = await answers.submit(room.code, 'ann', 0, { choice: CORRECT });

      if (!result.ok) throw new Error(result.message);
      const answer = await stored(room.code, 0, 'ann');
      const speed = Math.round(1000 * (1 - (answer?.elapsedMs ?? 0) / 10_000 / 2));
      expect(result.points).toBe(speed + 200);
      expect(answer?.streak).toBe(3);
      await reveal(room);
      expect(await redis.hget(keys.streaks(room.code), 'ann')).toBe('3');
    });

    it('adds no streak bonus in a room that plays for no points, though the streak goes on', async () => {
      const room = await openRoom({ settings: { streakBonus: true, pointsPerQuestion: 0 } });
      await redis.hset(keys.streaks(room.code), 'ann', 2);

      const result = await answers.submit(room.code, 'ann', 0, { choice: CORRECT });

      expect(result).toMatchObject({ ok: true, points: 0 });
      expect(await stored(room.code, 0, 'ann')).toMatchObject({ correct: true, points: 0, streak: 3 });
      await reveal(room);
      expect(await score(room.code, 'ann')).toBe(0);
    });

    it('breaks the streak of a player who did not answer, at the reveal', async () => {
      const room = await openRoom({ settings: { streakBonus: true } });
      await redis.hset(keys.streaks(room.code), 'cid', 4);

      await reveal(room);

      expect(await streak(room.code, 'cid')).toBe(0);
    });
  });

  describe('when the deadline has passed by the Redis clock', () => {
    it('refuses the answer as too late and records nothing', async () => {
      const room = await openRoom({ openedAgoMs: 10_000, dueInMs: -1 });

      const result = await answers.submit(room.code, 'ann', 0, { choice: CORRECT });

      expect(result).toMatchObject({ ok: false, code: 'TOO_LATE' });
      expect(await stored(room.code, 0, 'ann')).toBeNull();
      expect(await score(room.code, 'ann')).toBe(0);
    });

    it('still takes an answer just before it', async () => {
      const room = await openRoom({ openedAgoMs: 9000, dueInMs: 1000 });

      expect(await answers.submit(room.code, 'ann', 0, { choice: CORRECT })).toMatchObject({ ok: true });
    });
  });

  describe('when the answer does not fit the room', () => {
    it.each([
      ['the room does not exist', { code: 'ZZZZZZ' }, 'ROOM_NOT_FOUND'],
      ['another question is open', { index: 1 }, 'WRONG_QUESTION'],
      ['the choice is not offered', { choice: 4 }, 'INVALID_CHOICE'],
      ['the sender is not a player of the room', { player: 'mallory' }, 'NOT_A_PLAYER'],
    ] as const)('refuses it when %s, and scores nothing', async (_, change, code) => {
      const room = await openRoom();
      const c = 'code' in change ? change.code : room.code;
      const player = 'player' in change ? change.player : 'ann';

      const result = await answers.submit(c, player, 'index' in change ? change.index : 0, { choice: 'choice' in change ? change.choice : CORRECT });

      expect(result).toMatchObject({ ok: false, code });
      expect(await redis.hlen(keys.answers(room.code, 0))).toBe(0);
      expect(await redis.hlen(keys.answers(room.code, 1))).toBe(0);
      expect(await score(room.code, 'ann')).toBe(0);
    });

    it.each(['lobby', 'reveal', 'finished'] as const)('takes no answers in phase %s', async (phase) => {
      const room = await openRoom({ phase });

      expect(await answers.submit(room.code, 'ann', 0, { choice: CORRECT })).toMatchObject({ ok: false, code: 'NOT_ACCEPTING_ANSWERS' });
      expect(await redis.hlen(keys.answers(room.code, 0))).toBe(0);
    });
  });

  describe('closing a question early', () => {
    it('is closable once every online player has answered, not waiting for offline ones', async () => {
      const room = await openRoom();

      const ann = await answers.submit(room.code, 'ann', 0, { choice: WRONG });
      const bob = await answers.submit(room.code, 'bob', 0, { choice: CORRECT });

      expect(ann).toMatchObject({ ok: true, closable: false, answeredCount: 1 });
      expect(bob).toMatchObject({ ok: true, closable: true, answeredCount: 2 });
    });

    it('is not closable while an online player has not answered, even when enough answers came in', async () => {
      const room = await openRoom();

      // cid is offline but may still answer: two answers for two online players, yet bob is still thinking.
      await answers.submit(room.code, 'cid', 0, { choice: CORRECT });
      const ann = await answers.submit(room.code, 'ann', 0, { choice: CORRECT });

      expect(ann).toMatchObject({ ok: true, closable: false, answeredCount: 2 });
    });

    it('in a room too big to read in one go, closes on the last answer only, also for a player who came online late', async () => {
      const room = await openRoom();
      const crowd = Array.from({ length: 400 }, (_, i) => `p${i}`);
      for (const id of crowd) {
        expect(await rooms.join(room.code, { id, nickname: id, userId: null, joinedAt: 0 })).toBe('ok');
        await rooms.presence(room.code, id, 1);
      }
      const everyone = ['ann', 'bob', ...crowd];
      const late = 'cid';

      const results = [];
      for (const id of everyone.slice(0, -1)) results.push(await answers.submit(room.code, id, 0, { choice: WRONG }));
      // cid comes online once the scan has passed most players: the last of the others does not close it.
      await rooms.presence(room.code, late, 1);
      const last = await answers.submit(room.code, everyone.at(-1) ?? '', 0, { choice: WRONG });
      const cid = await answers.submit(room.code, late, 0, { choice: WRONG });

      expect(results.filter((r) => !r.ok || r.closable)).toEqual([]);
      expect(last).toMatchObject({ ok: true, closable: false });
      expect(cid).toMatchObject({ ok: true, closable: true, answeredCount: everyone.length + 1 });
    });

    it('counts a player with a second connection open as online after one of them closes', async () => {
      const room = await openRoom();
      await rooms.presence(room.code, 'bob', 1);
      await rooms.presence(room.code, 'bob', -1);

      const ann = await answers.submit(room.code, 'ann', 0, { choice: CORRECT });

      expect(ann).toMatchObject({ ok: true, closable: false });
    });

    it('stops counting a player once their last connection closes', async () => {
      const room = await openRoom();
      expect(await rooms.presence(room.code, 'bob', -1)).toBe(0);

      const ann = await answers.submit(room.code, 'ann', 0, { choice: WRONG });

      expect(ann).toMatchObject({ ok: true, closable: true });
    });

    describe('while a player reconnects after their socket instance shut down', () => {
      /** bob's instance goes away: it marks him as expected back, then his connection closes. */
      async function bobsInstanceStops(code: string, graceMs: number): Promise<void> {
        await rooms.expectBack(code, ['bob'], graceMs);
        expect(await rooms.presence(code, 'bob', -1)).toBe(0);
      }

      it('still counts them as online: the players already back cannot close the question on them', async () => {
        const room = await openRoom();
        await bobsInstanceStops(room.code, 60_000);

        const ann = await answers.submit(room.code, 'ann', 0, { choice: CORRECT });
        await rooms.presence(room.code, 'bob', 1);
        const bob = await answers.submit(room.code, 'bob', 0, { choice: WRONG });

        expect(ann).toMatchObject({ ok: true, closable: false });
        expect(bob).toMatchObject({ ok: true, closable: true });
      });

      it('counts them as usual once they are back: a player who came back and left is not waited for', async () => {
        const room = await openRoom();
        await bobsInstanceStops(room.code, 60_000);
        await rooms.presence(room.code, 'bob', 1);
        await rooms.presence(room.code, 'bob', -1);

        const ann = await answers.submit(room.code, 'ann', 0, { choice: CORRECT });

        expect(ann).toMatchObject({ ok: true, closable: true });
        expect(await redis.hlen(keys.reconnecting(room.code))).toBe(0);
      });

      it('stops waiting for a player who has not come back within the grace', async () => {
        const room = await openRoom();
        // A grace of 0: over as soon as it is set.
        await bobsInstanceStops(room.code, 0);

        const ann = await answers.submit(room.code, 'ann', 0, { choice: CORRECT });

        expect(ann).toMatchObject({ ok: true, closable: true });
      });
    });

    describe('in first-correct mode', () => {
      it('is closable on the first correct answer, not on a wrong one', async () => {
        const room = await openRoom({ settings: { mode: 'first-correct' } });

        const wrong = await answers.submit(room.code, 'cid', 0, { choice: WRONG });
        const right = await answers.submit(room.code, 'ann', 0, { choice: CORRECT });

        expect(wrong).toMatchObject({ ok: true, closable: false });
        expect(right).toMatchObject({ ok: true, closable: true });
      });
    });
  });
  describe('fair timing: an answer timed from its arrival and its send, within bounds', () => {
    it("clamps a stamp from the future to the script's own clock", async () => {
      const room = await openRoom({ openedAgoMs: 3000 });

      const result = await answers.submit(
        room.code,
        'ann',
        0,
        { choice: CORRECT },
        { arrivedAt: (await redisNow()) + 60_000, loopBusyMs: null, rttMs: null, reportedMs: null },
      );

      const after = await redisNow();
      if (!result.ok) throw new Error(result.message);
      expect(result.receivedAt).toBeLessThanOrEqual(after);
      expect((await stored(room.code, 0, 'ann'))?.elapsedMs).toBe(result.receivedAt - (room.openedAt ?? 0));
    });

    describe('when the answer was stamped before its question opened', () => {
      it('refuses it as sent before the question was open, and records nothing', async () => {
        const room = await openRoom({ openedAgoMs: 3000 });
        const openedAt = room.openedAt ?? 0;

        const blind = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: openedAt - 1 });
        const long = await answers.submit(room.code, 'bob', 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: 1 });

        for (const refused of [blind, long]) {
          expect(refused).toEqual({ ok: false, code: 'NOT_ACCEPTING_ANSWERS', message: expect.stringMatching(/not open yet/) });
        }
        expect(await redis.hlen(keys.answers(room.code, 0))).toBe(0);
      });

      it('still takes a later answer of the same player, and one stamped at the opening itself', async () => {
        const room = await openRoom({ openedAgoMs: 3000 });
        const openedAt = room.openedAt ?? 0;
        await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: openedAt - 400 });

        const again = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: openedAt + 1000 });
        const atOpening = await answers.submit(room.code, 'bob', 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: openedAt });

        expect(again).toMatchObject({ ok: true, points: 950 });
        expect(atOpening).toMatchObject({ ok: true, points: 1000, receivedAt: openedAt });
      });
    });

    it('times the answer from its arrival, not from when the script ran', async () => {
      const room = await openRoom({ openedAgoMs: 5000 });
      const arrivedAt = (room.openedAt ?? 0) + 1000;

      const result = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, { arrivedAt, loopBusyMs: null, rttMs: null, reportedMs: null });

      expect(result).toMatchObject({ ok: true, receivedAt: arrivedAt, points: 950 });
    });

    describe('when an answer arrived by the deadline and is processed after it', () => {
      it('counts it within the grace the reveal waits', async () => {
        const room = await openRoom({ openedAgoMs: 10_200, dueInMs: -200 });

        const result = await answers.submit(
          room.code,
          'ann',
          0,
          { choice: CORRECT },
          { arrivedAt: (room.deadlineAt ?? 0) - 1000, loopBusyMs: null, rttMs: null, reportedMs: null },
        );

        expect(result).toMatchObject({ ok: true, points: 550 });
      });

      it('counts it however long after the deadline it is processed, while its question is still open', async () => {
        const room = await openRoom({ openedAgoMs: 40_000, dueInMs: -30_000 });

        const result = await answers.submit(
          room.code,
          'ann',
          0,
          { choice: CORRECT },
          { arrivedAt: (room.deadlineAt ?? 0) - 50, loopBusyMs: null, rttMs: null, reportedMs: null },
        );

        expect(result).toMatchObject({ ok: true, receivedAt: (room.deadlineAt ?? 0) - 50 });
        expect(await stored(room.code, 0, 'ann')).toMatchObject({ correct: true, queuedMs: expect.any(Number) });
        expect((await stored(room.code, 0, 'ann'))?.queuedMs).toBeGreaterThanOrEqual(30_000);
      });

      it('refuses one that arrived after the deadline', async () => {
        const after = await openRoom({ openedAgoMs: 10_200, dueInMs: -200 });

        const arrivedLate = await answers.submit(
          after.code,
          'ann',
          0,
          { choice: CORRECT },
          { arrivedAt: (after.deadlineAt ?? 0) + 1, loopBusyMs: null, rttMs: null, reportedMs: null },
        );

        expect(arrivedLate).toMatchObject({ ok: false, code: 'TOO_LATE' });
        expect(await stored(after.code, 0, 'ann')).toBeNull();
      });

      it("takes one that arrived after the deadline within the player's round trip, at most the allowance cap, and no later", async () => {
        const rooms3 = await Promise.all([0, 1, 2].map(() => openRoom({ openedAgoMs: 10_300, dueInMs: -300 })));
        const late = (room: RoomState, afterMs: number, rttMs: number) =>
          answers.submit(room.code, 'ann', 0, { choice: CORRECT }, { arrivedAt: (room.deadlineAt ?? 0) + afterMs, loopBusyMs: 0, rttMs, reportedMs: null });
        const [within, pastTrip, pastCap] = rooms3 as [RoomState, RoomState, RoomState];

        // Tapped as their countdown ended: it shows the deadline a trip down late, and the tap takes a trip up.
        expect(await late(within, 90, 100)).toMatchObject({ ok: true });
        expect(await late(pastTrip, 110, 100)).toMatchObject({ ok: false, code: 'TOO_LATE' });
        // A round trip longer than the cap (TIMING.allowanceCapMs, 150) buys no more.
        expect(await late(pastCap, TIMING.allowanceCapMs + 10, 1000)).toMatchObject({ ok: false, code: 'TOO_LATE' });
        expect(await stored(pastTrip.code, 0, 'ann')).toBeNull();
        expect(await stored(pastCap.code, 0, 'ann')).toBeNull();
      });

      it('refuses it once the room has moved to the reveal, and scores nothing after the reveal settled', async () => {
        const room = await openRoom({ openedAgoMs: 10_200, dueInMs: -200 });
        await reveal(room);

        const result = await answers.submit(
          room.code,
          'ann',
          0,
          { choice: CORRECT },
          { arrivedAt: (room.deadlineAt ?? 0) - 50, loopBusyMs: null, rttMs: null, reportedMs: null },
        );

        expect(result).toMatchObject({ ok: false, code: 'NOT_ACCEPTING_ANSWERS' });
        expect(await stored(room.code, 0, 'ann')).toBeNull();
        expect(await score(room.code, 'ann')).toBe(0);
      });

      it("tells a player's re-send read after the deadline that their first answer counts", async () => {
        const room = await openRoom({ openedAgoMs: 10_200, dueInMs: -200 });
        const deadlineAt = room.deadlineAt ?? 0;
        await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, { arrivedAt: deadlineAt - 50, loopBusyMs: null, rttMs: null, reportedMs: null });

        const again = await answers.submit(
          room.code,
          'ann',
          0,
          { choice: 0 },
          { arrivedAt: deadlineAt + 100, loopBusyMs: null, rttMs: null, reportedMs: null },
        );

        expect(again).toMatchObject({ ok: false, code: 'ALREADY_ANSWERED' });
        expect(await stored(room.code, 0, 'ann')).toMatchObject({ choice: CORRECT });
      });
    });

    it('times each player from when the question was first sent to them, within the question time', async () => {
      const room = await openRoom({ openedAgoMs: 5000 });
      const openedAt = room.openedAt ?? 0;
      await rooms.recordSent(room.code, 0, [
        ['ann', 600],
        ['bob', 3000],
      ]);
      // A second send (a reconnect) does not restart the clock.
      await rooms.recordSent(room.code, 0, [['ann', 4000]]);
      const timing = { arrivedAt: openedAt + 1600, loopBusyMs: null, rttMs: null, reportedMs: null };

      await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, timing);
      await answers.submit(room.code, 'bob', 0, { choice: CORRECT }, { ...timing, arrivedAt: openedAt + 4000 });
      await answers.submit(room.code, 'cid', 0, { choice: CORRECT }, timing);

      expect(await stored(room.code, 0, 'ann')).toMatchObject({ serverMs: 1000, elapsedMs: 1000 });
      expect(await stored(room.code, 0, 'bob')).toMatchObject({ serverMs: 1000 });
      expect(await stored(room.code, 0, 'cid')).toMatchObject({ serverMs: 1600 });
    });

    it('credits half the round trip without a report, and a reported time only down to the capped round trip', async () => {
      const room = await openRoom({ openedAgoMs: 5000 });
      const arrivedAt = (room.openedAt ?? 0) + 2000;

      await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, { arrivedAt, loopBusyMs: null, rttMs: 100, reportedMs: null });
      await answers.submit(room.code, 'bob', 0, { choice: CORRECT }, { arrivedAt, loopBusyMs: null, rttMs: 400, reportedMs: 0 });
      await answers.submit(room.code, 'cid', 0, { choice: CORRECT }, { arrivedAt, loopBusyMs: null, rttMs: 400, reportedMs: 1950 });

      expect(await stored(room.code, 0, 'ann')).toMatchObject({ serverMs: 2000, elapsedMs: 1950, rttMs: 100 });
      expect(await stored(room.code, 0, 'bob')).toMatchObject({ serverMs: 2000, elapsedMs: 2000 - TIMING.allowanceCapMs, reportedMs: 0 });
      expect(await stored(room.code, 0, 'cid')).toMatchObject({ serverMs: 2000, elapsedMs: 1950, reportedMs: 1950 });
    });

    it("believes a reported time down to round trip + the socket process's busy loop, still within the cap", async () => {
      const room = await openRoom({ openedAgoMs: 5000 });
      const arrivedAt = (room.openedAt ?? 0) + 2000;

      await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, { arrivedAt, loopBusyMs: 80, rttMs: 2, reportedMs: 1930 });
      await answers.submit(room.code, 'bob', 0, { choice: CORRECT }, { arrivedAt, loopBusyMs: 80, rttMs: 2, reportedMs: 0 });
      await answers.submit(room.code, 'cid', 0, { choice: CORRECT }, { arrivedAt, loopBusyMs: 5000, rttMs: 2, reportedMs: 0 });
      const other = await openRoom({ openedAgoMs: 5000 });
      await answers.submit(other.code, 'ann', 0, { choice: CORRECT }, { arrivedAt: (other.openedAt ?? 0) + 2000, loopBusyMs: 80, rttMs: 2, reportedMs: null });

      expect(await stored(room.code, 0, 'ann')).toMatchObject({ serverMs: 2000, elapsedMs: 1930, loopBusyMs: 80 });
      expect(await stored(room.code, 0, 'bob')).toMatchObject({ serverMs: 2000, elapsedMs: 1918 });
      expect(await stored(room.code, 0, 'cid')).toMatchObject({ serverMs: 2000, elapsedMs: 2000 - TIMING.allowanceCapMs });
      // No report: only half the round trip, as before.
      expect(await stored(other.code, 0, 'ann')).toMatchObject({ serverMs: 2000, elapsedMs: 1999 });
    });
  });

  describe('when a player connected late, with no send recorded for them', () => {
    it('times one who was in the room before the opening from the opening, however late they connected', async () => {
      const room = await openRoom({ openedAgoMs: 3000, settings: { questionSeconds: 3 } });
      const openedAt = room.openedAt ?? 0;
      // ann was sent the question by its fan-out at the opening; bob connected 2 s in and answered at once.
      await rooms.recordSent(room.code, 0, [['ann', 0]]);

      const ann = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: openedAt + 2050 });
      const bob = await answers.submit(room.code, 'bob', 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: openedAt + 2050 });

      expect(await stored(room.code, 0, 'bob')).toMatchObject({ serverMs: 2050 });
      expect(bob).toMatchObject({ ok: true, points: ann.ok ? ann.points : NaN });
    });

    it('times one who joined during the question from the join, at most SEND_LAG_CAP_MS after the opening', async () => {
      const early = await openRoom({ openedAgoMs: 1000 });
      const late = await openRoom({ openedAgoMs: 5000 });
      for (const room of [early, late]) expect(await rooms.join(room.code, { id: 'dan', nickname: 'dan', userId: null, joinedAt: 0 })).toBe('ok');
      const joinedAt = (await rooms.getPlayers(early.code)).find((p) => p.id === 'dan')?.joinedAt ?? NaN;
      const lateArrival = { ...UNREPORTED, arrivedAt: (late.openedAt ?? 0) + 2500 };

      const inEarly = await answers.submit(early.code, 'dan', 0, { choice: CORRECT });
      await answers.submit(late.code, 'dan', 0, { choice: CORRECT }, lateArrival);
      await answers.submit(late.code, 'ann', 0, { choice: CORRECT }, lateArrival);

      expect(joinedAt - (early.openedAt ?? 0)).toBeLessThan(TIMING.sendLagCapMs);
      expect(await stored(early.code, 0, 'dan')).toMatchObject({ serverMs: (inEarly.ok ? inEarly.receivedAt : NaN) - joinedAt });
      expect(await stored(late.code, 0, 'dan')).toMatchObject({ serverMs: 2500 - TIMING.sendLagCapMs });
      expect(await stored(late.code, 0, 'ann')).toMatchObject({ serverMs: 2500 });
    });

    it("after a resume, keeps the opening's sends and times everyone else as a late connector, not from the resume", async () => {
      const room = await openRoom({ openedAgoMs: 3000, dueInMs: 7000 });
      await rooms.recordSent(room.code, 0, [['ann', 40]]);
      const paused = await applied(room, 'pause');
      await sleep(30);
      const resumed = await applied(paused, 'resume');
      const openedAt = resumed.openedAt ?? 0;
      expect(openedAt).toBeGreaterThan(room.openedAt ?? 0);

      // The resumed question's fan-out: bob, who was in the room all along, connected during the pause.
      await rooms.recordSent(room.code, 0, [
        ['ann', 3100],
        ['bob', 3100],
      ]);
      await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: openedAt + 2900 });
      await answers.submit(room.code, 'bob', 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: openedAt + 2900 });

      expect(await redis.hgetall(keys.sent(room.code, 0))).toEqual({ ann: '40' });
      expect(await stored(room.code, 0, 'ann')).toMatchObject({ serverMs: 2860 });
      expect(await stored(room.code, 0, 'bob')).toMatchObject({ serverMs: 2900 });
    });
  });

  describe('when the host paused the question', () => {
    it('counts an answer that arrived before the pause as the running question would have, and refuses one after it', async () => {
      const room = await openRoom({ openedAgoMs: 3000, dueInMs: 7000 });
      const openedAt = room.openedAt ?? 0;
      const paused = await applied(room, 'pause');
      const pausedAt = paused.paused?.at ?? NaN;

      const before = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: openedAt + 2000 });
      const after = await answers.submit(room.code, 'bob', 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: pausedAt });

      expect(before).toMatchObject({ ok: true, points: 900, closable: false });
      expect(after).toEqual({ ok: false, code: 'NOT_ACCEPTING_ANSWERS', message: expect.any(String) });
      expect(await stored(room.code, 0, 'bob')).toBeNull();
      await reveal(await applied(paused, 'resume'));
      expect(await score(room.code, 'ann')).toBe(900);
    });

    it.each([
      { mode: 'first-correct', answer: 'correct', choice: CORRECT, closable: true },
      { mode: 'first-correct', answer: 'wrong', choice: WRONG, closable: false },
      { mode: 'timed', answer: 'correct', choice: CORRECT, closable: false },
    ] as const)('in $mode mode, a $answer answer that came before the pause leaves the resumed question closable: $closable', async (row) => {
      const room = await openRoom({ openedAgoMs: 3000, settings: { mode: row.mode } });
      const paused = await applied(room, 'pause');

      const during = await answers.submit(room.code, 'ann', 0, { choice: row.choice }, { ...UNREPORTED, arrivedAt: (room.openedAt ?? 0) + 2000 });
      const resumed = await applied(paused, 'resume');

      // Closed by nothing while paused; bob, online, has not answered, so only a correct first answer completes it.
      expect(during).toMatchObject({ ok: true, closable: false });
      expect(await closableEvents(room.code)).toBe(0);
      expect((await rooms.presenceState(resumed.code, 0)).closable).toBe(row.closable);
    });

    it.each([
      { correct: ['ann'], closable: false },
      { correct: ['ann', 'cid'], closable: true },
    ])(
      'in first-correct mode, when the host kicks ann, whose correct answer came before the pause (correct: $correct), the resumed question is closable: $closable',
      async (row) => {
        const room = await openRoom({ openedAgoMs: 3000, settings: { mode: 'first-correct' } });
        const paused = await applied(room, 'pause');
        for (const [i, player] of row.correct.entries()) {
          await answers.submit(room.code, player, 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: (room.openedAt ?? 0) + 1000 + i });
        }

        expect(await rooms.kick(room.code, 'ann', 0)).toBe('kicked');
        const resumed = await applied(paused, 'resume');

        expect((await rooms.presenceState(resumed.code, 0)).closable).toBe(row.closable);
      },
    );

    it('refuses, in a pause taken in the grace after the deadline, an answer that arrived after the deadline', async () => {
      const room = await openRoom({ openedAgoMs: 10_300, dueInMs: -300, settings: { questionSeconds: 10 } });
      const deadlineAt = room.deadlineAt ?? 0;
      await applied(room, 'pause');

      const inTime = await answers.submit(room.code, 'ann', 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: deadlineAt - 100 });
      const late = await answers.submit(room.code, 'bob', 0, { choice: CORRECT }, { ...UNREPORTED, arrivedAt: deadlineAt + 100 });

      expect(inTime).toMatchObject({ ok: true });
      expect(late).toMatchObject({ ok: false, code: 'TOO_LATE' });
    });
  });

  describe('scoring, against the rules of src/game/scoring/scoring.ts', () => {
    it.each([
      { questionSeconds: 10, points: 1000, serverMs: 0, rttMs: null, loopBusyMs: null, reportedMs: null, streak: 0, bonus: false },
      { questionSeconds: 10, points: 1000, serverMs: 4016, rttMs: 37, loopBusyMs: null, reportedMs: null, streak: 0, bonus: false },
      { questionSeconds: 7, points: 333, serverMs: 1234, rttMs: 90, loopBusyMs: 40, reportedMs: 1000, streak: 2, bonus: true },
      { questionSeconds: 5, points: 1000, serverMs: 2500, rttMs: 400, loopBusyMs: null, reportedMs: 0, streak: 5, bonus: true },
      { questionSeconds: 20, points: 2000, serverMs: 19_999, rttMs: 2, loopBusyMs: 5000, reportedMs: 3, streak: 9, bonus: true },
      { questionSeconds: 3, points: 1, serverMs: 3000, rttMs: null, loopBusyMs: null, reportedMs: null, streak: 1, bonus: true },
      { questionSeconds: 12, points: 0, serverMs: 600, rttMs: 20, loopBusyMs: null, reportedMs: 500, streak: 3, bonus: true },
      { questionSeconds: 4, points: 1000, serverMs: 150, rttMs: 1000, loopBusyMs: null, reportedMs: null, streak: 0, bonus: false },
    ])('scores $serverMs ms of $questionSeconds s (rtt $rttMs, reported $reportedMs, streak $streak) as scoring.ts does', async (row) => {
      const settings = { questionSeconds: row.questionSeconds, pointsPerQuestion: row.points, streakBonus: row.bonus };
      const room = await openRoom({ settings, openedAgoMs: row.questionSeconds * 1000 + 100, dueInMs: 1000 });
      await redis.hset(keys.streaks(room.code), 'ann', String(row.streak));
      const { serverMs, rttMs, loopBusyMs, reportedMs } = row;

      const result = await answers.submit(
        room.code,
        'ann',
        0,
        { choice: CORRECT },
        { arrivedAt: (room.openedAt ?? 0) + serverMs, rttMs, loopBusyMs, reportedMs },
      );

      const elapsedMs = countedMs({ serverMs, rttMs, loopBusyMs: loopBusyMs ?? 0, reportedMs, capMs: TIMING.allowanceCapMs });
      const bonus = row.bonus && row.points > 0 ? streakBonus(row.streak + 1) : 0;
      expect(await stored(room.code, 0, 'ann')).toMatchObject({ serverMs, elapsedMs, streak: row.streak + 1 });
      expect(result).toMatchObject({ ok: true, points: speedPoints(row.points, elapsedMs, row.questionSeconds * 1000) + bonus });
    });
  });
});

describe('the tie-break at a reveal', () => {
  // Equal points go to the lower total time, which the reveal settles (transition.lua.ts): a correct
  // answer's counted time, the whole question time for a wrong answer or none.
  const QUESTION_MS = 20_000;
  const order = (code: string) => redis.zrange(keys.ranking(code), 0, -1);

  it('ranks a correct answer above no answer in a room for no points, where everyone has 0 points', async () => {
    const room = await openRoom({ settings: { pointsPerQuestion: 0, questionSeconds: QUESTION_MS / 1000 }, openedAgoMs: 2000 });
    expect(await answers.submit(room.code, 'cid', 0, { choice: CORRECT })).toMatchObject({ ok: true, points: 0 });

    await reveal(room);

    // ann and bob let the question pass: each is charged the whole question, and their order is by id.
    expect(await order(room.code)).toEqual(['cid', 'ann', 'bob']);
    const t = await tieBreakTimes(room.code);
    expect(t.cid).toBeGreaterThan(1000);
    expect(t.cid).toBeLessThan(QUESTION_MS);
    expect(t).toMatchObject({ ann: QUESTION_MS, bob: QUESTION_MS });
  });

  it('charges a player who joined after a reveal that question, as one who let it pass: joining late gains no place', async () => {
    const room = await openRoom({ settings: { pointsPerQuestion: 0, questionSeconds: QUESTION_MS / 1000 }, openedAgoMs: 2000 });
    expect(await answers.submit(room.code, 'cid', 0, { choice: CORRECT })).toMatchObject({ ok: true, points: 0 });
    await reveal(room);

    expect(await rooms.join(room.code, { id: 'dan', nickname: 'dan', userId: null, joinedAt: 0 })).toBe('ok');

    expect(await order(room.code)).toEqual(['cid', 'ann', 'bob', 'dan']);
    expect(await tieBreakTimes(room.code)).toMatchObject({ ann: QUESTION_MS, bob: QUESTION_MS, dan: QUESTION_MS });
  });

  it('carries on a game begun under the rule before it (a total kept per player), updated mid-game', async () => {
    const opened = await openRoom({ settings: { pointsPerQuestion: 0, questionSeconds: QUESTION_MS / 1000 }, openedAgoMs: 2000 });
    // Question 0 was revealed by the code before: every player's own total (cid right in 5 s), ranked by it.
    await redis.hset(keys.times(opened.code), 'ann', QUESTION_MS, 'bob', QUESTION_MS, 'cid', 5000);
    await redis.zadd(keys.ranking(opened.code), QUESTION_MS, 'ann', QUESTION_MS, 'bob', 5000, 'cid');
    const room: RoomState = { ...opened, questionIndex: 1 };
    await redis.set(keys.room(room.code), JSON.stringify(room), 'KEEPTTL');
    const ann = await answers.submit(room.code, 'ann', 1, { choice: 0 });
    expect(ann).toMatchObject({ ok: true });

    await reveal(room);

    const t = await tieBreakTimes(room.code);
    expect(t.ann).toBeGreaterThan(QUESTION_MS + 1000);
    expect(t.ann).toBeLessThan(QUESTION_MS + QUESTION_MS / 2);
    expect(t).toMatchObject({ bob: 2 * QUESTION_MS, cid: 5000 + QUESTION_MS });
    expect(await order(room.code)).toEqual(['ann', 'cid', 'bob']);
  });

  it('charges a wrong answer the whole question time, as no answer, so answering wrong fast gains nothing', async () => {
    const room = await openRoom({ settings: { questionSeconds: QUESTION_MS / 1000 }, openedAgoMs: 2000 });
    expect(await answers.submit(room.code, 'bob', 0, { choice: WRONG })).toMatchObject({ ok: true, points: 0 });
    expect(await answers.submit(room.code, 'cid', 0, { choice: CORRECT })).toMatchObject({ ok: true });

    await reveal(room);

    expect(await tieBreakTimes(room.code)).toMatchObject({ ann: QUESTION_MS, bob: QUESTION_MS });
    expect(await order(room.code)).toEqual(['cid', 'ann', 'bob']);
  });
});
