import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRoomCode } from '../../src/game/room-code';
import { createLogger } from '../../src/platform/logger';
import { createEventBus } from '../../src/store/event-bus';
import { type Keys, createKeys } from '../../src/store/keys';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { createRoomStore } from '../../src/store/room-store';
import { deleteNamespace, infra, sleep, testNamespace, waitUntil } from '../helpers/infra';

let redis: QuizRedis;
let keys: Keys;

beforeAll(() => {
  redis = createRedis(infra().redisUrl, { name: 'test-liveness' });
  keys = createKeys(testNamespace('liveness'));
});

afterAll(async () => {
  await deleteNamespace(infra().redisUrl, keys.namespace);
  await redis.quit();
});

describe('presence leased by socket instances', () => {
  const SHORT_LEASE_MS = 400;

  it('counts the players of an instance that stops renewing its lease as offline once the lease ends', async () => {
    const code = generateRoomCode();
    const dying = createRoomStore({ redis, keys, ttlSeconds: 600, instance: { id: 'dying', leaseMs: SHORT_LEASE_MS } });
    const alive = createRoomStore({ redis, keys, ttlSeconds: 600, instance: { id: 'alive', leaseMs: 60_000 } });
    await dying.presence(code, 'ann', 1);
    await alive.presence(code, 'bob', 1);
    await redis.hset(keys.answers(code, 0), 'bob', '{}');

    const before = await alive.presenceState(code, 0);
    const onlineBefore = await alive.onlinePlayers(code);
    await sleep(SHORT_LEASE_MS + 100);
    const after = await alive.presenceState(code, 0);
    const onlineAfter = await alive.onlinePlayers(code);

    expect([...onlineBefore].sort()).toEqual(['ann', 'bob']);
    expect(before.closable).toBe(false);
    expect([...onlineAfter]).toEqual(['bob']);
    // Bob, the one player still there, has answered: the question may close.
    expect(after.closable).toBe(true);
  });

  it('keeps a player online while any of their instances is alive, and forgets a long-dead instance when a live one renews', async () => {
    const code = generateRoomCode();
    const dying = createRoomStore({ redis, keys, ttlSeconds: 600, instance: { id: 'gone', leaseMs: 100 } });
    const alive = createRoomStore({ redis, keys, ttlSeconds: 600, instance: { id: 'here', leaseMs: 60_000 } });
    await dying.presence(code, 'ann', 1);
    await alive.presence(code, 'ann', 1);
    await sleep(200);

    expect([...(await alive.onlinePlayers(code))]).toEqual(['ann']);
    await redis.hset(keys.instances(code), 'gone', String(Date.now() - 120_000));
    await alive.renewLease([code]);
    expect(await redis.hkeys(keys.online(code))).toEqual(['ann|here']);
    expect(await redis.hkeys(keys.instances(code))).toEqual(['here']);
  });

  it('counts a live instance’s members again when its own renewal finds its lease forgotten, as after a long Redis stall', async () => {
    const code = generateRoomCode();
    const a = createRoomStore({ redis, keys, ttlSeconds: 600, instance: { id: 'a', leaseMs: 60_000 } });
    const b = createRoomStore({ redis, keys, ttlSeconds: 600, instance: { id: 'b', leaseMs: 60_000 } });
    await a.connectPlayer(code, 'ann');
    await b.connectPlayer(code, 'bob');
    await b.connectPlayer(code, 'bob');
    await b.hostPresence(code, 'host', 1);
    // Every lease ended while Redis was away; the first instance back forgets the other.
    await redis.hset(keys.instances(code), 'b', String(Date.now() - 120_000));
    expect(await a.renewLease([code])).toEqual([]);
    expect([...(await a.onlinePlayers(code))]).toEqual(['ann']);

    expect(await b.renewLease([code])).toEqual([code]);
    expect([...(await a.onlinePlayers(code))].sort()).toEqual(['ann', 'bob']);
    expect(await redis.hgetall(keys.online(code))).toEqual({ 'ann|a': '1', 'bob|b': '2' });
    expect(await redis.hgetall(keys.hostOnline(code))).toEqual({ 'host|b': '1' });
    expect(await redis.hgetall(keys.onlineCounts(code))).toEqual({ a: '1', b: '1' });
    // The ledger follows the disconnects: once Bob's tabs are closed, a renewal after a lapse counts nobody on b.
    await b.presence(code, 'bob', -1);
    await b.presence(code, 'bob', -1);
    await redis.hset(keys.instances(code), 'b', String(Date.now() - 1));
    expect(await b.renewLease([code])).toEqual([code]);
    expect(await redis.hgetall(keys.online(code))).toEqual({ 'ann|a': '1' });
    expect(await redis.hgetall(keys.onlineCounts(code))).toEqual({ a: '1' });
  });

  it('counts a forgotten instance’s members again when a new connection reaches it before its renewal does', async () => {
    const code = generateRoomCode();
    const a = createRoomStore({ redis, keys, ttlSeconds: 600, instance: { id: 'a', leaseMs: 60_000 } });
    const b = createRoomStore({ redis, keys, ttlSeconds: 600, instance: { id: 'b', leaseMs: 60_000 } });
    await a.connectPlayer(code, 'ann');
    await b.connectPlayer(code, 'bob');
    await redis.hset(keys.instances(code), 'b', String(Date.now() - 120_000));
    await a.renewLease([code]);
    expect([...(await a.onlinePlayers(code))]).toEqual(['ann']);

    // Cid reconnects to b first: that renews b's lease, so b's next renewal finds nothing lapsed.
    await b.connectPlayer(code, 'cid');
    await waitUntil('b to count its members again', async () => ((await a.onlinePlayers(code)).size === 3 ? true : undefined), 5000, 20);

    expect([...(await a.onlinePlayers(code))].sort()).toEqual(['ann', 'bob', 'cid']);
    expect(await redis.hgetall(keys.online(code))).toEqual({ 'ann|a': '1', 'bob|b': '1', 'cid|b': '1' });
    expect(await redis.hgetall(keys.onlineCounts(code))).toEqual({ a: '1', b: '2' });
    expect(await b.renewLease([code])).toEqual([]);
  });

  it('re-asserts at the next renewal when the re-assert of a connect that found the lease forgotten fails, and says so', async () => {
    const code = generateRoomCode();
    const own = createRedis(infra().redisUrl, { name: 'test-liveness-reassert' });
    const warnings: string[] = [];
    const log = { ...createLogger('socket', 'silent'), warn: (msg: string) => warnings.push(msg) };
    const a = createRoomStore({ redis, keys, ttlSeconds: 600, instance: { id: 'a', leaseMs: 60_000 } });
    const b = createRoomStore({ redis: own, keys, ttlSeconds: 600, instance: { id: 'b', leaseMs: 60_000 }, log });
    try {
      await a.connectPlayer(code, 'ann');
      await b.connectPlayer(code, 'bob');
      await redis.hset(keys.instances(code), 'b', String(Date.now() - 120_000));
      await a.renewLease([code]);
      // The connect renews b's lease and finds it forgotten; its re-assert fails (Redis away for a moment).
      const reassert = own.qlReassert!;
      own.qlReassert = () => {
        own.qlReassert = reassert;
        return Promise.reject(new Error('Connection is closed.'));
      };
      await b.connectPlayer(code, 'cid');
      await waitUntil('the failed re-assert told', () => (warnings.length ? true : undefined), 5000, 20);
      expect([...(await a.onlinePlayers(code))].sort()).toEqual(['ann', 'cid']);

      expect(await b.renewLease([code])).toEqual([code]);
      expect([...(await a.onlinePlayers(code))].sort()).toEqual(['ann', 'bob', 'cid']);
      expect(await redis.hgetall(keys.onlineCounts(code))).toEqual({ a: '1', b: '2' });
      expect(warnings).toEqual([expect.stringContaining('could not count this instance’s connections again')]);
      expect(await b.renewLease([code])).toEqual([]);
    } finally {
      await own.quit();
    }
  });

  it('tells how long a room has had nobody present, host or player', async () => {
    const code = generateRoomCode();
    const socket = createRoomStore({ redis, keys, ttlSeconds: 600, instance: { id: randomUUID(), leaseMs: 60_000 } });
    await socket.hostPresence(code, 'host', 1);
    expect((await socket.presenceState(code, -1)).vacantForMs).toBe(0);
    await socket.hostPresence(code, 'host', -1);
    expect((await socket.presenceState(code, -1)).vacantForMs).toBe(0);
    await sleep(300);
    expect((await socket.presenceState(code, -1)).vacantForMs).toBeGreaterThanOrEqual(250);
  });
});

describe('the events backlog', () => {
  it('reports a missing group, then unread entries and how long the oldest waited, then none once read', async () => {
    const bus = createEventBus({ redis, keys });
    expect(await bus.backlog()).toEqual({ group: false, unread: 0, oldestUnreadMs: null });

    await bus.ensureGroup();
    await bus.emit({ type: 'room.created', roomCode: 'ABCDEF', version: 1, at: Date.now() });
    await bus.emit({ type: 'room.created', roomCode: 'ABCDEG', version: 1, at: Date.now() });
    await sleep(200);
    const waiting = await bus.backlog();
    await bus.readNew('reader', keys.eventStreams, 10);
    const read = await bus.backlog();

    expect(waiting).toMatchObject({ group: true, unread: 2 });
    expect(waiting.oldestUnreadMs).toBeGreaterThanOrEqual(150);
    expect(read).toEqual({ group: true, unread: 0, oldestUnreadMs: null });
  });
});
