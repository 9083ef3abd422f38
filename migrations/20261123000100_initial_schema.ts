import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('email').notNullable().unique();
    t.text('display_name').notNullable();
    t.text('password_hash').notNullable();
    t.text('role').notNullable().defaultTo('player');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('questions', (t) => {
    t.increments('id').primary();
    t.text('category').notNullable();
    t.text('difficulty').notNullable().checkIn(['easy', 'medium', 'hard']);
    t.text('type').notNullable().checkIn(['multiple', 'boolean']);
    t.text('text').notNullable();
    t.jsonb('choices').notNullable();
    t.integer('answer').notNullable();
    t.uuid('author_id').nullable().references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['category', 'difficulty']);
  });

  await knex.schema.createTable('games', (t) => {
    t.uuid('id').primary();
    t.text('room_code').notNullable();
    t.uuid('host_id').nullable().references('users.id').onDelete('SET NULL');
    t.jsonb('settings').notNullable();
    t.jsonb('questions').notNullable();
    t.timestamp('started_at', { useTz: true }).nullable();
    t.timestamp('finished_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('game_players', (t) => {
    t.uuid('game_id').notNullable().references('games.id').onDelete('CASCADE');
    t.text('player_id').notNullable();
    t.text('nickname').notNullable();
    t.uuid('user_id').nullable().references('users.id').onDelete('SET NULL');
    t.integer('score').notNullable();
    t.integer('rank').notNullable();
    t.integer('correct_count').notNullable();
    t.integer('total_answer_ms').notNullable();
    t.primary(['game_id', 'player_id']);
    t.index(['user_id']);
  });

  await knex.schema.createTable('game_answers', (t) => {
    t.uuid('game_id').notNullable().references('games.id').onDelete('CASCADE');
    t.text('player_id').notNullable();
    t.integer('question_index').notNullable();
    t.integer('question_id').nullable();
    t.integer('choice').notNullable();
    t.boolean('correct').notNullable();
    t.integer('points').notNullable();
    t.integer('elapsed_ms').notNullable();
    t.timestamp('answered_at', { useTz: true }).notNullable();
    t.primary(['game_id', 'player_id', 'question_index']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['game_answers', 'game_players', 'games', 'questions', 'users']) {
    await knex.schema.dropTableIfExists(table);
  }
}
