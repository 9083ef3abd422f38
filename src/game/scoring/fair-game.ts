/**
 * Whether a finished game may count on the leaderboards: at least `minOthers` distinct signed-in
 * players besides the host. A host alone, or with guests, or with a second account of their own
 * under the same id, cannot farm points in a room of their own.
 */
export function countsOnLeaderboards(hostId: string, players: readonly { userId: string | null }[], minOthers: number): boolean {
  const others = new Set(players.map((p) => p.userId).filter((id): id is string => id !== null && id !== hostId));
  return others.size >= minOthers;
}

/** Why a game stays off the global and weekly boards; null when it counts. */
export type BoardExclusion = 'too-few-players' | 'host-private-questions' | null;

/**
 * The whole rule (README, "Fair leaderboards"): enough signed-in players besides the host, and every
 * question asked public in the bank when the results are saved. A question the host alone could see
 * (their own import or question, not published by an admin) may have been learnt by heart, so one such
 * question keeps the whole game off the boards; its results are saved as any other.
 */
export function boardExclusion(
  game: { hostId: string; players: readonly { userId: string | null }[]; questionIds: readonly number[] },
  publicIds: ReadonlySet<number>,
  minOthers: number,
): BoardExclusion {
  if (!countsOnLeaderboards(game.hostId, game.players, minOthers)) return 'too-few-players';
  if (game.questionIds.some((id) => !publicIds.has(id))) return 'host-private-questions';
  return null;
}
