import { z } from 'zod';
import type { ErrorBody } from './error-codes';
import type { PlayerYou, RoomView } from './room';

export const AnswerSubmit = z.object({
  questionIndex: z.number().int().min(0),
  choice: z.number().int().min(0),
});
export type AnswerSubmit = z.infer<typeof AnswerSubmit>;

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
    ack: (result: Ack<{ questionIndex: number; choice: number; receivedAt: number }>) => void,
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
