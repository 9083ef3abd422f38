import path from 'node:path';
import { startApi } from './api/main';
import { ROLES, type Role, helpText } from './help';
import { DataDirInUseError } from './local/guarded-server';
import { hasLocalPostgres, runningLocalPostgres, startLocalPostgres } from './local/local-postgres';
import { type LocalServer, MissingRedisError, ensureRedisServer, startLocalRedis } from './local/local-redis';
import { type Config, ConfigError, type ResolvedConfig, loadConfig } from './platform/config';
import { lanAddress } from './platform/lan-address';
import { createLogger } from './platform/logger';
import { stopOnSignal } from './platform/shutdown';
import { attachSocket, startSocket } from './socket/main';
import { createDb, migrateLatest } from './platform/db';
import { withLocalSecrets } from './local/local-secrets';
import { createUsersRepo } from './store/repos/users.repo';
import { startWorker } from '../workers/main';

const ADMIN_COMMANDS = { 'grant-admin': 'admin', 'revoke-admin': 'player' } as const;

interface Stoppable {
  stop(): Promise<void>;
}

/** A step of `npm start` that failed, said in plain words: what failed, why, and what to do. */
class StartError extends Error {
  override name = 'StartError';
}

const say = (line: string) => process.stderr.write(`quizloop: ${line}\n`);

/** Where `all` keeps its embedded PostgreSQL when DATABASE_URL is unset, and the database's name. */
const localPostgresDir = (config: Config) => path.join(config.dataDir, 'postgres');
const LOCAL_DATABASE = 'quizloop';

/** Never "remove the data folder" here: the data is fine, only held by another start. */
const inUse = (err: DataDirInUseError) =>
  new StartError(`${err.message}.\n  Fix: stop that quizloop first (Ctrl-C where it runs), or give this one another DATA_DIR.`);

/** Separate roles need REDIS_URL and DATABASE_URL; `all` starts local servers for what is missing. */
async function resolveInfra(config: Config, role: Role, log: ReturnType<typeof createLogger>, local: LocalServer[]) {
  let { redisUrl, databaseUrl } = config;
  if (role === 'all') {
    if (!redisUrl && !config.redisClusterNodes) {
      const server = await ensureRedisServer({ toolsDir: path.join(config.dataDir, 'tools'), say });
      const redis = await startLocalRedis({ dataDir: path.join(config.dataDir, 'redis'), server, say }).catch((err: Error) => {
        if (err instanceof DataDirInUseError) throw inUse(err);
        throw new StartError(
          `the local redis-server did not start: ${err.message}\n  Fix: remove ${path.join(config.dataDir, 'redis')} if its data is damaged, or set REDIS_URL to a Redis you run.`,
        );
      });
      local.push(redis);
      redisUrl = redis.url;
      log.info('started local redis-server (no REDIS_URL)', { url: redisUrl });
    }
    if (!databaseUrl) {
      const dataDir = localPostgresDir(config);
      const pg = await startLocalPostgres({ dataDir, database: LOCAL_DATABASE, persistent: true, say }).catch((err: Error) => {
        if (err instanceof DataDirInUseError) throw inUse(err);
        throw new StartError(
          `the embedded PostgreSQL did not start: ${err.message}\n  Fix: remove ${dataDir} to start from a fresh database, or set DATABASE_URL to a PostgreSQL you run.`,
        );
      });
      local.push(pg);
      databaseUrl = pg.url;
      log.info('started embedded PostgreSQL (no DATABASE_URL)', { url: databaseUrl });
    }
  }
  const needsRedis = role !== 'migrate';
  if (needsRedis && !redisUrl && !config.redisClusterNodes) {
    throw new ConfigError(`REDIS_URL (or REDIS_CLUSTER_NODES) must be set to run the ${role} role on its own (or use "all" locally).`);
  }
  if (!databaseUrl && role !== 'socket') throw new ConfigError(`DATABASE_URL must be set to run the ${role} role on its own (or use "all" locally).`);
  return { resolved: { ...config, redisUrl: redisUrl ?? '', databaseUrl: databaseUrl ?? '' } as ResolvedConfig };
}

