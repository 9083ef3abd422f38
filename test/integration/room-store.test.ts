import { randomUUID } from 'node:crypto';
import { SETTINGS, roomIn } from '../unit/fixtures';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { transition } from '../../src/game/room-machine';
import { generateRoomCode } from '../../src/game/room-code';
import type { ChannelMessage } from '../../src/shared/events';
import type { Question } from '../../src/shared/room';
import type { RoomState } from '../../src/game/room-state';
import { createEventBus } from '../../src/store/event-bus';
import { type Keys, createKeys } from '../../src/store/keys';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { createResultsBacklog } from '../../src/store/results-backlog';
import { type RoomStore, createRoomStore } from '../../src/store/room-store';
import { createViewReader } from '../../src/store/view-reader';
import { deleteNamespace, infra, testNamespace } from '../helpers/infra';

const QUESTIONS: Question[] = [
  {
    id: 1,
    category: 'Geography',
    difficulty: 'easy',
    type: 'multiple',
    text: 'Capital of Peru?',
    choices: ['Quito', 'Lima', 'Bogotá'],
    correct: [1],
    accepted: [],
  },
];

let redis: QuizRedis;
let subscriber: QuizRedis;
let keys: Keys;
let rooms: RoomStore;

function building(): RoomState {
  const now = Date.now();
  return roomIn({
    code: generateRoomCode(),
    gameId: randomUUID(),
    hostId: 'host',
    hostName: 'Host',
    settings: { ...SETTINGS, questionCount: 1, questionSeconds: 10, revealSeconds: 3 },
    createdAt: now,
  });
}

async function created(): Promise<RoomState> {
  const room = building();
  expect(await rooms.create(room, { type: 'room.created', roomCode: room.code, version: 1, at: room.createdAt })).toEqual(room);
  return room;
}

function step(room: RoomState, t: Parameters<typeof transition>[1]) {
  const r = transition(room, t);
  if (!r.ok) throw new Error(r.reason);
  return r;
}

beforeAll(() => {
  keys = createKeys(testNamespace('room-store'));
  redis = createRedis(infra().redisUrl, { name: 'test-room-store' });
  subscriber = createRedis(infra().redisUrl, { name: 'test-room-store-sub' });
  rooms = createRoomStore({ redis, keys, ttlSeconds: 600, instance: { id: 'test-socket', leaseMs: 60_000 } });
});

afterAll(async () => {
  await deleteNamespace(infra().redisUrl, keys.namespace);
  await Promise.all([redis.quit(), subscriber.quit()]);
});

