import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankQuestion } from '../../src/api/questions/questions.schemas';
import { speedPoints } from '../../src/game/scoring/scoring';
import type { GameResults } from '../../src/store/repos/games.repo';
import { type Game, openGame } from '../helpers/game';
import { removeAuthored } from '../helpers/game-rows';
import { infra } from '../helpers/infra';
import type { AnswerAck } from '../helpers/recording-client';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const CATEGORY = `Types game ${randomBytes(3).toString('hex')}`;
const SETTINGS = { questionCount: 3, questionSeconds: 8, revealSeconds: 1, category: CATEGORY, streakBonus: true };
const QUESTION_MS = SETTINGS.questionSeconds * 1000;

const QUESTIONS = {
  typed: { category: CATEGORY, difficulty: 'easy', type: 'type-answer', text: 'Which dessert has a burnt sugar top?', accepted: ['Crème brûlée'] },
  multi: {
    category: CATEGORY,
    difficulty: 'easy',
    type: 'multiple',
    text: 'Which of these are gas giants?',
    choices: ['Mars', 'Jupiter', 'Venus', 'Saturn'],
    correct: [1, 3],
  },
  poll: { category: CATEGORY, difficulty: 'easy', type: 'poll', text: 'Which planet would you visit?', choices: ['Mars', 'Venus'] },
} as const;

/** Ann answers everything right (Saturn: any correct choice counts), Bob everything wrong; both vote in the poll. */
const PLAN: Record<string, { ann: { choice: number } | { text: string }; bob: { choice: number } | { text: string } }> = {
  [QUESTIONS.typed.text]: { ann: { text: '  creme   BRULEE ' }, bob: { text: 'Tiramisu' } },
  [QUESTIONS.multi.text]: { ann: { choice: 3 }, bob: { choice: 0 } },
  [QUESTIONS.poll.text]: { ann: { choice: 0 }, bob: { choice: 1 } },
};

