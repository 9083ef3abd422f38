import { parentPort, workerData } from 'node:worker_threads';
import type { ResolvedConfig } from '../src/platform/config';
import { createLogger } from '../src/platform/logger';
import { assertNever } from '../src/shared/assert-never';
import { createKeys } from '../src/store/keys';
import { connectRedis } from '../src/store/redis';
import { createRedisClock } from '../src/store/redis-clock';
import { createRoomStore } from '../src/store/room-store';
import { createClock } from './clock';
import type { FromTickThread, ToTickThread } from './tick-thread';
import { createTicks } from './ticks';

/** The ticks' thread (see tick-thread.ts): arms what the main thread sends, and sends back what each drawn tick found. */
async function main(port: NonNullable<typeof parentPort>, config: ResolvedConfig): Promise<void> {
  const log = createLogger('worker', config.logLevel, { pretty: config.logPretty });
  const redis = connectRedis(config, 'quizloop-worker-ticks', { log });
  const redisClock = createRedisClock({ redis, log });
  await redisClock.start();
  const clock = createClock(redisClock.now, (err) =>
    log.warn('a countdown tick failed; the next one draws again', { err: err instanceof Error ? err.message : String(err) }),
  );
  const tickRooms = createRoomStore({ redis, keys: createKeys(config.namespace, config.eventPartitions), ttlSeconds: config.roomTtlSeconds });
  const ticks = createTicks({ clock, redisClock, tickRooms, leadMs: config.countdownLeadMs }, (drawn) =>
    port.postMessage({ type: 'drawn', drawn } satisfies FromTickThread),
  );
  // Arms sent while the clock was being measured waited in the port; they arrive from here on.
  port.on('message', (m: ToTickThread) => {
    switch (m.type) {
      case 'arm':
        ticks.arm(m.room);
        return;
      case 'stop':
        clock.stop();
        redisClock.stop();
        void redis.quit().finally(() => port.close());
        return;
      default:
        assertNever(m, 'message to the countdown thread');
    }
  });
  port.postMessage({ type: 'ready' } satisfies FromTickThread);
}

if (parentPort) void main(parentPort, (workerData as { config: ResolvedConfig }).config);
