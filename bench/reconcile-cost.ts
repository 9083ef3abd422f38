/**
 * What one reconciler pass costs with many rooms in a question, none due for any action (the state
 * of `--only rooms` mid-game): the pass's time, this process's CPU, and Redis's commands and µs per
 * pass, on a Redis of its own. Nothing is queried in PostgreSQL (no room has finished).
 * `npx tsx bench/reconcile-cost.ts [rooms=1000] [passes=20]`
 */
import { Redis } from 'ioredis';
import { startLocalRedis } from '../src/local/local-redis';
import { loadConfig } from '../src/platform/config';
import { createDb } from '../src/platform/db';
import { createLogger } from '../src/platform/logger';
import { createMetricsRegistry, createWorkerMetrics } from '../src/platform/metrics';
import { createKeys } from '../src/store/keys';
import { closeQueues } from '../src/store/queues';
import { createRedis } from '../src/store/redis';
import { createRoomStore } from '../src/store/room-store';
import { openQuestionRoom } from '../test/unit/fixtures';
import { createWorkerDeps } from '../workers/deps';
import { reconcileProcessor } from '../workers/processors/reconcile.processor';
import { commandStats, commandsBetween } from './many-rooms';
import { summary } from './stats';

const roomCount = Number(process.argv[2] ?? 1000);
const passes = Number(process.argv[3] ?? 20);
const PLAYERS_PER_ROOM = 2;
const WARM_UP_PASSES = 3;

async function main(): Promise<void> {
  const server = await startLocalRedis();
  const namespace = 'reconcile-cost';
  const databaseUrl = 'postgres://quizloop@127.0.0.1:1/unused';
  const config = {
    ...loadConfig({ REDIS_URL: server.url, DATABASE_URL: databaseUrl, QUIZLOOP_NAMESPACE: namespace, LOG_LEVEL: 'silent' }, 'worker'),
    redisUrl: server.url,
    databaseUrl,
  };
  const keys = createKeys(namespace);
  const redis = createRedis(server.url, { name: 'reconcile-cost' });
  const stats = new Redis(server.url);
  const db = createDb(databaseUrl);
  const deps = createWorkerDeps(config, createLogger('worker', 'silent'), { redis, keys, db, metrics: createWorkerMetrics(createMetricsRegistry('worker')) });
  const socket = createRoomStore({ redis, keys, ttlSeconds: 3600, instance: { id: 'socket-a', leaseMs: 3_600_000 } });
  try {
    const now = deps.redisClock.now();
    for (let i = 0; i < roomCount; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, roomCount - i) }, async () => {
          const room = openQuestionRoom(now, { deadlineAt: now + 3_600_000 });
          await socket.create(room, { type: 'room.created', roomCode: room.code, version: room.version, at: now });
          for (let p = 0; p < PLAYERS_PER_ROOM; p++) {
            await socket.join(room.code, { id: `p${p}`, nickname: `p${p}`, userId: null, joinedAt: now });
            await socket.presence(room.code, `p${p}`, 1);
          }
        }),
      );
    }
    const pass = reconcileProcessor(deps);
    for (let i = 0; i < WARM_UP_PASSES; i++) await pass();

    const wall: number[] = [];
    const cpu: number[] = [];
    const before = await commandStats(stats);
    for (let i = 0; i < passes; i++) {
      const cpuFrom = process.cpuUsage();
      const from = performance.now();
      const report = await pass();
      wall.push(performance.now() - from);
      const used = process.cpuUsage(cpuFrom);
      cpu.push((used.user + used.system) / 1000);
      if (report.stuckRooms + report.abandoned !== 0) throw new Error(`a pass found rooms to act on: ${JSON.stringify(report)}`);
    }
    const after = await commandStats(stats);
    const commands = commandsBetween(before, after, passes).filter((x) => x.name !== 'info');
    const w = summary(wall);
    const c = summary(cpu);
    console.log(`${roomCount} rooms in a question, ${PLAYERS_PER_ROOM} players online each; ${passes} passes`);
    console.log(`pass: wall p50 ${w.p50.toFixed(1)} ms (min ${w.min.toFixed(1)}, max ${w.max.toFixed(1)}); this process's CPU p50 ${c.p50.toFixed(1)} ms`);
    const calls = commands.reduce((n, x) => n + x.calls, 0);
    const usec = commands.reduce((n, x) => n + x.usec, 0);
    console.log(`Redis per pass: ${calls.toFixed(0)} commands, ${(usec / 1000).toFixed(1)} ms of Redis's time`);
    console.log(`  ${commands.map((x) => `${x.name} ${x.calls.toFixed(1)}/${x.usec.toFixed(0)} µs`).join(', ')}`);
  } finally {
    await closeQueues(deps.queues);
    redis.disconnect();
    stats.disconnect();
    await db.destroy();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
