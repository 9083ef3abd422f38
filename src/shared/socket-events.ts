import { z } from 'zod';
import { MAX_TYPED_ANSWER, normalizeAnswerText } from './answer-text';
import { isPlainText } from './plain-text';
import type { ErrorBody } from './error-codes';
import type { PlayerYou, RoomView } from './room';

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
      .describe('Optional: ms from the question being shown to the tap, on the client\'s monotonic clock. Used only within the latency allowance (README, "Timing").'),
  })
  .refine((a) => (a.choice === undefined) !== (a.text === undefined), 'send either choice or text, not both');
export type AnswerSubmit = z.infer<typeof AnswerSubmit>;

/** What an accepted answer's ack echoes: the choice, or the text as recorded (trimmed). */
export type AnswerEcho = { questionIndex: number; receivedAt: number } & ({ choice: number } | { text: string });

export type Ack<T extends object> = ({ ok: true } & T) | { ok: false; error: ErrorBody };

export interface Countdown {
  remainingMs: number;
  deadlineAt: number;
  serverNow: number;
  questionIndex: number;
  phase: RoomView['phase'];
  /** How many answered the open question (0 in a reveal), as of this tick. */
  answeredCount: number;
  playerCount: number;
}

export interface ServerToClientEvents {
  'room:view': (view: RoomView) => void;
  'room:you': (you: PlayerYou) => void;
  'room:countdown': (countdown: Countdown) => void;
  'room:closed': (info: { reason: 'finished' | 'failed' | 'cancelled' | 'replaced' | 'kicked'; gameId: string }) => void;
  /** This instance is shutting down; the client reconnects (Socket.IO does so by itself) and gets the current view. */
  'server:restarting': (info: { reconnect: true }) => void;
}

export interface ClientToServerEvents {
  'answer:submit': (
    answer: unknown,
    ack: (result: Ack<AnswerEcho>) => void,
  ) => void;
  'room:sync': (ack: (result: Ack<{ view: RoomView; you: PlayerYou | null }>) => void) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  kind: 'host' | 'player';
  roomCode: string;
  /** Player id for players, user id for hosts. */
  id: string;
  name: string;
}
