import type { Cluster, Redis } from 'ioredis';
import { RoomPhase } from '../shared/room';
import type { RoomCensus } from '../platform/metrics';
import type { Keys } from './keys';
import { serversOf } from './redis';

/** Bounds of one census, so a scrape of a huge keyspace stays a few hundred ms of SCAN and MGET. */
const SCAN_COUNT = 1000;
const MAX_SCAN_CALLS = 200;
const MAX_ROOMS = 10_000;

/**
 * Counts room records by phase with a SCAN of the namespace's room records (never KEYS), run when
 * metrics are scraped rather than on any game path. Counting what is in Redis is right with any
 * number of api instances and survives their restarts; a per-process counter fed by transitions
 * would see only its own transitions and never see rooms expire.
 */
/**
 * Reads the namespace's room records in batches with a bounded SCAN (never KEYS): at most
 * MAX_SCAN_CALLS calls and MAX_ROOMS records. `complete` is false when it stopped at a bound.
 */
export async function scanRoomRecords(
  redis: Redis | Cluster,
  keys: Keys,
  onBatch: (records: (string | null)[]) => void | Promise<void>,
): Promise<{ complete: boolean }> {
  let calls = 0;
  let rooms = 0;
  // A cluster is scanned master by master; the records are read back through the client (GETs, not an
  // MGET: the keys of one batch may lie in several slots).
  for (const server of serversOf(redis)) {
    let cursor = '0';
    do {
      const [next, found] = await server.scan(cursor, 'MATCH', keys.roomRecordPattern, 'COUNT', SCAN_COUNT);
      cursor = next;
      calls++;
      if (found.length === 0) continue;
      await onBatch(await Promise.all(found.map((key) => redis.get(key))));
      rooms += found.length;
    } while (cursor !== '0' && calls < MAX_SCAN_CALLS && rooms < MAX_ROOMS);
    if (cursor !== '0') return { complete: false };
  }
  return { complete: true };
}

/**
 * Counts room records by phase with a bounded SCAN of the namespace's room records, run when
 * metrics are scraped rather than on any game path. Counting what is in Redis is right with any
 * number of api instances and survives their restarts; a per-process counter fed by transitions
 * would see only its own transitions and never see rooms expire.
 */
export function createRoomCensus({ redis, keys }: { redis: Redis | Cluster; keys: Keys }) {
  async function count(): Promise<RoomCensus> {
    const byPhase: Record<string, number> = Object.fromEntries(RoomPhase.options.map((p) => [p, 0]));
    const { complete } = await scanRoomRecords(redis, keys, (records) => {
      for (const raw of records) {
        const phase = raw ? phaseOf(raw) : null;
        if (phase) byPhase[phase] = (byPhase[phase] ?? 0) + 1;
      }
    });
    return { byPhase, complete };
  }

  return { count, phases: RoomPhase.options };
}
export type RoomCensusReader = ReturnType<typeof createRoomCensus>;

function phaseOf(raw: string): RoomPhase | null {
  try {
    const parsed = RoomPhase.safeParse((JSON.parse(raw) as { phase?: unknown }).phase);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
