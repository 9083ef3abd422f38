import { z } from 'zod';

/**
 * Only for what builds its config in-process (tests, benches): a process main.ts starts outside production
 * gets its secrets made per data directory (local-secrets.ts), so this one never signs anything on a network.
 */
const DEV_SECRET = 'quizloop-dev-secret-change-me';

/**
 * How much longer than ROOM_IDLE_SECONDS + RECONCILE_GRACE_MS a room's keys must live: a paused game is
 * ended by the reconciler that long past its pause at the latest, after a few passes (each of up to 10,000
 * rooms, every RECONCILE_EVERY_MS) and the `end` webhook; its end renews the keys for persist-results.
 */
const ROOM_TTL_MARGIN_SECONDS = 300;

const port = z.coerce.number().int().min(0).max(65535);
/** A URL of one of `schemes`: `z.url()` alone takes `api:3000` (scheme `api:`) or `host.example.com:443`. */
const urlWithScheme = (schemes: string[]) =>
  z
    .url()
    // An unparsable value is z.url()'s issue already; `new URL` would throw out of the parse.
    .refine((u) => !URL.canParse(u) || schemes.includes(new URL(u).protocol), `must start with ${schemes.map((s) => `${s}//`).join(' or ')}`);
/** `points/seconds`: at most `points` in any `seconds` (a rate limit setting). */
const rate = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      const m = /^(\d+)\/(\d+)$/.exec(s.trim());
      const points = Number(m?.[1]);
      const seconds = Number(m?.[2]);
      if (!m || points < 1 || seconds < 1) {
        ctx.addIssue({ code: 'custom', message: 'must be <count>/<seconds>, both at least 1, e.g. 10/900' });
        return z.NEVER;
      }
      return { points, seconds };
    });
const count = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);

