import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as DbModule from '../../src/platform/db';
import { infra } from '../helpers/infra';

const MIGRATION = '20261207000200_token_version.js';

describe('when the token-version migration runs on accounts made before it', () => {
  // The compiled migrations, as `release:` runs them, on a database of this file's own.
  const { createDb } = createRequire(path.join(infra().repoRoot, 'package.json'))(path.join(infra().repoRoot, 'dist/src/platform/db.js')) as typeof DbModule;
  const database = `qlt_token_version_${randomBytes(3).toString('hex')}`;
  const server = createDb(infra().databaseUrl);
  const url = new URL(infra().databaseUrl);
  url.pathname = `/${database}`;
  let db: DbModule.Db;
  let userId: string;

  const columns = async () => Object.keys(await db('users').columnInfo());

  beforeAll(async () => {
    await server.raw(`create database ${database}`);
    db = createDb(url.toString());
    for (;;) {
      const [, pending] = (await db.migrate.list()) as [unknown[], { file: string }[]];
      if (!pending[0] || pending[0].file === MIGRATION) break;
      await db.migrate.up();
    }
    const [row] = await db('users').insert({ email: 'before@migration.test', display_name: 'Before', password_hash: 'x' }).returning('id');
    userId = row.id;
    await db.migrate.latest();
  });

  afterAll(async () => {
    await db?.destroy();
    await server.raw(`drop database if exists ${database} with (force)`);
    await server.destroy();
  });

  it('gives every existing account token version 0, which tokens without a version carry', async () => {
    expect(await db('users').where({ id: userId }).first('token_version')).toEqual({ token_version: 0 });
  });

  it('gives a new account version 0 by default', async () => {
    const [row] = await db('users').insert({ email: 'after@migration.test', display_name: 'After', password_hash: 'x' }).returning('token_version');

    expect(row).toEqual({ token_version: 0 });
  });

  it('rolls back to accounts without a token version, keeping them', async () => {
    await db.migrate.down({ name: MIGRATION });

    expect(await columns()).not.toContain('token_version');
    expect(await db('users').where({ id: userId }).first('email')).toEqual({ email: 'before@migration.test' });
    await db.migrate.latest();
    expect(await columns()).toContain('token_version');
  });
});
