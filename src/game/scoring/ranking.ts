/**
 * Orders players by score, highest first; equal scores go to the lower cumulative answer time,
 * then to the player id, so every process ranks the same standings the same way.
 * Ranks are 1-based and unique.
 */
export function rankPlayers<T extends { playerId: string; score: number; totalMs: number }>(rows: T[]): (T & { rank: number })[] {
  return [...rows]
    .sort((a, b) => b.score - a.score || a.totalMs - b.totalMs || (a.playerId < b.playerId ? -1 : a.playerId > b.playerId ? 1 : 0))
    .map((r, i) => ({ ...r, rank: i + 1 }));
}
