import { describe, expect, it } from 'vitest';
import { pickQuestions } from '../../src/game/pick-questions';

const BANK = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6'];

describe('picking questions', () => {
  it('picks the number asked for, all distinct, all from the bank', () => {
    const picked = pickQuestions(BANK, 4);

    expect(picked).toHaveLength(4);
    expect(new Set(picked).size).toBe(4);
    for (const q of picked ?? []) expect(BANK).toContain(q);
  });

  describe('when the bank has too few questions', () => {
    it('picks none, so the room can fail with a reason', () => {
      expect(pickQuestions(BANK, 7)).toBeNull();
      expect(pickQuestions([], 1)).toBeNull();
    });
  });

  it('takes the whole bank, shuffled, when asked for all of it', () => {
    const picked = pickQuestions(BANK, BANK.length);

    expect([...(picked ?? [])].sort()).toEqual(BANK);
  });

  it('draws with the random source it is given (partial Fisher–Yates)', () => {
    // Always the last slot: q6 swaps into place, then the q1 and q2 it displaced each come back from the end.
    expect(pickQuestions(BANK, 3, (n) => n - 1)).toEqual(['q6', 'q1', 'q2']);
    // Always the first remaining candidate: the bank in order.
    expect(pickQuestions(BANK, 3, () => 0)).toEqual(['q1', 'q2', 'q3']);
  });

  it('leaves the bank as it was', () => {
    const bank = [...BANK];

    pickQuestions(bank, 5, (n) => n - 1);

    expect(bank).toEqual(BANK);
  });

  it('gives every question a fair chance', () => {
    const counts = new Map<string, number>(BANK.map((q) => [q, 0]));
    const draws = 6000;

    for (let i = 0; i < draws; i++) {
      const [q] = pickQuestions(BANK, 1) ?? [];
      counts.set(q as string, (counts.get(q as string) ?? 0) + 1);
    }

    // Expected 1000 each; a fair draw strays beyond ±250 with odds far below one in a million.
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(750);
      expect(n).toBeLessThan(1250);
    }
  });
});
