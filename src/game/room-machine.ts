import type { RoomEvent } from '../shared/events';
import type { RoomPhase } from '../shared/room';
import type { RoomState } from './room-state';

/** A request to change a room's phase. The api applies it with a compare-and-set on `version`. */
export type Transition =
  | { type: 'prepared'; questionCount: number }
  | { type: 'failed'; reason: string }
  /** The host tries a failed room again: back to building, with the same settings. */
  | { type: 'retry' }
  /** The host (or an admin) deletes the room: it ends, players are shown `reason`, and it is no longer read. */
  | { type: 'delete'; reason: string }
  | { type: 'start' }
  | { type: 'advance' }
  | { type: 'cancel' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'end' };

/** Record times that a change sets from the instant it is applied. `paused`: its `at` and `remainingMs`. */
export type ClockField = 'createdAt' | 'phaseStartedAt' | 'openedAt' | 'deadlineAt' | 'startedAt' | 'finishedAt' | 'deletedAt' | 'paused';

/**
 * A change read off no process's clock: the fields named in `clock` (and the event's `at`) hold ms
 * after the instant it is applied, and the transition script adds Redis TIME to them (`stampAt`), so
 * every deadline is on one clock whichever host asked. A pause holds its old deadline in
 * `paused.remainingMs` until then.
 */
export interface Change {
  room: RoomState;
  event: RoomEvent;
  /** The change closes an open question: its answers go into the standings inside the same compare-and-set (see transition.lua). */
  settles: boolean;
  clock: readonly ClockField[];
}

export type TransitionResult = ({ ok: true } & Change) | { ok: false; reason: string };

/** The instant a change is applied, as the machine sees it: its times are offsets from it (see Change). */
const APPLIED = 0;

const refuse = (room: RoomState, t: Transition): { ok: false; reason: string } => ({
  ok: false,
  reason: room.deletedAt !== undefined ? `cannot ${t.type} a deleted room` : `cannot ${t.type} a room in phase ${room.phase}`,
});

/**
 * The room lifecycle: building → lobby → question(i) ⇄ reveal(i) → finished, or failed / cancelled.
 * A failed room may be retried (back to building); any room may be deleted (cancelled, or kept ended, and marked).
 * Every accepted transition increments `version` and yields exactly one event for the stream.
 */
export function transition(room: RoomState, t: Transition): TransitionResult {
  const result = change(room, t, APPLIED);
  if (!result.ok) return result;
  const wasOpen = room.phase === 'question' || (room.phase === 'paused' && room.paused?.phase === 'question');
  return { ...result, settles: wasOpen && result.room.phase !== 'question' && result.room.phase !== 'paused' };
}

type Changed = { ok: true; room: RoomState; event: RoomEvent; clock: readonly ClockField[] } | { ok: false; reason: string };

const OPENS: readonly ClockField[] = ['phaseStartedAt', 'openedAt', 'deadlineAt'];

