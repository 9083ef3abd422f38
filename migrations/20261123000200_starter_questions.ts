import type { Knex } from 'knex';
import starter from './data/starter-questions.json';

/** The starter bank: original questions in ten categories and three difficulties. */
export async function up(knex: Knex): Promise<void> {
  const rows = starter.map((q) => ({
    category: q.category,
    difficulty: q.difficulty,
    type: q.type,
    text: q.text,
    choices: JSON.stringify(q.choices),
    answer: q.answer,
  }));
  for (let i = 0; i < rows.length; i += 100) await knex('questions').insert(rows.slice(i, i + 100));
}

export async function down(knex: Knex): Promise<void> {
  await knex('questions')
    .whereNull('author_id')
    .whereIn(
      'text',
      starter.map((q) => q.text),
    )
    .delete();
}
