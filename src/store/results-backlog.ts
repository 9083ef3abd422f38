import type { StoredAnswer } from '../game/room-state';
import type { Keys } from './keys';
import type { QuizRedis } from './redis';
import type { RoomSnapshot } from './view-reader';

type StoredSnapshot = Omit<RoomSnapshot, 'answers'> & { answers: [string, StoredAnswer][][] };

/** About how many entries the reconciler looks at per pass; the rest wait for the next one. */
const SCAN_LIMIT = 1000;

/**
 * Finished games whose results PostgreSQL has not taken yet, kept in Redis without expiry (a hash
 * game id → snapshot, and one game id → room code to list them cheaply; one hash tag, so each change
 * to both is one MULTI even on a cluster) from the first try to save them until the save succeeds,
 * however long PostgreSQL is away. The room's own keys may expire meanwhile; the snapshot does not.
 */
export function createResultsBacklog({ redis, keys }: { redis: QuizRedis; keys: Keys }) {
  return {
    /** Keeps the snapshot unless one is kept already: the first snapshot of a finished game is its record. */
    async keep(snapshot: RoomSnapshot): Promise<void> {
      const stored: StoredSnapshot = { ...snapshot, answers: snapshot.answers.map((byPlayer) => [...byPlayer]) };
      const { gameId, code } = snapshot.room;
      await redis.multi().hsetnx(keys.resultsPending, gameId, JSON.stringify(stored)).hset(keys.resultsPendingRooms, gameId, code).exec();
    },

    async get(gameId: string): Promise<RoomSnapshot | null> {
      const raw = await redis.hget(keys.resultsPending, gameId);
      if (!raw) return null;
      const stored = JSON.parse(raw) as StoredSnapshot;
      return { ...stored, answers: stored.answers.map((entries) => new Map(entries)) };
    },

    async saved(gameId: string): Promise<void> {
      await redis.multi().hdel(keys.resultsPending, gameId).hdel(keys.resultsPendingRooms, gameId).exec();
    },

    size(): Promise<number> {
      return redis.hlen(keys.resultsPending);
    },

    /**
     * About SCAN_LIMIT waiting games, with their room codes: each call goes on from where the last one
     * stopped (the cursor is kept in Redis, for any worker's next pass) and starts over once the
     * backlog has been read through, so the games past the first SCAN_LIMIT are reached too.
     */
    async waiting(): Promise<{ gameId: string; roomCode: string }[]> {
      const out: { gameId: string; roomCode: string }[] = [];
      let cursor = (await redis.get(keys.resultsBacklogCursor)) ?? '0';
      do {
        const [next, flat] = await redis.hscan(keys.resultsPendingRooms, cursor, 'COUNT', 200);
        cursor = next;
        for (let i = 0; i + 1 < flat.length; i += 2) out.push({ gameId: flat[i] as string, roomCode: flat[i + 1] as string });
      } while (cursor !== '0' && out.length < SCAN_LIMIT);
      if (cursor === '0') await redis.del(keys.resultsBacklogCursor);
      else await redis.set(keys.resultsBacklogCursor, cursor);
      return out;
    },
  };
}
export type ResultsBacklog = ReturnType<typeof createResultsBacklog>;
