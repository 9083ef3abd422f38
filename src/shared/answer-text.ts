/** The longest typed answer taken, in characters, before normalising. */
export const MAX_TYPED_ANSWER = 200;

/**
 * How typed answers and accepted variants are compared: lower-cased, decomposed (NFD),
 * diacritics dropped, runs of whitespace made one space, trimmed. "  Crème  Brûlée " → "creme brulee".
 * The answer store applies it to what a player types and the room store to the accepted variants,
 * so the answer script compares plain strings.
 */
export function normalizeAnswerText(text: string): string {
  // Lower-cased first: some capitals (İ) lower-case into a letter plus a combining mark, dropped next.
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}
