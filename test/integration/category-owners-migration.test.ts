import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as DbModule from '../../src/platform/db';
import { migrationDatabase } from '../helpers/migration-db';

const MIGRATION = '20261207000100_category_owners.js';

interface CategoryRow {
  id: number;
  name: string;
  owner_id: string | null;
  created_by: string | null;
}

describe('when the category-owners migration runs on a bank where categories were shared by name', () => {
  const scratch = migrationDatabase('category_owners');
  let db: DbModule.Db;
  const ids: Record<'ann' | 'bob' | 'admin', string> = { ann: '', bob: '', admin: '' };
  const questionIds: Record<string, number> = {};
  let before: Pick<CategoryRow, 'id' | 'name'>[];

  const categories = () => db<CategoryRow>('categories').select('id', 'name', 'owner_id', 'created_by').orderBy('id');
  const categoryOf = async (questionId: number) => (await db('questions').where({ id: questionId }).first('category_id')).category_id as number | null;

  beforeAll(async () => {
    db = await scratch.before(MIGRATION);
    for (const [who, role] of [
      ['ann', 'player'],
      ['bob', 'player'],
      ['admin', 'admin'],
    ] as const) {
      const [row] = await db('users')
        .insert({ email: `${who}@migration.test`, display_name: who, password_hash: 'x', role })
        .returning('id');
      ids[who] = row.id;
    }
    await db('categories').insert([
      { name: 'Hosty Private', created_by: ids.ann },
      { name: 'Curated', created_by: ids.admin },
    ]);
    const question = async (key: string, category: string, author: string | null, isPublic = false) => {
      const [row] = await db('questions')
        .insert({
          category,
          difficulty: 'easy',
          type: 'boolean',
          text: `${key}?`,
          choices: JSON.stringify(['True', 'False']),
          correct: '[0]',
          author_id: author,
          is_public: isPublic,
        })
        .returning('id');
      questionIds[key] = row.id;
    };
    await question('ann in hers', 'Hosty Private', ids.ann);
    await question('bob in ann’s', 'Hosty Private', ids.bob);
    await question('bob in science', 'Science', ids.bob);
    await question('admin curates', 'Curated', ids.admin, true);
    before = await db('categories').select('id', 'name');
    await db.migrate.latest();
  });

  afterAll(async () => {
    await scratch.close();
  });

  it("makes a user's category theirs, and the starter bank's and an admin's shared", async () => {
    const after = await categories();
    const find = (name: string, owner: string | null) => after.find((c) => c.name === name && c.owner_id === owner);

    expect(find('Hosty Private', ids.ann)).toMatchObject({ id: before.find((c) => c.name === 'Hosty Private')?.id });
    expect(find('Curated', null)).toBeDefined();
    expect(find('Science', null)).toMatchObject({ created_by: null });
    expect(after.filter((c) => c.owner_id === null).length).toBe(before.length - 1);
  });

  it("moves another user's question out of a private category into a category of its author's own, of the same name", async () => {
    const bobs = (await categories()).find((c) => c.name === 'Hosty Private' && c.owner_id === ids.bob);
    const anns = (await categories()).find((c) => c.name === 'Hosty Private' && c.owner_id === ids.ann);

    expect(bobs).toMatchObject({ created_by: ids.bob });
    expect(await categoryOf(questionIds['bob in ann’s'] ?? 0)).toBe(bobs?.id);
    expect(await categoryOf(questionIds['ann in hers'] ?? 0)).toBe(anns?.id);
  });

  it('puts every question in a category of its name, shared ones for questions in shared names', async () => {
    const science = (await categories()).find((c) => c.name === 'Science');
    const homeless = await db('questions').whereNull('category_id').count<{ count: string }[]>('* as count');

    expect(await categoryOf(questionIds['bob in science'] ?? 0)).toBe(science?.id);
    expect(Number(homeless[0]?.count)).toBe(0);
  });

  it('rolls back to one category per name', async () => {
    await db.migrate.down({ name: MIGRATION });
    const names = ((await db('categories').select('name')) as { name: string }[]).map((c) => c.name.toLowerCase());

    expect(names.length).toBe(new Set(names).size);
    expect(names.length).toBe(before.length);
    await db.migrate.latest();
  });
});
