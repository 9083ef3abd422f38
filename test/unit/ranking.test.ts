import { describe, expect, it } from 'vitest';
import { rankKey, rankPlayers } from '../../src/game/scoring/ranking';

describe('ranking players', () => {
  it('puts the highest score first, with ranks 1, 2, 3…', () => {
    const ranked = rankPlayers([
      { playerId: 'a', score: 500, totalMs: 10 },
      { playerId: 'b', score: 1500, totalMs: 10 },
      { playerId: 'c', score: 900, totalMs: 10 },
    ]);

    expect(ranked.map((r) => [r.playerId, r.rank])).toEqual([
      ['b', 1],
      ['c', 2],
      ['a', 3],
    ]);
  });

  describe('when scores are equal', () => {
    it('ranks the player with less total answer time first', () => {
      const ranked = rankPlayers([
        { playerId: 'a', score: 800, totalMs: 9000 },
        { playerId: 'b', score: 800, totalMs: 3000 },
      ]);

      expect(ranked.map((r) => r.playerId)).toEqual(['b', 'a']);
    });

    it('falls back to the player id, so every process ranks alike and ranks stay unique', () => {
      const rows = [
        { playerId: 'p_z', score: 0, totalMs: 0 },
        { playerId: 'p_a', score: 0, totalMs: 0 },
        { playerId: 'p_m', score: 0, totalMs: 0 },
      ];

      const ranked = rankPlayers(rows);

      expect(ranked.map((r) => [r.playerId, r.rank])).toEqual([
        ['p_a', 1],
        ['p_m', 2],
        ['p_z', 3],
      ]);
      expect(rankPlayers([...rows].reverse())).toEqual(ranked);
    });
  });

  it('keeps the other fields and leaves its input as it was', () => {
    const rows = [
      { playerId: 'a', score: 1, totalMs: 0, nickname: 'Ann' },
      { playerId: 'b', score: 2, totalMs: 0, nickname: 'Bob' },
    ];

    const ranked = rankPlayers(rows);

    expect(ranked[0]).toEqual({ playerId: 'b', score: 2, totalMs: 0, nickname: 'Bob', rank: 1 });
    expect(rows.map((r) => r.playerId)).toEqual(['a', 'b']);
    expect(rows[0]).not.toHaveProperty('rank');
  });

  describe('as one number for the ranking sorted set', () => {
    it('orders like rankPlayers, ties of both falling to the player id as Redis orders equal numbers', () => {
      const rows: { playerId: string; score: number; totalMs: number }[] = [];
      for (let i = 0; i < 2000; i++) {
        // Big scores and times next to small ones, with many exact ties of score, time, or both.
        rows.push({ playerId: `p_${(i * 7919) % 2000}`, score: [0, 1, 999, 1000, 250_000][i % 5] ?? 0, totalMs: [0, 1, 150, 6_000_000][i % 4] ?? 0 });
      }
      const byKey = [...rows].sort(
        (a, b) => rankKey(a.score, a.totalMs) - rankKey(b.score, b.totalMs) || (a.playerId < b.playerId ? -1 : a.playerId > b.playerId ? 1 : 0),
      );

      expect(byKey.map((r) => r.playerId)).toEqual(rankPlayers(rows).map((r) => r.playerId));
    });
  });
});
