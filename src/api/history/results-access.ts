import type { GameResults } from '../../shared/game-results';
import type { TokenClaims } from '../../shared/tokens';

/** Who a saved game is about: its host, and its players by player id and by account. */
export interface GameParties {
  hostId: string | null;
  players: readonly { playerId: string; userId: string | null }[];
}

/** The game's host (by account, or by a host token, whose subject is the host's account). */
export const isHostOf = (claims: TokenClaims | null, game: Pick<GameParties, 'hostId'>): boolean =>
  (claims?.kind === 'user' || claims?.kind === 'host') && game.hostId !== null && claims.sub === game.hostId;

export const isAdmin = (claims: TokenClaims | null): boolean => claims?.kind === 'user' && claims.role === 'admin';

/**
 * Results are the host's, the players' and admins' until the host makes them public: a player is anyone
 * who played the game, by the player token they played with or by the account they joined under.
 */
export function mayReadResults(claims: TokenClaims | null, game: GameParties & { resultsPublic: boolean }): boolean {
  if (game.resultsPublic || isAdmin(claims) || isHostOf(claims, game)) return true;
  if (claims?.kind === 'player') return game.players.some((p) => p.playerId === claims.sub);
  if (claims?.kind === 'user') return game.players.some((p) => p.userId === claims.sub);
  return false;
}

export const partiesOf = (results: GameResults): GameParties & { resultsPublic: boolean } => ({
  hostId: results.game.hostId,
  players: results.players,
  resultsPublic: results.game.settings.resultsPublic === true,
});
