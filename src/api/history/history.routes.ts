import { Router } from 'express';
import type { HistoryCursor } from '../../store/repos/history.repo';
import { AppError } from '../app-error';
import { requireClaims } from '../auth/auth.middleware';
import type { ApiDeps } from '../deps';
import { type MyGames, MyGamesQuery } from './history.schemas';
import { parse } from '../validation';

/** The cursor is opaque to clients: base64url of the last game's finish time and id. */
function encodeCursor(c: HistoryCursor): string {
  return Buffer.from(JSON.stringify([c.finishedAt, c.gameId])).toString('base64url');
}

function decodeCursor(raw: string): HistoryCursor {
  try {
    const [finishedAt, gameId] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown[];
    if (typeof finishedAt === 'string' && !Number.isNaN(Date.parse(finishedAt)) && typeof gameId === 'string' && /^[0-9a-f-]{36}$/i.test(gameId)) {
      return { finishedAt, gameId };
    }
  } catch {
    // Falls through to the 400 below.
  }
  throw AppError.badRequest('cursor is not one this api gave out; pass nextCursor from the previous page as it is.');
}

export function historyRoutes({ config, history }: ApiDeps): Router {
  const router = Router();

  router.get('/me/games', async (req, res) => {
    const user = requireClaims(req, config.jwtSecret, ['user']);
    const { limit, cursor } = parse(MyGamesQuery, req.query);
    const page = await history.gamesOf(user.sub, limit, cursor === undefined ? null : decodeCursor(cursor));
    res.json({ games: page.games, nextCursor: page.next && encodeCursor(page.next) } satisfies MyGames);
  });

  return router;
}
