import { type Job, UnrecoverableError } from 'bullmq';
import { countsOnLeaderboards } from '../../src/game/fair-game';
import type { PersistResultsJob } from '../../src/shared/jobs';
import type { WorkerDeps } from '../deps';

/**
 * Writes a finished game to PostgreSQL, then adds it to the leaderboards. While PostgreSQL is down
 * the job throws and BullMQ retries with backoff for about an hour; the room's Redis keys outlive
 * that, so nothing is lost. Both steps are idempotent, so a run that repeats either (a retry after
 * the leaderboards failed, a stalled job, a second worker) changes nothing the first run did.
 */
export function persistResultsProcessor({ rooms, views, games, leaderboards, leaderboardMinPlayers }: WorkerDeps) {
  return async (job: Job<PersistResultsJob>) => {
    const { roomCode, gameId } = job.data;
    const room = await rooms.get(roomCode);
    if (!room || room.gameId !== gameId) throw new UnrecoverableError(`room ${roomCode} (game ${gameId}) expired before its results were saved`);
    if (room.phase !== 'finished') throw new UnrecoverableError(`room ${roomCode} is ${room.phase}, not finished`);
    const snapshot = await views.snapshot(room, await rooms.getQuestions(roomCode));
    const written = await games.saveResults(snapshot);
    const scores = new Map(snapshot.standings.map((s) => [s.playerId, s.score]));
    if (!countsOnLeaderboards(room.hostId, snapshot.players, leaderboardMinPlayers)) {
      return { result: written ? 'saved' : 'already-saved', leaderboards: 'too-few-players', players: snapshot.players.length };
    }
    const boards = await leaderboards.recordGame({
      gameId,
      finishedAt: room.finishedAt ?? Date.now(),
      players: snapshot.players.map((p) => ({ userId: p.userId, score: scores.get(p.id) ?? 0 })),
    });
    return { result: written ? 'saved' : 'already-saved', leaderboards: boards, players: snapshot.players.length };
  };
}
