/**
 * The earliest moment JavaScript can vouch for a message's arrival: the turn of the event loop that
 * read it. A turn reads whatever was waiting when it began, so every message it reads shares the time
 * of its first read; a message's own handler may run much later in the turn, behind a burst of
 * others, and that wait is not the player's. Bounds: a message that came while the turn was still
 * reading is credited at most that turn's length, which no client can choose; what the loop spent
 * before the turn (a busy previous turn) is still charged, as only the kernel saw the bytes come,
 * so loop stalls are kept short instead (docs/game.md, "Timing").
 */
export function createArrivalClock(now: () => number) {
  let turn: number | null = null;
  const endTurn = () => {
    turn = null;
  };
  return {
    /** The time of this turn's first read: called on every read, and by a handler for its message's stamp. */
    stamp(): number {
      if (turn === null) {
        turn = now();
        // The check phase, right after this turn's reads: the next read is a new turn.
        setImmediate(endTurn);
      }
      return turn;
    },
  };
}
export type ArrivalClock = ReturnType<typeof createArrivalClock>;
