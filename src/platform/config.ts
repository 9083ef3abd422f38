import { z } from 'zod';

const DEV_SECRET = 'quizloop-dev-secret-change-me';

const port = z.coerce.number().int().min(0).max(65535);
const urlWithScheme = (schemes: string[]) =>
  z.url().refine((u) => schemes.includes(new URL(u).protocol), `must start with ${schemes.map((s) => `${s}//`).join(' or ')}`);
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
  PUBLIC_URL: urlWithScheme(['http:', 'https:']).optional(),
  SOCKETS_ON_API: z.enum(['true', 'false']).default('true'),
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
  ADMIN_EMAILS: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.email())),
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
  /** Lower-cased; accounts with these emails get the admin role when they register or sign in. */
  adminEmails: string[];
  /** Words no nickname may contain (see src/game/nickname-filter.ts); empty: no filter. */
  nicknameBlocklist: string[];
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
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, '') ?? null,
    socketsOnApi: e.SOCKETS_ON_API === 'true',
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
    adminEmails: e.ADMIN_EMAILS,
    nicknameBlocklist: e.NICKNAME_BLOCKLIST,
  };
}
