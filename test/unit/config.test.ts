import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config';

describe('connection settings in the environment', () => {
  it('leaves TLS to the URLs by default and verifies Redis certificates', () => {
    expect(loadConfig({}, 'api')).toMatchObject({ databaseSsl: undefined, redisTlsRejectUnauthorized: true });
  });

  it('takes DATABASE_SSL and REDIS_TLS_REJECT_UNAUTHORIZED for self-signed managed servers', () => {
    const config = loadConfig({ DATABASE_SSL: 'no-verify', REDIS_TLS_REJECT_UNAUTHORIZED: 'false' }, 'api');

    expect(config).toMatchObject({ databaseSsl: 'no-verify', redisTlsRejectUnauthorized: false });
  });

  it.each([
    [{ DATABASE_SSL: 'yes' }, /DATABASE_SSL/],
    [{ REDIS_TLS_REJECT_UNAUTHORIZED: '0' }, /REDIS_TLS_REJECT_UNAUTHORIZED/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL/],
    [{ PORT: 'eighty' }, /PORT/],
    [{ NODE_ENV: 'production' }, /JWT_SECRET must be set/],
  ])('refuses %o naming the variable', (env, message) => {
    expect(() => loadConfig(env, 'api')).toThrow(message);
  });
});

describe('when a role starts with a wrong value in its environment', () => {
  it('stops at once with a message that names the variable', () => {
    const main = path.resolve(__dirname, '../../dist/src/main.js');
    const run = spawnSync(process.execPath, [main, 'api'], {
      env: { PATH: process.env.PATH, PORT: 'eighty', REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: 'postgres://x@127.0.0.1:1/x' },
      encoding: 'utf8',
      timeout: 20_000,
    });

    expect(run.status).not.toBe(0);
    expect(run.status).not.toBeNull();
    expect(run.stderr + run.stdout).toMatch(/PORT/);
  });
});
