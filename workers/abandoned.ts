import type { RoomState } from '../src/game/room-state';
import type { WorkerDeps } from './deps';

/**
 * Everyone gone, host included, for the abandoned limit: the api finishes the game rather than let
 * it play out to nobody; results are kept. When the api cannot be reached just now, the caller goes
 * on and asks again on its next round (the next tick, the next reconciler pass).
 */
export async function endIfAbandoned(
  { webhook, housekeeping, log }: WorkerDeps,
  room: Pick<RoomState, 'code' | 'version'>,
  vacantForMs: number,
): Promise<boolean> {
  if (vacantForMs < housekeeping.abandonedMs) return false;
  const ended = await webhook('end', room.code, { version: room.version, reason: 'abandoned' }).catch((err: Error) => {
    log.warn('could not end an abandoned room; asking again later', { room: room.code, err: err.message });
    return null;
  });
  return ended !== null;
}
