import type { TimingRule } from '../../shared/game-results';

/** The fair-timing settings the results report (src/platform/config.ts, docs/game.md "Fair timing"). */
export interface ResultsTiming {
  allowanceCapMs: number;
  reactionFloorMs: number;
  answerGraceMs: number;
}

/** The timing rule in words, as docs/game.md states it, with the settings the game ran with. */
export function timingRule({ allowanceCapMs, reactionFloorMs, answerGraceMs }: ResultsTiming): TimingRule {
  const allowance =
    allowanceCapMs > 0
      ? `Up to ${allowanceCapMs} ms of it is credited for network delay: half the connection's measured round trip, or the reaction time the player's app reported, used only within the round trip plus the time the server was busy just before it read the answer.`
      : 'No allowance is made for network delay.';
  return {
    rule:
      "An answer is timed from when the question was sent to the player until the server read the answer, on the server's clock; " +
      'time the answer then waited inside the server does not count. A player not connected when it was sent is timed from the opening, ' +
      `or from their join when they joined during the question. ${allowance} ` +
      `An answer that reached the server by the deadline${allowanceCapMs > 0 ? ` (plus the player's measured round trip, at most ${allowanceCapMs} ms: a countdown ends that late on the player's screen)` : ''} counts however late it is processed, until the question closes (${answerGraceMs} ms after the deadline, later only if the server stalls). ` +
      `Answers under ${reactionFloorMs} ms, the same answers (wrong ones included) as several other players, and many players from one network address are flagged for the host, never penalised.`,
    allowanceCapMs,
    reactionFloorMs,
    answerGraceMs,
  };
}
