import { Router } from 'express';
import type { LeaderboardsService } from './leaderboards.service';
import { LeaderboardAroundQuery, LeaderboardPlayerQuery, LeaderboardQuery } from './leaderboards.schemas';
import { parse } from '../validation';

/** Public: the boards show display names and scores of players who signed in to play. */
export function leaderboardsRoutes(service: LeaderboardsService): Router {
  const router = Router();

  router.get('/leaderboards', async (_req, res) => {
    res.json(await service.counts());
  });

  router.get('/leaderboards/:board', async (req, res) => {
    const { limit, week } = parse(LeaderboardQuery, req.query);
    res.json(await service.top(service.board(String(req.params.board), week), limit));
  });

  router.get('/leaderboards/:board/players/:userId', async (req, res) => {
    const { week } = parse(LeaderboardPlayerQuery, req.query);
    const board = service.board(String(req.params.board), week);
    res.json(await service.player(board, service.userIdParam(String(req.params.userId))));
  });

  router.get('/leaderboards/:board/players/:userId/around', async (req, res) => {
    const { radius, week } = parse(LeaderboardAroundQuery, req.query);
    const board = service.board(String(req.params.board), week);
    res.json(await service.around(board, service.userIdParam(String(req.params.userId)), radius));
  });

  return router;
}
