import type { GameResults, QuestionBreakdown } from '../../shared/game-results';
import { cheatSignals } from './cheat-signals';
import { type ResultsTiming, timingRule } from './timing-rule';

type Stored = Omit<GameResults, 'questions' | 'players' | 'timing'> & {
  questions: Omit<GameResults['questions'][number], 'breakdown'>[];
  players: Omit<GameResults['players'][number], 'signals'>[];
};

/**
 * Adds to each question how it went: counts, the choice distribution, and every player's answer, by final rank;
 * to each player their cheat signals, and the timing rule the game ran with.
 */
export function withBreakdown(stored: Stored, timing: ResultsTiming): GameResults {
  const polls = new Set(stored.questions.filter((q) => q.type === 'poll').map((q) => q.index));
  const signals = cheatSignals(stored.players, stored.answers, { reactionFloorMs: timing.reactionFloorMs, polls });
  const results = {
    ...stored,
    players: stored.players.map((p) => ({ ...p, signals: signals.get(p.playerId) ?? [] })),
    timing: timingRule(timing),
  };
  const answers = new Map(results.answers.map((a) => [`${a.questionIndex}:${a.playerId}`, a]));
  const players = [...results.players].sort((a, b) => a.rank - b.rank);
  return {
    ...results,
    questions: results.questions.map((q) => {
      const distribution = q.choices.map(() => 0);
      const rows: QuestionBreakdown['players'] = players.map((p) => {
        const a = answers.get(`${q.index}:${p.playerId}`);
        const c = a?.choice ?? null;
        if (c !== null && c >= 0 && c < distribution.length) distribution[c] = (distribution[c] ?? 0) + 1;
        return {
          playerId: p.playerId,
          nickname: p.nickname,
          answered: a !== undefined,
          choice: c,
          text: a?.text ?? null,
          correct: a?.correct ?? false,
          points: a?.points ?? 0,
          elapsedMs: a?.elapsedMs ?? null,
        };
      });
      return {
        ...q,
        breakdown: {
          answeredCount: rows.filter((r) => r.answered).length,
          correctCount: rows.filter((r) => r.correct).length,
          distribution,
          players: rows,
        },
      };
    }),
  };
}
