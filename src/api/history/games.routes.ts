import { Router, type Request } from 'express';
import { ErrorCode } from '../../shared/error-codes';
import { AppError } from '../app-error';
import { checkHostToken, optionalAccountClaims } from '../auth/auth.middleware';
import type { ApiDeps } from '../deps';
import type { GameResultsRead } from '../../shared/game-results';
import { GameVisibility, type GameVisibilitySet } from '../schemas';
import { parse } from '../validation';
import { isAdmin, isHostOf, mayReadResults, partiesOf } from './results-access';
import { resultsBoardStanding } from './results-boards';
import { resultsCsv } from './results-csv';

const NO_RESULTS = 'No results for this game; it may still be running or being saved.';

/**
 * Results are the game's host's, its players' and admins' (docs/api.md, "Results, history and export"), unless the host made them
 * public: the room setting `resultsPublic`, or PUT /games/{id}/visibility afterwards.
 */
export function gamesRoutes({ games, questions, config, users, rooms }: ApiDeps): Router {
  const router = Router();

  /** The caller's token: a user token with its account checked, a host token not revoked by a password change since. */
  async function callerOf(req: Request) {
    const claims = await optionalAccountClaims(req, config.jwtSecret, users);
    if (claims?.kind === 'host') await checkHostToken(claims, rooms);
    return claims;
  }

  /** The results, for a caller allowed to read them; every view of a game's results goes through here. */
  async function readableResults(req: Request) {
    const claims = await callerOf(req);
    const results = await games.results(String(req.params.id), config.timing);
    if (!results) throw new AppError(ErrorCode.NotFound, 404, NO_RESULTS);
    if (!mayReadResults(claims, partiesOf(results))) {
      throw new AppError(
        ErrorCode.ResultsPrivate,
        403,
        claims
          ? "These results are private to the game's host, its players and admins, and your token is none of them."
          : "These results are private to the game's host, its players and admins: send the host's, a player's or your account's token.",
      );
    }
    return results;
  }

  router.get('/games/:id/results', async (req, res) => {
    const results = await readableResults(req);
    res.json({ ...results, leaderboards: await resultsBoardStanding(results, questions, config.limits.leaderboardMinPlayers) } satisfies GameResultsRead);
  });

  router.get('/games/:id/results.csv', async (req, res) => {
    const results = await readableResults(req);
    const day = results.game.finishedAt.slice(0, 10);
    res.type('text/csv; charset=utf-8; header=present').attachment(`quizloop-${results.game.roomCode}-${day}.csv`).send(resultsCsv(results));
  });

  router.put('/games/:id/visibility', async (req, res) => {
    const claims = await callerOf(req);
    if (!claims) throw AppError.unauthorized();
    const { resultsPublic } = parse(GameVisibility, req.body);
    const owner = await games.owner(String(req.params.id));
    if (!owner) throw new AppError(ErrorCode.NotFound, 404, NO_RESULTS);
    if (!isHostOf(claims, owner) && !isAdmin(claims)) {
      throw AppError.forbidden("Only the game's host (their account or host token) or an admin may change who reads its results.");
    }
    await games.setResultsPublic(owner.id, resultsPublic);
    res.json({ gameId: owner.id, resultsPublic } satisfies GameVisibilitySet);
  });

  return router;
}
