import { isFastReaction } from '../../game/cheat-signals';
import type { GameResults } from '../../shared/game-results';

/** The header row of the export; one row follows per player per question. */
export const RESULTS_CSV_COLUMNS = [
  'game_id', 'room_code', 'finished_at', 'rank', 'nickname', 'player_id', 'user_id', 'score',
  'question_number', 'question', 'correct_answer', 'answer', 'correct', 'points', 'answer_ms',
  'server_ms', 'reported_ms', 'fast_reaction',
] as const;

type Cell = string | number | boolean | null;

/**
 * RFC 4180: a field holding a comma, a quote or a line break is quoted, with quotes doubled.
 * Text a player or author wrote is also kept from being read as a formula by spreadsheets
 * (OWASP "CSV injection"): one starting with = + - @ or a tab gets a leading apostrophe.
 */
function field(value: Cell, text = false): string {
  if (value === null) return '';
  let s = String(value);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** What counted as right, in words: the correct choices, or a type-answer's accepted answers; empty for a poll. */
function rightAnswer(q: GameResults['questions'][number]): string {
  return q.type === 'type-answer' ? q.accepted.join(' | ') : q.correct.map((c) => q.choices[c] ?? '').join(' | ');
}

/**
 * A game's results as CSV: players by final rank, then questions in order; lines end with CRLF.
 * `answer_ms` is the time that counted, `server_ms` the server's time before the latency allowance,
 * `fast_reaction` true when the answer was under the reaction floor (results' `timing`).
 */
export function resultsCsv(results: GameResults): string {
  const { game } = results;
  const lines = [RESULTS_CSV_COLUMNS.join(',')];
  const players = [...results.players].sort((a, b) => a.rank - b.rank);
  const answers = results.questions.map((q) => new Map(q.breakdown.players.map((row) => [row.playerId, row])));
  const timings = new Map(results.answers.map((a) => [`${a.questionIndex}:${a.playerId}`, a]));
  const floor = results.timing.reactionFloorMs;
  for (const p of players) {
    for (const q of results.questions) {
      const a = answers[q.index]?.get(p.playerId);
      const choice = a?.choice ?? null;
      const t = timings.get(`${q.index}:${p.playerId}`);
      const fast = t ? isFastReaction(t, floor) : null;
      lines.push(
        [
          field(game.id), field(game.roomCode), field(game.finishedAt), field(p.rank), field(p.nickname, true), field(p.playerId),
          field(p.userId), field(p.score), field(q.index + 1), field(q.text, true), field(rightAnswer(q), true),
          field(choice === null ? (a?.text ?? null) : (q.choices[choice] ?? null), true), field(a?.correct ?? false), field(a?.points ?? 0),
          field(a?.elapsedMs ?? null), field(t?.serverMs ?? null), field(t?.reportedMs ?? null), field(fast),
        ].join(','),
      );
    }
  }
  return lines.join('\r\n') + '\r\n';
}
