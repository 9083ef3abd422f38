import type { Job } from 'bullmq';
import { isTimedPhase } from '../../src/game/room-machine';
import { SCHEDULE_LEAD_MS, TICK_MS, type TickJob, jobId } from '../../src/shared/jobs';
import type { WorkerDeps } from '../deps';
import { closeEarly } from '../room-clock';
import { endIfAbandoned } from '../abandoned';
import { waitUntil } from './wait-until';

/**
 * Tick n of a timed phase is due at phaseStartedAt + 2 s × n. It publishes the countdown and
 * schedules tick n+1 while that falls before the deadline. Ticks only draw: the deadline's advance
 * was scheduled when the phase opened, so a tick chain that breaks never holds a room.
 * Due times are absolute, so a late tick does not push the ones after it.
 */
export function tickProcessor(deps: WorkerDeps) {
  const { rooms, queues, metrics } = deps;
  return async (job: Job<TickJob>) => {
    const { roomCode, gameId, version, n } = job.data;
    const room = await rooms.get(roomCode);
    if (!room || room.gameId !== gameId || room.version !== version || !isTimedPhase(room.phase) || room.deadlineAt === null || room.phaseStartedAt === null) {
      return { result: 'stale' };
    }
    const due = room.phaseStartedAt + TICK_MS * n;
    const now = await waitUntil(due);
    metrics.tickLateness.observe({ tick: n === 0 ? 'first' : 'delayed' }, Math.max(0, now - due) / 1000);
    const { vacantForMs, closable, ...counts } = await rooms.presenceState(roomCode, room.phase === 'question' ? room.questionIndex : -1);
    if (await endIfAbandoned(deps, room, vacantForMs)) return { result: 'abandoned' };
    // Every live player has answered, yet no answer closed the question: those it waited for were
    // on a socket process that died. Close it now rather than at the deadline.
    if (closable) await closeEarly(queues, room);
    // The answered count travels with the tick: the host's screen moves once per tick, not once per answer.
    await rooms.publish(roomCode, {
      kind: 'countdown', version, phase: room.phase, questionIndex: room.questionIndex, deadlineAt: room.deadlineAt, ...counts,
    });
    const nextDue = due + TICK_MS;
    if (nextDue < room.deadlineAt && !closable) {
      // Delays count from when the job is added, after the reads and the publish above.
      await queues.tick.add('tick', { roomCode, gameId, version, n: n + 1 }, {
        jobId: jobId.tick(gameId, version, n + 1),
        delay: Math.max(0, nextDue - Date.now() - SCHEDULE_LEAD_MS),
      });
    }
    return { result: 'ticked', latenessMs: now - due };
  };
}
