import type { Job } from 'bullmq';
import { isTimedPhase } from '../../src/game/room-machine';
import { SCHEDULE_LEAD_MS, TICK_MS, type TickJob, jobId } from '../../src/shared/jobs';
import { waitUntil } from './wait-until';
import type { WorkerDeps } from '../deps';

/**
 * Tick n of a timed phase is due at phaseStartedAt + 2 s × n. It publishes the countdown, then
 * schedules tick n+1, or, when that would fall at or past the deadline, the advance at the deadline.
 * Due times are absolute, so a late tick does not push the ones after it.
 */
export function tickProcessor({ rooms, queues, metrics, webhook, housekeeping, answerGraceMs, log }: WorkerDeps) {
  return async (job: Job<TickJob>) => {
    const { roomCode, version, n } = job.data;
    const room = await rooms.get(roomCode);
    if (!room || room.version !== version || !isTimedPhase(room.phase) || room.deadlineAt === null || room.phaseStartedAt === null) {
      return { result: 'stale' };
    }
    const due = room.phaseStartedAt + TICK_MS * n;
    const now = await waitUntil(due);
    metrics.tickLateness.observe({ tick: n === 0 ? 'first' : 'delayed' }, Math.max(0, now - due) / 1000);
    // Everyone gone, host included: finish the game rather than play it out to nobody; results are kept.
    // If the api cannot be reached just now, the clock goes on and the next tick asks again:
    // a failed end must never leave the room without a next tick or advance.
    const { vacantForMs, ...counts } = await rooms.tickState(roomCode, room.phase === 'question' ? room.questionIndex : -1, now);
    if (vacantForMs >= housekeeping.abandonedMs) {
      const ended = await webhook('end', roomCode, { version, reason: 'abandoned' }).catch((err: Error) => {
        log.warn('could not end an abandoned room; the next tick tries again', { room: roomCode, err: err.message });
        return null;
      });
      if (ended) return { result: 'abandoned' };
    }
    // The answered count travels with the tick: the host's screen moves once per tick, not once per answer.
    await rooms.publish(roomCode, {
      kind: 'countdown', version, phase: room.phase, questionIndex: room.questionIndex, deadlineAt: room.deadlineAt, ...counts,
    });
    const nextDue = due + TICK_MS;
    // Delays count from when the job is added, after the reads and the publish above.
    const scheduledAt = Date.now();
    if (nextDue < room.deadlineAt) {
      await queues.tick.add('tick', { roomCode, version, n: n + 1 }, {
        jobId: jobId.tick(roomCode, version, n + 1),
        delay: Math.max(0, nextDue - scheduledAt - SCHEDULE_LEAD_MS),
      });
    } else {
      // A question closes only after the grace: an answer that arrived by the deadline may still be in the socket process.
      const dueAt = room.deadlineAt + (room.phase === 'question' ? answerGraceMs : 0);
      await queues.advance.add(
        'advance',
        { roomCode, version, dueAt },
        { jobId: jobId.advance(roomCode, version), delay: Math.max(0, dueAt - scheduledAt - SCHEDULE_LEAD_MS) },
      );
    }
    return { result: 'ticked', latenessMs: now - due };
  };
}
