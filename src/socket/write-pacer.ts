/**
 * Runs at most `perTurn` writes in one turn of the event loop and the rest in the turns after, in
 * order. A Redis pipeline reply settles hundreds of answers at once; writing all their acks in that
 * turn would keep the loop from reading the answers arriving meanwhile, and that wait, before their
 * arrival stamp (arrival.ts), would cost them points. A turn here ends at the loop's check phase.
 */
export function createWritePacer(perTurn: number) {
  const waiting: (() => void)[] = [];
  /** Writes run since the last check phase. */
  let written = 0;
  let scheduled = false;

  function checkPhase(): void {
    scheduled = false;
    const room = Math.max(perTurn - written, 0);
    for (const write of waiting.splice(0, room)) write();
    written = 0;
    if (waiting.length) schedule();
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(checkPhase);
  }

  return {
    /** Runs `write` now if this turn has room and nothing waits before it, else in a later turn. */
    write(write: () => void): void {
      schedule();
      if (written < perTurn && waiting.length === 0) {
        written++;
        write();
      } else {
        waiting.push(write);
      }
    },
  };
}
export type WritePacer = ReturnType<typeof createWritePacer>;
