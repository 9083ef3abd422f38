import path from 'node:path';
import type { Knex } from 'knex';
import type { DatabaseSsl } from './src/platform/config';

/**
 * knex configuration for a database URL. Migrations sit beside this file, so the same
 * config works from TypeScript sources (tsx, vitest) and from the compiled `dist/`.
 */
export function knexConfig(databaseUrl: string, ssl?: DatabaseSsl): Knex.Config {
  const compiled = path.extname(__filename) === '.js';
  return {
    client: 'pg',
    connection: ssl === undefined ? databaseUrl : { connectionString: databaseUrl, ssl: pgSsl(ssl) },
    pool: { min: 0, max: 10 },
    migrations: {
      directory: path.join(__dirname, 'migrations'),
      tableName: 'knex_migrations',
      loadExtensions: [compiled ? '.js' : '.ts'],
    },
  };
}

/** node-postgres's `ssl` option; it takes precedence over an `sslmode` in the URL. */
function pgSsl(ssl: DatabaseSsl): false | { rejectUnauthorized: boolean } {
  return ssl === 'off' ? false : { rejectUnauthorized: ssl === 'verify' };
}

/** For the knex CLI: `DATABASE_URL=… npx knex --knexfile knexfile.ts migrate:latest`. */
export default knexConfig(process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/quizloop');
