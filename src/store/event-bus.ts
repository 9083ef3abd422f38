import { Cluster } from 'ioredis';
import { RoomEvent, parseMessage, unknownEventType } from '../shared/events';
import type { Keys } from './keys';
import type { QuizRedis } from './redis';

/** Approximate length the events stream is trimmed to, by every writer. */
export const EVENTS_MAX_LENGTH = 100_000;

export interface StreamEntry {
  /** The partition's stream the entry came from; it is acknowledged there. */
  stream: string;
  id: string;
  /** null when the entry is not a valid event; it is acknowledged and skipped. */
  event: RoomEvent | null;
  /** Why `event` is null. */
  malformed?: string;
  /** When `event` is null because the entry names a type this code does not know: that type. */
  unknownType?: string;
  /** True when the entry was trimmed from the stream (`MAXLEN ~`) while pending: only its id is left. */
  trimmed?: true;
}

/** `fields` is null for a pending entry read back after the stream was trimmed past it. */
type RawEntries = [id: string, fields: string[] | null][];
type ReadReply = [stream: string, entries: RawEntries][] | null;

export interface EventsBacklog {
  group: boolean;
  unread: number;
  /** How long the oldest unread entry has waited, ms; null when none waits. */
  oldestUnreadMs: number | null;
}

/** A reply of alternating field names and values (XINFO), as an object. */
function fieldsOf(reply: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = reply[i + 1];
  return out;
}

function parseEntries(stream: string, raw: RawEntries): StreamEntry[] {
  return raw.map(([id, fields]) => {
    if (fields === null) return { stream, id, event: null, malformed: 'trimmed from the stream', trimmed: true };
    const i = fields.indexOf('event');
    const json = i >= 0 ? fields[i + 1] : undefined;
    if (json === undefined) return { stream, id, event: null, malformed: 'no event field' };
    const parsed = parseMessage(RoomEvent, json);
    if (parsed.ok) return { stream, id, event: parsed.message };
    const unknownType = unknownEventType(json);
    return unknownType === null ? { stream, id, event: null, malformed: parsed.error } : { stream, id, event: null, malformed: parsed.error, unknownType };
  });
}

function parseReply(reply: ReadReply): StreamEntry[] {
  return (reply ?? []).flatMap(([stream, raw]) => parseEntries(stream, raw));
}

/**
 * The room events streams (one per partition): `emit` for writers outside a transition, a consumer
 * group on every stream for readers. Readers read in lanes: one blocking XREADGROUP covers every
 * stream of a lane. On one Redis that is all streams in one lane; on a cluster a command may touch
 * one slot only, so each partition is a lane with its own blocking connection (`blockingClient`).
 */
