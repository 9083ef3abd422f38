import type { Knex } from 'knex';

/**
 * Fair timing (README, "Fair timing"): besides the time that counted (`elapsed_ms`), what it was made
 * of, so the results can show the rule applied and flag answers faster than a person reacts; and how
 * many players of the game joined from a player's network address, for the same-address signal.
 * Null in rows saved before fair timing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('game_players', (t) => {
    t.integer('same_address_players').nullable();
  });
  await knex.schema.alterTable('game_answers', (t) => {
    t.integer('server_ms').nullable();
    t.integer('reported_ms').nullable();
    t.integer('rtt_ms').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('game_players', (t) => {
    t.dropColumn('same_address_players');
  });
  await knex.schema.alterTable('game_answers', (t) => {
    t.dropColumn('server_ms');
    t.dropColumn('reported_ms');
    t.dropColumn('rtt_ms');
  });
}
