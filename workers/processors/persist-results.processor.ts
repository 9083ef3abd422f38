import { type Job, UnrecoverableError } from 'bullmq';
import { boardExclusion } from '../../src/game/scoring/fair-game';
import type { PersistResultsJob } from '../../src/shared/jobs';
import type { WorkerDeps } from '../deps';

/**
 * Writes a finished game to PostgreSQL, then adds it to the leaderboards. The game's snapshot is
 * first kept in the results backlog (Redis, no expiry), so while PostgreSQL is down, however long,
 * nothing is lost: the job retries without limit on a capped backoff, and the reconciler enqueues it
 * again if it is ever lost. Both steps are idempotent, so a run that repeats either (a retry after
 * the leaderboards failed, a stalled job, a second worker) changes nothing the first run did.
 */
export function persistResultsProcessor({ rooms, views, games, questions, leaderboards, results, leaderboardMinPlayers }: WorkerDeps) {
  return async (job: Job<PersistResultsJob>) => {
    const { roomCode, gameId } = job.data;
    let snapshot = await results.get(gameId);
    if (!snapshot) {
      const room = await rooms.get(roomCode);
      if (!room || room.gameId !== gameId) throw new UnrecoverableError(`room ${roomCode} (game ${gameId}) expired before its results were saved`);
      if (room.phase !== 'finished') throw new UnrecoverableError(`room ${roomCode} is ${room.phase}, not finished`);
      snapshot = await views.snapshot(room, await rooms.getQuestions(roomCode));
      await results.keep(snapshot);
    }
    const written = await games.saveResults(snapshot);
    const scores = new Map(snapshot.standings.map((s) => [s.playerId, s.score]));
    const questionIds = snapshot.questions.map((q) => q.id);
    // As saved: an account deleted since its player joined (DELETE /me) neither counts nor earns points on the boards.
    const accounts = await games.playerAccounts(gameId);
    const players = snapshot.players.map((p) => ({ ...p, userId: accounts.get(p.id) ?? null }));
    const excluded = boardExclusion(
      { hostId: snapshot.room.hostId, players, questionIds },
      await questions.othersPublicAmong(questionIds, snapshot.room.hostId),
      leaderboardMinPlayers,
    );
    if (excluded) {
      await results.saved(gameId);
      return { result: written ? 'saved' : 'already-saved', leaderboards: excluded, players: snapshot.players.length };
    }
    const boards = await leaderboards.recordGame({
      gameId,
      finishedAt: snapshot.room.finishedAt ?? Date.now(),
      players: players.map((p) => ({ userId: p.userId, score: scores.get(p.id) ?? 0 })),
    });
    await results.saved(gameId);
    return { result: written ? 'saved' : 'already-saved', leaderboards: boards, players: snapshot.players.length };
  };
}
