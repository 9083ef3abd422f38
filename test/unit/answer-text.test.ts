import { describe, expect, it } from 'vitest';
import { questionIdentity } from '../../src/game/question-identity';
import { normalizeAnswerText } from '../../src/shared/answer-text';
import { AnswerSubmit } from '../../src/shared/socket-events';

describe('normalising a typed answer', () => {
  it.each([
    ['Paris', 'paris'],
    ['  PARIS  ', 'paris'],
    ['Crème   Brûlée', 'creme brulee'],
    ['São\tPaulo\n', 'sao paulo'],
    ['Zürich', 'zurich'],
    ['İstanbul', 'istanbul'],
    ['e\u0301clair', 'eclair'],
    ['Ａ', 'ａ'],
  ])('turns %j into %j', (typed, normalised) => {
    expect(normalizeAnswerText(typed)).toBe(normalised);
  });

  it('makes case, accents and spacing variants of one answer equal', () => {
    const variants = ['Éire', 'eire', ' EIRE ', 'E\u0301ire'];

    expect(new Set(variants.map(normalizeAnswerText))).toEqual(new Set(['eire']));
  });

  it('keeps letters that are not accented forms apart', () => {
    expect(normalizeAnswerText('Øresund')).not.toBe(normalizeAnswerText('Oresund'));
  });
});

describe('the answer:submit payload', () => {
  it.each([[{ questionIndex: 0, choice: 2 }], [{ questionIndex: 3, text: 'Jupiter' }], [{ questionIndex: 3, text: ' é ' }]])('takes %j', (payload) => {
    expect(AnswerSubmit.safeParse(payload).success).toBe(true);
  });

  it.each([
    ['both a choice and text', { questionIndex: 0, choice: 1, text: 'x' }],
    ['neither', { questionIndex: 0 }],
    ['text that is only spaces', { questionIndex: 0, text: '   ' }],
    ['text that is only a combining accent', { questionIndex: 0, text: '\u0301' }],
    ['text that is too long', { questionIndex: 0, text: 'x'.repeat(201) }],
    ['text that is a number', { questionIndex: 0, text: 7 }],
    ['a fractional choice', { questionIndex: 0, choice: 0.5 }],
  ])('refuses %s', (_, payload) => {
    expect(AnswerSubmit.safeParse(payload).success).toBe(false);
  });
});

describe('when two questions are the same question', () => {
  const base = { type: 'multiple' as const, text: 'Largest planet?', choices: ['Mars', 'Jupiter', 'Venus'] };

  it('ignores case, accents, spacing and the order of choices', () => {
    const same = { type: 'multiple' as const, text: '  largest   PLANET? ', choices: ['venus', 'JUPITER', 'Mars'] };

    expect(questionIdentity(same)).toBe(questionIdentity(base));
  });

  it('tells apart another type, text or set of choices', () => {
    expect(questionIdentity({ ...base, type: 'poll' })).not.toBe(questionIdentity(base));
    expect(questionIdentity({ ...base, text: 'Smallest planet?' })).not.toBe(questionIdentity(base));
    expect(questionIdentity({ ...base, choices: ['Mars', 'Jupiter', 'Saturn'] })).not.toBe(questionIdentity(base));
  });
});
