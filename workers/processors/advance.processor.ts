import type { Job } from 'bullmq';
import type { AdvanceJob } from '../../src/shared/jobs';
import type { WorkerDeps } from '../deps';
import { waitUntil } from './wait-until';

/**
 * Moves a room on through the api. A 409 (already advanced, or stale) ends the job as done; an api
 * that cannot be reached is tried again without limit (queues.ts), so an outage only delays the room.
 */
export function advanceProcessor({ webhook, rooms, redisClock }: WorkerDeps) {
  return async (job: Job<AdvanceJob>) => {
    const { roomCode, gameId, version, dueAt } = job.data;
    // Never before the deadline: an answer sent in the last milliseconds still counts.
    await waitUntil(dueAt, redisClock.now);
    const room = await rooms.get(roomCode);
    // A later game under the same code is not this job's business, even at the same version.
    if (!room || room.gameId !== gameId || room.version !== version) return { result: 'stale' };
    return webhook('advance', roomCode, { version });
  };
}
