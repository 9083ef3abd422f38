import type { CheatSignal, GameResults } from '../../shared/game-results';

type Answer = GameResults['answers'][number];

/** Same answers as this many players or more (the player included) make a group worth a look. */
export const SAME_PATTERN_MIN_PLAYERS = 3;
/** ...over at least this many answered questions, */
export const SAME_PATTERN_MIN_ANSWERS = 3;
/** ...with at least this many wrong answers in common: everyone who knows it all answers alike. */
export const SAME_PATTERN_MIN_WRONG = 2;

/** This many players (or more) joining one game from one network address is worth a look; a classroom behind one router is too. */
export const SAME_ADDRESS_MIN_PLAYERS = 4;

/** Faster than a person reacts: by the time that counted, or by the player's own report. */
export function isFastReaction(a: Pick<Answer, 'elapsedMs' | 'reportedMs'>, reactionFloorMs: number): boolean {
  return a.elapsedMs < reactionFloorMs || (a.reportedMs !== null && a.reportedMs < reactionFloorMs);
}

/** One player's answers as a comparable key, and how many of them were wrong (polls are never wrong). */
function pattern(answers: Answer[], polls: ReadonlySet<number>): { key: string; count: number; wrong: number } {
  const sorted = [...answers].sort((a, b) => a.questionIndex - b.questionIndex);
  return {
    key: sorted.map((a) => `${a.questionIndex}:${a.choice ?? `t${(a.text ?? '').toLowerCase()}`}`).join('|'),
    count: sorted.length,
    wrong: sorted.filter((a) => !a.correct && !polls.has(a.questionIndex)).length,
  };
}

/**
 * Each player's signs of cheating, for the host to judge; flagged, never acted on:
 * `fast-reaction`, answers faster than a person reacts; `same-pattern`, the very same answers, wrong
 * ones included, as a group of other players (shared screens, or one person playing several);
 * `same-address`, many players joined from one network address.
 */
export function cheatSignals(
  players: Pick<GameResults['players'][number], 'playerId' | 'sameAddressPlayers'>[],
  answers: Answer[],
  { reactionFloorMs, polls }: { reactionFloorMs: number; polls: ReadonlySet<number> },
): Map<string, CheatSignal[]> {
  const byPlayer = new Map<string, Answer[]>(players.map((p) => [p.playerId, []]));
  for (const a of answers) byPlayer.set(a.playerId, [...(byPlayer.get(a.playerId) ?? []), a]);
  const patterns = new Map([...byPlayer].map(([id, mine]) => [id, pattern(mine, polls)]));
  const sharing = new Map<string, number>();
  for (const p of patterns.values()) sharing.set(p.key, (sharing.get(p.key) ?? 0) + 1);

  const signals = new Map<string, CheatSignal[]>();
  for (const [id, mine] of byPlayer) {
    const found: CheatSignal[] = [];
    const fast = mine.filter((a) => isFastReaction(a, reactionFloorMs)).length;
    if (fast > 0) {
      found.push({
        kind: 'fast-reaction',
        count: fast,
        message: `${fast} answer${fast === 1 ? '' : 's'} under ${reactionFloorMs} ms, faster than a person reacts`,
      });
    }
    const p = patterns.get(id);
    const group = p ? (sharing.get(p.key) ?? 0) : 0;
    if (p && group >= SAME_PATTERN_MIN_PLAYERS && p.count >= SAME_PATTERN_MIN_ANSWERS && p.wrong >= SAME_PATTERN_MIN_WRONG) {
      found.push({
        kind: 'same-pattern',
        count: p.count,
        message: `the same ${p.count} answers, ${p.wrong} of them wrong, as ${group - 1} other player${group === 2 ? '' : 's'}`,
      });
    }
    signals.set(id, found);
  }
  for (const p of players) {
    const n = p.sameAddressPlayers ?? 0;
    if (n < SAME_ADDRESS_MIN_PLAYERS) continue;
    signals.get(p.playerId)?.push({ kind: 'same-address', count: n, message: `joined from the same network address as ${n - 1} other players` });
  }
  return signals;
}
