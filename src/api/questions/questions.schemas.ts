import { z } from 'zod';
import { normalizeAnswerText } from '../../shared/answer-text';
import { plainText } from '../../shared/plain-text';
import { Difficulty, MAX_ACCEPTED, MAX_CHOICES, QuestionFields, QuestionType, questionShapeIssues } from '../../shared/room';

/** Request and answer shapes of the question bank: /questions and /categories. */

const BOOLEAN_CHOICES = ['True', 'False'];
const Choice = plainText().trim().min(1).max(200);
const CategoryName = plainText().trim().min(1).max(60);

export const QuestionInput = z
  .object({
    category: CategoryName.describe(
      'A category name, matched ignoring case against your own categories, then the shared ones; when neither has it, a category of your own is created.',
    ),
    difficulty: Difficulty,
    type: QuestionType,
    text: plainText({ lines: true }).trim().min(1).max(500),
    choices: z.array(Choice).max(MAX_CHOICES).optional().describe('2–6 for multiple and poll; boolean: leave out for ["True", "False"]; none for type-answer.'),
    correct: z
      .array(z.number().int().min(0))
      .max(MAX_CHOICES)
      .default([])
      .describe('Indexes (from 0) of the correct choices: 1 or more for multiple, exactly 1 for boolean, none for type-answer and poll.'),
    accepted: z
      .array(Choice)
      .max(MAX_ACCEPTED)
      .default([])
      .describe('type-answer only: the answers that count, 1–20; case, accents and spaces are ignored when comparing.'),
    public: z.boolean().default(false).describe('Public questions may be asked in any room; private ones only in rooms their author hosts.'),
  })
  .transform(({ choices, ...q }) => ({ ...q, choices: choices ?? (q.type === 'boolean' ? BOOLEAN_CHOICES : []) }))
  .superRefine((q, ctx) => {
    const issues = questionShapeIssues(q);
    const normalized = q.choices.map(normalizeAnswerText);
    if (new Set(normalized).size !== normalized.length) {
      issues.push({ path: 'choices', message: 'choices must differ from each other (ignoring case, accents and spaces)' });
    }
    if (q.accepted.some((a) => normalizeAnswerText(a) === '')) {
      issues.push({ path: 'accepted', message: 'an accepted answer must hold more than spaces and accents' });
    }
    for (const { path, message } of issues) ctx.addIssue({ code: 'custom', path: [path], message });
  });
export type QuestionInput = z.infer<typeof QuestionInput>;

export const BankQuestion = QuestionFields.extend({
  correct: z.array(z.number().int()).nullable().describe('null unless you may edit the question: the bank does not give answers away.'),
  accepted: z.array(z.string()).nullable().describe('null unless you may edit the question.'),
  public: z.boolean(),
  authorId: z.string().nullable().describe('null for the starter bank.'),
  canEdit: z.boolean().describe('You are its author, or an admin.'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type BankQuestion = z.infer<typeof BankQuestion>;

export const QuestionQuery = z.object({
  category: CategoryName.optional().describe('Only this category (ignoring case).'),
  difficulty: Difficulty.optional(),
  type: QuestionType.optional(),
  author: z
    .union([z.literal('me'), z.uuid()])
    .optional()
    .describe('Only questions by this user id, or `me`.'),
  q: plainText().trim().min(1).max(100).optional().describe('Words the text contains, ignoring case.'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export const QuestionPage = z.object({
  items: z.array(BankQuestion).describe('Public questions and your own (an admin sees all), by id.'),
  total: z.number().int().describe('How many match the filters, over all pages.'),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type QuestionPage = z.infer<typeof QuestionPage>;

export const ImportQuery = z.object({
  format: z.enum(['opentdb', 'csv']).describe('`opentdb`: an Open Trivia DB answer as JSON; `csv`: text/csv with a header row (see docs/api.md, "Import").'),
  public: z.enum(['true', 'false']).default('false').describe('Whether OpenTDB questions are public; CSV rows say so in their `public` column.'),
});

/** Open Trivia DB's answer to `api.php` in its default encoding (HTML entities); each result is checked on its own. */
export const OpenTdbImport = z.object({
  response_code: z.number().int().optional().describe('Anything but 0 means OpenTDB sent no questions.'),
  results: z
    .array(z.unknown())
    .describe('Up to IMPORT_MAX_ROWS (500 unless configured): {category, type, difficulty, question, correct_answer, incorrect_answers}.'),
});

export const ImportReport = z.object({
  imported: z.number().int(),
  importedIds: z.array(z.number().int()),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const CategoryInput = z.object({ name: CategoryName });

export const CategoriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const Category = z.object({
  id: z.number().int(),
  name: z.string(),
  createdBy: z.string().nullable(),
  shared: z.boolean().describe("true: everybody's (the starter bank's, or made by an admin); false: its creator's alone."),
  createdAt: z.string(),
});
export type Category = z.infer<typeof Category>;