async function migrate(config: ResolvedConfig, log: ReturnType<typeof createLogger>): Promise<void> {
  const db = createDb(config.databaseUrl, config.databaseSsl);
  try {
    const applied = await migrateLatest(db).catch((err: Error) => {
      throw new StartError(
        `the database migrations failed: ${err.message}\n  Fix: check that DATABASE_URL points at a PostgreSQL that answers and that this user may create tables.`,
      );
    });
    log.info(applied.length ? 'migrations applied' : 'database schema is up to date', { applied: applied.join(',') || undefined });
  } finally {
    await db.destroy();
  }
}

/**
 * An operator's one-off command, run like `migrate` against DATABASE_URL (locally, `npm start`'s own
 * database): gives an existing account the admin role, or takes it back. Takes effect at the account's
 * next sign-in.
 */
async function setAdmin(command: keyof typeof ADMIN_COMMANDS, email: string | undefined): Promise<void> {
  if (!email?.includes('@')) throw new StartError(`${command} needs the account's email: node dist/src/main.js ${command} <email>`);
  const config = loadConfig(process.env);
  const database = await adminDatabase(config, command);
  const db = createDb(database.url, config.databaseSsl);
  try {
    const role = ADMIN_COMMANDS[command];
    if (!(await createUsersRepo(db).setRole(email, role))) {
      throw new StartError(`no account has the email ${email}.\n  Fix: register it first (POST /auth/register), then run ${command} again.`);
    }
    process.stdout.write(`quizloop: ${email} is now ${role === 'admin' ? 'an admin' : 'a player'}, from their next sign-in.\n`);
  } finally {
    await db.destroy();
    await database.stop();
  }
}

/**
 * The database an admin command changes: DATABASE_URL, or outside production the embedded PostgreSQL
 * that `npm start` keeps in DATA_DIR (the running one, else started for the command and stopped after it).
 */
async function adminDatabase(config: Config, command: string): Promise<{ url: string; stop(): Promise<void> }> {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => undefined };
  if (config.production) throw new ConfigError(`DATABASE_URL must be set to run ${command}.`);
  const dataDir = localPostgresDir(config);
  if (!hasLocalPostgres(dataDir)) {
    throw new StartError(
      `DATABASE_URL is not set, and there is no local database in ${config.dataDir} yet.\n  Fix: run npm start once and register the account, or set DATABASE_URL to the PostgreSQL the api uses.`,
    );
  }
  const running = runningLocalPostgres(dataDir, LOCAL_DATABASE);
  if (running) return { url: running, stop: async () => undefined };
  return startLocalPostgres({ dataDir, database: LOCAL_DATABASE, persistent: true }).catch((err: Error) => {
    throw err instanceof DataDirInUseError ? inUse(err) : new StartError(`the embedded PostgreSQL did not start: ${err.message}`);
  });
}

