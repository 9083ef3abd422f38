import type { Job } from 'bullmq';
import { isTimedPhase } from '../../src/game/room-machine';
import type { RoomState } from '../../src/game/room-state';
import { SCHEDULE_LEAD_MS, TICK_MS, type TickJob, jobId } from '../../src/shared/jobs';
import type { WorkerDeps } from '../deps';
import { closeEarly } from '../room-clock';
import { endIfAbandoned } from '../abandoned';

/**
 * Tick n of a timed phase is due at phaseStartedAt + 2 s × n. The job runs a little early (its delay
 * has a lead, SCHEDULE_LEAD_MS), schedules tick n+1 at once, so the chain outlives this worker, and
 * hands the countdown to the worker's clock, a timer at the due instant: the job ends there and then,
 * and holds no concurrency slot while the due time comes, so a thousand rooms due together wait in
 * parallel. Ticks only draw: the deadline's advance was scheduled when the phase opened, so a tick
 * chain that breaks never holds a room. Due times are absolute, so a late tick does not push the ones after it.
 */
export function tickProcessor(deps: WorkerDeps) {
  const { rooms, queues, clock } = deps;
  return async (job: Job<TickJob>) => {
    const { roomCode, gameId, version, n } = job.data;
    const room = await rooms.get(roomCode);
    if (!room || room.gameId !== gameId || room.version !== version || !isTimedPhase(room.phase) || room.deadlineAt === null || room.phaseStartedAt === null) {
      return { result: 'stale' };
    }
    const due = room.phaseStartedAt + TICK_MS * n;
    const nextDue = due + TICK_MS;
    if (nextDue < room.deadlineAt) {
      await queues.tick.add('tick', { roomCode, gameId, version, n: n + 1 }, {
        jobId: jobId.tick(gameId, version, n + 1),
        delay: Math.max(0, nextDue - Date.now() - SCHEDULE_LEAD_MS),
      });
    }
    clock.at(due, () => drawTick(deps, { ...room, deadlineAt: room.deadlineAt as number }, n, due));
    return { result: 'scheduled', dueInMs: due - Date.now() };
  };
}

/** At the tick's instant: the abandoned and early-close checks, then the countdown to the room's channel. */
async function drawTick(deps: WorkerDeps, room: RoomState & { deadlineAt: number }, n: number, due: number): Promise<void> {
  const { rooms, queues, metrics } = deps;
  metrics.tickLateness.observe({ tick: n === 0 ? 'first' : 'delayed' }, Math.max(0, Date.now() - due) / 1000);
  const { vacantForMs, closable, ...counts } = await rooms.presenceState(room.code, room.phase === 'question' ? room.questionIndex : -1);
  if (await endIfAbandoned(deps, room, vacantForMs)) return;
  // Every live player has answered, yet no answer closed the question: those it waited for were
  // on a socket process that died. Close it now rather than at the deadline.
  if (closable) await closeEarly(queues, room);
  // The answered count travels with the tick: the host's screen moves once per tick, not once per answer.
  await rooms.publish(room.code, {
    kind: 'countdown', version: room.version, phase: room.phase, questionIndex: room.questionIndex, deadlineAt: room.deadlineAt, ...counts,
  });
}
