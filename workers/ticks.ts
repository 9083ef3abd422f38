import type { RoomState } from '../src/game/room-state';
import type { RedisClock } from '../src/store/redis-clock';
import type { RoomStore } from '../src/store/room-store';
import { TICK_MS } from '../src/shared/jobs';
import type { Clock } from './clock';
import type { WorkerDeps } from './deps';
import { closeEarly } from './room-clock';
import { endIfAbandoned } from './abandoned';

/** A tick found this far past its instant (an event handled again after a worker died) is not drawn. */
const STALE_TICK_MS = 1000;

/** What a countdown needs of its room; small, so that it crosses to the ticks' thread cheaply. */
export type TimedRoom = Pick<RoomState, 'code' | 'gameId' | 'version' | 'phase' | 'questionIndex'> & { deadlineAt: number; phaseStartedAt: number };

/** A tick that was drawn, with what its script counted; `latenessMs`: its draw began this long after it was due to be drawn (its instant less the lead). */
export interface TickDrawn {
  room: TimedRoom;
  n: number;
  latenessMs: number;
  vacantForMs: number;
  closable: boolean;
}

/**
 * What drawing ticks takes: timers on Redis's clock, the room store on a connection of the ticks' own (no job's
 * command ahead of a tick), and how long before its instant a tick is drawn (COUNTDOWN_LEAD_MS).
 */
export interface TickDeps {
  clock: Clock;
  redisClock: RedisClock;
  tickRooms: RoomStore;
  leadMs: number;
}

/** Arms a timed phase's countdown: `createTicks` in the ticks' own thread (tick-thread.ts), or in this one (tests). */
export interface TickArming {
  arm(room: TimedRoom): void;
}

/**
 * The countdown of a timed phase: tick n is due at phaseStartedAt + 2 s × n, for every n ≥ 1 before the
 * deadline. No tick at the opening: the phase's view carries its deadline and counts, and a frame beside it
 * would be a second write to every player at the busiest instant (docs/capacity.md). All of a phase's ticks are set on Redis's clock when the worker handles the phase's
 * event: timers, not BullMQ delayed jobs, which fire as late as Redis's timer and queue behind each
 * other when a thousand rooms fall due together. Each tick is one script call on the ticks' own
 * connection (`tickRooms`), so it waits behind no job's or event's command, made `leadMs` before the
 * tick's instant: the frame carries its instant (`dueAt`) and socket processes hold it until then, so the
 * timer, the script, the publish and the relay's read are off the frame's time. Ticks only draw; what a
 * drawn tick found (`onDrawn`) may close a question early or end a game everyone left. The deadline's
 * advance is a durable job of its own, so ticks lost with a killed worker never hold a room; clients
 * draw from `deadlineAt` anyway.
 */
export function createTicks({ clock, redisClock, tickRooms, leadMs }: TickDeps, onDrawn: (drawn: TickDrawn) => void): TickArming {
  /** Phases already armed here, so an event handled twice does not draw every frame twice. */
  const armed = new Set<string>();

  /** `leadMs` before the tick's instant, in one round trip: the countdown, drawn only while the room is still in that phase (the script checks). */
  async function draw(room: TimedRoom, n: number, due: number): Promise<void> {
    const fired = redisClock.now();
    const drawAt = due - leadMs;
    const { drawn, vacantForMs, closable } = await tickRooms.drawTick(room.code, room.gameId, {
      kind: 'countdown',
      version: room.version,
      phase: room.phase,
      questionIndex: room.questionIndex,
      deadlineAt: room.deadlineAt,
      tick: n,
      dueAt: due,
    });
    if (drawn) onDrawn({ room, n, latenessMs: Math.max(0, fired - drawAt), vacantForMs, closable });
  }

  return {
    arm(room: TimedRoom): void {
      const phase = `${room.gameId}-${room.version}`;
      if (armed.has(phase)) return;
      armed.add(phase);
      const now = redisClock.now();
      for (let n = 1; room.phaseStartedAt + TICK_MS * n < room.deadlineAt; n++) {
        const due = room.phaseStartedAt + TICK_MS * n;
        if (due < now - STALE_TICK_MS) continue;
        clock.at(due - leadMs, () => draw(room, n, due));
      }
      clock.at(room.deadlineAt, async () => void armed.delete(phase));
    },
  };
}

/** What follows a drawn tick, in the worker's main thread: its lateness metric, then the abandoned and early-close checks. */
export function afterTick(deps: WorkerDeps): (drawn: TickDrawn) => void {
  const { queues, metrics, log } = deps;
  return ({ room, latenessMs, vacantForMs, closable }) => {
    metrics.tickLateness.observe(latenessMs / 1000);
    void (async () => {
      if (await endIfAbandoned(deps, room, vacantForMs)) return;
      // Every live player has answered, yet no answer closed the question: those it waited for were
      // on a socket process that died. Close it now rather than at the deadline.
      if (closable) await closeEarly(queues, room);
    })().catch((err: unknown) =>
      log.warn('a countdown tick failed; the next one draws again', { room: room.code, err: err instanceof Error ? err.message : String(err) }),
    );
  };
}
