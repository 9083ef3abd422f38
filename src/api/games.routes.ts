import { Router } from 'express';
import { ErrorCode } from '../shared/error-codes';
import { AppError } from './app-error';
import type { ApiDeps } from './deps';

export function gamesRoutes({ games }: ApiDeps): Router {
  const router = Router();
  router.get('/games/:id/results', async (req, res) => {
    const results = await games.results(String(req.params.id));
    if (!results) {
      throw new AppError(ErrorCode.NotFound, 404, 'No results for this game; it may still be running or being saved.');
    }
    res.json(results);
  });
  return router;
}
