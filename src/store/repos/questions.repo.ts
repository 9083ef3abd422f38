import { questionIdentity } from '../../game/question-identity';
import type { Difficulty, Question, QuestionType } from '../../shared/room';
import type { Db } from '../../platform/db';

export interface QuestionRow {
  id: number;
  category: string;
  /** The category row it is in (see categories.repo.ts); `category` is its name. */
  category_id: number | null;
  difficulty: Difficulty;
  type: QuestionType;
  text: string;
  choices: string[];
  correct: number[];
  accepted: string[];
  author_id: string | null;
  is_public: boolean;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

/** A question as an author writes it, in the category the bank found for it; the bank adds id, author and times. */
export type QuestionFields = Pick<QuestionRow, 'category' | 'difficulty' | 'type' | 'text' | 'choices' | 'correct' | 'accepted'> & {
  public: boolean;
  categoryId: number;
};

export interface QuestionFilter {
  /** Who asks: they see public questions and their own; an admin sees all. */
  viewer: { id: string; admin: boolean };
  category?: string | undefined;
  difficulty?: Difficulty | undefined;
  type?: QuestionType | undefined;
  authorId?: string | undefined;
  /** Words anywhere in the text, case-insensitive. */
  search?: string | undefined;
  limit: number;
  offset: number;
}

/** What a room asks of the bank: its category and difficulty (null: any), and whose private questions it may use. */
export interface CandidateFilter {
  category: string | null;
  difficulty: Difficulty | null;
  hostId: string;
}

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (err: unknown) => typeof err === 'object' && err !== null && 'code' in err && err.code === UNIQUE_VIOLATION;

export const toQuestion = (r: Pick<QuestionRow, keyof Question>): Question => ({
  id: r.id,
  category: r.category,
  difficulty: r.difficulty,
  type: r.type,
  text: r.text,
  choices: r.choices,
  correct: r.correct,
  accepted: r.accepted,
});

function columns(f: QuestionFields) {
  return {
    category: f.category,
    category_id: f.categoryId,
    difficulty: f.difficulty,
    type: f.type,
    text: f.text,
    // jsonb: arrays must go as JSON text, or pg sends them as PostgreSQL arrays.
    choices: JSON.stringify(f.choices),
    correct: JSON.stringify(f.correct),
    accepted: JSON.stringify(f.accepted),
    is_public: f.public,
    identity: questionIdentity(f),
  };
}

export function createQuestionsRepo(db: Db) {
  // Untyped: jsonb columns are written as JSON text but read as arrays, which knex's row typing cannot say.
  const live = () => db('questions').whereNull('deleted_at');
  // Rooms ask by name: a host's own questions and public ones of that name, whichever category row holds them.
  const pickable = (filter: CandidateFilter) => {
    const q = live().where((w) => w.where('is_public', true).orWhereRaw('author_id::text = ?', [filter.hostId]));
    if (filter.category) q.whereRaw('lower(category) = lower(?)', [filter.category]);
    if (filter.difficulty) q.where('difficulty', filter.difficulty);
    return q;
  };

  return {
    /** Every question a room of this host may ask: public ones and the host's own. The bank is small enough to pick from in memory. */
    async candidates(filter: CandidateFilter): Promise<Question[]> {
      const rows = (await pickable(filter).select('id', 'category', 'difficulty', 'type', 'text', 'choices', 'correct', 'accepted')) as QuestionRow[];
      return rows.map(toQuestion);
    },

    /** How many questions `candidates` would answer. */
    async candidateCount(filter: CandidateFilter): Promise<number> {
      const [row] = await pickable(filter).count<{ count: string }[]>('* as count');
      return Number(row?.count ?? 0);
    },

    /**
     * Which of these questions are public in the bank now and not written by `hostId` (deleted ones
     * included: they were asked as they were). The rest are ones the host could know the answers to.
     */
    async othersPublicAmong(ids: readonly number[], hostId: string): Promise<Set<number>> {
      if (ids.length === 0) return new Set();
      const rows = (await db('questions')
        .whereIn('id', [...new Set(ids)])
        .where('is_public', true)
        .whereRaw('author_id::text is distinct from ?', [hostId])
        .select('id')) as { id: number }[];
      return new Set(rows.map((r) => r.id));
    },

    async byId(id: number): Promise<QuestionRow | null> {
      return ((await live().where({ id }).first()) as QuestionRow | undefined) ?? null;
    },

    async list(f: QuestionFilter): Promise<{ rows: QuestionRow[]; total: number }> {
      const q = live();
      if (!f.viewer.admin) q.where((w) => w.where('is_public', true).orWhere('author_id', f.viewer.id));
      if (f.category) q.whereRaw('lower(category) = lower(?)', [f.category]);
      if (f.difficulty) q.where('difficulty', f.difficulty);
      if (f.type) q.where('type', f.type);
      if (f.authorId) q.where('author_id', f.authorId);
      if (f.search) q.whereILike('text', `%${f.search.replace(/[\\%_]/g, '\\$&')}%`);
      const [rows, counted] = await Promise.all([
        q.clone().select('*').orderBy('id').limit(f.limit).offset(f.offset),
        q.clone().count<{ count: string }[]>('* as count'),
      ]);
      return { rows: rows as QuestionRow[], total: Number(counted[0]?.count ?? 0) };
    },

    /** The new row, or 'duplicate' when the author already has this question (see question-identity.ts). */
    async insert(authorId: string, fields: QuestionFields): Promise<QuestionRow | 'duplicate'> {
      try {
        const [row] = (await db('questions')
          .insert({ ...columns(fields), author_id: authorId })
          .returning('*')) as QuestionRow[];
        if (!row) throw new Error('insert returned no row');
        return row;
      } catch (err) {
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },

    /** The existing question with this identity by this author, if any. */
    async duplicateOf(authorId: string, fields: Pick<QuestionFields, 'type' | 'text' | 'choices'>): Promise<number | null> {
      const row = (await live()
        .where({ author_id: authorId, identity: questionIdentity(fields) })
        .first('id')) as { id: number } | undefined;
      return row?.id ?? null;
    },

    async update(id: number, fields: QuestionFields): Promise<QuestionRow | 'duplicate' | null> {
      try {
        const [row] = (await live()
          .where({ id })
          .update({ ...columns(fields), updated_at: db.fn.now() })
          .returning('*')) as QuestionRow[];
        return row ?? null;
      } catch (err) {
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },

    /**
     * Soft delete: rooms stop picking it and the bank stops listing it, but the row stays, so
     * `game_answers.question_id` of finished games still names a question (games also keep a copy).
     */
    async softDelete(id: number): Promise<boolean> {
      return (await live().where({ id }).update({ deleted_at: db.fn.now() })) > 0;
    },
  };
}
export type QuestionsRepo = ReturnType<typeof createQuestionsRepo>;
