import { Router } from 'express';
import { z } from 'zod';
import type { HistoryCursor } from '../../store/repos/history.repo';
import { AppError } from '../app-error';
import { requireUser } from '../auth/auth.middleware';
import type { ApiDeps } from '../deps';
import { type MyGames, MyGamesQuery } from './history.schemas';
import { parse } from '../validation';

/** The cursor is opaque to clients: base64url of the last game's finish time and id. */
function encodeCursor(c: HistoryCursor): string {
  return Buffer.from(JSON.stringify([c.finishedAt, c.gameId])).toString('base64url');
}

/**
 * What encodeCursor writes and nothing else: PostgreSQL casts both parts (`::timestamptz`, `::uuid`) and
 * would fail the query, a 500, on text that Date.parse or a loose pattern let through.
 */
const CursorParts = z.tuple([
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
    // The round trip rejects days past the month's end, which Date.parse rolls over; PostgreSQL has no year 0.
    .refine((s) => {
      const ms = Date.parse(s);
      return !s.startsWith('0000') && !Number.isNaN(ms) && new Date(ms).toISOString() === s;
    }),
  z.guid(),
]);

function decodeCursor(raw: string): HistoryCursor {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    // Not JSON: the 400 below.
  }
  const parsed = CursorParts.safeParse(parts);
  if (!parsed.success) throw AppError.badRequest('cursor is not one this api gave out; pass nextCursor from the previous page as it is.');
  const [finishedAt, gameId] = parsed.data;
  return { finishedAt, gameId };
}

export function historyRoutes({ config, history, users }: ApiDeps): Router {
  const router = Router();

  router.get('/me/games', async (req, res) => {
    const user = await requireUser(req, config.jwtSecret, users);
    const { limit, cursor } = parse(MyGamesQuery, req.query);
    const page = await history.gamesOf(user.sub, limit, cursor === undefined ? null : decodeCursor(cursor));
    res.json({ games: page.games, nextCursor: page.next && encodeCursor(page.next) } satisfies MyGames);
  });

  return router;
}
