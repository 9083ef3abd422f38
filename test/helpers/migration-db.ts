import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as DbModule from '../../src/platform/db';
import { infra } from './infra';

/**
 * A database of a migration test's own, migrated by the compiled migrations (as `release:` runs them) up to the one
 * the test is about, so that it can put in the rows that migration meets; `close()` drops it.
 */
export function migrationDatabase(label: string) {
  const { createDb } = createRequire(path.join(infra().repoRoot, 'package.json'))(path.join(infra().repoRoot, 'dist/src/platform/db.js')) as typeof DbModule;
  const database = `qlt_${label}_${randomBytes(3).toString('hex')}`;
  const server = createDb(infra().databaseUrl);
  const url = new URL(infra().databaseUrl);
  url.pathname = `/${database}`;
  let db: DbModule.Db | undefined;

  return {
    /** Every migration before `migration` (a compiled file name) applied, and it not yet. */
    async before(migration: string): Promise<DbModule.Db> {
      await server.raw(`create database ${database}`);
      const opened = createDb(url.toString());
      db = opened;
      for (;;) {
        const [, pending] = (await opened.migrate.list()) as [unknown[], { file: string }[]];
        if (!pending[0] || pending[0].file === migration) return opened;
        await opened.migrate.up();
      }
    },
    async close(): Promise<void> {
      await db?.destroy();
      await server.raw(`drop database if exists ${database} with (force)`);
      await server.destroy();
    },
  };
}
