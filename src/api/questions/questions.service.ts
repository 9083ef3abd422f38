import { questionIdentity } from '../../game/question-identity';
import type { Db } from '../../platform/db';
import { ErrorCode } from '../../shared/error-codes';
import type { TokenClaims } from '../../shared/tokens';
import { type CategoriesRepo, createCategoriesRepo } from '../../store/repos/categories.repo';
import { type QuestionFilter, type QuestionRow, type QuestionsRepo, createQuestionsRepo } from '../../store/repos/questions.repo';
import { AppError } from '../app-error';
import type { ImportRow } from './question-import';
import { type BankQuestion, type ImportReport, QuestionInput } from './questions.schemas';

export interface Viewer {
  id: string;
  admin: boolean;
}

export const viewerOf = (claims: Extract<TokenClaims, { kind: 'user' }>): Viewer => ({ id: claims.sub, admin: claims.role === 'admin' });

/** Authors edit their own questions; admins edit all, the starter bank (no author) included. */
const mayEdit = (viewer: Viewer, row: { author_id: string | null }) => viewer.admin || row.author_id === viewer.id;
const maySee = (viewer: Viewer, row: QuestionRow) => row.is_public || mayEdit(viewer, row);

const notFound = (id: number) => new AppError(ErrorCode.NotFound, 404, `No question ${id} in the bank that you may see.`);
const duplicate = (id: number | null) =>
  AppError.conflict(ErrorCode.DuplicateQuestion, `You already have this question${id ? ` (question ${id})` : ''}: same type, text and choices.`);

