import type { Job } from 'bullmq';
import { pickQuestions } from '../../src/game/pick-questions';
import type { PrepareRoomJob } from '../../src/shared/jobs';
import type { WorkerDeps } from '../deps';

/** PostgreSQL's "data exception" class (bad bytes, bad values): trying the same input again fails the same way. */
const isPermanent = (err: unknown) => typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('22');

/**
 * Picks the room's questions from the bank and hands them to the api; too few → the room fails with a
 * reason. When the bank cannot be read, it retries; on its last attempt, or for an error that will not
 * change, it fails the room with a reason the host sees rather than leave it building.
 */
export function prepareRoomProcessor({ rooms, questions, webhook, log }: WorkerDeps) {
  return async (job: Job<PrepareRoomJob>) => {
    const { roomCode, gameId, version } = job.data;
    const room = await rooms.get(roomCode);
    if (!room || room.gameId !== gameId || room.version !== version || room.phase !== 'building') return { result: 'stale' };

    const { category, difficulty, questionCount } = room.settings;
    let candidates: Awaited<ReturnType<typeof questions.candidates>>;
    try {
      candidates = await questions.candidates({ category, difficulty, hostId: room.hostId });
    } catch (err) {
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!lastAttempt && !isPermanent(err)) throw err;
      log.error('could not read the question bank; the room fails', { room: roomCode, err });
      return webhook('failed', roomCode, { version, reason: 'The question bank could not be read, so no questions were picked. Create the room again.' });
    }
    const picked = pickQuestions(candidates, questionCount);
    if (!picked) {
      const filter = [category && `category "${category}"`, difficulty && `difficulty ${difficulty}`].filter(Boolean).join(' and ');
      const reason = `The question bank has ${candidates.length} question(s) this host may use${filter ? ` for ${filter}` : ''}; the room needs ${questionCount}.`;
      return webhook('failed', roomCode, { version, reason });
    }
    return webhook('prepared', roomCode, { version, questions: picked });
  };
}
