import type { Db } from '../../platform/db';

export interface CategoryRow {
  id: number;
  name: string;
  created_by: string | null;
  created_at: Date;
}

export interface CategoryCounts {
  id: number;
  category: string;
  createdBy: string | null;
  easy: number;
  medium: number;
  hard: number;
  total: number;
}

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (err: unknown) => typeof err === 'object' && err !== null && 'code' in err && err.code === UNIQUE_VIOLATION;

/**
 * Categories are named case-insensitively (one "Science", never also "science"). Questions hold the
 * name itself, so a rename rewrites them in the same transaction.
 */
export function createCategoriesRepo(db: Db) {
  const byName = (trx: Db, name: string) => trx<CategoryRow>('categories').whereRaw('lower(name) = lower(?)', [name]).first();

  return {
    /**
     * Every category with the number of questions a room of `viewerId` could pick from it (public
     * ones and the viewer's own), per difficulty; empty categories too.
     */
    async withCounts(viewerId: string | null, page: { limit: number; offset: number }): Promise<{ rows: CategoryCounts[]; total: number }> {
      const pickable = db('questions')
        .whereNull('deleted_at')
        .where((w) => {
          w.where('is_public', true);
          if (viewerId) w.orWhereRaw('author_id::text = ?', [viewerId]);
        })
        .select(db.raw('lower(category) as key'))
        .select(db.raw(`count(*) filter (where difficulty = 'easy')::int as easy`))
        .select(db.raw(`count(*) filter (where difficulty = 'medium')::int as medium`))
        .select(db.raw(`count(*) filter (where difficulty = 'hard')::int as hard`))
        .select(db.raw('count(*)::int as total'))
        .groupByRaw('lower(category)')
        .as('q');
      const rows = await db('categories as c')
        .leftJoin(pickable, 'q.key', db.raw('lower(c.name)'))
        .select('c.id', 'c.name as category', 'c.created_by as createdBy')
        .select(db.raw('coalesce(q.easy, 0) as easy, coalesce(q.medium, 0) as medium, coalesce(q.hard, 0) as hard, coalesce(q.total, 0) as total'))
        .orderBy('c.name')
        .orderBy('c.id')
        .limit(page.limit)
        .offset(page.offset);
      const [counted] = await db('categories').count<{ count: string }[]>('* as count');
      return { rows: rows as CategoryCounts[], total: Number(counted?.count ?? 0) };
    },

    /** How many categories the user created. */
    async countBy(userId: string): Promise<number> {
      const [row] = await db('categories').where({ created_by: userId }).count<{ count: string }[]>('* as count');
      return Number(row?.count ?? 0);
    },

    async exists(name: string): Promise<boolean> {
      return (await byName(db, name)) !== undefined;
    },

    async byId(id: number): Promise<CategoryRow | null> {
      return (await db<CategoryRow>('categories').where({ id }).first()) ?? null;
    },

    /** The category of this name, created when there is none; answers its name as first spelt. */
    async ensure(name: string, createdBy: string | null): Promise<string> {
      await db.raw('insert into categories (name, created_by) values (?, ?) on conflict ((lower(name))) do nothing', [name, createdBy]);
      return (await byName(db, name))?.name ?? name;
    },

    /** null when the name is taken. */
    async insert(name: string, createdBy: string): Promise<CategoryRow | null> {
      try {
        const [row] = await db<CategoryRow>('categories').insert({ name, created_by: createdBy }).returning('*');
        return row ?? null;
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    },

    /** Renames the category and every question in it, deleted ones included; 'taken' when another category has the name. */
    async rename(id: number, name: string): Promise<CategoryRow | 'taken' | null> {
      return db.transaction(async (trx) => {
        const current = await trx<CategoryRow>('categories').where({ id }).forUpdate().first();
        if (!current) return null;
        const other = await byName(trx, name);
        if (other && other.id !== id) return 'taken';
        await trx('questions').whereRaw('lower(category) = lower(?)', [current.name]).update({ category: name });
        const [row] = await trx<CategoryRow>('categories').where({ id }).update({ name }).returning('*');
        return row ?? null;
      });
    },

    /** How many live questions are in the category. */
    async liveQuestions(name: string): Promise<number> {
      const [row] = await db('questions').whereNull('deleted_at').whereRaw('lower(category) = lower(?)', [name]).count<{ count: string }[]>('* as count');
      return Number(row?.count ?? 0);
    },

    async delete(id: number): Promise<boolean> {
      return (await db('categories').where({ id }).delete()) > 0;
    },
  };
}
export type CategoriesRepo = ReturnType<typeof createCategoriesRepo>;
