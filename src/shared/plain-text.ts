import { z } from 'zod';

/**
 * Control characters (NUL included: PostgreSQL refuses it in text), format characters (bidi
 * overrides and isolates, zero-width joiners and spaces), lone surrogates and private-use code
 * points, and the other characters drawn as nothing or a blank (Unicode's default-ignorables such as
 * the Hangul fillers, and the blank Braille pattern), but for variation selectors, which pick an
 * emoji's look. Text shown to other people or stored may hold none of them.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}]|(?![\uFE00-\uFE0F\u{E0100}-\u{E01EF}])[\p{Default_Ignorable_Code_Point}\u2800]/u;
/** The same, but a line break or a tab may stay: question text and CSV cells may span lines. */
const UNSAFE_EXCEPT_LINES = /[^\P{Cc}\t\n\r]|[\p{Cf}\p{Cs}\p{Co}]|(?![\uFE00-\uFE0F\u{E0100}-\u{E01EF}])[\p{Default_Ignorable_Code_Point}\u2800]/u;

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
