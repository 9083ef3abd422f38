import type { RoomState } from '../src/game/room-state';
import type { RoomStore } from '../src/store/room-store';

/** The latest join into the room (0 when none): joins change no version, yet a lobby still filling is not idle. */
export async function lastJoinAt(rooms: RoomStore, roomCode: string): Promise<number> {
  return Math.max(0, ...(await rooms.getPlayers(roomCode)).map((p) => p.joinedAt));
}

/**
 * Since when a lobby or a paused game has been idle, as the idle job counts it: a pause from when it
 * was taken; a lobby from when it opened or from its latest join, whichever is later. Rooms whose
 * lobby opened before `phaseStartedAt` marked it count from when they began building, a little early.
 */
export async function idleSince(rooms: RoomStore, room: RoomState): Promise<number> {
  if (room.phase === 'paused') return room.paused?.at ?? room.phaseStartedAt ?? room.createdAt;
  return Math.max(room.phaseStartedAt ?? room.createdAt, await lastJoinAt(rooms, room.code));
}
