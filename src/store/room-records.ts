import type { Keys } from './keys';
import type { QuizRedis } from './redis';

/**
 * Whether rooms' records are still in Redis. A record is never deleted, only expired (ROOM_TTL_SECONDS
 * after its last change, an ended room's included), so a record that is gone while its room has not
 * ended was lost with Redis's data (a restart without persistence, a FLUSHALL, a failover that lost it).
 */
export function createRoomRecords({ redis, keys }: { redis: QuizRedis; keys: Keys }) {
  return {
    /**
     * The codes among `codes` whose record Redis says does not exist: one EXISTS each, sent in one turn
     * (on an auto-pipelining connection, one write per server). Rejects when Redis did not answer: an
     * unanswered check says nothing about the rooms.
     */
    async missing(codes: readonly string[]): Promise<string[]> {
      const found = await Promise.all(codes.map((code) => redis.exists(keys.room(code))));
      return codes.filter((_, i) => found[i] === 0);
    },
  };
}
export type RoomRecords = ReturnType<typeof createRoomRecords>;
