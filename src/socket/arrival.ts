import { performance } from 'node:perf_hooks';

/** The event loop's idle time so far, ms (the time it sat waiting for input). */
const loopIdleMs = () => performance.eventLoopUtilization().idle;

/**
 * The earliest moment JavaScript can vouch for a message's arrival: the turn of the event loop that
 * read it. A turn reads whatever was waiting when it began, so every message it reads shares the time
 * of its first read; a message's own handler may run much later in the turn, behind a burst of
 * others, and that wait is not the player's. Bounds: a message that came while the turn was still
 * reading is credited at most that turn's length, which no client can choose.
 *
 * What the loop spent busy before the turn (a fan-out, a garbage collection, other callbacks of the
 * same poll) only the kernel saw: a message may have waited all of it, or none. So each turn also
 * tells how long the loop has been busy since it last sat idle waiting for input, which bounds that
 * wait from above: a message that comes while the loop waits wakes it and is read at once. The wake
 * is not observable, only the idle time so far, so the bound is the busy time since the previous
 * turn when the loop was idle in between, and grows by the whole gap when it was not. The stamp does
 * not move by it; it widens the window in which a client's reported reaction time is believed
 * (docs/game.md, "Timing"), which the allowance's cap still bounds.
 */
export function createArrivalClock(now: () => number, idleMs: () => number = loopIdleMs) {
  let turn: { at: number; busyBeforeMs: number } | null = null;
  let previous: { at: number; idle: number; busyBeforeMs: number } | null = null;
  const endTurn = () => {
    turn = null;
  };
  const startTurn = () => {
    const at = now();
    const idle = idleMs();
    let busyBeforeMs = 0;
    if (previous) {
      const gap = Math.max(at - previous.at, 0);
      busyBeforeMs = idle > previous.idle ? Math.max(gap - (idle - previous.idle), 0) : previous.busyBeforeMs + gap;
    }
    previous = { at, idle, busyBeforeMs };
    // The check phase, right after this turn's reads: the next read is a new turn.
    setImmediate(endTurn);
    return { at, busyBeforeMs };
  };
  return {
    /** The time of this turn's first read: called on every read, and by a handler for its message's stamp. */
    stamp(): number {
      turn ??= startTurn();
      return turn.at;
    },
    /** How long the loop has been busy since it last sat idle, at most: the most a message read in this turn waited unread. */
    busyBeforeMs(): number {
      turn ??= startTurn();
      return turn.busyBeforeMs;
    },
  };
}
export type ArrivalClock = ReturnType<typeof createArrivalClock>;
