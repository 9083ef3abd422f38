import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as DbModule from '../../src/platform/db';
import { migrationDatabase } from '../helpers/migration-db';

const MIGRATION = '20261207000200_token_version.js';

describe('when the token-version migration runs on accounts made before it', () => {
  const scratch = migrationDatabase('token_version');
  let db: DbModule.Db;
  let userId: string;

  const columns = async () => Object.keys(await db('users').columnInfo());

  beforeAll(async () => {
    db = await scratch.before(MIGRATION);
    const [row] = await db('users').insert({ email: 'before@migration.test', display_name: 'Before', password_hash: 'x' }).returning('id');
    userId = row.id;
    await db.migrate.latest();
  });

  afterAll(async () => {
    await scratch.close();
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