const Env = z.object({
  NODE_ENV: z.string().default('development'),
  REDIS_URL: urlWithScheme(['redis:', 'rediss:']).optional(),
  DATABASE_URL: urlWithScheme(['postgres:', 'postgresql:']).optional(),
  DATABASE_SSL: z.enum(['off', 'no-verify', 'verify']).optional(),
  REDIS_CLUSTER_NODES: z
    .string()
    .optional()
    .transform((list, ctx) => {
      const nodes = (list ?? '')
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .map((n) => {
          const m = /^(.+):(\d{1,5})$/.exec(n);
          if (!m?.[1] || !m[2]) ctx.addIssue({ code: 'custom', message: `"${n}" is not host:port` });
          return { host: m?.[1] ?? '', port: Number(m?.[2] ?? 0) };
        });
      return nodes.length ? nodes : null;
    }),
  EVENT_PARTITIONS: z.coerce.number().int().min(1).max(1024).optional(),
  REDIS_TLS_REJECT_UNAUTHORIZED: z.enum(['true', 'false']).default('true'),
  PORT: port.optional(),
  SOCKET_PORT: port.optional(),
  API_INTERNAL_URL: urlWithScheme(['http:', 'https:']).optional(),
  PUBLIC_SOCKET_URL: urlWithScheme(['http:', 'https:']).optional(),
  PUBLIC_URL: urlWithScheme(['http:', 'https:']).optional(),
  SOCKETS_ON_API: z.enum(['true', 'false']).default('true'),
  JWT_SECRET: z.string().min(16).optional(),
  WEBHOOK_SECRET: z.string().min(16).optional(),
  QUIZLOOP_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default('quizloop'),
  REDIS_HZ: z.coerce.number().int().min(0).max(500).default(100),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  CLOCK_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(1000),
  COUNTDOWN_LEAD_MS: z.coerce.number().int().min(0).max(1000).default(50),
  ROOM_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
  ROOM_IDLE_SECONDS: z.coerce.number().int().min(2).default(1800),
  ROOM_ABANDONED_SECONDS: z.coerce.number().int().min(2).default(60),
  ROOM_BUILDING_SECONDS: z.coerce.number().int().min(2).default(120),
  WORKER_LOCK_MS: z.coerce.number().int().min(500).default(3000),
  RETRY_BACKOFF_CAP_MS: z.coerce.number().int().min(100).default(5000),
  HOUSEKEEPING_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  RECONCILE_EVERY_MS: z.coerce.number().int().min(500).default(3000),
  RECONCILE_GRACE_MS: z.coerce.number().int().min(0).default(5000),
  RECONCILE_ROOMS_PER_PASS: z.coerce.number().int().min(1).default(10_000),
  POSTGRES_CHECK_WAIT_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  POSTGRES_CHECK_RETRY_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  EVENTS_READY_LAG_SECONDS: z.coerce.number().int().min(1).default(30),
  PRESENCE_LEASE_SECONDS: z.coerce.number().int().min(2).default(6),
  PRESENCE_FORGET_SECONDS: z.coerce.number().int().min(1).default(60),
  ANSWER_GRACE_MS: z.coerce.number().int().min(0).max(5000).default(500),
  LATENCY_ALLOWANCE_CAP_MS: z.coerce.number().int().min(0).max(1000).default(150),
  SEND_LAG_CAP_MS: z.coerce.number().int().min(0).max(10_000).default(2000),
  REACTION_FLOOR_MS: z.coerce.number().int().min(0).max(1000).default(150),
  SOCKET_PING_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  // Socket.IO's own default; phones on slow networks miss heartbeats by seconds, so never below 5 s.
  SOCKET_PING_TIMEOUT_MS: z.coerce.number().int().min(5000).max(120_000).default(20_000),
  SOCKET_VIEW_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(1000),
  SOCKET_FANOUT_SLICE: z.coerce.number().int().min(1).max(100_000).default(250),
  SOCKET_FANOUT_ANSWER_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(50),
  SOCKET_ANSWER_PIPELINE: z.coerce.number().int().min(1).max(10_000).default(32),
  ANSWER_REDIS_WAIT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  SOCKET_REFRESH_MIN_MS: z.coerce.number().int().min(0).max(10_000).default(250),
  SOCKET_REFRESH_MS_PER_1000: z.coerce.number().int().min(0).max(10_000).default(250),
  SOCKET_HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(300).default(100),
  SOCKET_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  SOCKET_LOST_ROOM_CHECK_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  DATA_DIR: z.string().default('.data'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  METRICS_PORT: port.default(9091),
  ADMIN_USER: z
    .string()
    .min(1)
    .regex(/^[^:]+$/, 'must not contain ":" (HTTP Basic)')
    .optional(),
  ADMIN_PASSWORD: z.string().min(12).optional(),
  NICKNAME_BLOCKLIST: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((w) => w.trim())
        .filter(Boolean),
    ),
  RATE_LIMIT_LOGIN_ACCOUNT: rate('10/900'),
  RATE_LIMIT_LOGIN_ADDRESS: rate('50/900'),
  RATE_LIMIT_REGISTER_ADDRESS: rate('10/3600'),
  RATE_LIMIT_JOIN_ADDRESS: rate('60/60'),
  RATE_LIMIT_ROOMS_USER: rate('30/3600'),
  RATE_LIMIT_IMPORTS_USER: rate('20/3600'),
  RATE_LIMIT_PASSPHRASE_ADDRESS: rate('10/300'),
  RATE_LIMIT_ROOM_MISSES_ADDRESS: rate('60/60'),
  ROOM_MAX_PLAYERS: count(1000),
  VIEW_LEADERBOARD_SIZE: count(10).pipe(z.number().max(100)),
  STANDINGS_PAGE_MAX: count(100).pipe(z.number().max(1000)),
  LEADERBOARD_MIN_PLAYERS: count(2, 0),
  HOST_MAX_OPEN_ROOMS: count(5),
  IMPORT_MAX_ROWS: count(500),
  USER_MAX_CATEGORIES: count(100),
  JSON_BODY_LIMIT_KB: count(64),
  IMPORT_BODY_LIMIT_KB: count(1024),
  SOCKET_EVENTS_PER_SECOND: count(10),
  SOCKET_EVENT_BURST: count(20),
  SOCKET_REFUSALS_BEFORE_DISCONNECT: count(50),
  SOCKET_MAX_MESSAGE_BYTES: count(16_384, 1024),
  SOCKET_CONNECTIONS_PER_ADDRESS: count(500),
  SOCKET_CONNECTS_PER_PLAYER: rate('30/60'),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((s, ctx) => {
      const v = s.trim();
      if (v === 'true' || v === 'false') return v === 'true';
      if (/^\d+$/.test(v)) return Number(v);
      if (/^[\w.:/, -]+$/.test(v)) return v;
      ctx.addIssue({ code: 'custom', message: 'must be false, true, a number of proxy hops, or addresses/subnets (loopback, 10.0.0.0/8, …)' });
      return z.NEVER;
    }),
  METRICS_TOKEN: z.string().min(16).optional(),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((o) => o.trim().replace(/\/$/, ''))
        .filter(Boolean),
    )
    .pipe(z.array(urlWithScheme(['http:', 'https:']))),
  NICKNAME_PROFANITY_FILTER: z.enum(['on', 'off']).default('on'),
  ADMIN_EMAILS: z.string().optional(),
});

