export type MemberKind = 'player' | 'host';

/** One room's members as this socket instance counts them: their open connections here, players and hosts apart. */
export interface RoomMembers {
  players: [id: string, connections: number][];
  hosts: [id: string, connections: number][];
}

/**
 * What a socket instance has told Redis it holds, room by room: each member's connections here. Moved
 * when a presence change is sent (and moved back when Redis refused it or it failed), so that the ledger
 * as it stands when a command is sent is what Redis holds once that command has run, on the one
 * connection the presence writes share. It is what the instance re-asserts when its lease had lapsed or
 * was forgotten (see reassertScript).
 */
export function createPresenceLedger() {
  /** `unasserted`: a re-assert of the room failed, so Redis may not count what the ledger holds. */
  const rooms = new Map<string, Record<MemberKind, Map<string, number>> & { unasserted: boolean }>();

  return {
    move(code: string, kind: MemberKind, id: string, delta: number): void {
      let room = rooms.get(code);
      if (!room) {
        room = { player: new Map(), host: new Map(), unasserted: false };
        rooms.set(code, room);
      }
      const n = (room[kind].get(id) ?? 0) + delta;
      if (n > 0) room[kind].set(id, n);
      else room[kind].delete(id);
      if (room.player.size === 0 && room.host.size === 0) rooms.delete(code);
    },

    /** Marks a room whose re-assert failed: Redis may not count its members until one succeeds. */
    markUnasserted(code: string): void {
      const room = rooms.get(code);
      if (room) room.unasserted = true;
    },

    /** Whether the room is so marked; clears the mark (a room whose members all left has none: nothing to re-assert). */
    takeUnasserted(code: string): boolean {
      const room = rooms.get(code);
      if (!room?.unasserted) return false;
      room.unasserted = false;
      return true;
    },

    of(code: string): RoomMembers {
      const room = rooms.get(code);
      return { players: [...(room?.player ?? [])], hosts: [...(room?.host ?? [])] };
    },
  };
}
