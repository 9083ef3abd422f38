import { ErrorCode } from '../../shared/error-codes';
import type { TokenClaims } from '../../shared/tokens';
import type { CategoriesRepo } from '../../store/repos/categories.repo';
import type { QuestionFilter, QuestionRow, QuestionsRepo } from '../../store/repos/questions.repo';
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
    id: row.id, category: row.category, difficulty: row.difficulty, type: row.type, text: row.text, choices: row.choices,
    correct: canEdit ? row.correct : null,
    accepted: canEdit ? row.accepted : null,
    public: row.is_public, authorId: row.author_id, canEdit,
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  };
}

/** The question bank's use cases; routes parse, call one of these, and render. */
export function createQuestionsService({ questions, categories }: { questions: QuestionsRepo; categories: CategoriesRepo }) {
  async function editable(viewer: Viewer, id: number): Promise<QuestionRow> {
    const row = await questions.byId(id);
    if (!row || !maySee(viewer, row)) throw notFound(id);
    if (!mayEdit(viewer, row)) throw AppError.forbidden(`Question ${id} belongs to another author; only they or an admin may change it.`);
    return row;
  }

  /** The input with its category spelt as the bank already spells it (created if new). */
  async function withCategory(viewer: Viewer, input: QuestionInput) {
    const category = await categories.ensure(input.category, viewer.id);
    return { ...input, category };
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
      const row = await questions.insert(viewer.id, await withCategory(viewer, input));
      if (row === 'duplicate') throw duplicate(await questions.duplicateOf(viewer.id, input));
      return toBankQuestion(row, viewer);
    },

    async update(viewer: Viewer, id: number, input: QuestionInput): Promise<BankQuestion> {
      const current = await editable(viewer, id);
      const row = await questions.update(id, await withCategory(viewer, input));
      // The unique index is per author: an admin editing someone's question collides with that author's copies.
      if (row === 'duplicate') throw duplicate(current.author_id ? await questions.duplicateOf(current.author_id, input) : null);
      if (!row) throw notFound(id);
      return toBankQuestion(row, viewer);
    },

    async remove(viewer: Viewer, id: number): Promise<void> {
      await editable(viewer, id);
      if (!(await questions.softDelete(id))) throw notFound(id);
    },

    /**
     * Imports row by row: each valid row is saved at once, each invalid or duplicate one is reported
     * with its reason, and one bad row never stops the rest.
     */
    async import(viewer: Viewer, rows: ImportRow[]): Promise<ImportReport> {
      const report: ImportReport = { imported: 0, importedIds: [], rejected: [] };
      for (const r of rows) {
        if ('reason' in r) {
          report.rejected.push({ row: r.row, reason: r.reason });
          continue;
        }
        const parsed = QuestionInput.safeParse(r.input);
        if (!parsed.success) {
          const reason = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
          report.rejected.push({ row: r.row, reason });
          continue;
        }
        const row = await questions.insert(viewer.id, await withCategory(viewer, parsed.data));
        if (row === 'duplicate') {
          const existing = await questions.duplicateOf(viewer.id, parsed.data);
          report.rejected.push({ row: r.row, reason: `duplicate of your question ${existing ?? '(unknown)'}: same type, text and choices` });
          continue;
        }
        report.imported++;
        report.importedIds.push(row.id);
      }
      return report;
    },
  };
}
export type QuestionsService = ReturnType<typeof createQuestionsService>;
