import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server } from 'socket.io';
import type { ResolvedConfig } from '../shared/config';
import type { Logger } from '../shared/logger';
import { createMetricsRegistry, createSocketMetrics } from '../shared/metrics';
import { opsRequestHandler } from '../shared/ops-http';
import { createAnswerStore } from '../store/answer-store';
import { createEventBus } from '../store/event-bus';
import { createKeys } from '../store/keys';
import { createRedis } from '../store/redis';
import { createRoomStore } from '../store/room-store';
import { createViewReader } from '../store/view-reader';
import { createRelay } from './relay';
import type { QuizServer } from './types';

export async function startSocket(config: ResolvedConfig, log: Logger, port = config.socketPort) {
  const keys = createKeys(config.namespace);
  const redis = createRedis(config.redisUrl, { name: 'quizloop-socket', rejectUnauthorized: config.redisTlsRejectUnauthorized });
  const adapterPub = createRedis(config.redisUrl, { name: 'quizloop-socket-adapter-pub', rejectUnauthorized: config.redisTlsRejectUnauthorized });
  const adapterSub = createRedis(config.redisUrl, { name: 'quizloop-socket-adapter-sub', rejectUnauthorized: config.redisTlsRejectUnauthorized });
  const channelSub = createRedis(config.redisUrl, { name: 'quizloop-socket-rooms', rejectUnauthorized: config.redisTlsRejectUnauthorized });

  const registry = createMetricsRegistry('socket');
  // No database here: ready means Redis answers (rooms, answers and the adapter all live there).
  const ops = opsRequestHandler({ registry, checks: { redis: () => redis.ping() } });
  const http = createServer((req, res) => {
    if (ops(req, res)) return;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  const io: QuizServer = new Server(http, {
    cors: { origin: true },
    adapter: createAdapter(adapterPub, adapterSub, { key: keys.socketIoPrefix }),
  });
  await createRelay(io, channelSub, {
    config,
    log,
    keys,
    rooms: createRoomStore({ redis, keys, ttlSeconds: config.roomTtlSeconds }),
    answers: createAnswerStore({ redis, keys }),
    views: createViewReader({ redis, keys }),
    bus: createEventBus({ redis, keys }),
    metrics: createSocketMetrics(registry, { connected: () => io.of('/').sockets.size }),
  });

  await new Promise<void>((resolve) => http.listen(port, resolve));
  const actualPort = (http.address() as AddressInfo).port;
  log.info('socket ready', { port: actualPort });

  return {
    port: actualPort,
    /**
     * Graceful: tell clients to reconnect, give the frames a moment to leave, then close every
     * connection without a disconnect packet, so each client reconnects by itself (to another instance).
     */
    async stop() {
      io.local.emit('server:restarting', { reconnect: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await Promise.all([redis.quit(), adapterPub.quit(), adapterSub.quit(), channelSub.quit()]);
    },
  };
}
