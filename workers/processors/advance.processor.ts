import { DelayedError, type Job } from 'bullmq';
import { type AdvanceJob, SCHEDULE_LEAD_MS } from '../../src/shared/jobs';
import type { WorkerDeps } from '../deps';
import { holdUntilDue } from './hold-until-due';

/**
 * Moves a room on through the api. A 409 (already advanced, or stale) ends the job as done; an api
 * that cannot be reached is tried again without limit (queues.ts), so an outage only delays the room.
 */
export function advanceProcessor({ webhook, rooms, redisClock, queues }: WorkerDeps) {
  return async (job: Job<AdvanceJob>, token?: string) => {
    const { roomCode, gameId, version, dueAt } = job.data;
    const latest = async () => (job.id ? queues.advance.getJob(job.id) : undefined);
    const dueAtNow = async () => (await latest())?.data.dueAt;
    // Never before the deadline (+ grace), whatever this host's clock says: an answer sent in the last milliseconds still counts.
    const hold = await holdUntilDue(dueAt, redisClock.now, dueAtNow);
    if (!hold.due) {
      // Released far too early: back to the delayed set, due by this host's clock, which measured how far off it is.
      await job.moveToDelayed(Date.now() + hold.inMs - SCHEDULE_LEAD_MS, token);
      // An early close that marked it due while it was being moved found it active and could not promote it.
      const moved = await latest();
      if (moved && moved.data.dueAt <= redisClock.now()) await moved.promote().catch(() => undefined);
      throw new DelayedError();
    }
    const room = await rooms.get(roomCode);
    // A later game under the same code is not this job's business, even at the same version.
    if (!room || room.gameId !== gameId || room.version !== version) return { result: 'stale' };
    return webhook('advance', roomCode, { version });
  };
}
