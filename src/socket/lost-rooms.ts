import type { RoomRelay } from './room-relay';
import { type QuizServer, type RelayDeps, ioRoom } from './types';

/**
 * Every SOCKET_LOST_ROOM_CHECK_MS, asks Redis whether the record of each room this process holds members
 * of (the adapter's rooms) still exists, one EXISTS per room in one write, and closes the rooms whose
 * record Redis says is gone though they had not ended: Redis lost its data, and nothing would ever be
 * sent to their members again. Costs nothing per message. A check Redis did not answer closes nothing.
 */
export function watchLostRooms(
  io: QuizServer,
  { records, log, config }: Pick<RelayDeps, 'records' | 'log'> & { config: Pick<RelayDeps['config'], 'lostRoomCheckMs'> },
  relay: Pick<RoomRelay, 'ended' | 'closeLost'>,
) {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  /** Redis did not answer the last check: said once per outage, not every check. */
  let unanswered = false;

  function heldRooms(): string[] {
    const codes: string[] = [];
    for (const room of io.of('/').adapter.rooms.keys()) {
      const code = ioRoom.codeOfGame(room);
      // An ended room's record expires ROOM_TTL_SECONDS after its end: gone then, it was not lost.
      if (code !== null && !relay.ended(code)) codes.push(code);
    }
    return codes;
  }

  async function check(): Promise<void> {
    const codes = heldRooms();
    if (codes.length === 0) return;
    let missing: string[];
    try {
      missing = await records.missing(codes);
      unanswered = false;
    } catch (err) {
      if (!unanswered) log.warn('could not check whether the held rooms still exist; none is closed for it', { err });
      unanswered = true;
      return;
    }
    if (missing.length) log.warn('room records gone from Redis while their games ran; closing them as lost', { rooms: missing });
    for (const code of missing) relay.closeLost(code);
  }

  // The next check is timed from the end of the last: a slow Redis never has checks pile up.
  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      check()
        .catch((err) => log.error('lost-room check failed', { err }))
        .finally(schedule);
    }, config.lostRoomCheckMs);
    timer.unref();
  }
  schedule();

  return {
    stop(): void {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