/** Every setting's name, as the environment spells it (docs/configuration.md has a row for each; a unit test checks). */
export const SETTING_NAMES: readonly string[] = Object.keys(Env.shape);

export type DatabaseSsl = 'off' | 'no-verify' | 'verify';

export interface Config {
  production: boolean;
  redisUrl: string | undefined;
  /** Seed nodes of a Redis Cluster; when set, every role uses the cluster and REDIS_URL is not needed. */
  redisClusterNodes: { host: string; port: number }[] | null;
  /** Rooms (with their event streams) spread over this many hash slots; 1 on one Redis, 16 on a cluster by default. */
  eventPartitions: number;
  databaseUrl: string | undefined;
  /**
   * TLS to PostgreSQL: `verify` checks the server certificate, `no-verify` encrypts without checking
   * (Heroku Postgres and other self-signed managed servers), `off` never; unset, the URL's sslmode decides.
   */
  databaseSsl: DatabaseSsl | undefined;
  /** For `rediss://` URLs: false accepts a self-signed server certificate (Heroku Redis). */
  redisTlsRejectUnauthorized: boolean;
  apiPort: number;
  socketPort: number;
  apiInternalUrl: string;
  /** Where browsers reach the socket process; null: the api's own origin (or its host at `socketPort` without `socketsOnApi`). */
  publicSocketUrl: string | null;
  /** Where players reach the web client (join links, QR codes, the start banner); null: the LAN address or the request's origin. */
  publicUrl: string | null;
  /** The api's HTTP server also serves Socket.IO (one port, one URL); off when separate socket processes take every connection. */
  socketsOnApi: boolean;
  jwtSecret: string;
  webhookSecret: string;
  namespace: string;
  redisHz: number;
  workerConcurrency: number;
  /** Jobs of the clock's queue (advance) each worker runs at once; they mostly wait out a few ms. */
  clockConcurrency: number;
  /** A countdown tick is drawn and published this long before its instant; socket processes hold the frame until then. */
  countdownLeadMs: number;
  roomTtlSeconds: number;
  /** A lobby not started, or a game left paused, this long is ended by the worker. */
  roomIdleSeconds: number;
  /** A running game with nobody connected (host or player) this long is finished; results are kept. */
  roomAbandonedSeconds: number;
  /** A room still preparing its questions this long is failed by the reconciler, with a reason. */
  roomBuildingSeconds: number;
  /** BullMQ job lock; a job held by a dead or frozen worker is taken over after about this long. */
  workerLockMs: number;
  /** The longest wait between two tries of a job that retries without limit (advance, persist-results). */
  retryBackoffCapMs: number;
  /** Tries of a housekeeping (idle) job; past them the reconciler still ends an idle room. */
  housekeepingAttempts: number;
  /** How often the reconciler looks for rooms left behind, and how far past its deadline a room must be. */
  reconcileEveryMs: number;
  reconcileGraceMs: number;
  /** Room records one reconciler pass reads at most; the next pass goes on from where it stopped. */
  reconcileRoomsPerPass: number;
  /** The worker's /ready fails while a room event has waited unread longer than this. */
  eventsReadyLagSeconds: number;
  /** A socket process renews its presence lease every third of this; its players count offline this long after it dies. */
  presenceLeaseSeconds: number;
  /** A socket instance whose lease ended this long ago is forgotten, with its connection counts. */
  presenceForgetSeconds: number;
  /**
   * The api's checks that go ahead without PostgreSQL (a new room's bank count, a signed-in join's account): how long
   * one waits for it, and, once one got no answer, how long the others skip it before one asks again (ms).
   */
  postgresChecks: { waitMs: number; retryMs: number };
  /** Fair timing (docs/game.md, "Timing"); every time below is in ms. */
  timing: {
    /** The worker closes a question this long after its deadline: answers that arrived in time and are still on their way to Redis land first. */
    answerGraceMs: number;
    /** Most a player's measured round trip (or own reported reaction time) may take off their answer time; 0 turns the allowance off. */
    allowanceCapMs: number;
    /** A player who joins during a question is timed from the join, at most this long after it opened (answer.lua; the fan-out's own sends are not capped). */
    sendLagCapMs: number;
    /** Answer times under this are flagged in the results as faster than a person reacts. */
    reactionFloorMs: number;
    /** Engine.IO heartbeat interval: how often each connection's round trip is measured. */
    pingIntervalMs: number;
    /** A client that gets no heartbeat for the interval plus this closes its connection and reconnects (so does the server). */
    pingTimeoutMs: number;
  };
  /** How long a socket process waits for the view a transition's writer publishes before building it itself. */
  viewWaitMs: number;
  /** Sockets written to in one turn of the event loop when a room's message fans out; the loop is yielded between slices. */
  fanoutSlice: number;
  /** Longest an answer waits, stamped, for its room's question fan-out to end before it is handled between two slices. */
  fanoutAnswerWaitMs: number;
  /** Most answers of a room sent to Redis in one pipeline; a turn that reads more sends them in several. */
  answerPipeline: number;
  /** How long an answer is sent again, with its arrival stamp, while Redis is away (restarting, failing over). */
  answerRedisWaitMs: number;
  /** The least time between two pushes of a room's view that changed without a new version (joins, kicks, locks). */
  refreshMinMs: number;
  /** How much that least time grows per 1,000 members of the room on this process: a refresh writes to every one of them. */
  refreshMsPer1000: number;
  /**
   * How far V8 lets the old space grow past what a full collection left live, in percent (V8's
   * `--heap-growing-percent`); 0 leaves V8's own factor (up to 4 times). Set by socket processes on themselves.
   */
  heapGrowingPercent: number;
  /** Socket.IO's `connectTimeout`: a connection that has not joined (sent CONNECT and been admitted) by then is closed. */
  connectTimeoutMs: number;
  /** How often a socket process asks Redis whether the records of the rooms it holds members of still exist (lost-rooms.ts). */
  lostRoomCheckMs: number;
  dataDir: string;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  /** Readable lines instead of JSON: the default for `all` (npm start), JSON for the separate roles. */
  logPretty: boolean;
  /** The worker's /metrics, /health and /ready server; 0 picks a free port. */
  metricsPort: number;
  /** HTTP Basic credentials for /admin/queues; null when ADMIN_USER and ADMIN_PASSWORD are unset. */
  adminCredentials: { user: string; password: string } | null;
  /** Refuse nicknames that obscenity's English dataset finds, in the nickname or its look-alike skeleton. */
  nicknameProfanityFilter: boolean;
  /** Words no nickname may contain (see src/game/nickname-filter.ts); empty: no filter. */
  nicknameBlocklist: string[];
  limits: Limits;
  /** Express's `trust proxy`: which X-Forwarded-For hops give the client address. */
  trustProxy: boolean | number | string;
  /** When set, every process's /metrics asks for it as a Bearer token. */
  metricsToken: string | null;
  /** Browser origins allowed besides the same host: REST (CORS) and Socket.IO handshakes. */
  corsOrigins: string[];
}