describe('a game with a type-answer, a multiple-correct and a poll question, through the real processes', () => {
  let stack: Stack;
  let game: Game;
  let results: GameResults;
  let hostUserId: string;
  const acks: Promise<AnswerAck>[] = [];

  beforeAll(async () => {
    stack = await Stack.start('question-types-game');
    try {
      // The host authors the questions; private ones are asked only in rooms their author hosts.
      const host = await stack.api.registerHost('Author');
      hostUserId = host.userId;
      for (const q of Object.values(QUESTIONS)) {
        const res = await stack.api.request<BankQuestion>('POST', '/questions', { token: host.token, body: q });
        if (res.status !== 201) throw new Error(`POST /questions: ${res.status} ${JSON.stringify(res.body)}`);
      }
      game = await openGame(stack, SETTINGS, 2, { author: host });
      const [ann, bob] = game.players;
      for (const [player, who] of [
        [ann, 'ann'],
        [bob, 'bob'],
      ] as const) {
        const handled = new Set<number>();
        player?.client.socket.on('room:view', (view) => {
          if (view.phase !== 'question' || !view.question || handled.has(view.questionIndex)) return;
          handled.add(view.questionIndex);
          const move = PLAN[view.question.text]?.[who];
          if (!move) return;
          const index = view.questionIndex;
          const delay = who === 'ann' ? 200 : 600;
          acks.push(
            new Promise((resolve, reject) =>
              setTimeout(() => {
                const sent = 'text' in move ? player.client.submitText(index, move.text) : player.client.submit(index, move.choice);
                sent.then(resolve, reject);
              }, delay),
            ),
          );
        });
      }
      await stack.api.start(game.code, game.hostToken);
      await Promise.all([game.host, ...game.players.map((p) => p.client)].map((c) => c.waitForPhase('finished', undefined, 60_000)));
      results = await stack.api.waitForResults(game.gameId);
    } catch (err) {
      console.error(`game set-up failed; process output:\n${stack.logs()}`);
      throw err;
    }
  }, 120_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    game?.closeAll();
    if (hostUserId) await removeAuthored(infra().databaseUrl, hostUserId);
    await stack?.stop();
  });

  const answerTo = (player: 0 | 1, type: string) => {
    const index = results.questions.findIndex((q) => q.type === type);
    return results.answers.find((a) => a.playerId === game.players[player]?.playerId && a.questionIndex === index);
  };

  it('asked the three questions and accepted every answer', async () => {
    const settled = await Promise.all(acks);

    expect(results.questions.map((q) => q.type).sort()).toEqual(['multiple', 'poll', 'type-answer']);
    expect(settled).toHaveLength(6);
    for (const ack of settled) expect(ack).toMatchObject({ ok: true });
    expect(settled).toContainEqual({ ok: true, questionIndex: expect.any(Number), text: 'creme   BRULEE', receivedAt: expect.any(Number) });
  });

  it('grades a typed answer after normalising case, accents and spaces, and keeps the text', () => {
    expect(answerTo(0, 'type-answer')).toMatchObject({ choice: null, text: 'creme   BRULEE', correct: true });
    expect(answerTo(1, 'type-answer')).toMatchObject({ choice: null, text: 'Tiramisu', correct: false, points: 0 });
  });

  it('counts a pick of any correct choice of a multiple-correct question', () => {
    expect(answerTo(0, 'multiple')).toMatchObject({ choice: 3, text: null, correct: true });
    expect(answerTo(1, 'multiple')).toMatchObject({ choice: 0, correct: false, points: 0 });
  });

  it('scores a poll 0 for everyone and calls no vote correct', () => {
    expect(answerTo(0, 'poll')).toMatchObject({ choice: 0, correct: false, points: 0 });
    expect(answerTo(1, 'poll')).toMatchObject({ choice: 1, correct: false, points: 0 });
  });

  it('scores by speed with the streak bonus on the second correct answer, whatever poll came between', () => {
    const scored = [answerTo(0, 'type-answer'), answerTo(0, 'multiple')].sort((a, b) => (a?.questionIndex ?? 0) - (b?.questionIndex ?? 0));
    const [first, second] = scored;

    expect(first?.points).toBe(speedPoints(1000, first?.elapsedMs ?? NaN, QUESTION_MS));
    expect(second?.points).toBe(speedPoints(1000, second?.elapsedMs ?? NaN, QUESTION_MS) + 100);
    const ann = results.players.find((p) => p.playerId === game.players[0]?.playerId);
    const bob = results.players.find((p) => p.playerId === game.players[1]?.playerId);
    expect(ann).toMatchObject({ score: (first?.points ?? 0) + (second?.points ?? 0), correctCount: 2, rank: 1 });
    expect(bob).toMatchObject({ score: 0, correctCount: 0, rank: 2 });
  });

  it('ends with Ann on a streak of 2 (the poll left it alone) and Bob on 0', async () => {
    const [ann, bob] = await Promise.all(game.players.map((p) => p.client.sync()));

    expect(ann).toMatchObject({ ok: true, you: { streak: 2 } });
    expect(bob).toMatchObject({ ok: true, you: { streak: 0 } });
  });

  it('revealed the accepted answer, every correct choice, and the poll distribution', () => {
    const reveals = game.host.views().filter((v) => v.phase === 'reveal');
    const byType = (type: string) => reveals.find((v) => v.question?.type === type)?.reveal;

    expect(byType('type-answer')).toEqual({ correctChoices: [], acceptedAnswers: ['Crème brûlée'], distribution: [], correctCount: 1 });
    expect(byType('multiple')).toEqual({ correctChoices: [1, 3], acceptedAnswers: [], distribution: [1, 0, 0, 1], correctCount: 1 });
    expect(byType('poll')).toEqual({ correctChoices: [], acceptedAnswers: [], distribution: [1, 1], correctCount: 0 });
  });

  it('keeps the results whole after the questions are deleted from the bank', async () => {
    const host = { token: game.userToken };
    for (const q of results.questions) {
      expect((await stack.api.request('DELETE', `/questions/${q.id}`, host)).status).toBe(204);
    }

    const again = await stack.api.waitForResults(game.gameId);

    expect(again).toEqual(results);
    expect(again.questions.find((q) => q.type === 'type-answer')).toMatchObject({ text: QUESTIONS.typed.text, accepted: ['Crème brûlée'] });
  });
});
