import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger';
import { createKeys } from '../../src/store/keys';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { createRoomRecords } from '../../src/store/room-records';
import { deleteNamespace, infra, testNamespace } from '../helpers/infra';

/** A port nothing listens on: connecting is refused, as with Redis down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('the check that rooms still have their records', () => {
  const keys = createKeys(testNamespace('room-records'), 4);
  let redis: QuizRedis;

  beforeAll(() => {
    redis = createRedis(infra().redisUrl, { name: 'test-room-records', autoPipeline: true });
  });

  afterAll(async () => {
    redis.disconnect();
    await deleteNamespace(infra().redisUrl, keys.namespace);
  });

  it('names the rooms whose record is gone, and only those, in one round of EXISTS', async () => {
    await redis.set(keys.room('ABC234'), '{}', 'EX', 60);
    await redis.set(keys.room('XYZ789'), '{}', 'EX', 60);
    // A room's other keys without its record (what a presence write after a loss leaves) do not make it exist.
    await redis.hset(keys.online('GONE22'), 'p|i', '1');

    expect(await createRoomRecords({ redis, keys }).missing(['ABC234', 'GONE22', 'XYZ789', 'NEVER3'])).toEqual(['GONE22', 'NEVER3']);
  });

  it('asks nothing for no rooms', async () => {
    expect(await createRoomRecords({ redis, keys }).missing([])).toEqual([]);
  });

  it('rejects, naming no room as gone, when Redis does not answer (connection refused)', async () => {
    const down = createRedis(`redis://127.0.0.1:${await closedPort()}`, {
      name: 'test-room-records-down',
      autoPipeline: true,
      log: createLogger('test', 'silent'),
    });
    try {
      await expect(createRoomRecords({ redis: down, keys }).missing(['ABC234'])).rejects.toThrow();
    } finally {
      down.disconnect();
    }
  });
});