export function toBankQuestion(row: QuestionRow, viewer: Viewer): BankQuestion {
  const canEdit = mayEdit(viewer, row);
  return {
    id: row.id,
    category: row.category,
    difficulty: row.difficulty,
    type: row.type,
    text: row.text,
    choices: row.choices,
    correct: canEdit ? row.correct : null,
    accepted: canEdit ? row.accepted : null,
    public: row.is_public,
    authorId: row.author_id,
    canEdit,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** One refused row of an import: its number, the field at fault (empty: the row as a whole) and why. */
export interface ImportProblem {
  row: number;
  path: string;
  message: string;
}

class ImportRolledBack extends Error {}

export const tooManyCategories = (max: number) =>
  AppError.conflict(ErrorCode.TooManyCategories, `You have created ${max} categories, the most one user may (USER_MAX_CATEGORIES); use one of them.`);

/** Every problem of the rows that can be found without the database, and the rows that passed. */
function checkRows(rows: ImportRow[]): { problems: ImportProblem[]; valid: { row: number; input: QuestionInput }[] } {
  const problems: ImportProblem[] = [];
  const valid: { row: number; input: QuestionInput }[] = [];
  const firstRowOf = new Map<string, number>();
  for (const r of rows) {
    if ('reason' in r) {
      problems.push({ row: r.row, path: '', message: r.reason });
      continue;
    }
    const parsed = QuestionInput.safeParse(r.input);
    if (!parsed.success) {
      for (const i of parsed.error.issues) problems.push({ row: r.row, path: i.path.join('.'), message: i.message });
      continue;
    }
    const identity = questionIdentity(parsed.data);
    const first = firstRowOf.get(identity);
    if (first !== undefined) problems.push({ row: r.row, path: '', message: `the same question as row ${first}: same type, text and choices` });
    else firstRowOf.set(identity, r.row);
    valid.push({ row: r.row, input: parsed.data });
  }
  return { problems, valid };
}

const importRejected = (problems: ImportProblem[], total: number) => {
  const rows = new Set(problems.map((p) => p.row)).size;
  return new AppError(
    ErrorCode.ImportRejected,
    400,
    `${rows} of ${total} rows cannot be imported, so nothing was: fix the rows listed in errors and send the file again.`,
    problems.map((p) => ({ ...p, path: p.path ? `${p.row}.${p.path}` : String(p.row), field: p.path || null })),
  );
};

/** The question bank's use cases; routes parse, call one of these, and render. */
export function createQuestionsService({
  questions,
  categories,
  db,
  limits,
}: {
  questions: QuestionsRepo;
  categories: CategoriesRepo;
  db: Db;
  limits: { importMaxRows: number; userMaxCategories: number };
}) {
  /**
   * The category a question of `authorId` goes in: the author's own of that name, else the shared one;
   * else a new one, the viewer's own (shared when the viewer is an admin), while they are under the cap.
   * So nobody's question lands in another user's private category.
   */
  async function ensureCategory(names: CategoriesRepo, viewer: Viewer, authorId: string | null, name: string) {
    const found = await names.resolve(authorId, name);
    if (found) return { id: found.id, name: found.name };
    const made = await names.underCap(viewer.id, limits.userMaxCategories, (trx) =>
      createCategoriesRepo(trx).ensure(authorId, name, viewer.admin ? null : viewer.id, viewer.id),
    );
    if (made === 'full') throw tooManyCategories(limits.userMaxCategories);
    return made;
  }

  async function editable(viewer: Viewer, id: number): Promise<QuestionRow> {
    const row = await questions.byId(id);
    if (!row || !maySee(viewer, row)) throw notFound(id);
    if (!mayEdit(viewer, row)) throw AppError.forbidden(`Question ${id} belongs to another author; only they or an admin may change it.`);
    return row;
  }

  /** IMPORT_MAX_ROWS, the one bound on an import's rows, whatever its format. */
  function checkRowCount(count: number): void {
    if (count > limits.importMaxRows) throw AppError.badRequest(`At most ${limits.importMaxRows} questions per import; this one has ${count}.`);
  }

  /** The input in its category (see ensureCategory), the name spelt as the bank already spells it. */
  async function withCategory(viewer: Viewer, authorId: string | null, input: QuestionInput) {
    const { id, name } = await ensureCategory(categories, viewer, authorId, input.category);
    return { ...input, category: name, categoryId: id };
  }

  return {
    async list(viewer: Viewer, filter: Omit<QuestionFilter, 'viewer'>) {
      const { rows, total } = await questions.list({ ...filter, viewer });
      return { items: rows.map((r) => toBankQuestion(r, viewer)), total };
    },

    async get(viewer: Viewer, id: number): Promise<BankQuestion> {
      const row = await questions.byId(id);
      if (!row || !maySee(viewer, row)) throw notFound(id);
      return toBankQuestion(row, viewer);
    },

    async create(viewer: Viewer, input: QuestionInput): Promise<BankQuestion> {
      const row = await questions.insert(viewer.id, await withCategory(viewer, viewer.id, input));
      if (row === 'duplicate') throw duplicate(await questions.duplicateOf(viewer.id, input));
      return toBankQuestion(row, viewer);
    },

    async update(viewer: Viewer, id: number, input: QuestionInput): Promise<BankQuestion> {
      const current = await editable(viewer, id);
      const row = await questions.update(id, await withCategory(viewer, current.author_id, input));
      // The unique index is per author: an admin editing someone's question collides with that author's copies.
      if (row === 'duplicate') throw duplicate(current.author_id ? await questions.duplicateOf(current.author_id, input) : null);
      if (!row) throw notFound(id);
      return toBankQuestion(row, viewer);
    },

    async remove(viewer: Viewer, id: number): Promise<void> {
      await editable(viewer, id);
      if (!(await questions.softDelete(id))) throw notFound(id);
    },

    checkRowCount,

    /**
     * All or nothing: every row is checked first, then all are saved in one transaction. Any bad
     * row (invalid, or the same question as another row or one the author has) saves none, and the
     * 400 lists every bad row and field.
     */
    async import(viewer: Viewer, rows: ImportRow[]): Promise<ImportReport> {
      checkRowCount(rows.length);
      const checked = checkRows(rows);
      const { problems } = checked;
      // An import stays private to its author until an admin publishes it (PUT with public: true): a bulk
      // import must not fill strangers' rooms.
      const valid = checked.valid.map((v) => ({ ...v, input: { ...v.input, public: v.input.public && viewer.admin } }));
      if (problems.length) throw importRejected(problems, rows.length);
      try {
        const importedIds = await db.transaction(async (trx) => {
          const bank = createQuestionsRepo(trx);
          const names = createCategoriesRepo(trx);
          const ids: number[] = [];
          for (const { row, input } of valid) {
            const existing = await bank.duplicateOf(viewer.id, input);
            if (existing !== null) problems.push({ row, path: '', message: `the same question as your question ${existing}: same type, text and choices` });
          }
          if (problems.length) throw new ImportRolledBack();
          for (const { row, input } of valid) {
            const { id, name } = await ensureCategory(names, viewer, viewer.id, input.category);
            const saved = await bank.insert(viewer.id, { ...input, category: name, categoryId: id });
            if (saved === 'duplicate') {
              problems.push({ row, path: '', message: 'the same question as one you saved meanwhile' });
              throw new ImportRolledBack();
            }
            ids.push(saved.id);
          }
          return ids;
        });
        return { imported: importedIds.length, importedIds };
      } catch (err) {
        if (err instanceof ImportRolledBack) throw importRejected(problems, rows.length);
        throw err;
      }
    },
  };
}
export type QuestionsService = ReturnType<typeof createQuestionsService>;
