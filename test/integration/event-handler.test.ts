import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRoomCode } from '../../src/game/room-code';
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
