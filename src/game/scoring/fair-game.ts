/**
 * Whether a finished game may count on the leaderboards: at least `minOthers` distinct signed-in
 * players besides the host. A host alone, or with guests, or with a second account of their own
 * under the same id, cannot farm points in a room of their own.
 */
export function countsOnLeaderboards(hostId: string, players: readonly { userId: string | null }[], minOthers: number): boolean {
  const others = new Set(players.map((p) => p.userId).filter((id): id is string => id !== null && id !== hostId));
  return others.size >= minOthers;
}
