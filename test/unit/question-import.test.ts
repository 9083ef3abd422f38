import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/api/app-error';
import { fromCsv, fromOpenTdb } from '../../src/api/questions/question-import';

const HEADER = 'category,difficulty,type,text,choice1,choice2,correct';
const MAX_ROWS = 500;

describe('reading a CSV import', () => {
  it('takes a byte order mark, CRLF, LF and CR line ends and blank lines, and numbers rows as records', () => {
    const csv = `\ufeff${HEADER}\r\nArt,easy,multiple,One?,a,b,1\n\nArt,easy,multiple,Two?,a,b,1\rArt,easy,multiple,Three?,a,b,1`;

    const rows = fromCsv(csv, MAX_ROWS);

    expect(rows.map((r) => r.row)).toEqual([2, 3, 4]);
    expect(rows.map((r) => ('input' in r ? (r.input as { text: string }).text : r.reason))).toEqual(['One?', 'Two?', 'Three?']);
  });

  it('keeps commas, line breaks and doubled quotes inside a quoted field', () => {
    const [row] = fromCsv(`${HEADER}\nArt,easy,multiple,"Line one,\nline ""two""",a,"b, c",2`, MAX_ROWS);

    expect(row).toMatchObject({ row: 2, input: { text: 'Line one,\nline "two"', choices: ['a', 'b, c'] } });
  });

  it('refuses a row with more fields than the header names, and goes on with the next', () => {
    const rows = fromCsv(`${HEADER}\nArt,easy,multiple,Long?,a,b,1,extra\nArt,easy,multiple,Fine?,a,b,1`, MAX_ROWS);

    expect(rows[0]).toEqual({ row: 2, reason: '8 fields, but the header names 7 columns' });
    expect(rows[1]).toMatchObject({ row: 3, input: { text: 'Fine?' } });
  });

  it('refuses the whole file as a 400 when a quoted field is never closed', () => {
    const read = () => fromCsv(`${HEADER}\nArt,easy,multiple,"Open?,a,b,1`, MAX_ROWS);

    expect(read).toThrow(AppError);
    expect(read).toThrow(/The CSV cannot be read/);
  });

  it('refuses a file of more rows than the bound as a 400, blank lines not counted, and reads a file of exactly as many', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `Art,easy,multiple,Q${i}?,a,b,1`).join('\n\n');

    expect(fromCsv(`${HEADER}\n${lines(3)}`, 3)).toHaveLength(3);
    expect(() => fromCsv(`${HEADER}\n${lines(4)}`, 3)).toThrow(/At most 3 questions per import; this one has more/);
  });

  it('refuses 1 MB of one-character lines as too many rows', () => {
    const read = () => fromCsv(`${HEADER}\n${'a\n'.repeat(520_000)}`, MAX_ROWS);

    expect(read).toThrow(/At most 500 questions per import/);
  });
});

describe('reading Open Trivia DB results', () => {
  it('decodes named and numeric HTML entities, and leaves an unknown name as written', () => {
    const [row] = fromOpenTdb(
      [
        {
          category: 'Art',
          type: 'multiple',
          difficulty: 'easy',
          question: '&Eacute;tude &#8470;&#x33; &ldquo;in&rdquo; &bogus; &amp; more',
          correct_answer: '&lt;a&gt;',
          incorrect_answers: ['&hellip;'],
        },
      ],
      true,
      () => 0,
    );

    expect(row).toMatchObject({ row: 1, input: { text: 'Étude №3 “in” &bogus; & more' } });
    expect(row && 'input' in row ? (row.input as { choices: string[] }).choices.sort() : []).toEqual(['<a>', '…']);
  });
});
