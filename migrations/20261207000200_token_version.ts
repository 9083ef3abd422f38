import type { Knex } from 'knex';

/**
 * Each account's token version: a user token carries the version it was signed at (`ver`), and the api
 * refuses one whose version is not the account's current. Changing the password bumps it, so every
 * token issued before the change stops working. Existing accounts and tokens (no `ver`: 0) stay valid.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.integer('token_version').notNullable().defaultTo(0);
  });
}

/** Rolled back, tokens signed before a password change are valid again until they expire. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('token_version');
  });
}
