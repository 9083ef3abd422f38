import { describe, expect, it } from 'vitest';
import { RESULTS_CSV_COLUMNS, resultsCsv } from '../../src/api/history/results-csv';
import { withBreakdown } from '../../src/game/scoring/results-breakdown';

const GAME = { id: 'g-1', roomCode: 'K7QM2X', hostId: null, settings: {} as never, startedAt: null, finishedAt: '2026-11-30T10:00:00.000Z' };
const QUESTIONS = [
  {
    index: 0,
    id: 1,
    category: 'Art',
    difficulty: 'easy' as const,
    type: 'multiple' as const,
    text: 'Who painted "Guernica", in 1937?',
    choices: ['Dalí', 'Picasso', 'Miró'],
    correct: [1],
    accepted: [],
  },
  {
    index: 1,
    id: 2,
    category: 'Math',
    difficulty: 'easy' as const,
    type: 'boolean' as const,
    text: '-1 < 0',
    choices: ['True', 'False'],
    correct: [0],
    accepted: [],
  },
];
const PLAYERS = [
  { playerId: 'p_b', nickname: '=HYPERLINK("x")', userId: null, score: 800, rank: 2, correctCount: 1, totalAnswerMs: 4000, sameAddressPlayers: null },
  { playerId: 'p_a', nickname: 'Ann, the "Ace"', userId: 'u-1', score: 1700, rank: 1, correctCount: 2, totalAnswerMs: 3000, sameAddressPlayers: 1 },
];
const ANSWERS = [
  {
    playerId: 'p_a',
    questionIndex: 0,
    choice: 1,
    text: null,
    correct: true,
    points: 900,
    elapsedMs: 2000,
    serverMs: 2050,
    reportedMs: null,
    rttMs: 100,
    answeredAt: '2026-11-30T09:59:00.000Z',
  },
  // Saved before fair timing: no server time, report or round trip.
  {
    playerId: 'p_b',
    questionIndex: 0,
    choice: 1,
    text: null,
    correct: true,
    points: 800,
    elapsedMs: 4000,
    serverMs: null,
    reportedMs: null,
    rttMs: null,
    answeredAt: '2026-11-30T09:59:01.000Z',
  },
  // A client reporting a reaction faster than a person's.
  {
    playerId: 'p_a',
    questionIndex: 1,
    choice: 0,
    text: null,
    correct: true,
    points: 800,
    elapsedMs: 1000,
    serverMs: 1100,
    reportedMs: 90,
    rttMs: 120,
    answeredAt: '2026-11-30T09:59:30.000Z',
  },
];
const TIMING = { allowanceCapMs: 150, reactionFloorMs: 150, answerGraceMs: 500 };
const results = withBreakdown({ game: GAME, questions: QUESTIONS, players: PLAYERS, answers: ANSWERS }, TIMING);

describe('the per-question breakdown', () => {
  it('counts answers and correct answers, and the picks of each choice', () => {
    expect(results.questions.map((q) => [q.breakdown.answeredCount, q.breakdown.correctCount, q.breakdown.distribution])).toEqual([
      [2, 2, [0, 2, 0]],
      [1, 1, [1, 0]],
    ]);
  });

  it("lists every player's answer by final rank, a missing answer as null and 0 points", () => {
    expect(results.questions[1]?.breakdown.players).toEqual([
      { playerId: 'p_a', nickname: 'Ann, the "Ace"', answered: true, choice: 0, text: null, correct: true, points: 800, elapsedMs: 1000 },
      { playerId: 'p_b', nickname: '=HYPERLINK("x")', answered: false, choice: null, text: null, correct: false, points: 0, elapsedMs: null },
    ]);
  });
});

describe('cheat signals and the timing rule', () => {
  it('flags a player with answers under the reaction floor, and nobody else', () => {
    const signals = Object.fromEntries(results.players.map((p) => [p.playerId, p.signals]));

    expect(signals.p_a).toEqual([{ kind: 'fast-reaction', count: 1, message: expect.stringMatching(/1 answer under 150 ms/) }]);
    expect(signals.p_b).toEqual([]);
  });

  it('states the rule with the settings the game ran with', () => {
    expect(results.timing).toMatchObject({ allowanceCapMs: 150, reactionFloorMs: 150, answerGraceMs: 500 });
    expect(results.timing.rule).toMatch(/Up to 150 ms .* credited/);
    expect(withBreakdown({ game: GAME, questions: QUESTIONS, players: PLAYERS, answers: ANSWERS }, { ...TIMING, allowanceCapMs: 0 }).timing.rule).toMatch(
      /No allowance/,
    );
  });
});

describe('the CSV export', () => {
  const csv = resultsCsv(results);
  const lines = csv.split('\r\n');

  it('starts with the header row and ends every line with CRLF', () => {
    expect(lines[0]).toBe(RESULTS_CSV_COLUMNS.join(','));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(lines).toHaveLength(1 + PLAYERS.length * QUESTIONS.length + 1);
  });

  it('writes one row per player per question, players by rank, quoting commas and quotes', () => {
    expect(lines.slice(1, 5)).toEqual([
      'g-1,K7QM2X,2026-11-30T10:00:00.000Z,1,"Ann, the ""Ace""",p_a,u-1,1700,1,"Who painted ""Guernica"", in 1937?",Picasso,Picasso,true,900,2000,2050,,false',
      'g-1,K7QM2X,2026-11-30T10:00:00.000Z,1,"Ann, the ""Ace""",p_a,u-1,1700,2,\'-1 < 0,True,True,true,800,1000,1100,90,true',
      'g-1,K7QM2X,2026-11-30T10:00:00.000Z,2,"\'=HYPERLINK(""x"")",p_b,,800,1,"Who painted ""Guernica"", in 1937?",Picasso,Picasso,true,800,4000,,,false',
      'g-1,K7QM2X,2026-11-30T10:00:00.000Z,2,"\'=HYPERLINK(""x"")",p_b,,800,2,\'-1 < 0,True,,false,0,,,,',
    ]);
  });
});
