import { randomInt } from 'node:crypto';
import { CsvError, parse } from 'csv-parse/sync';
import { decodeHTMLStrict as decodeEntities } from 'entities';
import { z } from 'zod';
import { pickQuestions } from '../../game/pick-questions';
import { MAX_CHOICES } from '../../shared/room';
import { AppError } from '../app-error';

/** One row of an import: a candidate question (checked later by QuestionInput), or why it was refused already. */
export type ImportRow = { row: number; input: unknown } | { row: number; reason: string };

const OpenTdbResult = z.object({
  category: z.string(),
  type: z.enum(['multiple', 'boolean']),
  difficulty: z.string(),
  question: z.string(),
  correct_answer: z.string(),
  incorrect_answers: z.array(z.string()),
});

const describe = (error: z.ZodError) => error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');

/**
 * Open Trivia DB results (default encoding: HTML entities, always written with their semicolon, so
 * decoded strictly) as bank questions. A multiple question's correct answer goes in with the
 * incorrect ones in a random order, as OpenTDB leaves placing it to the client; a boolean question
 * keeps the choices True, False.
 */
export function fromOpenTdb(results: unknown[], isPublic: boolean, random: (n: number) => number = randomInt): ImportRow[] {
  return results.map((raw, i) => {
    const row = i + 1;
    const parsed = OpenTdbResult.safeParse(raw);
    if (!parsed.success) return { row, reason: `not an OpenTDB question: ${describe(parsed.error)}` };
    const r = parsed.data;
    const correctAnswer = decodeEntities(r.correct_answer);
    const base = { category: decodeEntities(r.category), difficulty: r.difficulty, text: decodeEntities(r.question), public: isPublic };
    if (r.type === 'boolean') {
      const truth = correctAnswer.trim().toLowerCase();
      if (truth !== 'true' && truth !== 'false') return { row, reason: `a boolean question's correct_answer is True or False, not "${correctAnswer}"` };
      return { row, input: { ...base, type: 'boolean', choices: ['True', 'False'], correct: [truth === 'true' ? 0 : 1] } };
    }
    const choices = pickQuestions([correctAnswer, ...r.incorrect_answers.map((a) => decodeEntities(a))], r.incorrect_answers.length + 1, random) ?? [];
    return { row, input: { ...base, type: 'multiple', choices, correct: [choices.indexOf(correctAnswer)] } };
  });
}

const CHOICE_COLUMNS = Array.from({ length: MAX_CHOICES }, (_, i) => `choice${i + 1}`);
export const CSV_COLUMNS = ['category', 'difficulty', 'type', 'text', ...CHOICE_COLUMNS, 'correct', 'accepted', 'public'] as const;
const REQUIRED_COLUMNS = ['category', 'difficulty', 'type', 'text'];

/** `a|b|c` → its non-empty parts, trimmed. */
const parts = (cell: string) =>
  cell
    .split('|')
    .map((p) => p.trim())
    .filter((p) => p !== '');

/** The `correct` cell: choice numbers from 1 (`1|3`); for a boolean question also `true` or `false`. */
function correctOf(cell: string, type: string): number[] | string {
  if (type === 'boolean' && /^(true|false)$/i.test(cell.trim())) return [cell.trim().toLowerCase() === 'true' ? 0 : 1];
  const numbers = parts(cell).map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n < 1)) return `correct is choice numbers from 1 separated by | (or true/false for boolean), not "${cell}"`;
  return numbers.map((n) => n - 1);
}

/**
 * CSV with a header row naming its columns, in any order (see CSV_COLUMNS and docs/api.md, "Import"):
 * category, difficulty, type, text, choice1 … choice6, correct, accepted, public. A header the
 * importer does not know, or a missing required column, refuses the whole file (400), as do more than
 * `maxRows` rows (IMPORT_MAX_ROWS).
 */
export function fromCsv(text: string, maxRows: number): ImportRow[] {
  let records: string[][];
  try {
    // RFC 4180, read leniently: CRLF, LF or CR between records, blank lines skipped, a stray quote inside a field kept.
    // Read no further than one row past the bound: 1 MB of one-character lines took csv-parse 17 s of the api's loop.
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      to: maxRows + 2,
    });
  } catch (err) {
    if (err instanceof CsvError) throw AppError.badRequest(`The CSV cannot be read: ${err.message}`);
    throw err;
  }
  const [header, ...data] = records;
  if (!header) throw AppError.badRequest(`The CSV is empty; its first line names the columns: ${CSV_COLUMNS.join(',')}.`);
  if (data.length > maxRows) throw AppError.badRequest(`At most ${maxRows} questions per import; this one has more.`);
  const names = header.map((f) => f.trim().toLowerCase());
  const unknown = names.filter((n) => !(CSV_COLUMNS as readonly string[]).includes(n));
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (unknown.length || missing.length || new Set(names).size !== names.length) {
    throw AppError.badRequest(
      `The CSV header must name distinct columns among ${CSV_COLUMNS.join(', ')}, with ${REQUIRED_COLUMNS.join(', ')} required.` +
        (unknown.length ? ` Unknown: ${unknown.join(', ')}.` : '') +
        (missing.length ? ` Missing: ${missing.join(', ')}.` : ''),
    );
  }

  return data.map((fields, i) => {
    // Numbered as records, the header being record 1.
    const row = i + 2;
    if (fields.length > names.length) return { row, reason: `${fields.length} fields, but the header names ${names.length} columns` };
    const cell = (name: string) => (fields[names.indexOf(name)] ?? '').trim();
    const type = cell('type');
    const correct = correctOf(cell('correct'), type);
    if (typeof correct === 'string') return { row, reason: correct };
    const isPublic = cell('public').toLowerCase();
    if (!['', 'true', 'false'].includes(isPublic)) return { row, reason: `public is true or false, not "${cell('public')}"` };
    const choices = CHOICE_COLUMNS.map(cell).filter((c) => c !== '');
    return {
      row,
      input: {
        category: cell('category'),
        difficulty: cell('difficulty'),
        type,
        text: cell('text'),
        // A boolean row may leave its choices out: True, False.
        ...(choices.length || type !== 'boolean' ? { choices } : {}),
        correct,
        accepted: parts(cell('accepted')),
        public: isPublic === 'true',
      },
    };
  });
}
