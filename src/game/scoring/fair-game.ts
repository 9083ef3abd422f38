import type { BoardStanding } from '../../shared/game-results';

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
export type BoardExclusion = BoardStanding['excluded'];

/**
 * The whole rule (docs/api.md, "Leaderboards"): enough signed-in players besides the host, and every
 * question asked public in the bank and written by someone other than the host, as the bank says when
 * the results are saved. A question the host could see the answer to (their own private import, or one
 * of their own they made public) keeps the whole game off the boards; its results are saved as any other.
 */
export function boardExclusion(
  game: { hostId: string; players: readonly { userId: string | null }[]; questionIds: readonly number[] },
  fairIds: ReadonlySet<number>,
  minOthers: number,
): BoardExclusion {
  if (!countsOnLeaderboards(game.hostId, game.players, minOthers)) return 'too-few-players';
  if (game.questionIds.some((id) => !fairIds.has(id))) return 'host-questions';
  return null;
}

/** The rule's verdict on one game, with the reason in plain words for the host's results screen. */
export function boardStanding(excluded: BoardExclusion, minOthers: number): BoardStanding {
  switch (excluded) {
    case null:
      return { counts: true, excluded, message: 'This game counted on the leaderboards.' };
    case 'too-few-players':
      return {
        counts: false,
        excluded,
        message: `This game did not count on the leaderboards: a game counts with at least ${minOthers} signed-in ${minOthers === 1 ? 'player' : 'players'} besides the host.`,
      };
    case 'host-questions':
      return {
        counts: false,
        excluded,
        message: "This game did not count on the leaderboards: it asked the host's own questions, and a host knows their answers.",
      };
  }
}
