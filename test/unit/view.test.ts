import { describe, expect, it } from 'vitest';
import { buildPlayerYou, buildRoomView, isRevealed, type ViewInputs } from '../../src/game/view';
import type { Question } from '../../src/shared/room';
import type { RoomState } from '../../src/game/room-state';
import { question, roomIn } from './fixtures';

const NOW = 90_000;

/** Answers by choice (a number) or typed (a string, correct when given as `+text`). */
function inputs(room: RoomState, q: Question | null = question(), given: (number | string)[] = []): ViewInputs {
  const answers = given.map((g) =>
    typeof g === 'number' ? { choice: g, correct: q?.correct.includes(g) ?? false } : { choice: null, correct: g.startsWith('+') },
  );
  return { room, question: q, playerCount: 3, onlineCount: 3, answeredCount: answers.length, leaderboard: [], answers, locked: false };
}

const open = roomIn({ phase: 'question', version: 3, questionIndex: 0, openedAt: NOW - 1000, deadlineAt: NOW + 9000 });
const revealed = { ...open, phase: 'reveal' as const, version: 4 };

describe('the room view', () => {
  describe('while a question is open', () => {
    it('shows the question and its choices without the correct answer', () => {
      const view = buildRoomView(inputs(open, question(), [2, 1]), NOW);

      expect(view.question).toEqual({
        index: 0,
        category: 'Science',
        difficulty: 'easy',
        type: 'multiple',
        text: 'Which planet is largest?',
        choices: ['Mars', 'Venus', 'Jupiter', 'Mercury'],
      });
      expect(view.question).not.toHaveProperty('answer');
      expect(view.reveal).toBeNull();
      expect(JSON.stringify(view)).not.toMatch(/"answer"|"correct"|"accepted"|correctChoices/);
    });

    it('drops any field added to a question later, not only `answer`', () => {
      const withExtras = { ...question(), explanation: 'Jupiter is a gas giant', answer: 2 } as Question;

      const view = buildRoomView(inputs(open, withExtras), NOW);

      expect(Object.keys(view.question ?? {}).sort()).toEqual(['category', 'choices', 'difficulty', 'index', 'text', 'type']);
    });

    it('carries the absolute deadline and the server time', () => {
      const view = buildRoomView(inputs(open), NOW);

      expect(view).toMatchObject({ phase: 'question', deadlineAt: NOW + 9000, serverNow: NOW, playerCount: 3 });
    });
  });

  describe('once the question is revealed', () => {
    it('shows the correct choice and how many picked each choice', () => {
      const view = buildRoomView(inputs(revealed, question(), [2, 2, 0, 3, 9, -1]), NOW);

      expect(view.reveal).toEqual({ correctChoices: [2], acceptedAnswers: [], distribution: [1, 0, 2, 1], correctCount: 2 });
      expect(view.question).not.toHaveProperty('answer');
    });

    it('shows every correct choice of a question with several', () => {
      const view = buildRoomView(inputs(revealed, question({ correct: [0, 2] }), [0, 2, 1]), NOW);

      expect(view.reveal).toEqual({ correctChoices: [0, 2], acceptedAnswers: [], distribution: [1, 1, 1, 0], correctCount: 2 });
    });

    it('shows the accepted answers of a type-answer question, and how many typed one', () => {
      const typed = question({ type: 'type-answer', choices: [], correct: [], accepted: ['Jupiter', 'Jove'] });

      const view = buildRoomView(inputs(revealed, typed, ['+jupiter', 'saturn', '+JOVE']), NOW);

      expect(view.question?.choices).toEqual([]);
      expect(view.reveal).toEqual({ correctChoices: [], acceptedAnswers: ['Jupiter', 'Jove'], distribution: [], correctCount: 2 });
    });

    it('shows only the distribution of a poll', () => {
      const poll = question({ type: 'poll', correct: [] });

      const view = buildRoomView(inputs(revealed, poll, [0, 0, 3]), NOW);

      expect(view.reveal).toEqual({ correctChoices: [], acceptedAnswers: [], distribution: [2, 0, 0, 1], correctCount: 0 });
    });
  });

  describe('while a type-answer question is open', () => {
    it('shows no accepted answer', () => {
      const typed = question({ type: 'type-answer', choices: [], correct: [], accepted: ['Jupiter'] });

      const view = buildRoomView(inputs(open, typed, ['+jupiter']), NOW);

      expect(view.reveal).toBeNull();
      expect(JSON.stringify(view)).not.toMatch(/Jupiter/);
    });
  });

  describe('outside questions and reveals', () => {
    it.each(['lobby', 'finished', 'building'] as const)('shows no question in phase %s', (phase) => {
      const view = buildRoomView(inputs({ ...open, phase }), NOW);

      expect(view.question).toBeNull();
      expect(view.reveal).toBeNull();
    });
  });

  it('counts a room as revealed only in reveal and finished', () => {
    expect(['lobby', 'question', 'reveal', 'finished'].map((phase) => isRevealed({ ...open, phase } as RoomState))).toEqual([false, false, true, true]);
  });
});

describe("a player's own state", () => {
  const player = { id: 'p1', nickname: 'Ann' };
  const answer = { choice: 1, correct: false, points: 0, elapsedMs: 1200, at: NOW, streak: 0 };

  describe('while the question is open', () => {
    it('echoes the locked-in choice but not whether it was right', () => {
      const you = buildPlayerYou(open, player, { score: 0, rank: 2, streak: 0, answer });

      expect(you.answer).toEqual({ questionIndex: 0, choice: 1 });
      expect(you.answer).not.toHaveProperty('correct');
      expect(you.answer).not.toHaveProperty('points');
    });

    it('echoes a typed answer as sent, with no choice', () => {
      const typed = { ...answer, choice: null, text: 'Jupiter ' };

      const you = buildPlayerYou(open, player, { score: 0, rank: 2, streak: 0, answer: typed });

      expect(you.answer).toEqual({ questionIndex: 0, choice: null, text: 'Jupiter ' });
    });
  });

  describe('after the reveal', () => {
    it('tells whether the answer was right and what it earned', () => {
      const right = { ...answer, choice: 2, correct: true, points: 940 };

      const you = buildPlayerYou(revealed, player, { score: 940, rank: 1, streak: 1, answer: right });

      expect(you).toEqual({
        playerId: 'p1',
        nickname: 'Ann',
        score: 940,
        rank: 1,
        streak: 1,
        answer: { questionIndex: 0, choice: 2, correct: true, points: 940 },
      });
    });
  });

  it('has no answer before the first question', () => {
    const you = buildPlayerYou(roomIn({ phase: 'lobby', questionIndex: -1 }), player, { score: 0, rank: 1, streak: 0, answer });

    expect(you.answer).toBeNull();
  });
});
