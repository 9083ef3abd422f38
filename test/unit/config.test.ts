import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config';

describe('connection settings in the environment', () => {
  it('leaves TLS to the URLs by default and verifies Redis certificates', () => {
    expect(loadConfig({}, 'api')).toMatchObject({ databaseSsl: undefined, redisTlsRejectUnauthorized: true });
  });

  it('takes DATABASE_SSL and REDIS_TLS_REJECT_UNAUTHORIZED for self-signed managed servers', () => {
    const config = loadConfig({ DATABASE_SSL: 'no-verify', REDIS_TLS_REJECT_UNAUTHORIZED: 'false' }, 'api');

    expect(config).toMatchObject({ databaseSsl: 'no-verify', redisTlsRejectUnauthorized: false });
  });

  it('takes a Redis Cluster from REDIS_CLUSTER_NODES, with 16 event partitions unless told otherwise', () => {
    expect(loadConfig({}, 'worker')).toMatchObject({ redisClusterNodes: null, eventPartitions: 1 });
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'redis-a:7000, 10.0.0.2:7001' }, 'worker')).toMatchObject({
      redisClusterNodes: [
        { host: 'redis-a', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      eventPartitions: 16,
    });
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'redis-a:7000', EVENT_PARTITIONS: '64' }, 'worker').eventPartitions).toBe(64);
  });

  it('lets an answer that comes during a question fan-out wait 50 ms by default, or SOCKET_FANOUT_ANSWER_WAIT_MS', () => {
    // 15 ms gave earlier acks but a later fan-out at 5,000 players (docs/capacity.md, "The answer burst at 5,000: whose time the ack p99 is").
    expect(loadConfig({}, 'socket').fanoutAnswerWaitMs).toBe(50);
    expect(loadConfig({ SOCKET_FANOUT_ANSWER_WAIT_MS: '0' }, 'socket').fanoutAnswerWaitMs).toBe(0);
  });

  it("lets a socket process's old space grow to twice what is live by default, 0 leaving V8's own factor", () => {
    expect(loadConfig({}, 'socket').heapGrowingPercent).toBe(100);
    expect(loadConfig({ SOCKET_HEAP_GROWING_PERCENT: '0' }, 'socket').heapGrowingPercent).toBe(0);
  });

  it.each([
    [{ REDIS_CLUSTER_NODES: 'redis-a' }, /REDIS_CLUSTER_NODES/],
    [{ SOCKET_HEAP_GROWING_PERCENT: '301' }, /SOCKET_HEAP_GROWING_PERCENT/],
    [{ SOCKET_HEAP_GROWING_PERCENT: '-1' }, /SOCKET_HEAP_GROWING_PERCENT/],
    [{ EVENT_PARTITIONS: '0' }, /EVENT_PARTITIONS/],
    [{ DATABASE_SSL: 'yes' }, /DATABASE_SSL/],
    [{ REDIS_TLS_REJECT_UNAUTHORIZED: '0' }, /REDIS_TLS_REJECT_UNAUTHORIZED/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL/],
    [{ PORT: 'eighty' }, /PORT/],
    [{ NODE_ENV: 'production' }, /JWT_SECRET must be set/],
  ])('refuses %o naming the variable', (env, message) => {
    expect(() => loadConfig(env, 'api')).toThrow(message);
  });
});

describe('fair timing settings', () => {
  it('defaults to a 500 ms grace, a 150 ms allowance cap and reaction floor, 2 s send lag cap, 10 s heartbeats and a 20 s heartbeat timeout', () => {
    expect(loadConfig({}, 'socket').timing).toEqual({
      answerGraceMs: 500,
      allowanceCapMs: 150,
      sendLagCapMs: 2000,
      reactionFloorMs: 150,
      pingIntervalMs: 10_000,
      pingTimeoutMs: 20_000,
    });
  });

  it('refuses a heartbeat timeout under 5 s, which would drop phones on slow networks', () => {
    expect(() => loadConfig({ SOCKET_PING_TIMEOUT_MS: '4999' }, 'socket')).toThrow(/SOCKET_PING_TIMEOUT_MS/);
  });

  it('takes 0 to turn the allowance off, and refuses a negative grace naming the variable', () => {
    expect(loadConfig({ LATENCY_ALLOWANCE_CAP_MS: '0' }, 'socket').timing.allowanceCapMs).toBe(0);
    expect(() => loadConfig({ ANSWER_GRACE_MS: '-1' }, 'socket')).toThrow(/ANSWER_GRACE_MS/);
  });

  it('refuses a reconciler grace shorter than the answer grace, naming both settings', () => {
    expect(() => loadConfig({ RECONCILE_GRACE_MS: '400', ANSWER_GRACE_MS: '500' }, 'worker')).toThrow(
      /RECONCILE_GRACE_MS \(400\) must be at least ANSWER_GRACE_MS \(500\)/,
    );
    expect(loadConfig({ RECONCILE_GRACE_MS: '500', ANSWER_GRACE_MS: '500' }, 'worker').reconcileGraceMs).toBe(500);
    expect(() => loadConfig({ ANSWER_GRACE_MS: '100', LATENCY_ALLOWANCE_CAP_MS: '150' }, 'socket')).toThrow(
      /ANSWER_GRACE_MS \(100\) must be at least LATENCY_ALLOWANCE_CAP_MS \(150\)/,
    );
  });
});

