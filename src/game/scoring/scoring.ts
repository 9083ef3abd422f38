/**
 * Speed scoring: a correct answer worth `points` earns points × (1 − (t / T) / 2), rounded,
 * where t is the time that counts (docs/game.md, "Fair timing": from when this player was sent the question to when
 * the answer arrived, less the capped latency allowance) and T the question time.
 * An instant answer earns everything, one at the deadline half. Wrong answers earn 0.
 * The answer Lua script computes the same, with STREAK_STEP and STREAK_CAP written into its text;
 * test/integration/answer-script.test.ts runs it against these functions.
 */
export function speedPoints(points: number, elapsedMs: number, questionMs: number): number {
  const t = Math.min(Math.max(elapsedMs, 0), questionMs);
  return Math.round(points * (1 - t / questionMs / 2));
}

export const STREAK_STEP = 100;
export const STREAK_CAP = 500;

/** Bonus for the n-th correct answer in a row: nothing for the first, +100 per further one, at most +500 (none in a room for no points: answer.lua). */
export function streakBonus(streak: number): number {
  return Math.min(Math.max(streak - 1, 0) * STREAK_STEP, STREAK_CAP);
}

/** What the server knows of one answer's timing, all in ms (see docs/game.md, "Timing"). */
export interface AnswerTiming {
  /** Arrival at the socket process minus when the question was sent to this player, both on Redis's clock. */
  serverMs: number;
  /** The connection's measured round trip; null before the first measurement. */
  rttMs: number | null;
  /** How long the socket process's loop was busy before it read the answer: the most the answer waited there unread. */
  loopBusyMs: number;
  /** The client's own question-shown-to-tap time, if it sent one; never trusted beyond the bounds below. */
  reportedMs: number | null;
  /** The most the allowance may take off; 0 turns it off. */
  capMs: number;
}

/**
 * The time that counts: the server's time less a latency allowance. A reported reaction time is used
 * only inside [serverMs − min(rtt + loop busy, cap), serverMs], so a lying client gains at most the cap
 * and an honest one is not charged for the server's busy loop; without a report, half the round trip
 * (up to the cap) is credited. The answer Lua script computes the same.
 */
export function countedMs({ serverMs, rttMs, loopBusyMs, reportedMs, capMs }: AnswerTiming): number {
  const rtt = rttMs ?? 0;
  const fastest = Math.max(serverMs - Math.min(rtt + loopBusyMs, capMs), 0);
  if (reportedMs !== null) return Math.min(Math.max(reportedMs, fastest), serverMs);
  return Math.max(serverMs - Math.min(Math.floor(rtt / 2), capMs), 0);
}