describe('the room store', () => {
  describe('when a room is created', () => {
    it('refuses a second room with the same code', async () => {
      const room = await created();

      expect(await rooms.create({ ...room, hostName: 'Impostor' }, { type: 'room.created', roomCode: room.code, version: 1, at: 0 })).toBeNull();
      expect((await rooms.get(room.code))?.hostName).toBe('Host');
    });
  });

  describe('when a transition is applied', () => {
    it('writes the record, appends the event to the stream and notifies the room channel, together', async () => {
      const room = await created();
      const messages: ChannelMessage[] = [];
      await subscriber.subscribe(keys.channel(room.code));
      subscriber.on('message', (channel, raw) => channel === keys.channel(room.code) && messages.push(JSON.parse(raw) as ChannelMessage));

      const applied = await rooms.apply(room.version, step(room, { type: 'prepared', questionCount: 1 }));

      if (!applied.ok) throw new Error(applied.code);
      expect(await rooms.get(room.code)).toEqual(applied.room);
      const entries = await redis.xrange(keys.events(room.code), '-', '+');
      const events = entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('event') + 1] ?? 'null'));
      expect(events).toContainEqual(applied.event);
      await expect.poll(() => messages).toContainEqual({ kind: 'state', version: applied.room.version });
      await subscriber.unsubscribe(keys.channel(room.code));
    });

    it('refuses a change computed from an old version and keeps the record as it is', async () => {
      const room = await created();
      const first = await rooms.apply(room.version, step(room, { type: 'prepared', questionCount: 1 }));
      const streamLength = await redis.xlen(keys.events(room.code));

      const repeated = step(room, { type: 'failed', reason: 'late duplicate' });
      const applied = await rooms.apply(room.version, repeated);

      expect(applied).toEqual({ ok: false, code: 'stale' });
      expect(first.ok && (await rooms.get(room.code))).toEqual(first.ok && first.room);
      expect(await redis.xlen(keys.events(room.code))).toBe(streamLength);
    });

    it('reports a room that does not exist', async () => {
      const room = building();

      expect(await rooms.apply(room.version, step(room, { type: 'prepared', questionCount: 1 }))).toEqual({ ok: false, code: 'not-found' });
    });
  });

  describe("when a version's view is published", () => {
    it('publishes it while the room is at that version, and never once the room has moved on', async () => {
      const room = await created();
      const messages: ChannelMessage[] = [];
      await subscriber.subscribe(keys.channel(room.code));
      subscriber.on('message', (channel, raw) => channel === keys.channel(room.code) && messages.push(JSON.parse(raw) as ChannelMessage));
      const views = createViewReader({ redis, keys });
      const view = await views.view(room, []);
      const message = { kind: 'view', version: room.version, openedAt: room.openedAt, view } as const;

      const current = await rooms.publishView(room.code, message);
      await rooms.apply(room.version, step(room, { type: 'prepared', questionCount: 1 }));
      const late = await rooms.publishView(room.code, message);

      expect([current, late]).toEqual([true, false]);
      await expect.poll(() => messages.filter((m) => m.kind !== 'state')).toEqual([message]);
      await new Promise((r) => setTimeout(r, 100));
      expect(messages.filter((m) => m.kind === 'view')).toHaveLength(1);
      await subscriber.unsubscribe(keys.channel(room.code));
    });
  });

  describe("when a transition sets times (this process's clock set an hour ahead)", () => {
    const redisNow = async () => {
      const [seconds, micros] = await redis.time();
      return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    };
    /** Applies `t` and returns the record as stored, with Redis's clock read just before and after. */
    const applyTimed = async (room: RoomState, t: Parameters<typeof transition>[1]) => {
      const before = await redisNow();
      const applied = await rooms.apply(room.version, step(room, t));
      const after = await redisNow();
      if (!applied.ok) throw new Error(applied.code);
      const stored = await rooms.get(room.code);
      expect(stored).toEqual(applied.room);
      return { room: applied.room, event: applied.event, before, after };
    };
    afterEach(() => void vi.useRealTimers());

    it('opens a question at Redis TIME, with its deadline the question time after it', async () => {
      const lobby = (await applyTimed(await created(), { type: 'prepared', questionCount: 1 })).room;
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3_600_000 });

      const { room, event, before, after } = await applyTimed(lobby, { type: 'start' });

      expect(room.openedAt).toBeGreaterThanOrEqual(before);
      expect(room.openedAt).toBeLessThanOrEqual(after);
      expect(room).toMatchObject({ phaseStartedAt: room.openedAt, startedAt: room.openedAt, deadlineAt: (room.openedAt ?? 0) + 10_000 });
      expect(event.at).toBe(room.openedAt);
    });

    it('keeps the time left over a pause and moves the opening by the pause, all on Redis TIME', async () => {
      const lobby = (await applyTimed(await created(), { type: 'prepared', questionCount: 1 })).room;
      const open = (await applyTimed(lobby, { type: 'start' })).room;
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 3_600_000 });

      const paused = await applyTimed(open, { type: 'pause' });
      await new Promise((resolve) => setTimeout(resolve, 30));
      const resumed = await applyTimed(paused.room, { type: 'resume' });

      const at = paused.room.paused?.at ?? 0;
      expect(at).toBeGreaterThanOrEqual(paused.before);
      expect(at).toBeLessThanOrEqual(paused.after);
      expect(paused.room.paused?.remainingMs).toBe((open.deadlineAt ?? 0) - at);
      const resumedAt = resumed.room.phaseStartedAt ?? 0;
      expect(resumedAt).toBeGreaterThanOrEqual(Math.max(resumed.before, at + 30));
      expect(resumedAt).toBeLessThanOrEqual(resumed.after);
      expect(resumed.room.deadlineAt).toBe(resumedAt + (paused.room.paused?.remainingMs ?? 0));
      expect(resumed.room.openedAt).toBe((open.openedAt ?? 0) + (resumedAt - at));
    });
  });

  describe('when players join', () => {
    it('takes each nickname once, whatever its case, and puts the player on the board at 0', async () => {
      const room = await created();

      expect(await rooms.join(room.code, { id: 'p1', nickname: 'Zoë', userId: null, joinedAt: 1 })).toBe('ok');
      expect(await rooms.join(room.code, { id: 'p2', nickname: 'ZOË', userId: null, joinedAt: 2 })).toBe('nickname-taken');
      expect((await rooms.getPlayers(room.code)).map((p) => p.id)).toEqual(['p1']);
      expect(await redis.zscore(keys.scores(room.code), 'p1')).toBe('0');
    });

    it('refuses players once the room has ended, and for rooms that do not exist', async () => {
      const room = await created();
      const failed = step(room, { type: 'failed', reason: 'no questions' });
      await rooms.apply(room.version, failed);

      expect(await rooms.join(room.code, { id: 'p1', nickname: 'Late', userId: null, joinedAt: 1 })).toBe('closed');
      expect(await rooms.join('ZZZZZZ', { id: 'p1', nickname: 'Lost', userId: null, joinedAt: 1 })).toBe('not-found');
    });
  });

  describe('when the host kicks the one player everyone waited for', () => {
    /** A room with Ann and Bob online, in its lobby or with question 0 open; Ann answered question 0 (as the answer script stores it). */
    async function waitingForBob(open: boolean) {
      let room = await created();
      const steps: Parameters<typeof transition>[1][] = [{ type: 'prepared', questionCount: 1 }, ...(open ? [{ type: 'start' as const }] : [])];
      for (const t of steps) {
        const applied = await rooms.apply(room.version, step(room, t));
        if (!applied.ok) throw new Error(`could not apply ${t.type}`);
        room = applied.room;
      }
      for (const [id, nickname] of [
        ['ann', 'Ann'],
        ['bob', 'Bob'],
      ]) {
        await rooms.join(room.code, { id: id as string, nickname: nickname as string, userId: null, joinedAt: 1 });
        await rooms.presence(room.code, id as string, 1);
      }
      await redis.hset(keys.answers(room.code, 0), 'ann', JSON.stringify({ choice: 1, correct: true, points: 900, elapsedMs: 1, at: 1, streak: 1 }));
      return room;
    }
    const closableEvents = async (code: string) =>
      (await redis.xrange(keys.events(code), '-', '+'))
        .map(([, fields]) => JSON.parse(fields[fields.indexOf('event') + 1] ?? 'null'))
        .filter((e) => e.type === 'question.closable' && e.roomCode === code);

    it('appends the question.closable event in the kick script itself, for the open question and version', async () => {
      const room = await waitingForBob(true);

      expect(await rooms.kick(room.code, 'bob', 0)).toBe('closable');
      expect(await closableEvents(room.code)).toEqual([expect.objectContaining({ version: room.version, questionIndex: 0 })]);
    });

    it('appends nothing when no question is open, or the kick names a question the room has left', async () => {
      const lobby = await waitingForBob(false);
      const open = await waitingForBob(true);

      expect(await rooms.kick(lobby.code, 'bob', 0)).toBe('kicked');
      expect(await rooms.kick(open.code, 'bob', 1)).toBe('kicked');
      expect(await closableEvents(lobby.code)).toEqual([]);
      expect(await closableEvents(open.code)).toEqual([]);
    });
  });

  describe('when the host kicks a player as the room ends', () => {
    /** Ann and Bob in a room that `steps` take to its end: as if the end came between the api's phase check and the kick. */
    async function endedBy(steps: Parameters<typeof transition>[1][]) {
      let room = await created();
      for (const id of ['ann', 'bob']) await rooms.join(room.code, { id, nickname: id, userId: null, joinedAt: 1 });
      for (const t of steps) {
        const applied = await rooms.apply(room.version, step(room, t));
        if (!applied.ok) throw new Error(`could not apply ${t.type}`);
        room = applied.room;
      }
      return room;
    }
    const prepared = { type: 'prepared', questionCount: 1 } as const;

    it.each([
      ['finished', [prepared, { type: 'start' }, { type: 'end' }] as const],
      ['cancelled', [prepared, { type: 'cancel' }] as const],
      ['failed', [{ type: 'failed', reason: 'no questions' }] as const],
    ])('refuses it once the room is %s and leaves the player in its standings', async (phase, steps) => {
      const room = await endedBy([...steps]);
      expect(room.phase).toBe(phase);
      const events = await redis.xlen(keys.events(room.code));

      expect(await rooms.kick(room.code, 'bob', 0)).toBe('ended');
      expect((await rooms.getPlayers(room.code)).map((p) => p.id).sort()).toEqual(['ann', 'bob']);
      expect(await redis.zscore(keys.scores(room.code), 'bob')).toBe('0');
      expect(await redis.zscore(keys.ranking(room.code), 'bob')).not.toBeNull();
      expect(await redis.exists(keys.kicked(room.code))).toBe(0);
      expect(await redis.xlen(keys.events(room.code))).toBe(events);
    });
  });

  describe('when questions are saved', () => {
    it('keeps the answers in a separate key, out of the room record that is published', async () => {
      const room = await created();

      await rooms.saveQuestions(room.code, QUESTIONS);

      expect(await rooms.getQuestions(room.code)).toEqual(QUESTIONS);
      expect(await redis.hgetall(keys.answerKey(room.code))).toEqual({ '0': JSON.stringify({ k: 'choice', n: 3, c: [1] }) });
      expect(await redis.get(keys.room(room.code))).not.toMatch(/"answer"|"correct"|"accepted"/);
    });
  });

  describe('when a view is read while a question is open', () => {
    it('holds the question without its answer, which appears only at the reveal', async () => {
      const room = await created();
      await rooms.saveQuestions(room.code, QUESTIONS);
      const views = createViewReader({ redis, keys });
      let current = room;
      for (const t of [{ type: 'prepared', questionCount: 1 }, { type: 'start' }] as const) {
        const applied = await rooms.apply(current.version, step(current, t));
        if (!applied.ok) throw new Error(applied.code);
        current = applied.room;
      }

      const open = await views.view(current, QUESTIONS);
      const revealed = step(current, { type: 'advance' }).room;
      const shown = await views.view(revealed, QUESTIONS);

      expect(open.question?.text).toBe('Capital of Peru?');
      expect(JSON.stringify(open)).not.toMatch(/"answer"|"correct"|"accepted"|correctChoices/);
      expect(shown.reveal?.correctChoices).toEqual([1]);
    });
  });
});

