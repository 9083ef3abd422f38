import knex, { type Knex } from 'knex';
import { knexConfig } from '../../knexfile';
import type { DatabaseSsl } from './config';

export type Db = Knex;

export function createDb(databaseUrl: string, ssl?: DatabaseSsl): Db {
  return knex(knexConfig(databaseUrl, ssl));
}

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest()) as [number, string[]];
  return applied;
}
