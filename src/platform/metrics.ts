import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { QueueName } from '../shared/jobs';
import { type WebhookAction, WebhookBody } from '../shared/webhooks';

/**
 * Prometheus metrics. Each role's start function makes its own registry and hands the metric
 * objects down through its deps, so nothing here is module state: `all` runs three registries
 * side by side, and a test can start as many processes as it likes.
 */
export const METRICS_PREFIX = 'quizloop_';

export type MetricsRole = 'api' | 'worker' | 'socket';

/**
 * Default metrics a socket process does without: each scrape lists every handle (`process._getActiveHandles()`,
 * `getActiveResourcesInfo()`) or reads `/proc/self/fd`, one entry per connection, ~15–20 ms of the process's
 * one loop at 5,000 connections (docs/capacity.md). `quizloop_connected_sockets` counts the connections.
 */
const PER_CONNECTION_DEFAULTS = [
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
  'process_open_fds',
];

/**
 * A registry with Node's default metrics (CPU, memory, event loop lag, GC), every series labelled with the
 * role; the socket role's without those that cost a walk over its connections on every scrape.
 */
export function createMetricsRegistry(role: MetricsRole): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ role });
  collectDefaultMetrics({ register: registry, prefix: METRICS_PREFIX });
  if (role === 'socket') for (const name of PER_CONNECTION_DEFAULTS) registry.removeSingleMetric(`${METRICS_PREFIX}${name}`);
  return registry;
}

/** What a scrape of room records found; `complete` is false when the scan stopped at its bound. */
export interface RoomCensus {
  byPhase: Record<string, number>;
  complete: boolean;
}

/**
 * Rooms by phase, counted from Redis when scraped. Every api instance reports the same global
 * numbers (the rooms are in Redis, not in the instance), so aggregate with max(), not sum().
 */
export function createApiMetrics(registry: Registry, census: { count(): Promise<RoomCensus>; phases: readonly string[] }) {
  const truncated = new Gauge({
    name: `${METRICS_PREFIX}rooms_census_truncated`,
    help: '1 when the last count of rooms stopped at its bound and quizloop_rooms is a lower bound',
    registers: [registry],
  });
  const rooms = new Gauge({
    name: `${METRICS_PREFIX}rooms`,
    help: 'Rooms in Redis by phase (all rooms of this namespace, counted on scrape)',
    labelNames: ['phase'] as const,
    registers: [registry],
    async collect() {
      const found = await census.count();
      for (const phase of census.phases) this.set({ phase }, found.byPhase[phase] ?? 0);
      truncated.set(found.complete ? 0 : 1);
    },
  });
  return { rooms };
}
export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/** Answer acknowledgements take a couple of ms when all is well; the tail is what matters. */
const ACK_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/**
 * Why a socket process turned a handshake down: at Engine.IO's `allowRequest` (`origin`, `connection_cap`) or
 * at admission (the rest). `bad_token`: none, invalid, expired, an account's, or not for this room's host or
 * players; `room_gone`: no such room; `rate_limited`: SOCKET_CONNECTS_PER_PLAYER spent; `event_flood`: the
 * identity was just dropped for sending too many events; `error`: Redis did not answer.
 */
export const HANDSHAKE_REFUSALS = ['origin', 'connection_cap', 'bad_token', 'kicked', 'room_gone', 'rate_limited', 'event_flood', 'error'] as const;
export type HandshakeRefusal = (typeof HANDSHAKE_REFUSALS)[number];

