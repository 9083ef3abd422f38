/** BullMQ queue names; each queue has one processor in `workers/processors`. */
export const QueueName = {
  PrepareRoom: 'prepare-room',
  Tick: 'tick',
  Advance: 'advance',
  PersistResults: 'persist-results',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export interface PrepareRoomJob { roomCode: string; version: number }
export interface TickJob { roomCode: string; version: number; n: number }
export interface AdvanceJob { roomCode: string; version: number }
export interface PersistResultsJob { roomCode: string; gameId: string }

export interface JobDataByQueue {
  [QueueName.PrepareRoom]: PrepareRoomJob;
  [QueueName.Tick]: TickJob;
  [QueueName.Advance]: AdvanceJob;
  [QueueName.PersistResults]: PersistResultsJob;
}

/**
 * Deterministic job ids, so an event handled twice enqueues nothing new.
 * BullMQ forbids ':' in custom ids, hence '-' (room codes never contain '-').
 */
export const jobId = {
  prepare: (code: string, version: number) => `prepare-${code}-${version}`,
  tick: (code: string, version: number, n: number) => `tick-${code}-${version}-${n}`,
  advance: (code: string, version: number) => `advance-${code}-${version}`,
  persist: (code: string, gameId: string) => `persist-${code}-${gameId}`,
};

/** Ticks are due every TICK_MS from the start of a timed phase. */
export const TICK_MS = 2000;
