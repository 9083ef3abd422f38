import { SCHEDULE_LEAD_MS, jobId } from '../src/shared/jobs';
import type { RoomState } from '../src/game/room-state';
import type { Queues } from '../src/store/queues';

type RoomAt = Pick<RoomState, 'code' | 'gameId' | 'version'>;
type TimedRoom = RoomAt & Pick<RoomState, 'phase'> & { deadlineAt: number };

/**
 * When the phase's advance is due, on Redis's clock: a question closes only `answerGraceMs` past its
 * deadline, as an answer that arrived in time may still be on its way to Redis (docs/game.md, "Fair timing").
 */
export function advanceDueAt(room: Pick<TimedRoom, 'phase' | 'deadlineAt'>, answerGraceMs: number): number {
  return room.deadlineAt + (room.phase === 'question' ? answerGraceMs : 0);
}

/**
 * The phase's deadline advance, scheduled when the phase opens. It retries without limit (see
 * queues.ts), so no tick and no other job has to survive for the room to move on. `redisNow`: Redis's
 * clock now (the deadline is on it), not this host's. BullMQ releases the job by the clock of whichever
 * host fetches it, so it may come early; the processor holds it until `dueAt` (hold-until-due.ts).
 */
export async function scheduleAdvance(queues: Queues, room: TimedRoom, answerGraceMs: number, redisNow: number): Promise<void> {
  const dueAt = advanceDueAt(room, answerGraceMs);
  await queues.advance.add(
    'advance',
    { roomCode: room.code, gameId: room.gameId, version: room.version, dueAt },
    { jobId: jobId.advance(room.gameId, room.version), delay: Math.max(0, dueAt - redisNow - SCHEDULE_LEAD_MS) },
  );
}

/**
 * Closes a question now: the deadline's advance already waits, so it is marked due now (`dueAt: 0`, which
 * its processor does not hold) and promoted rather than doubled. Marked first, so that an advance already
 * taken (held until its due time, or being moved back to the delayed set) runs at once too.
 */
export async function closeEarly(queues: Queues, room: RoomAt): Promise<void> {
  const id = jobId.advance(room.gameId, room.version);
  const job = await queues.advance.getJob(id);
  if (!job) {
    await queues.advance.add('advance', { roomCode: room.code, gameId: room.gameId, version: room.version, dueAt: 0 }, { jobId: id });
    return;
  }
  // A job removed meanwhile (retention) has nothing left to mark.
  if (job.data.dueAt !== 0) await job.updateData({ ...job.data, dueAt: 0 }).catch(() => undefined);
  if (await job.isDelayed()) await job.promote().catch(() => undefined);
}