async function main(): Promise<void> {
  const command = process.argv[2] ?? '';
  if (command === 'grant-admin' || command === 'revoke-admin') return setAdmin(command, process.argv[3]);
  const role = command as Role;
  const wantsHelp = process.argv.slice(2).some((a) => a === '--help' || a === '-h');
  if (wantsHelp) {
    process.stdout.write(helpText(ROLES.includes(role) ? role : undefined));
    process.exit(0);
  }
  if (!ROLES.includes(role)) {
    process.stderr.write(helpText());
    process.exit(2);
  }
  const config = role === 'migrate' ? loadConfig(process.env) : loadConfig(withLocalSecrets(process.env), role);
  const log = createLogger(role, config.logLevel, { pretty: config.logPretty });
  const local: LocalServer[] = [];
  const running: Stoppable[] = [];
  const stopAll = async () => {
    for (const r of running.splice(0).reverse()) await r.stop().catch((err) => log.error('stop failed', { err }));
    for (const l of local.splice(0).reverse()) await l.stop().catch((err) => log.error('stop failed', { err }));
  };

  // Set before start-up, so a Ctrl-C while servers are starting still stops the ones already up.
  stopOnSignal(log, stopAll);

  const startUp = async (): Promise<ResolvedConfig> => {
    const { resolved } = await resolveInfra(config, role, log, local);
    if (role === 'migrate' || role === 'all') await migrate(resolved, log);
    const logFor = (r: string) => createLogger(r, config.logLevel, { pretty: config.logPretty });
    if (role === 'api' || role === 'all') {
      const api = await startApi(resolved, logFor('api'));
      running.push(api);
      // Stopped before the api (in reverse order), which then waits for its HTTP requests in flight.
      if (config.socketsOnApi) running.push(await attachSocket(api.server, resolved, logFor('socket'), api.registry));
    }
    if (role === 'socket' || (role === 'all' && !config.socketsOnApi)) running.push(await startSocket(resolved, logFor('socket')));
    if (role === 'worker' || role === 'all') running.push(await startWorker(resolved, logFor('worker')));
    return resolved;
  };
  // An error thrown outside the start-up's promises (a child process's spawn error, say) fails it too.
  let crash: (err: unknown) => void = () => undefined;
  const crashed = new Promise<never>((_, reject) => (crash = reject));
  process.on('uncaughtException', crash);
  let resolved: ResolvedConfig;
  try {
    resolved = await Promise.race([startUp(), crashed]);
  } catch (err) {
    // Never leave a spawned redis-server or PostgreSQL behind when start-up fails half-way.
    await stopAll();
    throw err;
  } finally {
    process.off('uncaughtException', crash);
  }

  if (role === 'all') process.stdout.write(banner(resolved));
  if (role === 'migrate') return;
}

/** What `npm start` prints once every role is up: where to open the host screen, and what a phone uses. */
function banner(config: ResolvedConfig): string {
  const local = `http://localhost:${config.apiPort}`;
  const lan = lanAddress();
  const forPhones = config.publicUrl ?? (lan ? `http://${lan}:${config.apiPort}` : null);
  const sockets = config.socketsOnApi ? 'on the same port' : `on port ${config.socketPort}`;
  return `${[
    '',
    '  quizloop is running.',
    `    host screen   ${local}/host.html`,
    forPhones
      ? `    players       ${forPhones}/   (phones on this network; the lobby's QR code opens it)`
      : `    players       ${local}/   (no network address found: set PUBLIC_URL for phones)`,
    `    API docs      ${local}/docs    (REST and Socket.IO ${sockets})`,
    `    metrics       ${local}/metrics, worker :${config.metricsPort}/metrics`,
    '',
    '  Ctrl-C stops everything. Next, in another terminal, play a whole game with 20 bots:',
    `    ${botsCommand(config)}`,
    '',
  ].join('\n')}\n`;
}

/** The bots' command for this server: the bots default to http://localhost:3000 and Socket.IO on the api's port. */
function botsCommand(config: ResolvedConfig): string {
  const api = config.apiPort === 3000 ? '' : ` --api http://localhost:${config.apiPort}`;
  const socket = config.socketsOnApi ? '' : ` --socket http://localhost:${config.socketPort}`;
  return `npm run bots --${api}${socket} --host --players 20`;
}

function portInUse(err: unknown): err is NodeJS.ErrnoException & { port?: number } {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof MissingRedisError || err instanceof StartError) {
    process.stderr.write(`quizloop: ${err.message}\n`);
  } else if (portInUse(err)) {
    process.stderr.write(
      `quizloop: port ${err.port ?? ''} is already in use.\n  Fix: stop whatever listens there, or choose other ports with PORT, SOCKET_PORT and METRICS_PORT.\n`,
    );
  } else {
    process.stderr.write(`quizloop: failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  }
  process.exit(1);
});
