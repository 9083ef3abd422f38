import type { Knex } from 'knex';
import { questionIdentity } from '../src/game/question-identity';

const TYPES = ['multiple', 'boolean', 'type-answer', 'poll'];

/** The name knex gave the CHECK on questions.type in the initial schema. */
async function typeCheckName(knex: Knex): Promise<string | null> {
  const { rows } = await knex.raw<{ rows: { conname: string }[] }>(
    `select conname from pg_constraint where conrelid = 'questions'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%type%'`,
  );
  return rows[0]?.conname ?? null;
}

/**
 * Question types (type-answer, poll, several correct choices), the question bank (authors,
 * visibility, soft delete, a categories table) and typed answers in the results.
 * Existing questions become multiple/boolean with their one answer as the one correct choice,
 * public (the starter bank is everybody's).
 */
export async function up(knex: Knex): Promise<void> {
  const check = await typeCheckName(knex);
  if (check) await knex.raw('alter table questions drop constraint ??', [check]);
  await knex.schema.alterTable('questions', (t) => {
    t.jsonb('correct').notNullable().defaultTo('[]');
    t.jsonb('accepted').notNullable().defaultTo('[]');
    t.boolean('is_public').notNullable().defaultTo(false);
    t.text('identity').nullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('deleted_at', { useTz: true }).nullable();
    t.index(['author_id']);
  });
  // DDL takes no bound parameters; the list is this file's own constant.
  await knex.raw(`alter table questions add constraint questions_type_check check (type in (${TYPES.map((t) => `'${t}'`).join(', ')}))`);
  await knex.raw(`update questions set correct = jsonb_build_array(answer), is_public = (author_id is null)`);
  const rows: { id: number; type: 'multiple' | 'boolean'; text: string; choices: string[] }[] = await knex('questions').select('id', 'type', 'text', 'choices');
  for (const r of rows)
    await knex('questions')
      .where({ id: r.id })
      .update({ identity: questionIdentity(r) });
  await knex.schema.alterTable('questions', (t) => t.dropColumn('answer'));
  // One live copy of a question per author; the starter bank has no author, and deleted rows may repeat.
  await knex.raw('create unique index questions_author_identity on questions (author_id, identity) where deleted_at is null and author_id is not null');

  await knex.schema.createTable('categories', (t) => {
    t.increments('id').primary();
    t.text('name').notNullable();
    t.uuid('created_by').nullable().references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create unique index categories_name_ci on categories (lower(name))');
  await knex.raw(`insert into categories (name) select min(category) from questions group by lower(category) order by 1`);

  await knex.schema.alterTable('game_answers', (t) => {
    t.integer('choice').nullable().alter();
    t.text('text').nullable();
  });
}

/** Back to one answer per question: type-answer and poll questions, and typed answers, cannot be kept. */
export async function down(knex: Knex): Promise<void> {
  await knex('game_answers').whereNull('choice').delete();
  await knex.schema.alterTable('game_answers', (t) => {
    t.dropColumn('text');
    t.integer('choice').notNullable().alter();
  });
  await knex.schema.dropTable('categories');
  await knex('questions').whereIn('type', ['type-answer', 'poll']).delete();
  await knex.raw('drop index questions_author_identity');
  await knex.raw('alter table questions drop constraint questions_type_check');
  await knex.schema.alterTable('questions', (t) => t.integer('answer').nullable());
  await knex.raw(`update questions set answer = (correct->>0)::int`);
  await knex.schema.alterTable('questions', (t) => {
    t.integer('answer').notNullable().alter();
    t.dropIndex(['author_id']);
    t.dropColumns('correct', 'accepted', 'is_public', 'identity', 'updated_at', 'deleted_at');
  });
  await knex.raw(`alter table questions add constraint questions_type_check check (type in ('multiple', 'boolean'))`);
}
