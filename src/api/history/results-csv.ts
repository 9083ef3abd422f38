import { stringify } from 'csv-stringify/sync';
import { isFastReaction } from '../../game/scoring/cheat-signals';
import type { GameResults } from '../../shared/game-results';

/** The header row of the export; one row follows per player per question. */
export const RESULTS_CSV_COLUMNS = [
  'game_id',
  'room_code',
  'finished_at',
  'rank',
  'nickname',
  'player_id',
  'user_id',
  'score',
  'question_number',
  'question',
  'correct_answer',
  'answer',
  'correct',
  'points',
  'answer_ms',
  'server_ms',
  'reported_ms',
  'fast_reaction',
] as const;

/** What counted as right, in words: the correct choices, or a type-answer's accepted answers; empty for a poll. */
function rightAnswer(q: GameResults['questions'][number]): string {
  return q.type === 'type-answer' ? q.accepted.join(' | ') : q.correct.map((c) => q.choices[c] ?? '').join(' | ');
}

/**
 * A game's results as CSV (RFC 4180): players by final rank, then questions in order; lines end with CRLF.
 * `answer_ms` is the time that counted, `server_ms` the server's time before the latency allowance,
 * `fast_reaction` true when the answer was under the reaction floor (results' `timing`).
 * Text a player or author wrote is kept from being read as a formula by spreadsheets (OWASP "CSV
 * injection"): a field starting with = + - @ or a tab gets a leading apostrophe. No other column can
 * start with one of those (ids, codes, times, and numbers, which the library never escapes).
 */
export function resultsCsv(results: GameResults): string {
  const { game } = results;
  const players = [...results.players].sort((a, b) => a.rank - b.rank);
  const answers = results.questions.map((q) => new Map(q.breakdown.players.map((row) => [row.playerId, row])));
  const timings = new Map(results.answers.map((a) => [`${a.questionIndex}:${a.playerId}`, a]));
  const floor = results.timing.reactionFloorMs;
  const rows = players.flatMap((p) =>
    results.questions.map((q) => {
      const a = answers[q.index]?.get(p.playerId);
      const choice = a?.choice ?? null;
      const t = timings.get(`${q.index}:${p.playerId}`);
      return [
        game.id,
        game.roomCode,
        game.finishedAt,
        p.rank,
        p.nickname,
        p.playerId,
        p.userId,
        p.score,
        q.index + 1,
        q.text,
        rightAnswer(q),
        choice === null ? (a?.text ?? null) : (q.choices[choice] ?? null),
        a?.correct ?? false,
        a?.points ?? 0,
        a?.elapsedMs ?? null,
        t?.serverMs ?? null,
        t?.reportedMs ?? null,
        t ? isFastReaction(t, floor) : null,
      ];
    }),
  );
  return stringify(rows, {
    header: true,
    columns: [...RESULTS_CSV_COLUMNS],
    record_delimiter: 'windows',
    escape_formulas: true,
    cast: { boolean: (value) => String(value) },
  });
}
