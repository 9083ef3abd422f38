import type { Job } from 'bullmq';
import type { AdvanceJob } from '../../src/shared/jobs';
import type { WorkerDeps } from '../deps';
import { waitUntil } from './wait-until';

/** Moves a room on through the api; a 409 (already advanced, or stale) ends the job as done. */
export function advanceProcessor({ webhook }: WorkerDeps) {
  return async (job: Job<AdvanceJob>) => {
    // Never before the deadline: an answer sent in the last milliseconds still counts.
    await waitUntil(job.data.dueAt);
    return webhook('advance', job.data.roomCode, { version: job.data.version });
  };
}
