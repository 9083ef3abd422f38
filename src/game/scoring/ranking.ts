/**
 * Orders players by score, highest first; equal scores go to the lower tie-break time (per question:
 * a correct answer's counted time, the whole question time for a wrong answer or none; a poll adds
 * nothing; transition.lua.ts keeps it), then to the player id, so every process ranks the same standings the same way.
 * Ranks are 1-based and unique.
 */
export function rankPlayers<T extends { playerId: string; score: number; totalMs: number }>(rows: T[]): (T & { rank: number })[] {
  return [...rows]
    .sort((a, b) => b.score - a.score || a.totalMs - b.totalMs || (a.playerId < b.playerId ? -1 : a.playerId > b.playerId ? 1 : 0))
    .map((r, i) => ({ ...r, rank: i + 1 }));
}

/** More than any game's tie-break time in ms (50 questions of 120 s are 6,000,000). */
export const RANK_TIME_SCALE = 1e9;

/**
 * The field of a room's `times` hash that holds what every player has been charged so far: the question time of
 * each question revealed, polls aside. Each player's own field holds what their correct answers saved of it
 * (the question time less the counted time), so a player's tie-break time is the charge less their saving,
 * and a reveal writes nothing for a player who did not answer (transition.lua.ts). Player ids never take this form.
 */
export const TIE_BREAK_CHARGED = '*';

/**
 * The same order as a number, for the room's `ranking` sorted set: ascending order is rankPlayers'
 * order (Redis orders equal numbers by member, the player id). Exact while points stay under 9e6. The set holds it
 * less TIE_BREAK_CHARGED's charge, which is every player's alike and so leaves the order as it is.
 */
export function rankKey(score: number, totalMs: number): number {
  return -score * RANK_TIME_SCALE + totalMs;
}
