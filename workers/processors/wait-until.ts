import { setTimeout as sleep } from 'node:timers/promises';
import { SCHEDULE_LEAD_MS } from '../../src/shared/jobs';

/**
 * Waits out the lead a delayed job was scheduled early by, and returns the time it is then, on `now`
 * (Redis's clock, which `dueAt` is on). A job far ahead of its due time (an advance promoted to close a question early) does not wait.
 */
export async function waitUntil(dueAt: number, now: () => number): Promise<number> {
  const wait = dueAt - now();
  if (wait > 0 && wait <= SCHEDULE_LEAD_MS + 10) await sleep(wait);
  return now();
}