export function createSocketMetrics(registry: Registry, sockets: { connected(): number }, clock: { offsetMs(): number; uncertaintyMs(): number }) {
  const redisClockOffset = new Gauge({
    name: `${METRICS_PREFIX}redis_clock_offset_seconds`,
    help: "Redis TIME minus this process's clock, as last measured; answers are stamped on arrival with it",
    registers: [registry],
    collect() {
      this.set(clock.offsetMs() / 1000);
    },
  });
  const redisClockUncertainty = new Gauge({
    name: `${METRICS_PREFIX}redis_clock_uncertainty_seconds`,
    help: 'Half the quickest Redis TIME round trip of the last measurement: how far off the offset may be',
    registers: [registry],
    collect() {
      this.set(Number.isFinite(clock.uncertaintyMs()) ? clock.uncertaintyMs() / 1000 : -1);
    },
  });
  const connectedSockets = new Gauge({
    name: `${METRICS_PREFIX}connected_sockets`,
    help: 'Socket.IO connections admitted on this instance (players and host screens)',
    registers: [registry],
    collect() {
      this.set(sockets.connected());
    },
  });
  const answerAck = new Histogram({
    name: `${METRICS_PREFIX}answer_ack_seconds`,
    help: 'Time from receiving answer:submit to calling its acknowledgement, by outcome (ok or the error code)',
    labelNames: ['outcome'] as const,
    buckets: ACK_BUCKETS,
    registers: [registry],
  });
  const handshakesRefused = new Counter({
    name: `${METRICS_PREFIX}socket_handshakes_refused_total`,
    help: 'Socket.IO handshakes this process turned down, by reason (HANDSHAKE_REFUSALS in src/platform/metrics.ts)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  // Every reason from the start at 0, so a rate() or an alert sees the first refusal as a change.
  for (const reason of HANDSHAKE_REFUSALS) handshakesRefused.inc({ reason }, 0);
  return { connectedSockets, answerAck, redisClockOffset, redisClockUncertainty, handshakesRefused };
}
export type SocketMetrics = ReturnType<typeof createSocketMetrics>;

/** Ticks run within a few ms of their due time; anything past half a second is an incident. */
const LATENESS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5];
const JOB_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const WEBHOOK_OUTCOMES = ['applied', 'stale', 'refused', 'error'] as const;
export type WebhookCallOutcome = (typeof WEBHOOK_OUTCOMES)[number];

export function createWorkerMetrics(registry: Registry) {
  const metrics = {
    eventsHandled: new Counter({
      name: `${METRICS_PREFIX}events_handled_total`,
      help: 'Room events read from the stream by this worker, by type and outcome (ok; error: left pending for a retry; skipped: malformed; held: an unknown type left pending)',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: `${METRICS_PREFIX}job_duration_seconds`,
      help: 'Time a job attempt took in its processor, by queue (failed attempts included)',
      labelNames: ['queue'] as const,
      buckets: JOB_BUCKETS,
      registers: [registry],
    }),
    jobFailures: new Counter({
      name: `${METRICS_PREFIX}job_failures_total`,
      help: 'Job attempts that threw, by queue (each retry counts)',
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
    tickLateness: new Histogram({
      name: `${METRICS_PREFIX}tick_lateness_seconds`,
      help: 'How late a countdown tick was drawn, actual minus due time (a timer in the worker)',
      buckets: LATENESS_BUCKETS,
      registers: [registry],
    }),
    webhookCalls: new Counter({
      name: `${METRICS_PREFIX}webhook_calls_total`,
      help: 'Webhook calls to the api, by action and outcome (applied, stale: 409, refused: other 4xx, error: 5xx or unreachable)',
      labelNames: ['action', 'outcome'] as const,
      registers: [registry],
    }),
  };
  // Every known series from the start at 0, so a rate() or an alert sees the first failure as a change.
  for (const queue of Object.values(QueueName)) {
    metrics.jobDuration.zero({ queue });
    metrics.jobFailures.inc({ queue }, 0);
  }
  for (const action of Object.keys(WebhookBody) as WebhookAction[]) {
    for (const outcome of WEBHOOK_OUTCOMES) metrics.webhookCalls.inc({ action, outcome }, 0);
  }
  return metrics;
}
export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** The narrow view the webhook client needs, so it can be built without a registry. */
export type WebhookMetrics = { inc(labels: { action: WebhookAction; outcome: WebhookCallOutcome }): void };

/** Where the worker's liveness gauges come from, read when Prometheus scrapes. */
export interface WorkerBacklogSources {
  events(): Promise<{ unread: number; oldestUnreadMs: number | null }>;
  resultsBacklog(): Promise<number>;
  stuckRooms(): Promise<number>;
}

/**
 * Gauges of what waits: room events no worker has read, finished games PostgreSQL has not taken, and
 * rooms the reconciler's last pass found stuck. Read from Redis on scrape, so every worker reports
 * the same global numbers (aggregate with `max`).
 */
export function registerWorkerBacklogGauges(registry: Registry, sources: WorkerBacklogSources): void {
  const gauge = (name: string, help: string, read: () => Promise<number>) =>
    new Gauge({
      name: `${METRICS_PREFIX}${name}`,
      help,
      registers: [registry],
      async collect() {
        this.set(await read());
      },
    });
  gauge('events_unread', 'Room events in the stream that no worker has read yet (consumer lag)', async () => (await sources.events()).unread);
  gauge(
    'events_oldest_unread_seconds',
    'How long the oldest unread room event has waited; 0 when none waits',
    async () => ((await sources.events()).oldestUnreadMs ?? 0) / 1000,
  );
  gauge('results_backlog', 'Finished games whose results wait in Redis for PostgreSQL', sources.resultsBacklog);
  gauge(
    'rooms_stuck',
    "Rooms the reconciler's last pass found past their deadline plus the grace, building past the limit, or left idle past the idle time plus the grace",
    sources.stuckRooms,
  );
}
