import { SCHEDULE_LEAD_MS, jobId } from '../src/shared/jobs';
import type { RoomState } from '../src/game/room-state';
import type { Queues } from '../src/store/queues';

type RoomAt = Pick<RoomState, 'code' | 'gameId' | 'version'>;

/**
 * The phase's deadline advance, scheduled when the phase opens. It retries without limit (see
 * queues.ts), so no tick and no other job has to survive for the room to move on. A question closes
 * only after `answerGraceMs` past its deadline: an answer that arrived in time may still be on its way
 * to Redis (docs/game.md, "Timing").
 */
export async function scheduleAdvance(queues: Queues, room: RoomAt & Pick<RoomState, 'phase'> & { deadlineAt: number }, answerGraceMs: number): Promise<void> {
  const dueAt = room.deadlineAt + (room.phase === 'question' ? answerGraceMs : 0);
  await queues.advance.add(
    'advance',
    { roomCode: room.code, gameId: room.gameId, version: room.version, dueAt },
    { jobId: jobId.advance(room.gameId, room.version), delay: Math.max(0, dueAt - Date.now() - SCHEDULE_LEAD_MS) },
  );
}

/** Closes a question now: the deadline's advance already waits, delayed, so it is promoted rather than doubled. */
export async function closeEarly(queues: Queues, room: RoomAt): Promise<void> {
  const id = jobId.advance(room.gameId, room.version);
  const job = await queues.advance.getJob(id);
  if (!job) {
    await queues.advance.add('advance', { roomCode: room.code, gameId: room.gameId, version: room.version, dueAt: 0 }, { jobId: id });
    return;
  }
  if (await job.isDelayed()) await job.promote().catch(() => undefined);
}
