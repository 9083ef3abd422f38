import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server } from 'socket.io';
import type { ResolvedConfig } from '../platform/config';
import type { Logger } from '../platform/logger';
import { createMetricsRegistry, createSocketMetrics } from '../platform/metrics';
import { listen, opsRequestHandler } from '../platform/ops-http';
import { originAllowed } from '../platform/origins';
import { createAnswerStore } from '../store/answer-store';
import { createEventBus } from '../store/event-bus';
import { createKeys } from '../store/keys';
import { createRedis } from '../store/redis';
import { type RoomStore, createRoomStore } from '../store/room-store';
import { createViewReader } from '../store/view-reader';
import { createRelay } from './relay';
import type { QuizServer } from './types';

/**
 * How long a player told to reconnect still counts as online: enough for a client's backoff
 * (Socket.IO's default goes up to 5 s) and for a replacement instance to come up.
 */
const RECONNECT_GRACE_MS = 15_000;

/** Marks every player connected to this instance as expected back, room by room. */
async function expectPlayersBack(io: QuizServer, rooms: RoomStore): Promise<void> {
  const byRoom = new Map<string, string[]>();
  for (const socket of io.of('/').sockets.values()) {
    if (socket.data.kind !== 'player') continue;
    const { roomCode, id } = socket.data;
    byRoom.set(roomCode, [...(byRoom.get(roomCode) ?? []), id]);
  }
  await Promise.all([...byRoom].map(([code, ids]) => rooms.expectBack(code, ids, RECONNECT_GRACE_MS)));
}

export async function startSocket(config: ResolvedConfig, log: Logger, port = config.socketPort) {
  const keys = createKeys(config.namespace);
  const redis = createRedis(config.redisUrl, { name: 'quizloop-socket', rejectUnauthorized: config.redisTlsRejectUnauthorized });
  const adapterPub = createRedis(config.redisUrl, { name: 'quizloop-socket-adapter-pub', rejectUnauthorized: config.redisTlsRejectUnauthorized });
  const adapterSub = createRedis(config.redisUrl, { name: 'quizloop-socket-adapter-sub', rejectUnauthorized: config.redisTlsRejectUnauthorized });
  const channelSub = createRedis(config.redisUrl, { name: 'quizloop-socket-rooms', rejectUnauthorized: config.redisTlsRejectUnauthorized });

  const registry = createMetricsRegistry('socket');
  // No database here: ready means Redis answers (rooms, answers and the adapter all live there).
  const ops = opsRequestHandler({ registry, checks: { redis: () => redis.ping() }, metricsToken: config.metricsToken });
  const http = createServer((req, res) => {
    if (ops(req, res)) return;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  const io: QuizServer = new Server(http, {
    // CORS headers are echoed, but a handshake from an origin not allowed is refused outright (polling and WebSocket alike).
    cors: { origin: true },
    allowRequest: (req, callback) => callback(originAllowed(req, config.corsOrigins) ? null : 'origin not allowed', originAllowed(req, config.corsOrigins)),
    maxHttpBufferSize: config.limits.socketMaxMessageBytes,
    adapter: createAdapter(adapterPub, adapterSub, { key: keys.socketIoPrefix }),
  });
  const rooms = createRoomStore({ redis, keys, ttlSeconds: config.roomTtlSeconds });
  await createRelay(io, channelSub, {
    config,
    log,
    keys,
    rooms,
    answers: createAnswerStore({ redis, keys }),
    views: createViewReader({ redis, keys }),
    bus: createEventBus({ redis, keys }),
    metrics: createSocketMetrics(registry, { connected: () => io.of('/').sockets.size }),
  });

  await listen(http, port);
  const actualPort = (http.address() as AddressInfo).port;
  log.info('socket ready', { port: actualPort });

  return {
    port: actualPort,
    /**
     * Graceful: tell clients to reconnect, give the frames a moment to leave, then close every
     * connection without a disconnect packet, so each client reconnects by itself (to another instance).
     * Its players are first marked as expected back, so early close waits for them while they reconnect.
     */
    async stop() {
      await expectPlayersBack(io, rooms).catch((err) => log.warn('could not mark players as reconnecting', { err }));
      io.local.emit('server:restarting', { reconnect: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await Promise.all([redis.quit(), adapterPub.quit(), adapterSub.quit(), channelSub.quit()]);
    },
  };
}