describe('URL settings', () => {
  it('refuses an api, socket or CORS URL without http:// or https://, naming the variable', () => {
    // `api:3000` is a URL whose scheme is `api:`: every webhook to it failed, and rooms stayed `building`.
    expect(() => loadConfig({ API_INTERNAL_URL: 'api:3000' }, 'worker')).toThrow(/API_INTERNAL_URL: must start with http:\/\/ or https:\/\//);
    expect(() => loadConfig({ PUBLIC_SOCKET_URL: 'socket.example.com:443' }, 'api')).toThrow(/PUBLIC_SOCKET_URL: must start with http:\/\/ or https:\/\//);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example.com, quiz.example.com:443' }, 'api')).toThrow(/CORS_ORIGINS\.1: must start with http:\/\//);
    expect(loadConfig({ API_INTERNAL_URL: 'http://api:3000/', PUBLIC_SOCKET_URL: 'https://socket.example.com' }, 'api')).toMatchObject({
      apiInternalUrl: 'http://api:3000',
      publicSocketUrl: 'https://socket.example.com',
    });
  });

  it('names the variable of a value that is no URL at all', () => {
    expect(() => loadConfig({ REDIS_URL: 'not a url' }, 'worker')).toThrow(/REDIS_URL: Invalid URL/);
  });
});

describe('how long a room lives', () => {
  it('refuses ROOM_TTL_SECONDS that would let a paused game expire before its idle end, naming both settings', () => {
    expect(() => loadConfig({ ROOM_TTL_SECONDS: '600' }, 'worker')).toThrow(
      /ROOM_TTL_SECONDS \(600\) must be at least ROOM_IDLE_SECONDS \+ RECONCILE_GRACE_MS \+ 300 s \(2105\)/,
    );
    expect(() => loadConfig({ ROOM_TTL_SECONDS: '2104' }, 'api')).toThrow(/ROOM_TTL_SECONDS/);
    expect(loadConfig({ ROOM_TTL_SECONDS: '2105' }, 'worker').roomTtlSeconds).toBe(2105);
    expect(loadConfig({ ROOM_TTL_SECONDS: '600', ROOM_IDLE_SECONDS: '295' }, 'worker').roomTtlSeconds).toBe(600);
  });

  it('keeps the default day well above the default half-hour idle end', () => {
    expect(loadConfig({}, 'worker')).toMatchObject({ roomTtlSeconds: 86_400, roomIdleSeconds: 1800 });
  });
});

describe('the per-player connect budget', () => {
  it('lets a player or host of a room connect 30 times a minute by default, or as SOCKET_CONNECTS_PER_PLAYER says', () => {
    expect(loadConfig({}).limits.socketConnectsPerPlayer).toEqual({ points: 30, seconds: 60 });
    expect(loadConfig({ SOCKET_CONNECTS_PER_PLAYER: '5/10' }).limits.socketConnectsPerPlayer).toEqual({ points: 5, seconds: 10 });
  });

  it('refuses a budget that is not <count>/<seconds>, naming the variable', () => {
    for (const bad of ['30', '0/60', '30/0', 'many/60', '-1/60']) {
      expect(() => loadConfig({ SOCKET_CONNECTS_PER_PLAYER: bad })).toThrow(/SOCKET_CONNECTS_PER_PLAYER: must be <count>\/<seconds>/);
    }
  });
});

describe('when a role starts with a wrong value in its environment', () => {
  it('stops at once with a message that names the variable', () => {
    const main = path.resolve(__dirname, '../../dist/src/main.js');
    const run = spawnSync(process.execPath, [main, 'api'], {
      env: { PATH: process.env.PATH, PORT: 'eighty', REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: 'postgres://x@127.0.0.1:1/x' },
      encoding: 'utf8',
      timeout: 20_000,
    });

    expect(run.status).not.toBe(0);
    expect(run.status).not.toBeNull();
    expect(run.stderr + run.stdout).toMatch(/PORT/);
  });
});
