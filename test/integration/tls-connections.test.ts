import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testPort } from '../helpers/ports';
import { findOnPath } from '../../src/local/system-packages';
import { type Db, createDb } from '../../src/platform/db';
import { createRedis } from '../../src/store/redis';
import { infra, waitUntil } from '../helpers/infra';

/** A self-signed certificate for 127.0.0.1, as managed Redis and PostgreSQL services often present. */
function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'server.crt');
  const key = path.join(dir, 'server.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', key, '-out', cert], {
    stdio: 'ignore',
  });
  return { cert, key };
}

const hasOpenssl = findOnPath('openssl') !== null;
const redisServer = inject('redisServer');

describe.skipIf(!hasOpenssl || !redisServer)('a rediss:// REDIS_URL', () => {
  let dir: string;
  let server: ChildProcess;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'quizloop-redis-tls-'));
    const { cert, key } = selfSignedCertificate(dir);
    port = await testPort();
    server = spawn(
      redisServer?.path ?? 'redis-server',
      [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--tls-cert-file',
        cert,
        '--tls-key-file',
        key,
        '--tls-auth-clients',
        'no',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ],
      { stdio: 'ignore', env: { ...process.env, ...redisServer?.env } },
    );
    const probe = createRedis(`rediss://127.0.0.1:${port}`, { name: 'test-tls-probe', rejectUnauthorized: false });
    probe.on('error', () => {}); // refused until the server listens
    await waitUntil('the TLS redis-server to answer', async () => ((await probe.ping()) === 'PONG' ? true : undefined), 10_000);
    probe.disconnect();
  });

  afterAll(() => {
    server?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects over TLS to a self-signed server when REDIS_TLS_REJECT_UNAUTHORIZED=false', async () => {
    const redis = createRedis(`rediss://127.0.0.1:${port}`, { name: 'test-tls-insecure', rejectUnauthorized: false });
    try {
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });

  it('refuses the self-signed certificate by default', async () => {
    const redis = createRedis(`rediss://127.0.0.1:${port}`, { name: 'test-tls-verify' });
    const refused = new Promise<Error>((resolve) => redis.once('error', resolve));
    try {
      expect((await refused).message).toMatch(/self[- ]signed/i);
    } finally {
      redis.disconnect();
    }
  });
});

/**
 * Turns TLS on in the test PostgreSQL with a reload (no restart), when that server's data directory
 * is on this machine: the embedded or a local server, not a container or a remote one.
 */
describe.skipIf(!hasOpenssl)('DATABASE_SSL', () => {
  let admin: Db;
  let local = false;
  let dir: string;

  beforeAll(async () => {
    admin = createDb(infra().databaseUrl);
    const dataDir = ((await admin.raw('show data_directory')).rows[0] as { data_directory: string }).data_directory;
    local = existsSync(dataDir);
    if (!local) return;
    const owner = statSync(dataDir);
    dir = mkdtempSync(path.join(dataDir, 'tls-'));
    const { cert, key } = selfSignedCertificate(dir);
    for (const f of [dir, cert, key]) chownSync(f, owner.uid, owner.gid);
    await admin.raw(`alter system set ssl_cert_file = '${cert}'`);
    await admin.raw(`alter system set ssl_key_file = '${key}'`);
    await admin.raw('alter system set ssl = on');
    await admin.raw('select pg_reload_conf()');
  });

  afterAll(async () => {
    if (local) {
      await admin.raw('alter system reset ssl');
      await admin.raw('alter system reset ssl_cert_file');
      await admin.raw('alter system reset ssl_key_file');
      await admin.raw('select pg_reload_conf()');
      rmSync(dir, { recursive: true, force: true });
    }
    await admin.destroy();
  });

  async function sessionUsesTls(db: Db): Promise<boolean> {
    try {
      const { rows } = await db.raw('select ssl from pg_stat_ssl where pid = pg_backend_pid()');
      return (rows[0] as { ssl: boolean }).ssl;
    } finally {
      await db.destroy();
    }
  }

  it('=no-verify encrypts the connection to a self-signed server', async ({ skip }) => {
    if (!local) skip();
    await waitUntil(
      'PostgreSQL to take the TLS settings',
      async () => ((await sessionUsesTls(createDb(infra().databaseUrl, 'no-verify'))) ? true : undefined),
      10_000,
    );
  });

  it('=verify refuses a self-signed server certificate', async ({ skip }) => {
    if (!local) skip();
    const db = createDb(infra().databaseUrl, 'verify');
    await expect(sessionUsesTls(db)).rejects.toThrow(/self[- ]signed/i);
  });

  it('=off connects without TLS', async () => {
    expect(await sessionUsesTls(createDb(infra().databaseUrl, 'off'))).toBe(false);
  });
});