function change(room: RoomState, t: Transition, now: number): Changed {
  const version = room.version + 1;
  const s = room.settings;
  if (room.deletedAt !== undefined) return refuse(room, t);
  switch (t.type) {
    case 'prepared': {
      if (room.phase !== 'building') return refuse(room, t);
      // `phaseStartedAt` marks when the lobby opened: the reconciler counts a lobby's idle time from it.
      const next = { ...room, phase: 'lobby' as const, version, phaseStartedAt: now, settings: { ...s, questionCount: t.questionCount } };
      return { ok: true, room: next, event: { type: 'room.prepared', roomCode: room.code, version, at: now }, clock: ['phaseStartedAt'] };
    }
    case 'failed': {
      if (room.phase !== 'building') return refuse(room, t);
      const next = { ...room, phase: 'failed' as const, version, failureReason: t.reason, finishedAt: now };
      return { ok: true, room: next, event: { type: 'room.failed', roomCode: room.code, version, at: now, reason: t.reason }, clock: ['finishedAt'] };
    }
    case 'retry': {
      if (room.phase !== 'failed') return refuse(room, t);
      // `phaseStartedAt` marks when this building began, for the building limit.
      const next: RoomState = { ...room, phase: 'building', version, failureReason: null, finishedAt: null, phaseStartedAt: now };
      return { ok: true, room: next, event: { type: 'room.created', roomCode: room.code, version, at: now }, clock: ['phaseStartedAt'] };
    }
    case 'delete': {
      const phase = isEndPhase(room.phase) ? room.phase : ('cancelled' as const);
      const next: RoomState = {
        ...room,
        version,
        phase,
        deadlineAt: null,
        paused: null,
        failureReason: t.reason,
        finishedAt: room.finishedAt ?? now,
        deletedAt: now,
      };
      // A room that had already ended keeps its finishing time; only new times are on the applying clock.
      const clock: readonly ClockField[] = (room.finishedAt ?? null) === null ? ['finishedAt', 'deletedAt'] : ['deletedAt'];
      return { ok: true, room: next, event: phaseEvent('room.updated', next, now), clock };
    }
    case 'start': {
      if (room.phase !== 'lobby') return refuse(room, t);
      const next = openQuestion({ ...room, version, startedAt: now }, 0, now);
      return { ok: true, room: next, event: phaseEvent('room.started', next, now), clock: [...OPENS, 'startedAt'] };
    }
    case 'advance': {
      if (room.phase === 'question') {
        const next: RoomState = {
          ...room,
          version,
          phase: 'reveal',
          phaseStartedAt: now,
          deadlineAt: now + s.revealSeconds * 1000,
        };
        return { ok: true, room: next, event: phaseEvent('room.updated', next, now), clock: ['phaseStartedAt', 'deadlineAt'] };
      }
      if (room.phase === 'reveal') {
        if (room.questionIndex + 1 < s.questionCount) {
          const next = openQuestion({ ...room, version }, room.questionIndex + 1, now);
          return { ok: true, room: next, event: phaseEvent('room.updated', next, now), clock: OPENS };
        }
        const next: RoomState = { ...room, version, phase: 'finished', phaseStartedAt: now, deadlineAt: null, finishedAt: now };
        return {
          ok: true,
          room: next,
          event: { type: 'room.finished', roomCode: room.code, version, at: now, gameId: room.gameId },
          clock: ['phaseStartedAt', 'finishedAt'],
        };
      }
      return refuse(room, t);
    }
    case 'cancel': {
      if (room.phase !== 'lobby' && room.phase !== 'building') return refuse(room, t);
      const next = { ...room, version, phase: 'cancelled' as const, deadlineAt: null, finishedAt: now };
      return { ok: true, room: next, event: phaseEvent('room.updated', next, now), clock: ['finishedAt'] };
    }
    case 'pause': {
      if (room.phase !== 'question' && room.phase !== 'reveal') return refuse(room, t);
      const remainingMs = Math.max(0, (room.deadlineAt ?? now) - now);
      const next: RoomState = { ...room, version, phase: 'paused', deadlineAt: null, paused: { phase: room.phase, remainingMs, at: now } };
      return { ok: true, room: next, event: phaseEvent('room.updated', next, now), clock: ['paused'] };
    }
    case 'resume': {
      if (room.phase !== 'paused' || !room.paused) return refuse(room, t);
      const { phase, remainingMs, at } = room.paused;
      // Answer speed is measured from `openedAt`: move it by the pause so the pause counts for nobody.
      const openedAt = phase === 'question' && room.openedAt !== null ? room.openedAt + (now - at) : room.openedAt;
      const next: RoomState = { ...room, version, phase, phaseStartedAt: now, openedAt, deadlineAt: now + remainingMs, paused: null };
      const clock: readonly ClockField[] = phase === 'question' && openedAt !== null ? OPENS : ['phaseStartedAt', 'deadlineAt'];
      return { ok: true, room: next, event: phaseEvent('room.updated', next, now), clock };
    }
    case 'end': {
      // Ending before the game began cancels it; ending a running game finishes it, and its results are kept.
      if (room.phase === 'lobby' || room.phase === 'building') return change(room, { type: 'cancel' }, now);
      if (room.phase !== 'question' && room.phase !== 'reveal' && room.phase !== 'paused') return refuse(room, t);
      const next: RoomState = { ...room, version, phase: 'finished', phaseStartedAt: now, deadlineAt: null, paused: null, finishedAt: now };
      const event: RoomEvent = { type: 'room.finished', roomCode: room.code, version, at: now, gameId: room.gameId };
      return { ok: true, room: next, event, clock: ['phaseStartedAt', 'finishedAt'] };
    }
  }
}

/**
 * The change as the transition script writes it, applied at `now` (epoch ms, Redis TIME): the store
 * learns `now` from the script's reply and so knows the record without reading it again.
 */
export function stampAt(c: Change, now: number): { room: RoomState; event: RoomEvent } {
  const room = { ...c.room };
  for (const field of c.clock) {
    if (field === 'paused') {
      if (room.paused) room.paused = { ...room.paused, at: now, remainingMs: Math.max(0, room.paused.remainingMs - now) };
    } else {
      room[field] = (room[field] ?? 0) + now;
    }
  }
  return { room, event: { ...c.event, at: now } };
}

function openQuestion(room: RoomState, index: number, now: number): RoomState {
  return {
    ...room,
    phase: 'question',
    questionIndex: index,
    phaseStartedAt: now,
    openedAt: now,
    deadlineAt: now + room.settings.questionSeconds * 1000,
  };
}

function phaseEvent(type: 'room.started' | 'room.updated', room: RoomState, now: number): RoomEvent {
  return { type, roomCode: room.code, version: room.version, at: now, phase: room.phase, questionIndex: room.questionIndex };
}

/** Phases with a deadline: the worker ticks through them and advances at the deadline. */
export function isTimedPhase(phase: RoomPhase): phase is 'question' | 'reveal' {
  return phase === 'question' || phase === 'reveal';
}

/**
 * A question running again after a pause. Opening a question sets `openedAt` and `phaseStartedAt` to one instant;
 * a resume restarts the phase and moves `openedAt` by the pause only, so it lies before. (A pause taken in the
 * opening's own millisecond leaves them equal, but then no answer came before it: none needs the resume's check.)
 */
export function isResumedQuestion(room: Pick<RoomState, 'phase' | 'openedAt' | 'phaseStartedAt'>): boolean {
  return room.phase === 'question' && room.openedAt !== null && room.phaseStartedAt !== null && room.openedAt < room.phaseStartedAt;
}

/** Phases after which nothing more happens in the room; the one list (the join script's Lua is built from it too). */
export const END_PHASES = ['finished', 'failed', 'cancelled'] as const satisfies readonly RoomPhase[];
export type EndPhase = (typeof END_PHASES)[number];

/** Whether nothing more happens in the room (see END_PHASES); takes any string, as a record read raw holds one. */
export function isEndPhase(phase: string): phase is EndPhase {
  return (END_PHASES as readonly string[]).includes(phase);
}
