import { z } from 'zod';
import { MAX_TYPED_ANSWER, normalizeAnswerText } from './answer-text';
import { isPlainText } from './plain-text';
import { ErrorBody } from './error-codes';
import { PlayerYou, RoomPhase, RoomView } from './room';

/** A reported reaction time past this is not a reaction time; the allowance bounds it anyway. */
export const MAX_REACTION_MS = 600_000;

/** One of `choice` (every type but type-answer) and `text` (type-answer), never both. */
export const AnswerSubmit = z
  .object({
    questionIndex: z.number().int().min(0),
    choice: z.number().int().min(0).optional().describe('The picked choice, from 0: for multiple, boolean and poll questions.'),
    text: z
      .string()
      .max(MAX_TYPED_ANSWER)
      .refine((t) => normalizeAnswerText(t) !== '', 'text must hold more than spaces and accents')
      .refine((t) => isPlainText(t), 'text must not contain control, bidi or invisible characters')
      .optional()
      .describe(`The typed answer, for type-answer questions: up to ${MAX_TYPED_ANSWER} characters; case, accents and spaces do not matter.`),
    reactionMs: z
      .number()
      .min(0)
      .max(MAX_REACTION_MS)
      .optional()
      .describe(
        'Optional: ms from the question being shown to the tap, on the client\'s monotonic clock. Used only within the latency allowance (docs/game.md, "Timing").',
      ),
  })
  .refine((a) => (a.choice === undefined) !== (a.text === undefined), 'send either choice or text, not both');
export type AnswerSubmit = z.infer<typeof AnswerSubmit>;

const Refused = z.object({ ok: z.literal(false), error: ErrorBody });

/** An accepted answer's ack echoes the choice, or the text as recorded (trimmed). */
const accepted = { ok: z.literal(true), questionIndex: z.number().int(), receivedAt: z.number().describe('Arrival, epoch ms by the server clock.') };
export const AnswerAck = z.union([z.object({ ...accepted, choice: z.number().int() }), z.object({ ...accepted, text: z.string() }), Refused]);
export type AnswerAck = z.infer<typeof AnswerAck>;

export const SyncAck = z.union([z.object({ ok: z.literal(true), view: RoomView, you: PlayerYou.nullable() }), Refused]);
export type SyncAck = z.infer<typeof SyncAck>;

export const Countdown = z.object({
  remainingMs: z.number(),
  deadlineAt: z.number(),
  serverNow: z.number(),
  questionIndex: z.number().int(),
  phase: RoomPhase,
  tick: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe(
      "Which tick of the phase, from 1: due at the phase's start + 2 s × tick. None comes with the opening: the phase's `room:view` carries its deadline and counts. Absent (or 0, at the opening) only while a rolling deploy still runs an older worker.",
    ),
  answeredCount: z.number().int().describe('How many answered the open question (0 in a reveal), as of this tick.'),
  playerCount: z.number().int(),
});
export type Countdown = z.infer<typeof Countdown>;

export const RoomClosed = z.object({
  reason: z
    .enum(['finished', 'failed', 'cancelled', 'replaced', 'kicked', 'lost'])
    .describe(
      '`finished`, `failed`, `cancelled`: the game ended so (its view says more); `replaced`: another connection took this token over; `kicked`: the host removed the player; ' +
        "`lost`: the server lost the room's live state (Redis lost its data) before the game ended, so it cannot go on and its results were not saved; the server closes the connection after it.",
    ),
  gameId: z
    .string()
    .describe(
      'The game of the room; empty when the server did not have it at hand (a replaced connection, a kick during admission, a room lost before its first view).',
    ),
  message: z.string().optional().describe('A sentence to show the person, when the server has one (always with `lost`).'),
});
export type RoomClosed = z.infer<typeof RoomClosed>;

export const RoomNext = z.object({
  code: z.string().describe('The new room: same host and settings, this player already in it.'),
  gameId: z.string(),
  token: z.string().describe('A player token for the new room; connect with it (the old one still works for the finished room).'),
  nickname: z.string().describe('The same nickname as in the finished room.'),
});
export type RoomNext = z.infer<typeof RoomNext>;

export const ServerRestarting = z.object({ reconnect: z.literal(true) });
export type ServerRestarting = z.infer<typeof ServerRestarting>;

export interface ServerToClientEvents {
  'room:view': (view: RoomView) => void;
  'room:you': (you: PlayerYou) => void;
  'room:countdown': (countdown: Countdown) => void;
  'room:closed': (info: RoomClosed) => void;
  /** The host played again with the same players: this player is in the new room; the client follows with the new token. */
  'room:next': (next: RoomNext) => void;
  /** This instance is shutting down; the client reconnects (Socket.IO does so by itself) and gets the current view. */
  'server:restarting': (info: ServerRestarting) => void;
}

export interface ClientToServerEvents {
  /** The server parses the answer all the same: a client that breaks the type gets a BAD_REQUEST ack. */
  'answer:submit': (answer: AnswerSubmit, ack: (result: AnswerAck) => void) => void;
  'room:sync': (ack: (result: SyncAck) => void) => void;
}

type Payload<F> = F extends (payload: infer P, ...rest: never[]) => void ? P : never;
type AckResult<F> = F extends (...args: infer A) => void ? (A extends [...unknown[], (result: infer R) => void] ? R : never) : never;

/**
 * Each event's payload and ack as the zod schema they are built from, keyed like the event maps (the
 * AsyncAPI document is generated from these); `satisfies` keeps the two in step.
 */
export const SOCKET_EVENT_SCHEMAS = {
  serverToClient: {
    'room:view': RoomView,
    'room:you': PlayerYou,
    'room:countdown': Countdown,
    'room:closed': RoomClosed,
    'room:next': RoomNext,
    'server:restarting': ServerRestarting,
  } satisfies { [E in keyof ServerToClientEvents]: z.ZodType<Payload<ServerToClientEvents[E]>> },
  clientToServer: {
    'answer:submit': { payload: AnswerSubmit, ack: AnswerAck },
    'room:sync': { payload: null, ack: SyncAck },
  } satisfies { [E in keyof ClientToServerEvents]: { payload: z.ZodType | null; ack: z.ZodType<AckResult<ClientToServerEvents[E]>> } },
};

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  kind: 'host' | 'player';
  roomCode: string;
  /** Player id for players, user id for hosts. */
  id: string;
  name: string;
}
