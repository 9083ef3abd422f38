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
/** Where a bounded scan stopped: the server (by its place in the list) and its SCAN cursor. */
export interface ScanPosition {
  server: number;
  cursor: string;
}

/**
 * Reads the namespace's room records in batches with a bounded SCAN (never KEYS): at most
 * MAX_SCAN_CALLS calls and `maxRooms` records, from `from` (the start when not given). `complete`
 * is false when it stopped at a bound; `next` is then where to go on from (null once all is read).
 */
export async function scanRoomRecords(
  redis: Redis | Cluster,
  keys: Keys,
  onBatch: (records: (string | null)[]) => void | Promise<void>,
  { from = { server: 0, cursor: '0' }, maxRooms = MAX_ROOMS }: { from?: ScanPosition; maxRooms?: number } = {},
): Promise<{ complete: boolean; next: ScanPosition | null }> {
  let calls = 0;
  let rooms = 0;
  // A cluster is scanned master by master; the records are read back through the client (GETs, not an
  // MGET: the keys of one batch may lie in several slots).
  const servers = serversOf(redis);
  for (let s = from.server < servers.length ? from.server : 0; s < servers.length; s++) {
    let cursor = s === from.server ? from.cursor : '0';
    do {
      const [next, found] = await (servers[s] as Redis).scan(cursor, 'MATCH', keys.roomRecordPattern, 'COUNT', Math.min(SCAN_COUNT, maxRooms));
      cursor = next;
      calls++;
      if (found.length === 0) continue;
      await onBatch(await Promise.all(found.map((key) => redis.get(key))));
      rooms += found.length;
    } while (cursor !== '0' && calls < MAX_SCAN_CALLS && rooms < maxRooms);
    if (cursor !== '0') return { complete: false, next: { server: s, cursor } };
    if (rooms >= maxRooms && s + 1 < servers.length) return { complete: false, next: { server: s + 1, cursor: '0' } };
  }
  return { complete: true, next: null };
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
