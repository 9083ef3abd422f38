import { RoomEvent } from '../shared/events';
import type { Keys } from './keys';
import type { QuizRedis } from './redis';

/** Approximate length the events stream is trimmed to, by every writer. */
export const EVENTS_MAX_LENGTH = 100_000;

export interface StreamEntry {
  id: string;
  /** null when the entry is not a valid event; it is acknowledged and skipped. */
  event: RoomEvent | null;
}

type RawEntries = [id: string, fields: string[]][];

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

function parseEntries(raw: RawEntries): StreamEntry[] {
  return raw.map(([id, fields]) => {
    const i = fields.indexOf('event');
    const json = i >= 0 ? fields[i + 1] : undefined;
    let event: RoomEvent | null = null;
    if (json) {
      const parsed = RoomEvent.safeParse(JSON.parse(json));
      event = parsed.success ? parsed.data : null;
    }
    return { id, event };
  });
}

/** The room events stream: `emit` for writers outside a transition, a consumer group for readers. */
export function createEventBus({ redis, keys }: { redis: QuizRedis; keys: Keys }) {
  return {
    async emit(event: RoomEvent): Promise<void> {
      await redis.xadd(keys.events, 'MAXLEN', '~', EVENTS_MAX_LENGTH, '*', 'type', event.type, 'event', JSON.stringify(event));
    },

    async ensureGroup(): Promise<void> {
      try {
        // '0': a brand-new group starts from the beginning, so events emitted before the first worker are handled.
        await redis.xgroup('CREATE', keys.events, keys.eventsGroup, '0', 'MKSTREAM');
      } catch (err) {
        if (!(err instanceof Error) || !err.message.includes('BUSYGROUP')) throw err;
      }
    },

    /** New entries for this consumer; blocks up to `blockMs`. */
    async readNew(consumer: string, blockMs: number, count = 100): Promise<StreamEntry[]> {
      const res = (await redis.xreadgroup(
        'GROUP', keys.eventsGroup, consumer, 'COUNT', count, 'BLOCK', blockMs, 'STREAMS', keys.events, '>',
      )) as [string, RawEntries][] | null;
      return res?.[0] ? parseEntries(res[0][1]) : [];
    },

    /** Entries delivered to this consumer earlier but never acknowledged (it died mid-way). */
    async readOwnPending(consumer: string, count = 100): Promise<StreamEntry[]> {
      const res = (await redis.xreadgroup(
        'GROUP', keys.eventsGroup, consumer, 'COUNT', count, 'STREAMS', keys.events, '0',
      )) as [string, RawEntries][] | null;
      return res?.[0] ? parseEntries(res[0][1]) : [];
    },

    /** Takes over entries another consumer left unacknowledged for `minIdleMs` (a worker that was killed). */
    async claimAbandoned(consumer: string, minIdleMs: number, count = 100): Promise<StreamEntry[]> {
      const res = (await redis.xautoclaim(keys.events, keys.eventsGroup, consumer, minIdleMs, '0', 'COUNT', count)) as [
        string,
        RawEntries,
      ];
      return parseEntries((res[1] ?? []).filter((e) => e !== null));
    },

    /**
     * How far the consumer group is behind: whether it exists (a Redis that lost the stream lost it
     * too), how many entries no worker has read yet, and how long the oldest of them has waited.
     */
    async backlog(): Promise<EventsBacklog> {
      const groups = (await redis.xinfo('GROUPS', keys.events).catch((err: Error) => {
        if (err.message.includes('no such key')) return [];
        throw err;
      })) as unknown[][];
      const group = groups.map(fieldsOf).find((g) => g.name === keys.eventsGroup);
      if (!group) return { group: false, unread: 0, oldestUnreadMs: null };
      const lastDelivered = String(group['last-delivered-id'] ?? '0-0');
      const [next] = (await redis.xrange(keys.events, `(${lastDelivered}`, '+', 'COUNT', 1)) as [string, string[]][];
      if (!next) return { group: true, unread: 0, oldestUnreadMs: null };
      const [seconds = '0', micros = '0'] = await redis.time();
      const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      const lag = group.lag;
      return { group: true, unread: typeof lag === 'number' ? lag : 1, oldestUnreadMs: Math.max(0, now - Number(next[0].split('-')[0])) };
    },

    async ack(ids: string[]): Promise<void> {
      if (ids.length) await redis.xack(keys.events, keys.eventsGroup, ...ids);
    },
  };
}
export type EventBus = ReturnType<typeof createEventBus>;