export function createEventBus({ redis, keys, blockingClient }: { redis: QuizRedis; keys: Keys; blockingClient?: () => QuizRedis }) {
  const streams = keys.eventStreams;
  const lanes: string[][] = redis instanceof Cluster ? streams.map((s) => [s]) : [streams];
  const laneClients = new Map<string, QuizRedis>();
  const clientOf = (lane: string[]): QuizRedis => {
    if (!blockingClient) return redis;
    const id = lane.join(',');
    let client = laneClients.get(id);
    if (!client) {
      client = blockingClient();
      laneClients.set(id, client);
    }
    return client;
  };

  return {
    lanes,

    async emit(event: RoomEvent): Promise<void> {
      await redis.xadd(keys.events(event.roomCode), 'MAXLEN', '~', EVENTS_MAX_LENGTH, '*', 'type', event.type, 'event', JSON.stringify(event));
    },

    async ensureGroup(): Promise<void> {
      for (const stream of streams) {
        try {
          // '0': a brand-new group starts from the beginning, so events emitted before the first worker are handled.
          await redis.xgroup('CREATE', stream, keys.eventsGroup, '0', 'MKSTREAM');
        } catch (err) {
          if (!(err instanceof Error) || !err.message.includes('BUSYGROUP')) throw err;
        }
      }
    },

    /** New entries of a lane's streams for this consumer; blocks up to `blockMs`. */
    async readNew(consumer: string, lane: string[], blockMs: number, count = 100): Promise<StreamEntry[]> {
      const reply = (await clientOf(lane).xreadgroup(
        'GROUP',
        keys.eventsGroup,
        consumer,
        'COUNT',
        count,
        'BLOCK',
        blockMs,
        'STREAMS',
        ...lane,
        ...lane.map(() => '>'),
      )) as ReadReply;
      return parseReply(reply);
    },

    /**
     * Entries delivered to this consumer earlier but never acknowledged (it died mid-way, or left them
     * pending), a page at a time. Each page is read after the last id of the one before, so entries
     * held pending do not hide those behind them.
     */
    async *readOwnPending(consumer: string, lane: string[], count = 100): AsyncGenerator<StreamEntry[]> {
      let after = new Map(lane.map((stream) => [stream, '0']));
      while (after.size > 0) {
        const pages = await Promise.all([...after].map(async ([stream, from]) => ({ stream, raw: await ownPendingAfter(consumer, stream, from, count) })));
        after = new Map();
        for (const { stream, raw } of pages) {
          const last = raw.at(-1);
          if (last && raw.length === count) after.set(stream, last[0]);
        }
        yield pages.flatMap(({ stream, raw }) => parseEntries(stream, raw));
      }
    },

    /** Takes over entries another consumer left unacknowledged for `minIdleMs` (a worker that was killed). */
    async claimAbandoned(consumer: string, lane: string[], minIdleMs: number, count = 100): Promise<StreamEntry[]> {
      const claimed = await Promise.all(
        lane.map(async (stream) => {
          const res = (await redis.xautoclaim(stream, keys.eventsGroup, consumer, minIdleMs, '0', 'COUNT', count)) as [string, RawEntries];
          return parseEntries(
            stream,
            (res[1] ?? []).filter((e) => e !== null),
          );
        }),
      );
      return claimed.flat();
    },

    /**
     * How far the consumer groups are behind, over every partition: whether they all exist (a Redis
     * that lost a stream lost its group too), how many entries no worker has read yet, and how long
     * the oldest of them has waited.
     */
    async backlog(): Promise<EventsBacklog> {
      const parts = await Promise.all(streams.map((stream) => streamBacklog(stream)));
      const waits = parts.map((p) => p.oldestUnreadMs).filter((w): w is number => w !== null);
      return {
        group: parts.every((p) => p.group),
        unread: parts.reduce((sum, p) => sum + p.unread, 0),
        oldestUnreadMs: waits.length ? Math.max(...waits) : null,
      };
    },

    async ack(entries: Pick<StreamEntry, 'stream' | 'id'>[]): Promise<void> {
      const byStream = new Map<string, string[]>();
      for (const e of entries) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e.id]);
      await Promise.all([...byStream].map(([stream, ids]) => redis.xack(stream, keys.eventsGroup, ...ids)));
    },

    async close(): Promise<void> {
      await Promise.all([...laneClients.values()].map((c) => c.quit().catch(() => undefined)));
      laneClients.clear();
    },
  };

  async function ownPendingAfter(consumer: string, stream: string, after: string, count: number): Promise<RawEntries> {
    const reply = (await redis.xreadgroup('GROUP', keys.eventsGroup, consumer, 'COUNT', count, 'STREAMS', stream, after)) as ReadReply;
    return reply?.[0]?.[1] ?? [];
  }

  async function streamBacklog(stream: string): Promise<EventsBacklog> {
    const groups = (await redis.xinfo('GROUPS', stream).catch((err: Error) => {
      if (err.message.includes('no such key')) return [];
      throw err;
    })) as unknown[][];
    const group = groups.map(fieldsOf).find((g) => g.name === keys.eventsGroup);
    if (!group) return { group: false, unread: 0, oldestUnreadMs: null };
    const lastDelivered = String(group['last-delivered-id'] ?? '0-0');
    const [next] = (await redis.xrange(stream, `(${lastDelivered}`, '+', 'COUNT', 1)) as [string, string[]][];
    if (!next) return { group: true, unread: 0, oldestUnreadMs: null };
    const [seconds = '0', micros = '0'] = await redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const lag = group.lag;
    return { group: true, unread: typeof lag === 'number' ? lag : 1, oldestUnreadMs: Math.max(0, now - streamIdMs(next[0])) };
  }
}
export type EventBus = ReturnType<typeof createEventBus>;

/** When a stream entry was added, on Redis's clock: its id is `{ms}-{seq}`. */
export const streamIdMs = (id: string): number => Number(id.split('-')[0]);
