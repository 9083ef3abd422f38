import { randomUUID } from 'node:crypto';
import { type Server as HttpServer, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type { Registry } from 'prom-client';
import { Server } from 'socket.io';
import type { ResolvedConfig } from '../platform/config';
import type { Logger } from '../platform/logger';
import { clientAddressGroup, trustedProxies } from '../platform/client-address';
import { createMetricsRegistry, createSocketMetrics } from '../platform/metrics';
import { listen, opsRequestHandler } from '../platform/ops-http';
import { originAllowed } from '../platform/origins';
import { closeServer } from '../platform/shutdown';
import { createAnswerStore } from '../store/answer-store';
import { createKeys } from '../store/keys';
import { connectRedis } from '../store/redis';
import { createRedisClock } from '../store/redis-clock';
import { createRoomRecords } from '../store/room-records';
import { type RoomStore, createRoomStore } from '../store/room-store';
import { createViewReader } from '../store/view-reader';
import { createConnectBudget } from './connect-budget';
import { createConnectionCap } from './connection-cap';
import { limitHeapGrowth } from './heap-growth';
import { createRelay } from './relay';
import { sharedRead } from './shared-read';
import type { QuizServer, RelayDeps } from './types';
import { releaseUpgradeRequests } from './upgrade-request';
import { warmChannelParser } from './warm-up';

/**
 * How long a player told to reconnect still counts as online: enough for a client's backoff
 * (Socket.IO's default goes up to 5 s) and for a replacement instance to come up.
 */
const RECONNECT_GRACE_MS = 15_000;

/** A client's reconnection backoff (Socket.IO's goes up to 5 s) and handshake, once it has noticed its server is gone. */
const RECONNECT_MARGIN_MS = 5_000;

/**
 * How long this instance's players count as present after its last renewal: the lease, and then as long
 * as its clients take to notice that it went silent (stalled or killed) and reconnect elsewhere. Shorter,
 * and the players of a stalled process would count offline while their clients still wait on it: the others'
 * answers would close the questions on them (docs/operations.md, Resilience).
 */
function presenceLeaseMs(config: ResolvedConfig): number {
  return config.presenceLeaseSeconds * 1000 + config.timing.pingIntervalMs + config.timing.pingTimeoutMs + RECONNECT_MARGIN_MS;
}

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

async function waitForDisconnects(io: QuizServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (io.of('/').sockets.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setImmediate(resolve));
}

/** The reads that admit connections and answer syncs: the room record read once for all who ask together. */
function readsOf(store: RoomStore): RelayDeps['reads'] {
  return { get: sharedRead(store.get), isKicked: store.isKicked, getPlayer: store.getPlayer, hostTokenVersion: store.hostTokenVersion };
}

/**
 * Serves quizloop's Socket.IO on `http` (the socket process's own server, or the api's, so that
 * browsers reach both on one URL). `stop()` leaves `http` to its owner.
 */
export async function attachSocket(http: HttpServer, config: ResolvedConfig, log: Logger, registry: Registry) {
  limitHeapGrowth(config.heapGrowingPercent);
  const keys = createKeys(config.namespace, config.eventPartitions);
  const redis = connectRedis(config, 'quizloop-socket', { log });
  // Batched: each connection admitted publishes twice (replacing the player's older connections).
  const adapterPub = connectRedis(config, 'quizloop-socket-adapter-pub', { autoPipeline: true, log });
  // Read-only, so nothing depends on its order against the writes on `redis` (see connectRedis).
  const reads = connectRedis(config, 'quizloop-socket-reads', { autoPipeline: true, log });
  const adapterSub = connectRedis(config, 'quizloop-socket-adapter-sub', { subscriber: true, log });
  const channelSub = connectRedis(config, 'quizloop-socket-rooms', { subscriber: true, log });

  // Its own connection: TIME measured behind a burst of answer scripts on `redis` would come back late.
  const clockRedis = connectRedis(config, 'quizloop-socket-clock', { log });
  const clock = createRedisClock({ redis: clockRedis, log });
  await clock.start();
  const trust = trustedProxies(config.trustProxy);
  const cap = createConnectionCap({ max: config.limits.socketConnectionsPerAddress, addressOf: (req) => clientAddressGroup(req, trust) });
  // Made before the server, whose allowRequest counts the handshakes it turns down (read on scrape, once `io` exists).
  const metrics = createSocketMetrics(registry, { connected: () => io.of('/').sockets.size }, clock);
  const io: QuizServer = new Server(http, {
    // CORS headers are echoed, but a handshake from an origin not allowed is refused outright (polling and WebSocket alike).
    cors: { origin: true },
    // Each heartbeat measures the connection's round trip, for the latency allowance (round-trip.ts).
    pingInterval: config.timing.pingIntervalMs,
    pingTimeout: config.timing.pingTimeoutMs,
    // On a cluster, the sharded adapter (SPUBLISH/SSUBSCRIBE): the adapter only carries replacements and
    // kicks here, room fan-out goes through the rooms' own channels (see relay.ts).
    adapter: config.redisClusterNodes
      ? createShardedAdapter(adapterPub, adapterSub, { channelPrefix: keys.socketIoPrefix })
      : createAdapter(adapterPub, adapterSub, { key: keys.socketIoPrefix }),
    // Views are small JSON; compressing every frame costs more CPU than it saves on the wire, and each
    // compressor holds its own zlib memory. The same for long-polling responses.
    perMessageDeflate: false,
    httpCompression: false,
    allowRequest: (req, callback) => {
      if (!originAllowed(req, config.corsOrigins)) {
        metrics.handshakesRefused.inc({ reason: 'origin' });
        return callback('origin not allowed', false);
      }
      if (!cap.admit(req)) {
        metrics.handshakesRefused.inc({ reason: 'connection_cap' });
        return callback(cap.refusal, false);
      }
      callback(null, true);
    },
    maxHttpBufferSize: config.limits.socketMaxMessageBytes,
    // Real clients send CONNECT right after the handshake: a session that does not join soon is dropped, and its count with it.
    connectTimeout: config.connectTimeoutMs,
  });
  // First: it reads each connection's `request`, which releaseUpgradeRequests clears.
  cap.watch(io.engine);
  releaseUpgradeRequests(io.engine);
  // Presence is counted under this process's own id and lease: if it dies or stalls, its players count offline once
  // the lease ends, renewed every third of PRESENCE_LEASE_SECONDS and long enough for its clients to be back elsewhere.
  const instance = { id: randomUUID(), leaseMs: presenceLeaseMs(config), forgetAfterMs: config.presenceForgetSeconds * 1000 };
  const rooms = createRoomStore({ redis, keys, ttlSeconds: config.roomTtlSeconds, instance, log });
  const renewing = setInterval(
    () => {
      const codes = new Set([...io.of('/').sockets.values()].map((s) => s.data.roomCode));
      rooms.renewLease(codes).then(
        (reasserted) => reasserted.length && log.warn('presence lease had lapsed; connections counted again', { rooms: reasserted.length }),
        (err: Error) => log.warn('could not renew the presence lease', { err: err.message }),
      );
    },
    Math.round((config.presenceLeaseSeconds * 1000) / 3),
  );
  // Before any room's first question view comes (its parse would be the first, and slower, at the fan-out's start).
  warmChannelParser();
  const relay = createRelay(io, channelSub, {
    config,
    log,
    keys,
    rooms,
    reads: readsOf(createRoomStore({ redis: reads, keys, ttlSeconds: config.roomTtlSeconds, instance })),
    answers: createAnswerStore({ redis, keys, rules: config.timing, pipelineMax: config.answerPipeline, redisWaitMs: config.answerRedisWaitMs }),
    records: createRoomRecords({ redis: reads, keys }),
    views: createViewReader({ redis, keys, leaderboardSize: config.limits.viewLeaderboardSize, now: clock.now }),
    connects: createConnectBudget({ redis, keys, limit: config.limits.socketConnectsPerPlayer }),
    metrics,
    clock,
  });

  return {
    instance: instance.id,
    /** For GET /ready: rooms, answers and the adapter all live in Redis. */
    ping: () => redis.ping(),
    /**
     * Graceful: tell clients to reconnect, give the frames a moment to leave, then close every
     * connection without a disconnect packet, so each client reconnects by itself (to another instance).
     * Its players are first marked as expected back, so early close waits for them while they reconnect.
     */
    async stop() {
      clearInterval(renewing);
      await expectPlayersBack(io, rooms).catch((err) => log.warn('could not mark players as reconnecting', { err }));
      io.local.emit('server:restarting', { reconnect: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
      io.engine.close();
      // Each connection's disconnect handler still updates presence: quit Redis only after them.
      await waitForDisconnects(io, 1000);
      relay.stop();
      clock.stop();
      await Promise.all([redis.quit(), reads.quit(), adapterPub.quit(), adapterSub.quit(), channelSub.quit(), clockRedis.quit()]);
    },
  };
}

export async function startSocket(config: ResolvedConfig, log: Logger, port = config.socketPort) {
  const registry = createMetricsRegistry('socket');
  // No database here: ready means Redis answers. The handler must exist before Socket.IO attaches.
  let pingRedis: () => Promise<unknown> = () => Promise.reject(new Error('starting'));
  const ops = opsRequestHandler({ registry, checks: { redis: () => pingRedis() }, metricsToken: config.metricsToken });
  const http = createServer((req, res) => {
    if (ops(req, res)) return;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  const sockets = await attachSocket(http, config, log, registry);
  pingRedis = sockets.ping;

  await listen(http, port);
  const actualPort = (http.address() as AddressInfo).port;
  log.info('socket ready', { port: actualPort, instance: sockets.instance });

  return {
    port: actualPort,
    async stop() {
      await sockets.stop();
      await closeServer(http, 1000);
    },
  };
}
