import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import getPort from 'get-port';
import { clearLeftover, pidWorkingIn, spawnGuarded, stopGuarded } from './guarded-server';
import { AUTO_INSTALL_SETTING, type Say, aptInstall, aptUnpack, autoInstallRefusal, brewInstall, findOnPath, isDebianLike } from './system-packages';

export interface LocalServer {
  url: string;
  stop(): Promise<void>;
}

/** A `redis-server` to run, with the environment it needs (a copy unpacked under `.data/` finds its libraries). */
export interface RedisServerBinary {
  path: string;
  env: Record<string, string>;
}

export class MissingRedisError extends Error {
  override name = 'MissingRedisError';
  constructor(why: string) {
    super(
      `No REDIS_URL is set and no redis-server is on PATH (${why}).\n` +
        '  Install one:   sudo apt-get install -y redis-server   (or: brew install redis)\n' +
        '  or point at a running Redis:   REDIS_URL=redis://127.0.0.1:6379 npm start',
    );
  }
}

/** Where a copy of Debian's redis-server is unpacked: `<toolsDir>/redis/root/usr/bin/redis-server`. */
function unpackedCopy(toolsDir: string): RedisServerBinary {
  const root = path.join(toolsDir, 'redis', 'root');
  const libDirs = [path.join(root, 'usr', 'lib'), path.join(root, 'lib')].filter(existsSync).flatMap((dir) => [
    dir,
    ...readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join(dir, e.name)),
  ]);
  return { path: path.join(root, 'usr', 'bin', 'redis-server'), env: { LD_LIBRARY_PATH: libDirs.join(path.delimiter) } };
}

function runs(binary: RedisServerBinary): boolean {
  if (!existsSync(binary.path)) return false;
  const probe = spawnSync(binary.path, ['--version'], { env: { ...process.env, ...binary.env }, encoding: 'utf8', timeout: 10_000 });
  return probe.status === 0 && probe.stdout.includes('Redis server');
}

/** The redis-server on PATH, or the copy an earlier start placed under `toolsDir`; null when neither. */
export function findRedisServer(toolsDir: string | undefined, env: NodeJS.ProcessEnv = process.env): RedisServerBinary | null {
  const onPath = findOnPath('redis-server', env);
  if (onPath) return { path: onPath, env: {} };
  if (toolsDir) {
    const copy = unpackedCopy(toolsDir);
    if (runs(copy)) return copy;
  }
  return null;
}

/**
 * Finds a redis-server, fetching one when there is none and local development allows it: Debian's
 * package unpacked under `toolsDir` (nothing on the system changes), else `apt-get install` as root or
 * with passwordless sudo, else Homebrew on macOS. Says what it does in one line.
 */
export async function ensureRedisServer(opts: { toolsDir: string; say: Say; env?: NodeJS.ProcessEnv }): Promise<RedisServerBinary> {
  const env = opts.env ?? process.env;
  const found = findRedisServer(opts.toolsDir, env);
  if (found) return found;
  const refusal = autoInstallRefusal(env);
  if (refusal) throw new MissingRedisError(refusal);
  const off = `${AUTO_INSTALL_SETTING}=0 turns this off`;
  const problems: string[] = [];
  if (isDebianLike(env)) {
    opts.say(`no redis-server on PATH: fetching Debian's redis-server into ${path.join(opts.toolsDir, 'redis')} (${off})`);
    try {
      // redis-tools holds the binary that the redis-server package links to.
      await aptUnpack(['redis-server', 'redis-tools'], path.join(opts.toolsDir, 'redis'), env);
      const copy = unpackedCopy(opts.toolsDir);
      if (runs(copy)) return copy;
      problems.push('the unpacked redis-server does not run here');
    } catch (err) {
      problems.push((err as Error).message);
    }
    opts.say(`that did not work (${problems.at(-1)?.split('\n')[0]}): installing redis-server with apt-get (${off})`);
    try {
      await aptInstall(['redis-server'], env);
      const installed = findOnPath('redis-server', env) ?? '/usr/bin/redis-server';
      if (runs({ path: installed, env: {} })) return { path: installed, env: {} };
    } catch (err) {
      problems.push((err as Error).message);
    }
  } else if (os.platform() === 'darwin' && findOnPath('brew', env)) {
    opts.say(`no redis-server on PATH: installing it with Homebrew (${off})`);
    try {
      const binary = { path: path.join(await brewInstall('redis', env), 'bin', 'redis-server'), env: {} };
      if (runs(binary)) return binary;
    } catch (err) {
      problems.push((err as Error).message);
    }
  } else {
    problems.push('no apt-get or Homebrew to fetch one with');
  }
  throw new MissingRedisError(problems.join('; '));
}

/**
 * Spawns redis-server on a free loopback port (or `port`), with `hz 100` so BullMQ's delayed jobs (the game clock)
 * fire within about 10 ms. With `dataDir` it persists there (append-only file). It runs under a guard (guarded-server.ts): Redis
 * stops when this process does, however it ends, and a Ctrl-C at the terminal reaches quizloop first,
 * which stops Redis last.
 */
export async function startLocalRedis(
  opts: { dataDir?: string; hz?: number; server?: RedisServerBinary; say?: Say; port?: number } = {},
): Promise<LocalServer> {
  const server = opts.server ?? findRedisServer(undefined);
  if (!server) throw new MissingRedisError('none given');
  const port = opts.port ?? (await getPort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--hz', String(opts.hz ?? 100), '--save', '', '--maxmemory-policy', 'noeviction'];
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    const dir = path.resolve(opts.dataDir);
    // Two servers on one append-only file would corrupt it.
    await clearLeftover({ server: 'redis-server', pid: pidWorkingIn(dir, 'redis-server'), dir, stop: 'SIGTERM' }, opts.say);
    args.push('--dir', dir, '--appendonly', 'yes');
  } else {
    args.push('--appendonly', 'no');
  }
  const child = spawnGuarded(server.path, args, { stop: 'SIGTERM', env: { ...process.env, ...server.env } });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  child.on('error', (err) => (stderr += err.message));
  const url = `redis://127.0.0.1:${port}`;
  const stop = () => stopGuarded(child);

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${stderr}`);
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      break;
    } catch {
      probe.disconnect();
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`redis-server did not answer on port ${port}: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { url, stop };
}
