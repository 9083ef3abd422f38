import { RoomEvent, parseMessage } from '../shared/events';
import type { Keys } from './keys';
import type { QuizRedis } from './redis';

export interface StreamEntry {
  id: string;
  /** null when the entry is not a valid event; it is acknowledged and skipped. */
  event: RoomEvent | null;
  /** Why `event` is null. */
  malformed?: string;
}

type RawEntries = [id: string, fields: string[]][];

function parseEntries(raw: RawEntries): StreamEntry[] {
  return raw.map(([id, fields]) => {
    const i = fields.indexOf('event');
    const json = i >= 0 ? fields[i + 1] : undefined;
    if (json === undefined) return { id, event: null, malformed: 'no event field' };
    const parsed = parseMessage(RoomEvent, json);
    return parsed.ok ? { id, event: parsed.message } : { id, event: null, malformed: parsed.error };
  });
}

/** The room events stream: `emit` for writers outside a transition, a consumer group for readers. */
export function createEventBus({ redis, keys }: { redis: QuizRedis; keys: Keys }) {
  return {
    async emit(event: RoomEvent): Promise<void> {
      await redis.xadd(keys.events, 'MAXLEN', '~', '100000', '*', 'type', event.type, 'event', JSON.stringify(event));
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

    async ack(ids: string[]): Promise<void> {
      if (ids.length) await redis.xack(keys.events, keys.eventsGroup, ...ids);
    },
  };
}
export type EventBus = ReturnType<typeof createEventBus>;
