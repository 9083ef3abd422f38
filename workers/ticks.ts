import { isTimedPhase } from '../src/game/room-machine';
import type { RoomState } from '../src/game/room-state';
import { TICK_MS } from '../src/shared/jobs';
import type { WorkerDeps } from './deps';
import { closeEarly } from './room-clock';
import { endIfAbandoned } from './abandoned';

/** A tick found this far past its instant (an event handled again after a worker died) is not drawn. */
const STALE_TICK_MS = 1000;

type TimedRoom = RoomState & { deadlineAt: number; phaseStartedAt: number };

/**
 * The countdown of a timed phase: tick n is due at phaseStartedAt + 2 s × n, for every n before the
 * deadline. All of a phase's ticks are set on Redis's clock when the worker handles the phase's
 * event: timers in this process, not BullMQ delayed jobs, which fire as late as Redis's timer and
 * queue behind each other when a thousand rooms fall due together. Ticks only draw (and look for a
 * question to close early or a game everyone left): the deadline's advance is a durable job of its
 * own, so ticks lost with a killed worker never hold a room; clients draw from `deadlineAt` anyway.
 */
export function createTicks(deps: WorkerDeps) {
  const { clock } = deps;
  /** Phases already armed here, so an event handled twice does not draw every frame twice. */
  const armed = new Set<string>();

  return {
    arm(room: TimedRoom): void {
      const phase = `${room.gameId}-${room.version}`;
      if (armed.has(phase)) return;
      armed.add(phase);
      const now = deps.redisClock.now();
      for (let n = 0; room.phaseStartedAt + TICK_MS * n < room.deadlineAt; n++) {
        const due = room.phaseStartedAt + TICK_MS * n;
        if (due < now - STALE_TICK_MS) continue;
        clock.at(due, () => drawTick(deps, room, n, due));
      }
      clock.at(room.deadlineAt, async () => void armed.delete(phase));
    },
  };
}
export type Ticks = ReturnType<typeof createTicks>;

/** At the tick's instant, while the room is still in that phase: the abandoned and early-close checks, then the countdown. */
async function drawTick(deps: WorkerDeps, armedFor: TimedRoom, n: number, due: number): Promise<void> {
  const { rooms, queues, metrics } = deps;
  const room = await rooms.get(armedFor.code);
  if (!room || room.gameId !== armedFor.gameId || room.version !== armedFor.version || !isTimedPhase(room.phase)) return;
  metrics.tickLateness.observe({ tick: n === 0 ? 'first' : 'delayed' }, Math.max(0, deps.redisClock.now() - due) / 1000);
  const { vacantForMs, closable, ...counts } = await rooms.presenceState(room.code, room.phase === 'question' ? room.questionIndex : -1);
  if (await endIfAbandoned(deps, room, vacantForMs)) return;
  // Every live player has answered, yet no answer closed the question: those it waited for were
  // on a socket process that died. Close it now rather than at the deadline.
  if (closable) await closeEarly(queues, room);
  // The answered count travels with the tick: the host's screen moves once per tick, not once per answer.
  await rooms.publish(room.code, {
    kind: 'countdown',
    version: room.version,
    phase: room.phase,
    questionIndex: room.questionIndex,
    deadlineAt: armedFor.deadlineAt,
    ...counts,
  });
}
