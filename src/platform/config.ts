import { z } from 'zod';

const DEV_SECRET = 'quizloop-dev-secret-change-me';

const port = z.coerce.number().int().min(0).max(65535);
const urlWithScheme = (schemes: string[]) =>
  z.url().refine((u) => schemes.includes(new URL(u).protocol), `must start with ${schemes.map((s) => `${s}//`).join(' or ')}`);
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
  REDIS_TLS_REJECT_UNAUTHORIZED: z.enum(['true', 'false']).default('true'),
  PORT: port.optional(),
  SOCKET_PORT: port.optional(),
  API_INTERNAL_URL: z.string().url().optional(),
  PUBLIC_SOCKET_URL: z.string().url().optional(),
  JWT_SECRET: z.string().min(16).optional(),
  WEBHOOK_SECRET: z.string().min(16).optional(),
  QUIZLOOP_NAMESPACE: z.string().regex(/^[a-z0-9-]+$/).default('quizloop'),
  REDIS_HZ: z.coerce.number().int().min(0).max(500).default(100),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  ROOM_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
  ROOM_IDLE_SECONDS: z.coerce.number().int().min(2).default(1800),
  ROOM_ABANDONED_SECONDS: z.coerce.number().int().min(2).default(60),
  DATA_DIR: z.string().default('.data'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  METRICS_PORT: port.default(9091),
  ADMIN_USER: z.string().min(1).regex(/^[^:]+$/, 'must not contain ":" (HTTP Basic)').optional(),
  ADMIN_PASSWORD: z.string().min(12).optional(),
  NICKNAME_BLOCKLIST: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((w) => w.trim()).filter(Boolean)),
  RATE_LIMIT_LOGIN_ACCOUNT: rate('10/900'),
  RATE_LIMIT_LOGIN_ADDRESS: rate('50/900'),
  RATE_LIMIT_REGISTER_ADDRESS: rate('10/3600'),
  RATE_LIMIT_JOIN_ADDRESS: rate('60/60'),
  RATE_LIMIT_ROOMS_USER: rate('30/3600'),
  RATE_LIMIT_IMPORTS_USER: rate('20/3600'),
  ROOM_MAX_PLAYERS: count(1000),
  LEADERBOARD_MIN_PLAYERS: count(2, 0),
  HOST_MAX_OPEN_ROOMS: count(5),
  IMPORT_MAX_ROWS: count(500),
  USER_MAX_CATEGORIES: count(100),
  JSON_BODY_LIMIT_KB: count(64),
  SOCKET_EVENTS_PER_SECOND: count(10),
  SOCKET_EVENT_BURST: count(20),
  SOCKET_REFUSALS_BEFORE_DISCONNECT: count(50),
  SOCKET_MAX_MESSAGE_BYTES: count(16_384, 1024),
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
    .transform((list) => list.split(',').map((o) => o.trim().replace(/\/$/, '')).filter(Boolean))
    .pipe(z.array(z.url())),
  NICKNAME_PROFANITY_FILTER: z.enum(['on', 'off']).default('on'),
  ADMIN_EMAILS: z.string().optional(),
});

export type DatabaseSsl = 'off' | 'no-verify' | 'verify';

