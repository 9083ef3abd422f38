import type { Db } from '../../platform/db';

export interface CategoryRow {
  id: number;
  name: string;
  created_by: string | null;
  /** null: shared (the starter bank's, or one an admin made), for every user's questions. */
  owner_id: string | null;
  created_at: Date;
}

export interface CategoryCounts {
  id: number;
  category: string;
  createdBy: string | null;
  shared: boolean;
  easy: number;
  medium: number;
  hard: number;
  total: number;
}

/** A category's (or a name's) owner: a user id, or null for the shared categories. */
export type CategoryOwner = string | null;

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (err: unknown) => typeof err === 'object' && err !== null && 'code' in err && err.code === UNIQUE_VIOLATION;

/**
 * Categories are named case-insensitively, once per owner: a user's own names are unique among their
 * own, shared names among the shared ones, and other users' names never get in the way. A question
 * points at its category by id and keeps its name (what rooms ask for), so a rename rewrites both.
 */
export function createCategoriesRepo(db: Db) {
  const byName = (trx: Db, owner: CategoryOwner, name: string) =>
    trx<CategoryRow>('categories').whereRaw('owner_id is not distinct from ?', [owner]).whereRaw('lower(name) = lower(?)', [name]).first();

  /** The category a question of `authorId` named `name` belongs to: the author's own of that name, else the shared one. */
  async function resolve(trx: Db, authorId: string | null, name: string): Promise<CategoryRow | null> {
    return ((authorId ? await byName(trx, authorId, name) : undefined) ?? (await byName(trx, null, name))) || null;
  }

  /** What a caller may pick for a room: categories holding a question they may ask (public, or their own), and the ones they made. */
  function listed(viewerId: string | null) {
    const pickable = db('questions')
      .whereNull('deleted_at')
      .whereNotNull('category_id')
      .where((w) => {
        w.where('is_public', true);
        if (viewerId) w.orWhereRaw('author_id::text = ?', [viewerId]);
      })
      .select('category_id')
      .select(db.raw(`count(*) filter (where difficulty = 'easy')::int as easy`))
      .select(db.raw(`count(*) filter (where difficulty = 'medium')::int as medium`))
      .select(db.raw(`count(*) filter (where difficulty = 'hard')::int as hard`))
      .select(db.raw('count(*)::int as total'))
      .groupBy('category_id')
      .as('q');
    return db('categories as c')
      .leftJoin(pickable, 'q.category_id', 'c.id')
      .where((w) => {
        w.where('q.total', '>', 0);
        if (viewerId) w.orWhereRaw('c.owner_id::text = ?', [viewerId]).orWhereRaw('c.created_by::text = ?', [viewerId]);
      });
  }

  return {
    /**
     * The categories `viewerId` may pick (see `listed`), with the number of questions a room of theirs
     * could pick from each, per difficulty. Other users' private categories are not among them.
     */
    async withCounts(viewerId: string | null, page: { limit: number; offset: number }): Promise<{ rows: CategoryCounts[]; total: number }> {
      const rows = await listed(viewerId)
        .select('c.id', 'c.name as category', 'c.created_by as createdBy', db.raw('(c.owner_id is null) as shared'))
        .select(db.raw('coalesce(q.easy, 0) as easy, coalesce(q.medium, 0) as medium, coalesce(q.hard, 0) as hard, coalesce(q.total, 0) as total'))
        .orderBy('c.name')
        .orderBy('c.id')
        .limit(page.limit)
        .offset(page.offset);
      const [counted] = await listed(viewerId).count<{ count: string }[]>('* as count');
      return { rows: rows as CategoryCounts[], total: Number(counted?.count ?? 0) };
    },

    /**
     * Runs `make` when the user created fewer than `max` categories, else answers 'full': counted and made as the user's
     * only category creation (a PostgreSQL advisory lock held to the end of the transaction, a savepoint of the caller's
     * when there is one), so creations sent at once cannot each count the same categories (USER_MAX_CATEGORIES).
     */
    underCap<T>(userId: string, max: number, make: (trx: Db) => Promise<T>): Promise<T | 'full'> {
      return db.transaction(async (trx) => {
        await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`categories-created-by:${userId}`]);
        const [row] = await trx('categories').where({ created_by: userId }).count<{ count: string }[]>('* as count');
        return Number(row?.count ?? 0) >= max ? 'full' : make(trx);
      });
    },

    resolve: (authorId: string | null, name: string) => resolve(db, authorId, name),

    async byId(id: number): Promise<CategoryRow | null> {
      return (await db<CategoryRow>('categories').where({ id }).first()) ?? null;
    },

    /**
     * The category a question of `authorId` named `name` goes in (see `resolve`); when there is none,
     * one is made for `owner`. Answers its id and its name as first spelt.
     */
    async ensure(authorId: string | null, name: string, owner: CategoryOwner, createdBy: string): Promise<{ id: number; name: string }> {
      const found = await resolve(db, authorId, name);
      if (found) return found;
      await db.raw('insert into categories (name, owner_id, created_by) values (?, ?, ?) on conflict do nothing', [name, owner, createdBy]);
      const made = await byName(db, owner, name);
      if (!made) throw new Error(`category "${name}" neither found nor made`);
      return made;
    },

    /** null when the owner has the name already (a user also when a shared category has it). */
    async insert(name: string, owner: CategoryOwner, createdBy: string): Promise<CategoryRow | null> {
      if (await resolve(db, owner, name)) return null;
      try {
        const [row] = await db<CategoryRow>('categories').insert({ name, owner_id: owner, created_by: createdBy }).returning('*');
        return row ?? null;
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    },

    /** Renames the category and every question in it, deleted ones included; 'taken' when its owner has another of the name. */
    async rename(id: number, name: string): Promise<CategoryRow | 'taken' | null> {
      const renamed = db.transaction(async (trx) => {
        const current = await trx<CategoryRow>('categories').where({ id }).forUpdate().first();
        if (!current) return null;
        const other = await resolve(trx, current.owner_id, name);
        if (other && other.id !== id) return 'taken';
        await trx('questions').where({ category_id: id }).update({ category: name });
        const [row] = await trx<CategoryRow>('categories').where({ id }).update({ name }).returning('*');
        return row ?? null;
      });
      // Another request may take the name between the check and the update.
      return renamed.catch((err: unknown) => {
        if (isUniqueViolation(err)) return 'taken' as const;
        throw err;
      });
    },

    /** How many live questions are in the category. */
    async liveQuestions(id: number): Promise<number> {
      const [row] = await db('questions').whereNull('deleted_at').where({ category_id: id }).count<{ count: string }[]>('* as count');
      return Number(row?.count ?? 0);
    },

    async delete(id: number): Promise<boolean> {
      return (await db('categories').where({ id }).delete()) > 0;
    },
  };
}
export type CategoriesRepo = ReturnType<typeof createCategoriesRepo>;
