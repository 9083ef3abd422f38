import type { Job } from 'bullmq';
import { type HousekeepingJob, jobId } from '../../src/shared/jobs';
import type { WorkerDeps } from '../deps';
import { lastJoinAt } from '../idle';

/**
 * Scheduled when a room opens its lobby or is paused, for the idle time later. If the room is still
 * at that version, no lifecycle change happened since: the api ends it (a lobby is cancelled, a
 * paused game finishes with its results saved). Any change since makes the job stale. Joins change
 * no version, so a lobby that players are still joining is looked at again, idle time after the
 * last join.
 */
export function housekeepingProcessor({ rooms, webhook, queues, housekeeping, redisClock }: WorkerDeps) {
  return async (job: Job<HousekeepingJob>) => {
    const { roomCode, gameId, version, reason } = job.data;
    const room = await rooms.get(roomCode);
    if (!room || room.gameId !== gameId || room.version !== version) return { result: 'stale' };
    if (room.phase === 'lobby') {
      const lastJoin = await lastJoinAt(rooms, roomCode);
      const quietFor = redisClock.now() - lastJoin;
      if (quietFor < housekeeping.idleMs) {
        await queues.housekeeping.add('idle', job.data, {
          jobId: `${jobId.idle(gameId, version)}-${lastJoin}`,
          delay: housekeeping.idleMs - quietFor,
        });
        return { result: 'players still joining' };
      }
    }
    return webhook('end', roomCode, { version, reason });
  };
}