/** At most `points` in any `seconds`. */
export interface RateLimit {
  points: number;
  seconds: number;
}

/** Every limit on what one client may ask for (docs/configuration.md, "Limits"). */
export interface Limits {
  loginPerAccount: RateLimit;
  loginPerAddress: RateLimit;
  registerPerAddress: RateLimit;
  joinPerAddress: RateLimit;
  roomsPerUser: RateLimit;
  importsPerUser: RateLimit;
  /** Wrong join passphrases from one address for one room. */
  passphrasePerAddress: RateLimit;
  roomMissesPerAddress: RateLimit;
  /** The server's ceiling of players in one room; a room may set a lower `maxPlayers`. */
  roomMaxPlayers: number;
  /** How many of the top players a room's view names (its leaderboard; the podium is its first three). */
  viewLeaderboardSize: number;
  /** The most standings one GET /rooms/{code}/standings page holds. */
  standingsPageMax: number;
  /** Rooms one host may hold open (not finished, failed or cancelled) at once. */
  hostMaxOpenRooms: number;
  importMaxRows: number;
  /** Signed-in players besides the host a game needs to count on the global and weekly boards. */
  leaderboardMinPlayers: number;
  userMaxCategories: number;
  jsonBodyLimitBytes: number;
  /** The largest body an import takes, CSV or OpenTDB JSON alike (other JSON bodies: jsonBodyLimitBytes). */
  importBodyLimitBytes: number;
  /** Token bucket of client events per socket: refilled at this rate, holding at most `socketEventBurst`. */
  socketEventsPerSecond: number;
  socketEventBurst: number;
  /** Refused events in a row (with no accepted one between) after which the socket is disconnected. */
  socketRefusalsBeforeDisconnect: number;
  /** Socket.IO's maxHttpBufferSize: the largest message a client may send. */
  socketMaxMessageBytes: number;
  /** Open Engine.IO connections (admitted or not yet) from one client address on one socket process. */
  socketConnectionsPerAddress: number;
  /** Socket.IO connects of one player (or host) of one room, over every socket process. */
  socketConnectsPerPlayer: RateLimit;
}

