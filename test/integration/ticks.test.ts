import { randomUUID } from 'node:crypto';
import { SETTINGS, roomIn } from '../unit/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transition } from '../../src/game/room-machine';
import { generateRoomCode } from '../../src/game/room-code';
import type { RoomState } from '../../src/game/room-state';
import type { ChannelMessage } from '../../src/shared/events';
import { createLogger } from '../../src/platform/logger';
import { createMetricsRegistry, createWorkerMetrics } from '../../src/platform/metrics';
import { type Keys, createKeys } from '../../src/store/keys';
import { type Queues, closeQueues, createQueues } from '../../src/store/queues';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { type RoomStore, createRoomStore } from '../../src/store/room-store';
import { type Clock, createClock } from '../../workers/clock';
import { type RedisClock, createRedisClock } from '../../src/store/redis-clock';
import type { WorkerDeps } from '../../workers/deps';
import { type TickDrawn, afterTick, createTicks } from '../../workers/ticks';
import { startTickThread } from '../../workers/tick-thread';
import { loadConfig } from '../../src/platform/config';
import { deleteNamespace, infra, testNamespace } from '../helpers/infra';

let redis: QuizRedis;
let subscriber: QuizRedis;
let keys: Keys;
let rooms: RoomStore;
let queues: Queues;
let clock: Clock;
let redisClock: RedisClock;
let ticks: ReturnType<typeof createTicks>;
/** Ticks are drawn this long before their instant (COUNTDOWN_LEAD_MS), which the frame names. */
const LEAD_MS = 300;

function step(room: RoomState, t: Parameters<typeof transition>[1]) {
  const r = transition(room, t);
  if (!r.ok) throw new Error(r.reason);
  return r;
}

/** A room in question 0 of a 5 s question, stored: its countdown is due 2 s and 4 s after its start (the opening's is its view). */
async function openQuestion(): Promise<RoomState & { deadlineAt: number; phaseStartedAt: number }> {
  const now = Date.now();
  const room: RoomState = roomIn({
    code: generateRoomCode(),
    gameId: randomUUID(),
    hostId: 'host',
    hostName: 'Host',
    settings: { ...SETTINGS, questionCount: 1, questionSeconds: 5, revealSeconds: 3 },
    createdAt: now,
  });
  await rooms.create(room, { type: 'room.created', roomCode: room.code, version: 1, at: now });
  const prepared = step(room, { type: 'prepared', questionCount: 1 });
  await rooms.apply(room.version, prepared);
  const started = await rooms.apply(prepared.room.version, step(prepared.room, { type: 'start' }));
  if (!started.ok) throw new Error(started.code);
  const { deadlineAt, phaseStartedAt } = started.room;
  if (deadlineAt === null || phaseStartedAt === null) throw new Error('a question has a deadline');
  return { ...started.room, deadlineAt, phaseStartedAt };
}

function countdownsOf(code: string): { message: ChannelMessage; at: number }[] {
  const got: { message: ChannelMessage; at: number }[] = [];
  void subscriber.subscribe(keys.channel(code));
  subscriber.on('message', (channel, raw) => {
    if (channel !== keys.channel(code)) return;
    const message = JSON.parse(raw) as ChannelMessage;
    if (message.kind === 'countdown') got.push({ message, at: Date.now() });
  });
  return got;
}

beforeAll(async () => {
  keys = createKeys(testNamespace('ticks'));
  redis = createRedis(infra().redisUrl, { name: 'test-ticks', blocking: true });
  subscriber = createRedis(infra().redisUrl, { name: 'test-ticks-sub' });
  rooms = createRoomStore({ redis, keys, ttlSeconds: 600 });
  queues = createQueues(redis, keys);
  const log = createLogger('test', 'silent');
  redisClock = createRedisClock({ redis, log });
  await redisClock.start();
  clock = createClock(redisClock.now, (err) => {
    throw err;
  });
  const deps = {
    log,
    redisClock,
    rooms,
    queues,
    metrics: createWorkerMetrics(createMetricsRegistry('worker')),
    housekeeping: { idleMs: 3_600_000, abandonedMs: 3_600_000 },
    webhook: async () => {
      throw new Error('no webhook is called while someone is in the room');
    },
  } as unknown as WorkerDeps;
  ticks = createTicks({ clock, redisClock, tickRooms: rooms, leadMs: LEAD_MS }, afterTick(deps));
});

