import { z } from 'zod';
import { RoomPhase, RoomView } from './room';

const base = { roomCode: z.string(), version: z.number().int(), at: z.number() };

/** Room events on the stream `quizloop:events`; the worker's event handler turns them into jobs. */
export const RoomEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('room.created'), ...base }),
  z.object({ type: z.literal('room.prepared'), ...base }),
  z.object({ type: z.literal('room.failed'), ...base, reason: z.string() }),
  z.object({ type: z.literal('room.started'), ...base, phase: RoomPhase, questionIndex: z.number().int() }),
  z.object({ type: z.literal('room.updated'), ...base, phase: RoomPhase, questionIndex: z.number().int() }),
  z.object({ type: z.literal('room.finished'), ...base, gameId: z.string() }),
  z.object({ type: z.literal('question.closable'), ...base, questionIndex: z.number().int() }),
]);
export type RoomEvent = z.infer<typeof RoomEvent>;
export type RoomEventType = RoomEvent['type'];
const ROOM_EVENT_TYPES: ReadonlySet<string> = new Set(RoomEvent.options.map((o) => o.shape.type.value));

/** The type of a stream event that names one this code does not know (written by a process of another version), else null. */
export function unknownEventType(raw: string): string | null {
  try {
    const json: unknown = JSON.parse(raw);
    const type = typeof json === 'object' && json !== null && 'type' in json ? json.type : undefined;
    return typeof type === 'string' && !ROOM_EVENT_TYPES.has(type) ? type : null;
  } catch {
    return null;
  }
}

/** Messages on a room's pub/sub channel, relayed by every socket instance that holds members of the room. */
export const ChannelMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('state'), version: z.number().int() }),
  z.object({
    kind: z.literal('countdown'),
    version: z.number().int(),
    phase: RoomPhase,
    questionIndex: z.number().int(),
    deadlineAt: z.number(),
    /**
     * Which tick of the phase this is, from 1 (due at the phase's start + 2 s × tick), so a late frame is never taken for the next one's.
     * Optional so that during a rolling deploy a worker older than this field still has its frames drawn (without the number).
     */
    tick: z.number().int().nonnegative().optional(),
    /**
     * When the frame is due at the players (epoch ms, Redis clock): the worker draws it COUNTDOWN_LEAD_MS
     * before, and socket processes hold it until then. Absent (a worker older than the field): sent at once.
     */
    dueAt: z.number().optional(),
    answeredCount: z.number().int(),
    playerCount: z.number().int(),
  }),
  /**
   * The shared view of a new version, built once by the transition's writer right after its
   * `state` message: socket processes forward it as it is. `openedAt`: when the open question opened.
   */
  z.object({ kind: z.literal('view'), version: z.number().int(), openedAt: z.number().nullable(), view: RoomView }),
  /** The view changed without a new version (a join, a kick, a lock): push it again. */
  z.object({ kind: z.literal('refresh') }),
  /** The host removed this player: close their connections. */
  z.object({ kind: z.literal('kicked'), playerId: z.string() }),
  /** The host played again: each moved player's token for the new room, by their id in this one. */
  z.object({ kind: z.literal('next'), code: z.string(), gameId: z.string(), tokens: z.record(z.string(), z.string()) }),
]);
export type ChannelMessage = z.infer<typeof ChannelMessage>;

/** A channel message or stream entry, from its JSON text: the message, or why it is not one (not JSON, or off the schema). */
export function parseMessage<T>(schema: z.ZodType<T>, raw: string): { ok: true; message: T } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, message: parsed.data } : { ok: false, error: z.prettifyError(parsed.error) };
}