/** Config once the local Redis and PostgreSQL (if any) are up: every role needs both URLs. */
export type ResolvedConfig = Config & { redisUrl: string; databaseUrl: string };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the environment once at start. A wrong value stops the process
 * with a message naming the variable; secrets are required in production, by a role only.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, role?: 'api' | 'socket' | 'worker' | 'all'): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid environment: ${problems}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  // A role signs and checks tokens and webhooks; a one-off command (migrate, grant-admin: no role) does neither.
  for (const name of ['JWT_SECRET', 'WEBHOOK_SECRET'] as const) {
    if (production && role !== undefined && !e[name]) throw new ConfigError(`${name} must be set (16+ characters) when NODE_ENV=production`);
  }
  if (e.ADMIN_EMAILS !== undefined) {
    // Whoever registered one of these addresses first became admin, proved or not: refuse to start rather than ignore it.
    throw new ConfigError(
      'ADMIN_EMAILS is no longer read: an email nobody proved grants no role. Unset it, and grant admin with `node dist/src/main.js grant-admin <email>`',
    );
  }
  if (e.RECONCILE_GRACE_MS < e.ANSWER_GRACE_MS) {
    // The reconciler drives on a question past deadline + RECONCILE_GRACE_MS: any sooner would cut the answer grace.
    throw new ConfigError(
      `RECONCILE_GRACE_MS (${e.RECONCILE_GRACE_MS}) must be at least ANSWER_GRACE_MS (${e.ANSWER_GRACE_MS}): the reconciler would take every question for stuck inside its answer grace. Raise RECONCILE_GRACE_MS or lower ANSWER_GRACE_MS`,
    );
  }
  if (e.ANSWER_GRACE_MS < e.LATENCY_ALLOWANCE_CAP_MS) {
    // An answer may arrive up to the allowance after the deadline and still count: the close must wait for it.
    throw new ConfigError(
      `ANSWER_GRACE_MS (${e.ANSWER_GRACE_MS}) must be at least LATENCY_ALLOWANCE_CAP_MS (${e.LATENCY_ALLOWANCE_CAP_MS}): an answer sent as the countdown ended may arrive that long after the deadline, and the question must still be open for it. Raise ANSWER_GRACE_MS or lower LATENCY_ALLOWANCE_CAP_MS`,
    );
  }
  const ttlAtLeast = e.ROOM_IDLE_SECONDS + Math.ceil(e.RECONCILE_GRACE_MS / 1000) + ROOM_TTL_MARGIN_SECONDS;
  if (e.ROOM_TTL_SECONDS < ttlAtLeast) {
    // A pause's keys, renewed when it began, must outlive its idle end, or the game and its results expire first.
    throw new ConfigError(
      `ROOM_TTL_SECONDS (${e.ROOM_TTL_SECONDS}) must be at least ROOM_IDLE_SECONDS + RECONCILE_GRACE_MS + ${ROOM_TTL_MARGIN_SECONDS} s (${ttlAtLeast}): a game left paused would expire, with its results, before the worker ends it. Raise ROOM_TTL_SECONDS or lower ROOM_IDLE_SECONDS`,
    );
  }
  if (!e.ADMIN_USER !== !e.ADMIN_PASSWORD) {
    throw new ConfigError('ADMIN_USER and ADMIN_PASSWORD go together: set both (the password 12+ characters), or neither');
  }
  // Heroku-style platforms give each web process its own PORT; a lone socket process listens there.
  const apiPort = e.PORT ?? 3000;
  const socketPort = e.SOCKET_PORT ?? (role === 'socket' ? (e.PORT ?? 3001) : 3001);
  return {
    production,
    redisUrl: e.REDIS_URL,
    redisClusterNodes: e.REDIS_CLUSTER_NODES,
    eventPartitions: e.EVENT_PARTITIONS ?? (e.REDIS_CLUSTER_NODES ? 16 : 1),
    databaseUrl: e.DATABASE_URL,
    databaseSsl: e.DATABASE_SSL,
    redisTlsRejectUnauthorized: e.REDIS_TLS_REJECT_UNAUTHORIZED === 'true',
    apiPort,
    socketPort,
    apiInternalUrl: (e.API_INTERNAL_URL ?? `http://127.0.0.1:${apiPort}`).replace(/\/$/, ''),
    publicSocketUrl: e.PUBLIC_SOCKET_URL?.replace(/\/$/, '') ?? null,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, '') ?? null,
    socketsOnApi: e.SOCKETS_ON_API === 'true',
    jwtSecret: e.JWT_SECRET ?? DEV_SECRET,
    webhookSecret: e.WEBHOOK_SECRET ?? DEV_SECRET,
    namespace: e.QUIZLOOP_NAMESPACE,
    redisHz: e.REDIS_HZ,
    workerConcurrency: e.WORKER_CONCURRENCY,
    clockConcurrency: e.CLOCK_CONCURRENCY,
    countdownLeadMs: e.COUNTDOWN_LEAD_MS,
    roomTtlSeconds: e.ROOM_TTL_SECONDS,
    roomIdleSeconds: e.ROOM_IDLE_SECONDS,
    roomAbandonedSeconds: e.ROOM_ABANDONED_SECONDS,
    roomBuildingSeconds: e.ROOM_BUILDING_SECONDS,
    workerLockMs: e.WORKER_LOCK_MS,
    retryBackoffCapMs: e.RETRY_BACKOFF_CAP_MS,
    housekeepingAttempts: e.HOUSEKEEPING_ATTEMPTS,
    reconcileEveryMs: e.RECONCILE_EVERY_MS,
    reconcileGraceMs: e.RECONCILE_GRACE_MS,
    reconcileRoomsPerPass: e.RECONCILE_ROOMS_PER_PASS,
    eventsReadyLagSeconds: e.EVENTS_READY_LAG_SECONDS,
    presenceLeaseSeconds: e.PRESENCE_LEASE_SECONDS,
    presenceForgetSeconds: e.PRESENCE_FORGET_SECONDS,
    postgresChecks: { waitMs: e.POSTGRES_CHECK_WAIT_MS, retryMs: e.POSTGRES_CHECK_RETRY_MS },
    timing: {
      answerGraceMs: e.ANSWER_GRACE_MS,
      allowanceCapMs: e.LATENCY_ALLOWANCE_CAP_MS,
      sendLagCapMs: e.SEND_LAG_CAP_MS,
      reactionFloorMs: e.REACTION_FLOOR_MS,
      pingIntervalMs: e.SOCKET_PING_INTERVAL_MS,
      pingTimeoutMs: e.SOCKET_PING_TIMEOUT_MS,
    },
    viewWaitMs: e.SOCKET_VIEW_WAIT_MS,
    fanoutSlice: e.SOCKET_FANOUT_SLICE,
    fanoutAnswerWaitMs: e.SOCKET_FANOUT_ANSWER_WAIT_MS,
    answerPipeline: e.SOCKET_ANSWER_PIPELINE,
    answerRedisWaitMs: e.ANSWER_REDIS_WAIT_MS,
    refreshMinMs: e.SOCKET_REFRESH_MIN_MS,
    refreshMsPer1000: e.SOCKET_REFRESH_MS_PER_1000,
    heapGrowingPercent: e.SOCKET_HEAP_GROWING_PERCENT,
    connectTimeoutMs: e.SOCKET_CONNECT_TIMEOUT_MS,
    lostRoomCheckMs: e.SOCKET_LOST_ROOM_CHECK_MS,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    logPretty: e.LOG_FORMAT ? e.LOG_FORMAT === 'pretty' : role === 'all',
    metricsPort: e.METRICS_PORT,
    adminCredentials: e.ADMIN_USER && e.ADMIN_PASSWORD ? { user: e.ADMIN_USER, password: e.ADMIN_PASSWORD } : null,
    nicknameProfanityFilter: e.NICKNAME_PROFANITY_FILTER === 'on',
    nicknameBlocklist: e.NICKNAME_BLOCKLIST,
    trustProxy: e.TRUST_PROXY,
    metricsToken: e.METRICS_TOKEN ?? null,
    corsOrigins: e.CORS_ORIGINS,
    limits: {
      loginPerAccount: e.RATE_LIMIT_LOGIN_ACCOUNT,
      loginPerAddress: e.RATE_LIMIT_LOGIN_ADDRESS,
      registerPerAddress: e.RATE_LIMIT_REGISTER_ADDRESS,
      joinPerAddress: e.RATE_LIMIT_JOIN_ADDRESS,
      roomsPerUser: e.RATE_LIMIT_ROOMS_USER,
      importsPerUser: e.RATE_LIMIT_IMPORTS_USER,
      passphrasePerAddress: e.RATE_LIMIT_PASSPHRASE_ADDRESS,
      roomMissesPerAddress: e.RATE_LIMIT_ROOM_MISSES_ADDRESS,
      roomMaxPlayers: e.ROOM_MAX_PLAYERS,
      viewLeaderboardSize: e.VIEW_LEADERBOARD_SIZE,
      standingsPageMax: e.STANDINGS_PAGE_MAX,
      hostMaxOpenRooms: e.HOST_MAX_OPEN_ROOMS,
      importMaxRows: e.IMPORT_MAX_ROWS,
      leaderboardMinPlayers: e.LEADERBOARD_MIN_PLAYERS,
      userMaxCategories: e.USER_MAX_CATEGORIES,
      jsonBodyLimitBytes: e.JSON_BODY_LIMIT_KB * 1024,
      importBodyLimitBytes: e.IMPORT_BODY_LIMIT_KB * 1024,
      socketEventsPerSecond: e.SOCKET_EVENTS_PER_SECOND,
      socketEventBurst: e.SOCKET_EVENT_BURST,
      socketRefusalsBeforeDisconnect: e.SOCKET_REFUSALS_BEFORE_DISCONNECT,
      socketMaxMessageBytes: e.SOCKET_MAX_MESSAGE_BYTES,
      socketConnectionsPerAddress: e.SOCKET_CONNECTIONS_PER_ADDRESS,
      socketConnectsPerPlayer: e.SOCKET_CONNECTS_PER_PLAYER,
    },
  };
}
