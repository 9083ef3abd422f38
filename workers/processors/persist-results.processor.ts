import { type Job, UnrecoverableError } from 'bullmq';
import type { PersistResultsJob } from '../../src/shared/jobs';
import type { WorkerDeps } from '../deps';

/**
 * Writes a finished game to PostgreSQL. While PostgreSQL is down the job throws and BullMQ
 * retries with backoff for about an hour; the room's Redis keys outlive that, so nothing is lost.
 */
export function persistResultsProcessor({ rooms, views, games }: WorkerDeps) {
  return async (job: Job<PersistResultsJob>) => {
    const { roomCode, gameId } = job.data;
    const room = await rooms.get(roomCode);
    if (!room || room.gameId !== gameId) throw new UnrecoverableError(`room ${roomCode} (game ${gameId}) expired before its results were saved`);
    if (room.phase !== 'finished') throw new UnrecoverableError(`room ${roomCode} is ${room.phase}, not finished`);
    const snapshot = await views.snapshot(room, await rooms.getQuestions(roomCode));
    const written = await games.saveResults(snapshot);
    return { result: written ? 'saved' : 'already-saved', players: snapshot.players.length };
  };
}
