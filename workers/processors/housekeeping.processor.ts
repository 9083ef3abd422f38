import type { Job } from 'bullmq';
import type { HousekeepingJob } from '../../src/shared/jobs';
import type { WorkerDeps } from '../deps';

/**
 * Scheduled when a room opens its lobby or is paused, for the idle time later. If the room is still
 * at that version, nothing happened there since: the api ends it (a lobby is cancelled, a paused
 * game finishes with its results saved). Any change since makes the job stale.
 */
export function housekeepingProcessor({ rooms, webhook }: WorkerDeps) {
  return async (job: Job<HousekeepingJob>) => {
    const { roomCode, version, reason } = job.data;
    const room = await rooms.get(roomCode);
    if (!room || room.version !== version) return { result: 'stale' };
    return webhook('end', roomCode, { version, reason });
  };
}
