import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import { type Game, type Player, openGame } from '../helpers/game';
import { sleep } from '../helpers/infra';
import { Stack, printLogsOnFailure } from '../helpers/stack';

/** Two players; Bea never answers question 0, so it stays open until its deadline. */
const SETTINGS = { questionCount: 2, questionSeconds: 5, revealSeconds: 1 };

describe('answers the server refuses', () => {
  let stack: Stack;
  let game: Game;
  let ada: Player;
  let bea: Player;
  let question0: RoomView;
  let choices: number;

  beforeAll(async () => {
    stack = await Stack.start('answer-refusals');
    game = await openGame(stack, SETTINGS, 2);
    [ada, bea] = game.players as [Player, Player];
    await stack.api.start(game.code, game.hostToken);
    question0 = await ada.client.waitForQuestion(0);
    choices = question0.question?.choices.length ?? 0;
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    game?.closeAll();
    await stack?.stop();
  });

  // The tests below run in order, through question 0 and past its deadline.
  describe('while question 0 is open', () => {
    it.each([
      ['an index that is not a number', { questionIndex: 'zero', choice: 1 }],
      ['no choice', { questionIndex: 0 }],
      ['a negative choice', { questionIndex: 0, choice: -1 }],
      ['a fractional choice', { questionIndex: 0, choice: 1.5 }],
      ['not an object at all', 'B'],
    ])('refuses a malformed answer with BAD_REQUEST (%s)', async (_, payload) => {
      const ack = await ada.client.submitRaw(payload);

      expect(ack).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('questionIndex') } });
    });

    it('refuses an answer to a question that is not the open one with WRONG_QUESTION', async () => {
      const ack = await ada.client.submit(1, 0);

      expect(ack).toMatchObject({ ok: false, error: { code: 'WRONG_QUESTION', message: expect.any(String) } });
    });

    it('refuses a choice that is not offered with INVALID_CHOICE', async () => {
      const ack = await ada.client.submit(0, choices);

      expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID_CHOICE', message: expect.any(String) } });
    });

    it('refuses an answer from the host screen with NOT_A_PLAYER', async () => {
      const ack = await game.host.submit(0, 0);

      expect(ack).toMatchObject({ ok: false, error: { code: 'NOT_A_PLAYER' } });
    });

    it('has recorded nothing for the refused answers', async () => {
      const sync = await ada.client.sync();

      expect(sync).toMatchObject({ ok: true, you: { score: 0, answer: null } });
    });

    it('takes the first real answer', async () => {
      const ack = await ada.client.submit(0, 0);

      expect(ack).toEqual({ ok: true, questionIndex: 0, choice: 0, receivedAt: expect.any(Number) });
    });

    it('refuses a second answer with ALREADY_ANSWERED and keeps the first choice and score', async () => {
      const before = await ada.client.sync();

      const ack = await ada.client.submit(0, 1);

      const after = await ada.client.sync();
      expect(ack).toMatchObject({ ok: false, error: { code: 'ALREADY_ANSWERED', message: expect.any(String) } });
      if (!before.ok || !after.ok) throw new Error('sync failed');
      expect(after.you?.answer).toEqual({ questionIndex: 0, choice: 0 });
      expect(after.you?.score).toBe(before.you?.score);
    });
  });

  describe('once the deadline of question 0 has passed', () => {
    it('refuses a late answer (TOO_LATE before the reveal, NOT_ACCEPTING_ANSWERS after it) and scores nothing', async () => {
      // Past the deadline and the latency allowance (LATENCY_ALLOWANCE_CAP_MS, 150 ms by default) that a round trip may add to it.
      await sleep(Math.max(0, (question0.deadlineAt ?? 0) - Date.now()) + 150 + 50);

      const ack = await bea.client.submit(0, 0);

      expect(ack).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^(TOO_LATE|NOT_ACCEPTING_ANSWERS)$/) } });
      expect(await bea.client.score()).toBe(0);
    });

    it('refuses answers during the reveal with NOT_ACCEPTING_ANSWERS', async () => {
      await ada.client.waitForPhase('reveal', 0);
      const before = await ada.client.score();

      const ack = await ada.client.submit(0, 1);

      expect(ack).toMatchObject({ ok: false, error: { code: 'NOT_ACCEPTING_ANSWERS', message: expect.any(String) } });
      expect(await ada.client.score()).toBe(before);
    });
  });

  describe('while question 1 is open', () => {
    it('records an answer sent without an ack, though it cannot reply to it', async () => {
      await bea.client.waitForQuestion(1);
      // The typed client insists on an ack; a client on the wire need not send one.
      (bea.client.socket as unknown as { emit(event: string, payload: unknown): void }).emit('answer:submit', { questionIndex: 1, choice: 0 });

      await expect
        .poll(async () => ((s) => (s.ok ? s.you?.answer : null))(await bea.client.sync()), { timeout: 3_000 })
        .toEqual({ questionIndex: 1, choice: 0 });
    });
  });

  describe('when the game is over', () => {
    it('kept only the accepted answer, and scores reflect nothing refused', async () => {
      await ada.client.waitForQuestion(1);
      // Ada answers question 1 too, which closes it early.
      await ada.client.submit(1, 0);
      await ada.client.waitForPhase('finished', undefined, 20_000);

      const results = await stack.api.waitForResults(game.gameId);

      const q0 = results.answers.filter((a) => a.questionIndex === 0);
      expect(q0).toEqual([expect.objectContaining({ playerId: ada.playerId, choice: 0 })]);
      for (const p of results.players) {
        const mine = results.answers.filter((a) => a.playerId === p.playerId);
        const expected = mine.reduce((s, a) => s + (a.correct ? Math.round(1000 * (1 - a.elapsedMs / 5000 / 2)) : 0), 0);
        expect(p.score).toBe(expected);
      }
      const final = await Promise.all([ada.client.score(), bea.client.score()]);
      expect(final).toEqual([ada.playerId, bea.playerId].map((id) => results.players.find((p) => p.playerId === id)?.score));
    });
  });
});
