import { describe, expect, it } from 'vitest';
import { cheatSignals } from '../../src/game/scoring/cheat-signals';
import type { GameResults } from '../../src/shared/game-results';

type Answer = GameResults['answers'][number];
const FLOOR = { reactionFloorMs: 150, polls: new Set<number>() };

/** One player's answers to questions 0.., a choice each; choice 0 is the right one. */
function answers(playerId: string, choices: number[], elapsedMs = 2000): Answer[] {
  return choices.map((choice, questionIndex) => ({
    playerId,
    questionIndex,
    choice,
    text: null,
    correct: choice === 0,
    points: 0,
    elapsedMs,
    serverMs: elapsedMs,
    reportedMs: null,
    rttMs: 0,
    answeredAt: '2026-12-06T00:00:00.000Z',
  }));
}
const playersOf = (all: Answer[]) => [...new Set(all.map((a) => a.playerId))].map((playerId) => ({ playerId, sameAddressPlayers: null }));
const kinds = (signals: Map<string, { kind: string }[]>, id: string) => (signals.get(id) ?? []).map((s) => s.kind);

describe('cheat signals', () => {
  describe('when three players give the very same answers, wrong ones included', () => {
    it('flags each of them as one group, and not a player who answered differently', () => {
      const all = [...answers('a', [0, 2, 3, 0]), ...answers('b', [0, 2, 3, 0]), ...answers('c', [0, 2, 3, 0]), ...answers('d', [0, 2, 1, 0])];

      const signals = cheatSignals(playersOf(all), all, FLOOR);

      expect(signals.get('a')).toEqual([{ kind: 'same-pattern', count: 4, message: 'the same 4 answers, 2 of them wrong, as 2 other players' }]);
      expect(kinds(signals, 'b')).toEqual(['same-pattern']);
      expect(kinds(signals, 'c')).toEqual(['same-pattern']);
      expect(kinds(signals, 'd')).toEqual([]);
    });
  });

  describe('when players share answers that are right, or only two share them', () => {
    it('flags nobody: people who know it all answer alike', () => {
      const right = [...answers('a', [0, 0, 0]), ...answers('b', [0, 0, 0]), ...answers('c', [0, 0, 0])];
      const pair = [...answers('x', [1, 2, 3]), ...answers('y', [1, 2, 3])];

      const signals = cheatSignals(playersOf([...right, ...pair]), [...right, ...pair], FLOOR);

      expect([...signals.values()].flat()).toEqual([]);
    });

    it('does not count a poll as a wrong answer', () => {
      const all = ['a', 'b', 'c'].flatMap((id) => answers(id, [0, 1, 1]));

      const signals = cheatSignals(playersOf(all), all, { ...FLOOR, polls: new Set([1, 2]) });

      expect(kinds(signals, 'a')).toEqual([]);
    });
  });

  describe('when answers come faster than a person reacts', () => {
    it('counts them per player', () => {
      const all = [...answers('a', [0, 1], 90), ...answers('b', [0, 1], 400)];

      const signals = cheatSignals(playersOf(all), all, FLOOR);

      expect(signals.get('a')).toEqual([{ kind: 'fast-reaction', count: 2, message: '2 answers under 150 ms, faster than a person reacts' }]);
      expect(kinds(signals, 'b')).toEqual([]);
    });
  });

  describe('when several players joined from one network address', () => {
    it('flags them from four players on, and says so even for a player who never answered', () => {
      const players = [
        { playerId: 'a', sameAddressPlayers: 4 },
        { playerId: 'b', sameAddressPlayers: 3 },
        { playerId: 'c', sameAddressPlayers: null },
      ];

      const signals = cheatSignals(players, answers('b', [0, 1]), FLOOR);

      expect(signals.get('a')).toEqual([{ kind: 'same-address', count: 4, message: 'joined from the same network address as 3 other players' }]);
      expect([kinds(signals, 'b'), kinds(signals, 'c')]).toEqual([[], []]);
    });
  });
});
