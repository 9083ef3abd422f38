import { Router } from 'express';
import { ErrorCode } from '../../shared/error-codes';
import { AppError } from '../app-error';
import type { ApiDeps } from '../deps';
import { resultsCsv } from './results-csv';

/**
 * Results are public to whoever holds the game id: a random UUID that only the people in the room
 * see (the host's answer to POST /rooms and the room view), as Kahoot shares a report link.
 */
export function gamesRoutes({ games, config }: ApiDeps): Router {
  const router = Router();

  async function resultsOf(id: string) {
    const results = await games.results(id, config.timing);
    if (!results) {
      throw new AppError(ErrorCode.NotFound, 404, 'No results for this game; it may still be running or being saved.');
    }
    return results;
  }

  router.get('/games/:id/results', async (req, res) => {
    res.json(await resultsOf(String(req.params.id)));
  });

  router.get('/games/:id/results.csv', async (req, res) => {
    const results = await resultsOf(String(req.params.id));
    const day = results.game.finishedAt.slice(0, 10);
    res.type('text/csv; charset=utf-8; header=present').attachment(`quizloop-${results.game.roomCode}-${day}.csv`).send(resultsCsv(results));
  });

  return router;
}
