/**
 * Speed scoring: a correct answer worth `points` earns points × (1 − (t / T) / 2), rounded,
 * where t is the server-measured time since the question opened and T the question time.
 * An instant answer earns everything, one at the deadline half. Wrong answers earn 0.
 * The answer Lua script computes the same; keep the two in step.
 */
export function speedPoints(points: number, elapsedMs: number, questionMs: number): number {
  const t = Math.min(Math.max(elapsedMs, 0), questionMs);
  return Math.round(points * (1 - t / questionMs / 2));
}

export const STREAK_STEP = 100;
export const STREAK_CAP = 500;

/** Bonus for the n-th correct answer in a row: nothing for the first, +100 per further one, at most +500. */
export function streakBonus(streak: number): number {
  return Math.min(Math.max(streak - 1, 0) * STREAK_STEP, STREAK_CAP);
}
