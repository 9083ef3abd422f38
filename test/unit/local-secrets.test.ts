import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLocalSecrets } from '../../src/local/local-secrets';
import { loadConfig } from '../../src/platform/config';

const freshDir = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'quizloop-secrets-')), 'data');

describe('secrets left unset outside production', () => {
  it('are made once per data directory, kept readable by its owner only, and the same for every process started there', () => {
    const dataDir = freshDir();

    const first = withLocalSecrets({ DATA_DIR: dataDir });
    const again = withLocalSecrets({ DATA_DIR: dataDir });
    const elsewhere = withLocalSecrets({ DATA_DIR: freshDir() });

    expect(first.JWT_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(first.WEBHOOK_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(first.JWT_SECRET).not.toBe(first.WEBHOOK_SECRET);
    expect([again.JWT_SECRET, again.WEBHOOK_SECRET]).toEqual([first.JWT_SECRET, first.WEBHOOK_SECRET]);
    expect(elsewhere.JWT_SECRET).not.toBe(first.JWT_SECRET);
    expect(statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(loadConfig(first, 'api').jwtSecret).toBe(first.JWT_SECRET);
  });

  it('never replace a secret that is set, and are not made at all in production', () => {
    const dataDir = freshDir();

    const mixed = withLocalSecrets({ DATA_DIR: dataDir, JWT_SECRET: 'set-by-the-operator-123' });
    const production = { NODE_ENV: 'production', DATA_DIR: freshDir() };

    expect(mixed.JWT_SECRET).toBe('set-by-the-operator-123');
    expect(mixed.WEBHOOK_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(withLocalSecrets(production)).toBe(production);
  });

  it('refuses a secrets file it did not write, saying to remove it', () => {
    const dataDir = freshDir();
    withLocalSecrets({ DATA_DIR: dataDir });
    writeFileSync(path.join(dataDir, 'secrets.json'), '{"JWT_SECRET":"short"}');

    expect(() => withLocalSecrets({ DATA_DIR: dataDir })).toThrow(/secrets\.json does not hold the secrets quizloop made.*remove it/);
    expect(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')).toContain('short');
  });
});

describe('secrets in production', () => {
  const env = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db:5432/quizloop' };

  it('are required by every role that signs or checks tokens', () => {
    for (const role of ['api', 'worker', 'socket', 'all'] as const) expect(() => loadConfig(env, role), role).toThrow(/JWT_SECRET must be set/);
  });

  it('are not needed to migrate (a one-off command, no role)', () => {
    expect(loadConfig(env).databaseUrl).toBe(env.DATABASE_URL);
  });
});
