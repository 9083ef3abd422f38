import { describe, expect, it } from 'vitest';
import { type Transition, isEndPhase, isResumedQuestion, isTimedPhase, stampAt, transition } from '../../src/game/room-machine';
import type { RoomPhase } from '../../src/shared/room';
import type { RoomState } from '../../src/game/room-state';
import { SETTINGS, roomIn } from './fixtures';

const NOW = 50_000;

/** The transition as the script applies it at `now` (Redis TIME there). */
function accepted(room: RoomState, t: Transition, now = NOW) {
  const result = transition(room, t);
  if (!result.ok) throw new Error(`expected ${t.type} to be accepted: ${result.reason}`);
  return { ...result, ...stampAt(result, now) };
}

describe('room state machine', () => {
  describe('when the worker has prepared the questions', () => {
    it('opens the lobby with the number of questions actually picked', () => {
      const room = roomIn({ phase: 'building', version: 1 });

      const { room: next, event } = accepted(room, { type: 'prepared', questionCount: 2 });

      expect(next.phase).toBe('lobby');
      expect(next.version).toBe(2);
      expect(next.settings.questionCount).toBe(2);
      expect(next.phaseStartedAt).toBe(NOW);
      expect(event).toEqual({ type: 'room.prepared', roomCode: room.code, version: 2, at: NOW });
    });
  });

  describe('when preparing fails', () => {
    it('ends the room with the reason', () => {
      const { room: next, event } = accepted(roomIn(), { type: 'failed', reason: 'bank too small' });

      expect(next).toMatchObject({ phase: 'failed', version: 2, failureReason: 'bank too small', finishedAt: NOW });
      expect(event).toMatchObject({ type: 'room.failed', version: 2, reason: 'bank too small' });
    });
  });

  describe('when the host retries a failed room', () => {
    it('goes back to building with the same settings, and asks for its questions again', () => {
      const room = roomIn({ phase: 'failed', version: 2, failureReason: 'bank away', finishedAt: 1000 });

      const { room: next, event } = accepted(room, { type: 'retry' });

      expect(next).toMatchObject({ phase: 'building', version: 3, failureReason: null, finishedAt: null, phaseStartedAt: NOW, settings: room.settings });
      expect(event).toEqual({ type: 'room.created', roomCode: room.code, version: 3, at: NOW });
    });

    it.each<RoomPhase>(['building', 'lobby', 'question', 'finished', 'cancelled'])('refuses it in %s', (phase) => {
      expect(transition(roomIn({ phase }), { type: 'retry' })).toMatchObject({ ok: false, reason: `cannot retry a room in phase ${phase}` });
    });
  });

  describe('when the host deletes the room', () => {
    it('cancels a room that has not ended, with the reason its players see', () => {
      const room = roomIn({ phase: 'question', version: 4, questionIndex: 0, deadlineAt: NOW + 1000 });

      const { room: next, event } = accepted(room, { type: 'delete', reason: 'The host deleted this room.' });

      expect(next).toMatchObject({ phase: 'cancelled', version: 5, deadlineAt: null, failureReason: 'The host deleted this room.', deletedAt: NOW });
      expect(event).toMatchObject({ type: 'room.updated', version: 5, phase: 'cancelled' });
    });

    it('keeps an ended room ended as it was, marked deleted, and refuses any change after', () => {
      const { room: next } = accepted(roomIn({ phase: 'failed', finishedAt: 1000 }), { type: 'delete', reason: 'gone' });

      expect(next).toMatchObject({ phase: 'failed', finishedAt: 1000, deletedAt: NOW });
      expect(transition(next, { type: 'retry' })).toMatchObject({ ok: false, reason: 'cannot retry a deleted room' });
      expect(transition(next, { type: 'delete', reason: 'again' })).toMatchObject({ ok: false });
    });
  });

  describe('when the host starts the game', () => {
    it('opens question 0 with an absolute deadline one question-time away', () => {
      const room = roomIn({ phase: 'lobby', version: 2 });

      const { room: next, event } = accepted(room, { type: 'start' });

      expect(next).toMatchObject({
        phase: 'question',
        version: 3,
        questionIndex: 0,
        startedAt: NOW,
        openedAt: NOW,
        phaseStartedAt: NOW,
        deadlineAt: NOW + SETTINGS.questionSeconds * 1000,
      });
      expect(event).toEqual({ type: 'room.started', roomCode: room.code, version: 3, at: NOW, phase: 'question', questionIndex: 0 });
    });
  });

  describe('when a question is advanced (deadline or early close)', () => {
    it('reveals the same question until the reveal deadline', () => {
      const room = roomIn({ phase: 'question', version: 5, questionIndex: 1, openedAt: 1, deadlineAt: 2 });

      const { room: next, event } = accepted(room, { type: 'advance' });

      expect(next).toMatchObject({ phase: 'reveal', version: 6, questionIndex: 1, phaseStartedAt: NOW, deadlineAt: NOW + 4000 });
      expect(next.openedAt).toBe(1);
      expect(event).toMatchObject({ type: 'room.updated', phase: 'reveal', questionIndex: 1, version: 6 });
    });
  });

  describe('when a reveal is advanced', () => {
    it('opens the next question while there is one', () => {
      const room = roomIn({ phase: 'reveal', version: 6, questionIndex: 1 });

      const { room: next, event } = accepted(room, { type: 'advance' });

      expect(next).toMatchObject({ phase: 'question', version: 7, questionIndex: 2, openedAt: NOW, deadlineAt: NOW + 10_000 });
      expect(event).toMatchObject({ type: 'room.updated', phase: 'question', questionIndex: 2 });
    });

    it('finishes the game after the last question', () => {
      const room = roomIn({ phase: 'reveal', version: 8, questionIndex: 2 });

      const { room: next, event } = accepted(room, { type: 'advance' });

      expect(next).toMatchObject({ phase: 'finished', version: 9, deadlineAt: null, finishedAt: NOW, questionIndex: 2 });
      expect(event).toEqual({ type: 'room.finished', roomCode: room.code, version: 9, at: NOW, gameId: room.gameId });
    });
  });

  describe('over a whole game', () => {
    it('visits every question once, in order, and bumps the version by one per step', () => {
      let room = accepted(roomIn(), { type: 'prepared', questionCount: 3 }).room;
      room = accepted(room, { type: 'start' }).room;
      const seen: string[] = [`${room.phase}:${room.questionIndex}`];
      const versions = [room.version];
      while (!isEndPhase(room.phase)) {
        room = accepted(room, { type: 'advance' }).room;
        seen.push(`${room.phase}:${room.questionIndex}`);
        versions.push(room.version);
      }

      expect(seen).toEqual(['question:0', 'reveal:0', 'question:1', 'reveal:1', 'question:2', 'reveal:2', 'finished:2']);
      expect(versions).toEqual([3, 4, 5, 6, 7, 8, 9]);
    });
  });

  describe('when a transition does not fit the phase', () => {
    const refusals: [RoomPhase, Transition][] = [
      ['lobby', { type: 'prepared', questionCount: 3 }],
      ['question', { type: 'prepared', questionCount: 3 }],
      ['lobby', { type: 'failed', reason: 'x' }],
      ['building', { type: 'start' }],
      ['question', { type: 'start' }],
      ['finished', { type: 'start' }],
      ['building', { type: 'advance' }],
      ['lobby', { type: 'advance' }],
      ['finished', { type: 'advance' }],
      ['cancelled', { type: 'advance' }],
      ['failed', { type: 'advance' }],
      ['question', { type: 'cancel' }],
      ['reveal', { type: 'cancel' }],
      ['finished', { type: 'cancel' }],
    ];

    it.each(refusals)('refuses, in phase %s, %o and leaves the room untouched', (phase, t) => {
      const room = roomIn({ phase, version: 4, questionIndex: 0 });
      const before = structuredClone(room);

      const result = transition(room, t);

      expect(result).toEqual({ ok: false, reason: `cannot ${t.type} a room in phase ${phase}` });
      expect(room).toEqual(before);
    });
  });

  describe('when the host cancels before the game starts', () => {
    it.each(['building', 'lobby'] as const)('cancels a room in %s', (phase) => {
      const { room: next } = accepted(roomIn({ phase, version: 2 }), { type: 'cancel' });

      expect(next).toMatchObject({ phase: 'cancelled', version: 3, finishedAt: NOW, deadlineAt: null });
    });
  });

  describe('when the host pauses and resumes', () => {
    const open = roomIn({ phase: 'question', version: 5, questionIndex: 1, phaseStartedAt: NOW - 4000, openedAt: NOW - 4000, deadlineAt: NOW + 6000 });

    it('keeps the time left and drops the deadline, so no tick or advance fits the paused room', () => {
      const { room: paused, event, settles } = accepted(open, { type: 'pause' });

      expect(paused).toMatchObject({
        phase: 'paused',
        version: 6,
        questionIndex: 1,
        deadlineAt: null,
        paused: { phase: 'question', remainingMs: 6000, at: NOW },
      });
      expect(event).toMatchObject({ type: 'room.updated', phase: 'paused' });
      expect(settles).toBe(false);
      expect(isTimedPhase(paused.phase)).toBe(false);
      expect(transition(paused, { type: 'advance' }).ok).toBe(false);
    });

    it('resumes with the time that was left, and moves the opening by the pause so answer speed ignores it', () => {
      const { room: paused } = accepted(open, { type: 'pause' });

      const { room: resumed, settles } = accepted(paused, { type: 'resume' }, NOW + 30_000);

      expect(resumed).toMatchObject({ phase: 'question', version: 7, paused: null, phaseStartedAt: NOW + 30_000, deadlineAt: NOW + 36_000 });
      expect(resumed.openedAt).toBe(NOW - 4000 + 30_000);
      expect(settles).toBe(false);
    });

    it('tells a resumed question (the worker checks it for an early close) from a question as it opened', () => {
      const { room: paused } = accepted(open, { type: 'pause' });
      const { room: resumed } = accepted(paused, { type: 'resume' }, NOW + 30_000);
      const { room: next } = accepted({ ...open, phase: 'reveal', questionIndex: 0, deadlineAt: NOW - 1 }, { type: 'advance' }, NOW);
      expect(next).toMatchObject({ phase: 'question', questionIndex: 1 });

      expect(isResumedQuestion(resumed)).toBe(true);
      expect(isResumedQuestion(open)).toBe(false);
      expect(isResumedQuestion(paused)).toBe(false);
      expect(isResumedQuestion(next)).toBe(false);
    });

    it('resumes a paused reveal as a reveal, without touching when the question opened', () => {
      const reveal = { ...open, phase: 'reveal' as const, deadlineAt: NOW + 2000 };
      const { room: paused } = accepted(reveal, { type: 'pause' });

      const { room: resumed } = accepted(paused, { type: 'resume' }, NOW + 10_000);

      expect(resumed).toMatchObject({ phase: 'reveal', deadlineAt: NOW + 12_000, openedAt: open.openedAt });
    });

    it('refuses to pause what is not running, and to resume what is not paused', () => {
      for (const phase of ['lobby', 'finished', 'paused'] as RoomPhase[]) expect(transition(roomIn({ phase }), { type: 'pause' }).ok, phase).toBe(false);
      expect(transition(open, { type: 'resume' }).ok).toBe(false);
    });
  });

  describe('when the host ends the game early', () => {
    const open = roomIn({ phase: 'question', version: 5, questionIndex: 1, phaseStartedAt: NOW, openedAt: NOW, deadlineAt: NOW + 6000 });

    it('finishes a running game and settles the open question', () => {
      const { room: ended, event, settles } = accepted(open, { type: 'end' });

      expect(ended).toMatchObject({ phase: 'finished', finishedAt: NOW, deadlineAt: null });
      expect(event).toEqual({ type: 'room.finished', roomCode: open.code, version: 6, at: NOW, gameId: open.gameId });
      expect(settles).toBe(true);
    });

    it('settles a question that was paused, but not a reveal, which is settled already', () => {
      const pausedQuestion = accepted(open, { type: 'pause' }).room;
      const pausedReveal = accepted({ ...open, phase: 'reveal' }, { type: 'pause' }).room;

      expect(accepted(pausedQuestion, { type: 'end' }).settles).toBe(true);
      expect(accepted(pausedReveal, { type: 'end' }).settles).toBe(false);
    });

    it('cancels a room that has not started', () => {
      expect(accepted(roomIn({ phase: 'lobby' }), { type: 'end' }).room.phase).toBe('cancelled');
    });
  });

  describe('phase kinds', () => {
    it('times only questions and reveals', () => {
      const phases: RoomPhase[] = ['building', 'failed', 'lobby', 'question', 'reveal', 'finished', 'cancelled'];

      expect(phases.filter(isTimedPhase)).toEqual(['question', 'reveal']);
      expect(phases.filter(isEndPhase)).toEqual(['failed', 'finished', 'cancelled']);
    });
  });
});
