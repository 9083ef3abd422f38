import type { StoredAnswer } from '../game/room-state';
import type { Keys } from './keys';
import type { QuizRedis } from './redis';
import type { RoomSnapshot } from './view-reader';

type StoredSnapshot = Omit<RoomSnapshot, 'answers'> & { answers: [string, StoredAnswer][][] };

/** Entries the reconciler looks at per pass; the rest wait for the next one. */
const SCAN_LIMIT = 1000;

/**
 * Finished games whose results PostgreSQL has not taken yet, kept in Redis without expiry (one
 * hash, game id → snapshot) from the first try to save them until the save succeeds, however long
 * PostgreSQL is away. The room's own keys may expire meanwhile; the snapshot does not.
 */
export function createResultsBacklog({ redis, keys }: { redis: QuizRedis; keys: Keys }) {
  return {
    /** Keeps the snapshot unless one is kept already: the first snapshot of a finished game is its record. */
    async keep(snapshot: RoomSnapshot): Promise<void> {
      const stored: StoredSnapshot = { ...snapshot, answers: snapshot.answers.map((byPlayer) => [...byPlayer]) };
      await redis.hsetnx(keys.resultsPending, snapshot.room.gameId, JSON.stringify(stored));
    },

    async get(gameId: string): Promise<RoomSnapshot | null> {
      const raw = await redis.hget(keys.resultsPending, gameId);
      if (!raw) return null;
      const stored = JSON.parse(raw) as StoredSnapshot;
      return { ...stored, answers: stored.answers.map((entries) => new Map(entries)) };
    },

    async saved(gameId: string): Promise<void> {
      await redis.hdel(keys.resultsPending, gameId);
    },

    size(): Promise<number> {
      return redis.hlen(keys.resultsPending);
    },

    /** Up to SCAN_LIMIT waiting games, with their room codes. */
    async waiting(): Promise<{ gameId: string; roomCode: string }[]> {
      const out: { gameId: string; roomCode: string }[] = [];
      let cursor = '0';
      do {
        const [next, flat] = await redis.hscan(keys.resultsPending, cursor, 'COUNT', 200);
        cursor = next;
        for (let i = 0; i + 1 < flat.length; i += 2) {
          const code = (JSON.parse(flat[i + 1] as string) as StoredSnapshot).room.code;
          out.push({ gameId: flat[i] as string, roomCode: code });
        }
      } while (cursor !== '0' && out.length < SCAN_LIMIT);
      return out;
    },
  };
}
export type ResultsBacklog = ReturnType<typeof createResultsBacklog>;
