/**
 * CSV as RFC 4180 writes it: fields separated by commas, records by CRLF or LF, a field in double
 * quotes may hold commas, line breaks and doubled quotes (""). A leading byte order mark is dropped.
 */
export interface CsvRecord {
  /** 1 for the first record (the header, when there is one). */
  number: number;
  fields: string[];
}

export class CsvError extends Error {
  override name = 'CsvError';
}

export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    field = '';
    // A blank line is no record.
    if (fields.length > 1 || fields[0] !== '') records.push({ number: records.length + 1, fields });
    fields = [];
  };
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else {
      field += ch;
    }
  }
  if (quoted) throw new CsvError(`A quoted field opened in record ${records.length + 1} is never closed.`);
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/** One CSV record: fields quoted when they hold a comma, a quote or a line break. */
export function formatCsvRecord(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',');
}
