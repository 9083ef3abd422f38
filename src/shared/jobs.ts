/** BullMQ queue names; each queue has one processor in `workers/processors`. */
export const QueueName = {
  PrepareRoom: 'prepare-room',
  Tick: 'tick',
  Advance: 'advance',
  PersistResults: 'persist-results',
  Housekeeping: 'housekeeping',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export interface PrepareRoomJob { roomCode: string; version: number }
export interface TickJob { roomCode: string; version: number; n: number }
/** `dueAt`: the deadline this advance is for; 0 when it closes a question early. */
export interface AdvanceJob { roomCode: string; version: number; dueAt: number }
export interface PersistResultsJob { roomCode: string; gameId: string }
/** Ends the room if it is still at `version` when the job runs: nothing happened there meanwhile. */
export interface HousekeepingJob { roomCode: string; version: number; reason: 'idle' }

export interface JobDataByQueue {
  [QueueName.PrepareRoom]: PrepareRoomJob;
  [QueueName.Tick]: TickJob;
  [QueueName.Advance]: AdvanceJob;
  [QueueName.PersistResults]: PersistResultsJob;
  [QueueName.Housekeeping]: HousekeepingJob;
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
  idle: (code: string, version: number) => `idle-${code}-${version}`,
};

/** Ticks are due every TICK_MS from the start of a timed phase. */
export const TICK_MS = 2000;

/**
 * Delayed jobs are scheduled this much before they are due and the processor waits out the rest,
 * so they run within a millisecond or two of the due time instead of up to one Redis `hz` period late.
 */
export const SCHEDULE_LEAD_MS = 25;
