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
  /** The latest turn: when it began, the loop's idle time then, and its bound on the wait before it. */
  let turn = { at: 0, idle: 0, busyBeforeMs: 0 };
  let started = false;
  let reading = false;
  const endTurn = () => {
    reading = false;
  };
  /** The turn reading now, begun at the first call in it. */
  function current() {
    if (reading) return turn;
    const at = now();
    const idle = idleMs();
    const gap = Math.max(at - turn.at, 0);
    // Idle since the last turn: busy at most the rest of the gap. Not idle: busy all along, since before that turn too.
    const busyBeforeMs = !started ? 0 : idle > turn.idle ? Math.max(gap - (idle - turn.idle), 0) : turn.busyBeforeMs + gap;
    turn = { at, idle, busyBeforeMs };
    started = true;
    reading = true;
    // The check phase, right after this turn's reads: the next read is a new turn.
    setImmediate(endTurn);
    return turn;
  }
  return {
    /** The time of this turn's first read: called on every read, and by a handler for its message's stamp. */
    stamp: (): number => current().at,
    /** How long the loop has been busy since it last sat idle, at most: the most a message read in this turn waited unread. */
    busyBeforeMs: (): number => current().busyBeforeMs,
  };
}
export type ArrivalClock = ReturnType<typeof createArrivalClock>;
