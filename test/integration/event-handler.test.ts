import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRoomCode } from '../../src/game/room-code';
import { transition } from '../../src/game/room-machine';
import type { RoomState } from '../../src/game/room-state';
import type { Question } from '../../src/shared/room';
import { jobId } from '../../src/shared/jobs';
import { createAnswerStore } from '../../src/store/answer-store';
import { createRoomStore } from '../../src/store/room-store';
import { loadConfig } from '../../src/platform/config';
import { type Db, createDb } from '../../src/platform/db';
import { type Logger, createLogger } from '../../src/platform/logger';
import { createMetricsRegistry, createWorkerMetrics } from '../../src/platform/metrics';
import { type Keys, createKeys } from '../../src/store/keys';
import { closeQueues } from '../../src/store/queues';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { createWorkerDeps } from '../../workers/deps';
import { UNKNOWN_EVENT_HOLD_MS, createEventHandler } from '../../workers/event-handler';
import { deleteNamespace, infra, sleep, testNamespace, waitUntil } from '../helpers/infra';
import { TIMING } from '../helpers/timing';
import { SETTINGS, openQuestionRoom, question } from '../unit/fixtures';

let redis: QuizRedis;
let db: Db;
const namespaces: string[] = [];

beforeAll(() => {
  redis = createRedis(infra().redisUrl, { name: 'test-event-handler' });
  db = createDb(infra().databaseUrl);
});

afterAll(async () => {
  for (const ns of namespaces) await deleteNamespace(infra().redisUrl, ns);
  await Promise.all([redis.quit(), db.destroy()]);
});

/** The worker's event handler on its own namespace, with its error and warning lines recorded. */
function startHandler(label: string) {
  const namespace = testNamespace(label);
  namespaces.push(namespace);
  const keys: Keys = createKeys(namespace);
  const config = loadConfig({ REDIS_URL: infra().redisUrl, DATABASE_URL: infra().databaseUrl, QUIZLOOP_NAMESPACE: namespace, LOG_LEVEL: 'silent' }, 'worker');
  const lines: { level: 'warn' | 'error'; msg: string; fields: Record<string, unknown> }[] = [];
  const silent = createLogger('worker', 'silent');
  const log: Logger = {
    ...silent,
    warn: (msg, fields = {}) => lines.push({ level: 'warn', msg, fields }),
    error: (msg, fields = {}) => lines.push({ level: 'error', msg, fields }),
  };
  const deps = {
    ...createWorkerDeps({ ...config, redisUrl: infra().redisUrl, databaseUrl: infra().databaseUrl }, silent, {
      redis,
      keys,
      db,
      metrics: createWorkerMetrics(createMetricsRegistry('worker')),
    }),
    log,
  };
  const handler = createEventHandler(deps, 'test-consumer', { arm: () => undefined });
  const stream = keys.events('ANY');
  return {
    keys,
    deps,
    lines,
    stream,
    add: (event: Record<string, unknown>, id = '*') => redis.xadd(stream, id, 'type', String(event.type), 'event', JSON.stringify(event)) as Promise<string>,
    pendingIds: async () => ((await redis.xpending(stream, keys.eventsGroup, '-', '+', 100)) as [string, ...unknown[]][]).map(([id]) => id),
    start: () => handler.start(),
    async stop() {
      await handler.stop();
      await closeQueues(deps.queues);
    },
  };
}

describe('when the event stream carries an event of a type this worker does not know', () => {
  it('leaves it unacknowledged for a worker that knows it, logs it once, and handles the events around it', async () => {
    const h = startHandler('unknown-event');
    const code = generateRoomCode();
    const unknown = await h.add({ type: 'room.renamed', roomCode: code, version: 3, at: Date.now() });
    // A known event of a room that does not exist: handled (nothing to do) and acknowledged.
    const known = await h.add({ type: 'room.created', roomCode: code, version: 1, at: Date.now() });
    h.start();
    try {
      await waitUntil('the unknown event read', () => (h.lines.length ? true : undefined));
      await waitUntil('the known event acknowledged', async () => ((await h.pendingIds()).includes(known) ? undefined : true));
      // Past the handler's next read of its own pending entries (every 5 s): still held, not logged again.
      await sleep(6_000);

      expect(await h.pendingIds()).toEqual([unknown]);
      const held = h.lines.filter((l) => l.msg.includes('unknown event type'));
      expect(held).toHaveLength(1);
      expect(held[0]).toMatchObject({ level: 'error', fields: { id: unknown, type: 'room.renamed' } });
    } finally {
      await h.stop();
    }
  });

  it(`acknowledges and drops it once it is older than ${UNKNOWN_EVENT_HOLD_MS / 60_000} minutes`, async () => {
    const h = startHandler('unknown-event-old');
    const [seconds = '0'] = await redis.time();
    const old = await h.add(
      { type: 'room.renamed', roomCode: generateRoomCode(), version: 3, at: 0 },
      `${Number(seconds) * 1000 - UNKNOWN_EVENT_HOLD_MS - 60_000}-0`,
    );
    h.start();
    try {
      await waitUntil('the old entry read', () => (h.lines.length ? true : undefined));
      await waitUntil('the old entry acknowledged', async () => ((await h.pendingIds()).length === 0 ? true : undefined));
      expect(h.lines).toEqual([
        expect.objectContaining({ msg: 'skipping malformed stream entry', fields: expect.objectContaining({ id: old, type: 'room.renamed' }) }),
      ]);
    } finally {
      await h.stop();
    }
  });
});

