import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port';

export interface LocalServer {
  url: string;
  stop(): Promise<void>;
}

export class MissingRedisError extends Error {
  override name = 'MissingRedisError';
  constructor() {
    super(
      'No REDIS_URL is set and no redis-server is on PATH.\n' +
        '  Install one:   sudo apt-get install -y redis-server   (or: brew install redis)\n' +
        '  or point at a running Redis:   REDIS_URL=redis://127.0.0.1:6379 npm start',
    );
  }
}

export function findOnPath(binary: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * Spawns the `redis-server` on PATH on a free loopback port, with `hz 100` so BullMQ's delayed
 * jobs (the game clock) fire within about 10 ms. With `dataDir` it persists there (append-only file).
 */
export async function startLocalRedis(opts: { dataDir?: string; hz?: number } = {}): Promise<LocalServer> {
  const binary = findOnPath('redis-server');
  if (!binary) throw new MissingRedisError();
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--hz', String(opts.hz ?? 100), '--save', '', '--maxmemory-policy', 'noeviction'];
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    args.push('--dir', path.resolve(opts.dataDir), '--appendonly', 'yes');
  } else {
    args.push('--appendonly', 'no');
  }
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const url = `redis://127.0.0.1:${port}`;

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
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
