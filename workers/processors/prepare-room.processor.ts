import type { Job } from 'bullmq';
import { pickQuestions } from '../../src/game/pick-questions';
import type { PrepareRoomJob } from '../../src/shared/jobs';
import type { WorkerDeps } from '../deps';

/** Picks the room's questions from the bank and hands them to the api; too few → the room fails with a reason. */
export function prepareRoomProcessor({ rooms, questions, webhook }: WorkerDeps) {
  return async (job: Job<PrepareRoomJob>) => {
    const { roomCode, version } = job.data;
    const room = await rooms.get(roomCode);
    if (!room || room.version !== version || room.phase !== 'building') return { result: 'stale' };

    const { category, difficulty, questionCount } = room.settings;
    const candidates = await questions.candidates({ category, difficulty, hostId: room.hostId });
    const picked = pickQuestions(candidates, questionCount);
    if (!picked) {
      const filter = [category && `category "${category}"`, difficulty && `difficulty ${difficulty}`].filter(Boolean).join(' and ');
      const reason = `The question bank has ${candidates.length} question(s) this host may use${filter ? ` for ${filter}` : ''}; the room needs ${questionCount}.`;
      return webhook('failed', roomCode, { version, reason });
    }
    return webhook('prepared', roomCode, { version, questions: picked });
  };
}
