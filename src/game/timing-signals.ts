import type { CheatSignal, GameResults, TimingRule } from '../shared/game-results';

/** The fair-timing settings the results report (src/shared/config.ts, README "Timing"). */
export interface ResultsTiming {
  allowanceCapMs: number;
  reactionFloorMs: number;
  answerGraceMs: number;
}

type Answer = Pick<GameResults['answers'][number], 'elapsedMs' | 'reportedMs'>;

/** The timing rule in words, as the README states it, with the settings the game ran with. */
export function timingRule({ allowanceCapMs, reactionFloorMs, answerGraceMs }: ResultsTiming): TimingRule {
  const allowance =
    allowanceCapMs > 0
      ? `Up to ${allowanceCapMs} ms of it is credited for network delay: half the connection's measured round trip, or the reaction time the player's app reported, used only within the round trip.`
      : 'No allowance is made for network delay.';
  return {
    rule:
      'An answer is timed from when the question was sent to the player until the answer reached the server, on the server\'s clock; ' +
      `time spent waiting inside the server does not count. ${allowance} ` +
      `An answer that reached the server by the deadline counts even when processed up to ${answerGraceMs} ms after it. ` +
      `Answers under ${reactionFloorMs} ms are flagged for the host, never penalised.`,
    allowanceCapMs,
    reactionFloorMs,
    answerGraceMs,
  };
}

/** Faster than a person reacts: by the time that counted, or by the player's own report. */
export function isFastReaction(a: Answer, reactionFloorMs: number): boolean {
  return a.elapsedMs < reactionFloorMs || (a.reportedMs !== null && a.reportedMs < reactionFloorMs);
}

/**
 * One player's signs of cheating, for the host to judge: answers faster than a person reacts (by the
 * time that counted, or by the player's own report). Flagged, never acted on.
 */
export function cheatSignals(answers: Answer[], { reactionFloorMs }: ResultsTiming): CheatSignal[] {
  const fast = answers.filter((a) => isFastReaction(a, reactionFloorMs)).length;
  if (fast === 0) return [];
  return [{ kind: 'fast-reaction', count: fast, message: `${fast} answer${fast === 1 ? '' : 's'} under ${reactionFloorMs} ms, faster than a person reacts` }];
}