afterAll(async () => {
  clock.stop();
  redisClock.stop();
  await closeQueues(queues);
  await deleteNamespace(infra().redisUrl, keys.namespace);
  await Promise.all([redis.quit(), subscriber.quit()]);
});

describe("the worker's countdown ticks", () => {
  it('publishes each tick of a question from 2 s on, once, numbered, its lead before its instant, however often the phase is armed', async () => {
    const room = await openQuestion();
    const got = countdownsOf(room.code);
    await new Promise((resolve) => setTimeout(resolve, 50));

    ticks.arm(room);
    ticks.arm(room);
    await new Promise((resolve) => setTimeout(resolve, room.deadlineAt - Date.now() + 200));

    expect(got.map((g) => g.message)).toEqual(
      [1, 2].map((tick) =>
        expect.objectContaining({
          kind: 'countdown',
          tick,
          dueAt: room.phaseStartedAt + 2000 * tick,
          version: room.version,
          deadlineAt: room.deadlineAt,
          answeredCount: 0,
          playerCount: 0,
        }),
      ),
    );
    for (const { message, at } of got) {
      if (message.kind !== 'countdown') continue;
      // Drawn once its lead before the instant was reached, and (the machine not stalled) before the instant itself.
      expect(at).toBeGreaterThanOrEqual((message.dueAt ?? 0) - LEAD_MS);
      expect(at).toBeLessThan(message.dueAt ?? 0);
    }
  }, 15_000);

  it('draws nothing once the room has moved on from the phase', async () => {
    const room = await openQuestion();
    const got = countdownsOf(room.code);
    await new Promise((resolve) => setTimeout(resolve, 50));
    ticks.arm(room);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ended = step(room, { type: 'end' });
    await rooms.apply(room.version, ended);

    // Past tick 1's instant (2 s after the start).
    await new Promise((resolve) => setTimeout(resolve, room.phaseStartedAt + 2500 - Date.now()));

    expect(got).toHaveLength(0);
  }, 15_000);

  it('draws a tick set for an earlier game of the same code, or an earlier version, as nothing', async () => {
    const room = await openQuestion();
    const got = countdownsOf(room.code);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const frame = { kind: 'countdown', phase: room.phase, questionIndex: 0, deadlineAt: room.deadlineAt, tick: 1 } as const;

    const otherGame = await rooms.drawTick(room.code, randomUUID(), { ...frame, version: room.version });
    const olderVersion = await rooms.drawTick(room.code, room.gameId, { ...frame, version: room.version - 1 });
    const current = await rooms.drawTick(room.code, room.gameId, { ...frame, version: room.version });
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect([otherGame.drawn, olderVersion.drawn, current.drawn]).toEqual([false, false, true]);
    expect(got.map((g) => g.message)).toEqual([expect.objectContaining({ tick: 1, version: room.version })]);
  });
});

describe("the worker's ticks in a thread of their own", () => {
  it("draws each tick at its instant while the worker's main thread is busy", async () => {
    const { redisUrl, databaseUrl } = infra();
    const config = {
      ...loadConfig({ REDIS_URL: redisUrl, DATABASE_URL: databaseUrl, QUIZLOOP_NAMESPACE: keys.namespace, LOG_LEVEL: 'silent' }, 'worker'),
      redisUrl,
      databaseUrl,
    };
    const drawn: TickDrawn[] = [];
    const thread = startTickThread(config, createLogger('test', 'silent'), (d) => drawn.push(d));
    try {
      await thread.ready;
      const room = await openQuestion();
      const got = countdownsOf(room.code);
      await new Promise((resolve) => setTimeout(resolve, 50));

      thread.arm(room);
      // This thread's event loop is held past tick 1 (due 2 s after the start), as advances and webhooks may hold it.
      while (Date.now() < room.phaseStartedAt + 2600);
      await new Promise((resolve) => setTimeout(resolve, room.deadlineAt - Date.now() + 200));

      expect(got.map((g) => g.message)).toEqual([1, 2].map((tick) => expect.objectContaining({ kind: 'countdown', tick, version: room.version })));
      expect(drawn.map((d) => d.n)).toEqual([1, 2]);
      expect(drawn[0]?.latenessMs).toBeLessThan(250);
    } finally {
      await thread.stop();
    }
  }, 20_000);
});
