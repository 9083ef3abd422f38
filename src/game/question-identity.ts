import { normalizeAnswerText } from '../shared/answer-text';
import type { QuestionType } from '../shared/room';

/**
 * When two questions of one author are the same question: same type, same text and same set of
 * choices, each compared after normalising (case, accents, spaces), choice order ignored — an
 * OpenTDB question imported twice gets its choices shuffled differently but is still a duplicate.
 * Correct choices and accepted answers do not count: changing those is an edit, not a new question.
 */
export function questionIdentity(q: { type: QuestionType; text: string; choices: readonly string[] }): string {
  const choices = q.choices.map(normalizeAnswerText).sort();
  return [q.type, normalizeAnswerText(q.text), ...choices].join('\n');
}