export interface Config {
  production: boolean;
  redisUrl: string | undefined;
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
  /** Where browsers reach the socket process; null lets the web client use its own host and `socketPort`. */
  publicSocketUrl: string | null;
  jwtSecret: string;
  webhookSecret: string;
  namespace: string;
  redisHz: number;
  workerConcurrency: number;
  roomTtlSeconds: number;
  /** A lobby not started, or a game left paused, this long is ended by the worker. */
  roomIdleSeconds: number;
  /** A running game with nobody connected (host or player) this long is finished; results are kept. */
  roomAbandonedSeconds: number;
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

/** Every limit on what one client may ask for (README: Limits). */
export interface Limits {
  loginPerAccount: RateLimit;
  loginPerAddress: RateLimit;
  registerPerAddress: RateLimit;
  joinPerAddress: RateLimit;
  roomsPerUser: RateLimit;
  importsPerUser: RateLimit;
  /** The server's ceiling of players in one room; a room may set a lower `maxPlayers`. */
  roomMaxPlayers: number;
  /** Rooms one host may hold open (not finished, failed or cancelled) at once. */
  hostMaxOpenRooms: number;
  importMaxRows: number;
  /** Signed-in players besides the host a game needs to count on the global and weekly boards. */
  leaderboardMinPlayers: number;
  userMaxCategories: number;
  jsonBodyLimitBytes: number;
  /** Token bucket of client events per socket: refilled at this rate, holding at most `socketEventBurst`. */
  socketEventsPerSecond: number;
  socketEventBurst: number;
  /** Refused events in a row (with no accepted one between) after which the socket is disconnected. */
  socketRefusalsBeforeDisconnect: number;
  /** Socket.IO's maxHttpBufferSize: the largest message a client may send. */
  socketMaxMessageBytes: number;
}

/** Config once the local Redis and PostgreSQL (if any) are up: every role needs both URLs. */
export type ResolvedConfig = Config & { redisUrl: string; databaseUrl: string };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the environment once at start. A wrong value stops the process
 * with a message naming the variable; secrets are required in production only.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, role?: 'api' | 'socket' | 'worker' | 'all'): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid environment: ${problems}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  for (const name of ['JWT_SECRET', 'WEBHOOK_SECRET'] as const) {
    if (production && !e[name]) throw new ConfigError(`${name} must be set (16+ characters) when NODE_ENV=production`);
  }
  if (e.ADMIN_EMAILS !== undefined) {
    // Whoever registered one of these addresses first became admin, proved or not: refuse to start rather than ignore it.
    throw new ConfigError('ADMIN_EMAILS is no longer read: an email nobody proved grants no role. Unset it, and grant admin with `node dist/src/main.js grant-admin <email>`');
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
    databaseUrl: e.DATABASE_URL,
    databaseSsl: e.DATABASE_SSL,
    redisTlsRejectUnauthorized: e.REDIS_TLS_REJECT_UNAUTHORIZED === 'true',
    apiPort,
    socketPort,
    apiInternalUrl: (e.API_INTERNAL_URL ?? `http://127.0.0.1:${apiPort}`).replace(/\/$/, ''),
    publicSocketUrl: e.PUBLIC_SOCKET_URL?.replace(/\/$/, '') ?? null,
    jwtSecret: e.JWT_SECRET ?? DEV_SECRET,
    webhookSecret: e.WEBHOOK_SECRET ?? DEV_SECRET,
    namespace: e.QUIZLOOP_NAMESPACE,
    redisHz: e.REDIS_HZ,
    workerConcurrency: e.WORKER_CONCURRENCY,
    roomTtlSeconds: e.ROOM_TTL_SECONDS,
    roomIdleSeconds: e.ROOM_IDLE_SECONDS,
    roomAbandonedSeconds: e.ROOM_ABANDONED_SECONDS,
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
      roomMaxPlayers: e.ROOM_MAX_PLAYERS,
      hostMaxOpenRooms: e.HOST_MAX_OPEN_ROOMS,
      importMaxRows: e.IMPORT_MAX_ROWS,
      leaderboardMinPlayers: e.LEADERBOARD_MIN_PLAYERS,
      userMaxCategories: e.USER_MAX_CATEGORIES,
      jsonBodyLimitBytes: e.JSON_BODY_LIMIT_KB * 1024,
      socketEventsPerSecond: e.SOCKET_EVENTS_PER_SECOND,
      socketEventBurst: e.SOCKET_EVENT_BURST,
      socketRefusalsBeforeDisconnect: e.SOCKET_REFUSALS_BEFORE_DISCONNECT,
      socketMaxMessageBytes: e.SOCKET_MAX_MESSAGE_BYTES,
    },
  };
}
