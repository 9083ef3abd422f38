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
 * queue behind each other when a thousand rooms fall due together. Each tick is one script call on
 * the ticks' own connection (`tickRooms`), so it waits behind no job's or event's command. Ticks only
 * draw (and look for a question to close early or a game everyone left): the deadline's advance is a
 * durable job of its own, so ticks lost with a killed worker never hold a room; clients draw from
 * `deadlineAt` anyway.
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

/**
 * At the tick's instant, in one round trip: the countdown, drawn only while the room is still in that
 * phase (the tick script checks), then the abandoned and early-close checks on what it counted.
 */
async function drawTick(deps: WorkerDeps, room: TimedRoom, n: number, due: number): Promise<void> {
  const { tickRooms, queues, metrics } = deps;
  const fired = deps.redisClock.now();
  const { drawn, vacantForMs, closable } = await tickRooms.drawTick(room.code, room.gameId, {
    kind: 'countdown',
    version: room.version,
    phase: room.phase,
    questionIndex: room.questionIndex,
    deadlineAt: room.deadlineAt,
    tick: n,
  });
  if (!drawn) return;
  metrics.tickLateness.observe({ tick: n === 0 ? 'first' : 'delayed' }, Math.max(0, fired - due) / 1000);
  if (await endIfAbandoned(deps, room, vacantForMs)) return;
  // Every live player has answered, yet no answer closed the question: those it waited for were
  // on a socket process that died. Close it now rather than at the deadline.
  if (closable) await closeEarly(queues, room);
}
