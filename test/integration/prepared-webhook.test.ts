import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalServer, startLocalRedis } from '../../src/local/local-redis';
import type { Question } from '../../src/shared/room';
import { createKeys } from '../../src/store/keys';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { answerKeyEntry } from '../../src/store/room-store';
import { createWebhookClient } from '../../workers/webhook-client';
import { startInProcessApi } from '../helpers/in-process-api';

/**
 * The api's `prepared` webhook, called twice for the same room and version (a stalled first try and
 * the worker's retry), on a Redis of the test's own: the test pauses its writes, which would stall
 * every other test file's.
 */

const question = (text: string, correct: number): Question => ({
  id: correct + 1,
  category: 'Geography',
  difficulty: 'easy',
  type: 'multiple',
  text,
  choices: ['Quito', 'Lima', 'Bogotá'],
  correct: [correct],
  accepted: [],
});

let redisServer: LocalServer;
let running: Awaited<ReturnType<typeof startInProcessApi>>;
let redis: QuizRedis;

beforeAll(async () => {
  redisServer = await startLocalRedis({ server: inject('redisServer') ?? undefined });
  running = await startInProcessApi('prepared-webhook', { REDIS_URL: redisServer.url });
  redis = createRedis(redisServer.url, { name: 'test-prepared-webhook' });
}, 60_000);

afterAll(async () => {
  await redis?.quit();
  await running?.stop();
  await redisServer?.stop();
});

describe('when two prepared webhooks for the same version race', () => {
  it('stores the questions and answer key of the one that applied, never the refused one', async () => {
    const { token } = await running.client.registerHost('Preparer');
    const { code } = await running.client.createRoom(token, { questionCount: 1, questionSeconds: 10, revealSeconds: 3 });
    const keys = createKeys(running.namespace);
    const version = JSON.parse((await redis.get(keys.room(code))) ?? 'null').version as number;
    const call = createWebhookClient({ baseUrl: running.client.baseUrl, secret: running.config.webhookSecret, calls: { inc: () => undefined } });
    const sets = [[question('Capital of Peru?', 1)], [question('Capital of Ecuador?', 0)]];

    // Both read the room at `version` before either writes: as a stalled try and its retry would.
    await redis.client('PAUSE', 300, 'WRITE');
    const outcomes = await Promise.all(sets.map((questions) => call('prepared', code, { version, questions })));

    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['applied', 'stale']);
    const applied = sets[outcomes.findIndex((o) => o.outcome === 'applied')] ?? [];
    expect(JSON.parse((await redis.get(keys.questions(code))) ?? 'null')).toEqual(applied);
    expect(await redis.hgetall(keys.answerKey(code))).toEqual({ 0: JSON.stringify(answerKeyEntry(applied[0] as Question)) });
  });
});
