import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The longest a job released before its due time holds its worker slot waiting for it. BullMQ releases a
 * delayed job by the fetching host's own clock, so a host whose clock runs ahead releases it early; within
 * this it waits (an NTP-kept host is milliseconds off), beyond it the job goes back to the delayed set, so
 * that a badly skewed host neither fills the advance queue's slots nor keeps a graceful stop waiting.
 */
export const HOLD_MAX_MS = 1000;
/** While held, the job's due time is read again this often: an early close marks it due now (`dueAt: 0`). */
const RECHECK_MS = 100;

export type Hold = { due: true } | { due: false; inMs: number };

/**
 * Waits until `dueAt` on `now` (Redis's clock, which room deadlines and so `dueAt` are on), however early the
 * job was released: never before it. `dueAtNow` reads the job's due time again, as an early close may have
 * changed it. Answers `due: false` without waiting when the due time is more than HOLD_MAX_MS away.
 */
export async function holdUntilDue(dueAt: number, now: () => number, dueAtNow: () => Promise<number | undefined>): Promise<Hold> {
  let due = dueAt;
  for (;;) {
    const wait = due - now();
    if (wait <= 0) return { due: true };
    if (wait > HOLD_MAX_MS) return { due: false, inMs: wait };
    await sleep(Math.min(wait, RECHECK_MS));
    // The usual hold (the SCHEDULE_LEAD_MS a job is released early by) ends in one sleep, with no read.
    if (wait > RECHECK_MS) due = (await dueAtNow()) ?? due;
  }
}
