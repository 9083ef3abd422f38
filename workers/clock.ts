/**
 * The worker's own timers for work due at an instant: one timer per distinct due instant, however
 * many rooms fall due at it, and no BullMQ concurrency slot held while waiting. What is set here is
 * lost with the process, so only work that the next job repeats anyway (a countdown frame) goes here.
 */
export function createClock(now: () => number, onError: (err: unknown) => void) {
  const due = new Map<number, { timer: NodeJS.Timeout; work: (() => Promise<unknown>)[] }>();

  function arm(at: number): NodeJS.Timeout {
    return setTimeout(() => fire(at), Math.max(0, at - now()));
  }

  function fire(at: number): void {
    const slot = due.get(at);
    if (!slot) return;
    // Node's timers may fire a millisecond before `now` reaches the instant (and `now` may be Redis's clock):
    // never run work early, wait out the rest.
    if (now() < at) {
      slot.timer = arm(at);
      return;
    }
    due.delete(at);
    for (const work of slot.work) work().catch(onError);
  }

  return {
    /** Runs `work` at `at` (epoch ms on the clock `now` reads), or at once when that has passed. */
    at(at: number, work: () => Promise<unknown>): void {
      const slot = due.get(at);
      if (slot) {
        slot.work.push(work);
        return;
      }
      due.set(at, { timer: arm(at), work: [work] });
    },

    /** How much work waits for its instant. */
    get pending(): number {
      let n = 0;
      for (const slot of due.values()) n += slot.work.length;
      return n;
    },

    /** Drops every waiting timer (a stopping worker). */
    stop(): void {
      for (const slot of due.values()) clearTimeout(slot.timer);
      due.clear();
    },
  };
}
export type Clock = ReturnType<typeof createClock>;
