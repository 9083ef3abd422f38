import type { Knex } from 'knex';

/** For GET /me/games: a user's hosted games, newest first (played games use game_players.user_id). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('games', (t) => {
    t.index(['host_id', 'finished_at'], 'games_host_id_finished_at_index');
    t.index(['finished_at', 'id'], 'games_finished_at_id_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('games', (t) => {
    t.dropIndex(['host_id', 'finished_at'], 'games_host_id_finished_at_index');
    t.dropIndex(['finished_at', 'id'], 'games_finished_at_id_index');
  });
}