describe('when entries pending to this worker are swept again', () => {
  /** Delivers the stream's new entries to `consumer` without handling them, as a worker that died mid-way leaves them. */
  const deliver = (h: ReturnType<typeof startHandler>, consumer: string) =>
    redis.xreadgroup('GROUP', h.keys.eventsGroup, consumer, 'COUNT', 1000, 'STREAMS', h.stream, '>');

  it('acknowledges one trimmed from the stream, logs it once, and still claims what another worker abandoned', async () => {
    const h = startHandler('trimmed-pending');
    await h.deps.bus.ensureGroup();
    const gone = await h.add({ type: 'room.created', roomCode: generateRoomCode(), version: 1, at: Date.now() });
    await deliver(h, 'test-consumer');
    const abandoned = await h.add({ type: 'room.created', roomCode: generateRoomCode(), version: 1, at: Date.now() });
    await deliver(h, 'dead-worker');
    // Idle for a minute already, so the handler's first sweep claims it.
    await redis.xclaim(h.stream, h.keys.eventsGroup, 'dead-worker', 0, abandoned, 'IDLE', 60_000);
    // As `MAXLEN ~` does once enough newer entries passed the pending one.
    await redis.xtrim(h.stream, 'MAXLEN', 1);
    h.start();
    try {
      await waitUntil('every pending entry acknowledged', async () => ((await h.pendingIds()).length === 0 ? true : undefined), 5_000);
      expect(h.lines).toEqual([expect.objectContaining({ level: 'warn', msg: expect.stringContaining('trimmed'), fields: { count: 1, ids: [gone] } })]);
    } finally {
      await h.stop();
    }
  });

  it('reads past a full page of entries it holds to the ones behind them', async () => {
    const h = startHandler('held-page');
    await h.deps.bus.ensureGroup();
    for (let i = 0; i < 100; i++) await h.add({ type: 'room.renamed', roomCode: generateRoomCode(), version: 3, at: Date.now() });
    const behind = await h.add({ type: 'room.created', roomCode: generateRoomCode(), version: 1, at: Date.now() });
    await deliver(h, 'test-consumer');
    h.start();
    try {
      // Within the first sweep: the claim of idle entries (10 s) cannot have taken it yet.
      const pending = async () => ((await redis.xpending(h.stream, h.keys.eventsGroup)) as [number, ...unknown[]])[0];
      await waitUntil('the entry behind the held ones acknowledged', async () => ((await pending()) === 100 ? true : undefined), 5_000);
      expect(await h.pendingIds()).not.toContain(behind);
    } finally {
      await h.stop();
    }
  });
});

describe('when the host resumes a question whose answers, taken during the pause, completed it', () => {
  const SCIENCE: Question = { ...question(), correct: [2] };

  /** A first-correct question with ann and bob online, paused; ann's answer (it came before the pause) taken, then resumed. */
  async function resumedAfterAnswer(h: ReturnType<typeof startHandler>, choice: number): Promise<RoomState> {
    const [seconds = '0'] = await redis.time();
    const now = Number(seconds) * 1000;
    // As the socket process writes them, which counts presence.
    const rooms = createRoomStore({ redis, keys: h.keys, ttlSeconds: 600, instance: { id: 'test-socket', leaseMs: 60_000 } });
    const room = openQuestionRoom(now - 3000, { settings: { ...SETTINGS, mode: 'first-correct', questionCount: 1 } });
    expect(await rooms.create(room, { type: 'room.created', roomCode: room.code, version: room.version, at: room.createdAt })).not.toBeNull();
    await rooms.saveQuestions(room.code, [SCIENCE]);
    for (const id of ['ann', 'bob']) {
      expect(await rooms.join(room.code, { id, nickname: id, userId: null, joinedAt: 0 })).toBe('ok');
      await rooms.presence(room.code, id, 1);
    }
    const pause = transition(room, { type: 'pause' });
    if (!pause.ok) throw new Error(pause.reason);
    const paused = await rooms.apply(room.version, pause);
    if (!paused.ok) throw new Error(paused.code);
    const answers = createAnswerStore({ redis, keys: h.keys, rules: TIMING });
    const taken = await answers.submit(room.code, 'ann', 0, { choice }, { arrivedAt: now - 1000, loopBusyMs: null, rttMs: null, reportedMs: null });
    expect(taken).toMatchObject({ ok: true, closable: false });
    const resume = transition(paused.room, { type: 'resume' });
    if (!resume.ok) throw new Error(resume.reason);
    const resumed = await rooms.apply(paused.room.version, resume);
    if (!resumed.ok) throw new Error(resumed.code);
    return resumed.room;
  }

  const advanceOf = (h: ReturnType<typeof startHandler>, room: RoomState) => h.deps.queues.advance.getJob(jobId.advance(room.gameId, room.version));

  it('closes it at once in first-correct mode when the answer was correct', async () => {
    const h = startHandler('resume-decided');
    const room = await resumedAfterAnswer(h, 2);
    h.start();
    try {
      // The deadline's advance, marked due now: the question closes without waiting for a tick or its deadline.
      await waitUntil('the advance marked due now', async () => ((await advanceOf(h, room))?.data.dueAt === 0 ? true : undefined));
    } finally {
      await h.stop();
    }
  });

  it('leaves it open to its deadline when the answer was wrong', async () => {
    const h = startHandler('resume-open');
    const room = await resumedAfterAnswer(h, 1);
    h.start();
    try {
      await waitUntil('the resume handled', async () => ((await h.pendingIds()).length === 0 && (await advanceOf(h, room)) ? true : undefined));
      expect((await advanceOf(h, room))?.data.dueAt).toBeGreaterThan(0);
    } finally {
      await h.stop();
    }
  });
});
