import { z } from 'zod';
import { RoomPhase, RoomSettings } from '../shared/room';

/**
 * The authoritative room record in Redis. It holds no answers, so it may be published as is.
 * Times are absolute epoch milliseconds on Redis's clock (TIME, read in the transition script).
 */
export const RoomState = z.object({
  code: z.string(),
  gameId: z.string().uuid(),
  hostId: z.string(),
  hostName: z.string(),
  phase: RoomPhase,
  version: z.number().int(),
  questionIndex: z.number().int(),
  settings: RoomSettings,
  /** The join passphrase, hashed (src/api/rooms/passphrase.ts); absent in a room anyone may join. Never in a view. */
  passphraseHash: z.string().optional(),
  /** When the phase in hand began; ticks are due every 2 s from here. */
  phaseStartedAt: z.number().nullable(),
  /** When the current question opened; answer speed is measured from here. */
  openedAt: z.number().nullable(),
  deadlineAt: z.number().nullable(),
  /** Set while the host has paused a question or a reveal: what to resume, with the time it had left. */
  paused: z
    .object({ phase: z.enum(['question', 'reveal']), remainingMs: z.number().int().min(0), at: z.number() })
    .nullable()
    .default(null),
  failureReason: z.string().nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  /** Set when the host or an admin deleted the room: it has ended, and reads of it answer 410. */
  deletedAt: z.number().optional(),
});
export type RoomState = z.infer<typeof RoomState>;

/** A recorded answer as the answer script stores it (JSON in `...:answers:{i}`). */
export interface StoredAnswer {
  /** null for a typed answer. */
  choice: number | null;
  /** A typed answer as the player sent it (trimmed); absent for a choice. */
  text?: string;
  /** Always false for a poll. */
  correct: boolean;
  points: number;
  /** The time that counts for speed (docs/game.md, "Timing"): serverMs less the latency allowance. */
  elapsedMs: number;
  /** Arrival minus when the question was sent to this player; absent in answers stored before fair timing. */
  serverMs?: number;
  /** The reaction time the client reported, if any (used only within the allowance). */
  reportedMs?: number;
  /** The connection's measured round trip when it answered (0: not measured yet). */
  rttMs?: number;
  /** How long the socket process's loop was busy before it read the answer (src/socket/arrival.ts); widens the allowance for a report. */
  loopBusyMs?: number;
  /** When the answer arrived at the socket process, Redis's clock. */
  at: number;
  /** The arrival stamp as the socket process sent it ('' for none): a re-send with the same one is the same answer. Absent in older records. */
  stamp?: string;
  /** How long it waited between its arrival and this script (for diagnosis; it costs no points). */
  queuedMs?: number;
  /** The player's streak of correct answers once this answer is settled at the reveal. */
  streak: number;
}

export interface StoredPlayer {
  id: string;
  nickname: string;
  userId: string | null;
  /** When they joined, epoch ms on Redis's clock: join.lua sets it, whatever the caller sent. */
  joinedAt: number;
  /** The joining network address, as an opaque keyed hash: only ever compared (the same-address cheat signal). */
  address?: string;
}
