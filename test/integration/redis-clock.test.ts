import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalServer, startLocalRedis } from '../../src/local/local-redis';
import { loadConfig } from '../../src/platform/config';
import { createLogger } from '../../src/platform/logger';
import { startSocket } from '../../src/socket/main';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { type RedisClock, createRedisClock } from '../../src/store/redis-clock';
import { sleep } from '../helpers/infra';

/**
 * The estimate of Redis's clock that stamps every answer, measured while Redis is busy with real
 * script work, on a Redis of the test's own (the load would slow every other test's commands).
 */

const log = createLogger('socket', 'silent');
/** About what a burst of answer scripts queues: each call spins 20 ms inside Redis. */
const SPIN = `local t0 = redis.call('TIME')
local s = tonumber(t0[1]) * 1e6 + tonumber(t0[2])
repeat local t = redis.call('TIME') until (tonumber(t[1]) * 1e6 + tonumber(t[2])) - s > 20000
return 1`;

let server: LocalServer;
const connections: QuizRedis[] = [];
const clocks: RedisClock[] = [];
const connect = (name: string) => {
  const redis = createRedis(server.url, { name });
  connections.push(redis);
  return redis;
};
const clockOn = async (redis: QuizRedis, refreshMs: number) => {
  const clock = createRedisClock({ redis, log, refreshMs });
  clocks.push(clock);
  await clock.start();
  return clock;
};

beforeAll(async () => {
  server = await startLocalRedis({ server: inject('redisServer') ?? undefined });
});

afterAll(async () => {
  for (const clock of clocks) clock.stop();
  await Promise.all(connections.map((c) => c.quit()));
  await server?.stop();
});

describe("when Redis is busy with script work queued on the clock's connection", () => {
  it('keeps the offset within the bounds it measured while Redis was quiet', async () => {
    // The reference: measured once, on a connection nothing else uses, with nothing running.
    const reference = await clockOn(connect('reference'), 3_600_000);
    const busy = connect('answers');
    // The worst case, as the socket process's clock once was: on the connection that carries the answer
    // scripts, so TIME waits behind the whole queue (it has a connection of its own now).
    const clock = await clockOn(busy, 150);
    const quietUncertainty = clock.uncertaintyMs();

    let running = true;
    const pump = async () => {
      while (running) await busy.eval(SPIN, 0);
    };
    const pumps = [pump(), pump(), pump()];
    const errors: number[] = [];
    for (let i = 0; i < 15; i++) {
      await sleep(100);
      errors.push(clock.offsetMs() - reference.offsetMs());
    }
    running = false;
    await Promise.all(pumps);

    const worst = Math.max(...errors.map(Math.abs));
    // The reference's own bounds, and 0.5 ms for the drift allowance (0.15 ms in 1.5 s at 100 ppm). The old
    // clock took each measurement's quickest round trip as it came: off by 10–35 ms here.
    expect(worst).toBeLessThanOrEqual(quietUncertainty + reference.uncertaintyMs() + 0.5);
    expect(clock.uncertaintyMs()).toBeLessThan(quietUncertainty + 0.5);
  });
});

describe("when Redis's clock steps", () => {
  it('follows it once a measurement falls outside the kept bounds (set by hand, or NTP)', async () => {
    const redis = connect('stepped');
    let stepMs = 0;
    // Redis's replies, moved on by `stepMs`: the one way to step a clock this test does not own.
    const stepped = {
      time: async () => {
        const [seconds, micros] = await redis.time();
        const us = Number(seconds) * 1e6 + Number(micros) + stepMs * 1000;
        return [Math.floor(us / 1e6), Math.round(us % 1e6)];
      },
    };
    const clock = createRedisClock({ redis: stepped, log, refreshMs: 100 });
    clocks.push(clock);
    await clock.start();
    const before = clock.offsetMs();

    stepMs = 50;
    await sleep(300);

    expect(clock.offsetMs() - before).toBeCloseTo(50, 0);
    expect(clock.uncertaintyMs()).toBeLessThan(5);
  });
});

describe('when a socket process starts', () => {
  it("measures Redis's clock on a connection that carries nothing else", async () => {
    const config = loadConfig({ REDIS_URL: server.url, QUIZLOOP_NAMESPACE: 'clock-wiring', LOG_LEVEL: 'silent' }, 'socket');
    const socket = await startSocket({ ...config, redisUrl: server.url, databaseUrl: '' }, log, 0);
    const probe = connect('probe');
    try {
      const clients = String(await probe.client('LIST'))
        .split('\n')
        .filter((line) => line.includes('name=quizloop-socket-clock '));

      expect(clients).toHaveLength(1);
      // Its last command (CLIENT LIST shows it) is a measurement's TIME, not a script.
      expect(clients[0]).toMatch(/ cmd=time /);
    } finally {
      await socket.stop();
    }
  });
});
