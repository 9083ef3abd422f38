import type { Knex } from 'knex';

/**
 * Fair timing (README, "Timing"): besides the time that counted (`elapsed_ms`), what it was made of,
 * so the results can show the rule applied and flag answers faster than a person reacts.
 * Null in answers saved before fair timing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('game_answers', (t) => {
    t.integer('server_ms').nullable();
    t.integer('reported_ms').nullable();
    t.integer('rtt_ms').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('game_answers', (t) => {
    t.dropColumn('server_ms');
    t.dropColumn('reported_ms');
    t.dropColumn('rtt_ms');
  });
}
