import { z } from 'zod';
import { RoomPhase } from './room';

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

/** Messages on a room's pub/sub channel, relayed by every socket instance that holds members of the room. */
export type ChannelMessage =
  | { kind: 'state'; version: number }
  | { kind: 'countdown'; version: number; phase: RoomPhase; questionIndex: number; deadlineAt: number; answeredCount: number; playerCount: number }
  /** The view changed without a new version (a join, a kick, a lock): push it again. */
  | { kind: 'refresh' }
  /** The host removed this player: close their connections. */
  | { kind: 'kicked'; playerId: string };
