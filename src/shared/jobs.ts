/** BullMQ queue names; each queue has one processor in `workers/processors`. */
export const QueueName = {
  PrepareRoom: 'prepare-room',
  Advance: 'advance',
  PersistResults: 'persist-results',
  Housekeeping: 'housekeeping',
  Reconcile: 'reconcile',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** `gameId` tells a room apart from an earlier one under the same (reused) code. */
export interface PrepareRoomJob {
  roomCode: string;
  gameId: string;
  version: number;
}
/** `dueAt`: when this advance is due: the phase's deadline, plus ANSWER_GRACE_MS for a question; 0 when it closes a question early. */
export interface AdvanceJob {
  roomCode: string;
  gameId: string;
  version: number;
  dueAt: number;
}
export interface PersistResultsJob {
  roomCode: string;
  gameId: string;
}
/** Ends the room if it is still at `version` when the job runs: nothing happened there meanwhile. */
export interface HousekeepingJob {
  roomCode: string;
  gameId: string;
  version: number;
  reason: 'idle';
}
/** One pass of the reconciler over the rooms and the results backlog; the data is empty. */
export type ReconcileJob = Record<string, never>;

export interface JobDataByQueue {
  [QueueName.PrepareRoom]: PrepareRoomJob;
  [QueueName.Advance]: AdvanceJob;
  [QueueName.PersistResults]: PersistResultsJob;
  [QueueName.Housekeeping]: HousekeepingJob;
  [QueueName.Reconcile]: ReconcileJob;
}

/**
 * Deterministic job ids, so an event handled twice enqueues nothing new. They carry the game id, not
 * the room code: codes are reused, and an old job of an earlier game must never block a new one.
 * BullMQ forbids ':' in custom ids, hence '-'.
 */
export const jobId = {
  prepare: (gameId: string, version: number) => `prepare-${gameId}-${version}`,
  advance: (gameId: string, version: number) => `advance-${gameId}-${version}`,
  persist: (gameId: string) => `persist-${gameId}`,
  idle: (gameId: string, version: number) => `idle-${gameId}-${version}`,
};

/** The reconciler's BullMQ job scheduler: one id, so any number of workers upsert the same one. */
export const RECONCILE_SCHEDULER_ID = 'reconcile';

/** Countdown ticks are due every TICK_MS from the start of a timed phase (workers/ticks.ts: timers, not jobs). */
export const TICK_MS = 2000;

/**
 * Delayed jobs are scheduled this much before they are due and the processor waits out the rest,
 * so they run within a millisecond or two of the due time instead of up to one Redis `hz` period late.
 */
export const SCHEDULE_LEAD_MS = 25;
