import { z } from 'zod';

/**
 * Control characters (NUL included: PostgreSQL refuses it in text), format characters (bidi
 * overrides and isolates, zero-width joiners and spaces), lone surrogates and private-use code
 * points. Text shown to other people or stored may hold none of them.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}]/u;
/** The same, but a line break or a tab may stay: question text and CSV cells may span lines. */
const UNSAFE_EXCEPT_LINES = /[^\P{Cc}\t\n\r]|[\p{Cf}\p{Cs}\p{Co}]/u;

export const isPlainText = (s: string, lines = false): boolean => !(lines ? UNSAFE_EXCEPT_LINES : UNSAFE).test(s);

/** A string refused at the schema when it holds control, bidi, invisible or private-use characters. */
export const plainText = (options: { lines?: boolean } = {}) =>
  z
    .string()
    .refine(
      (s) => isPlainText(s, options.lines),
      options.lines
        ? 'must not contain control characters (other than line breaks and tabs), bidi or invisible characters'
        : 'must not contain control, bidi or invisible characters',
    );