describe('the event bus', () => {
  it('delivers an entry to one consumer of the group and, unacknowledged, lets another claim it', async () => {
    const busKeys = createKeys(`${keys.namespace}-bus`);
    const bus = createEventBus({ redis, keys: busKeys });
    const [lane = []] = bus.lanes;
    try {
      await bus.ensureGroup();
      await bus.emit({ type: 'room.created', roomCode: 'ABC234', version: 1, at: 1 });

      const first = await bus.readNew('worker-a', lane, 100);
      const second = await bus.readNew('worker-b', lane, 100);
      const claimed = await bus.claimAbandoned('worker-b', lane, 0);

      expect(first.map((e) => e.event?.type)).toEqual(['room.created']);
      expect(second).toEqual([]);
      expect(claimed.map((e) => e.id)).toEqual(first.map((e) => e.id));
      await bus.ack(claimed);
      const pending = [];
      for await (const page of bus.readOwnPending('worker-b', lane)) pending.push(...page);
      expect(pending).toEqual([]);
    } finally {
      await deleteNamespace(infra().redisUrl, busKeys.namespace);
    }
  });

  it('spreads rooms over its partitions, each room in one, and reads them all in one lane on one Redis', async () => {
    const busKeys = createKeys(`${keys.namespace}-parts`, 4);
    const bus = createEventBus({ redis, keys: busKeys });
    const codes = ['ABC234', 'XYZ789', 'QWE456', 'RTY321', 'HJK987', 'MNB654'];
    try {
      await bus.ensureGroup();
      for (const code of codes) await bus.emit({ type: 'room.created', roomCode: code, version: 1, at: 1 });

      expect(bus.lanes).toEqual([busKeys.eventStreams]);
      const read = await bus.readNew('worker-a', busKeys.eventStreams, 100);

      expect(read.map((e) => e.event?.roomCode).sort()).toEqual([...codes].sort());
      expect(new Set(read.map((e) => e.stream)).size).toBeGreaterThan(1);
      for (const e of read) expect(e.stream).toBe(busKeys.events(e.event?.roomCode ?? ''));
      await bus.ack(read);
      expect((await bus.backlog()).unread).toBe(0);
    } finally {
      await deleteNamespace(infra().redisUrl, busKeys.namespace);
    }
  });
});

describe('when more games wait in the results backlog than one reconciler pass looks at', () => {
  it('goes on from where the last pass stopped, reaches every game, then starts over', async () => {
    const backlogKeys = createKeys(`${keys.namespace}-backlog`);
    const games = Array.from({ length: 2500 }, (_, i) => `game-${i}`);
    await redis.hset(backlogKeys.resultsPendingRooms, Object.fromEntries(games.map((g) => [g, `R${g}`])));
    const backlog = createResultsBacklog({ redis, keys: backlogKeys });
    try {
      const passes: string[][] = [];
      for (let i = 0; i < 3; i++) passes.push((await backlog.waiting()).map((w) => w.gameId));
      const next = await backlog.waiting();

      // A pass reads about 1,000 (HSCAN's COUNT is a hint); three go through all 2,500.
      for (const pass of passes) expect(pass.length).toBeLessThan(1300);
      expect(new Set(passes.flat())).toEqual(new Set(games));
      expect(next.length).toBeGreaterThan(0);
      expect(next.map((w) => w.gameId)).toEqual(passes[0]?.slice(0, next.length));
    } finally {
      await deleteNamespace(infra().redisUrl, backlogKeys.namespace);
    }
  });
});
