import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Game, openGame } from '../helpers/game';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const SETTINGS = { questionCount: 1, questionSeconds: 4, revealSeconds: 1 };

describe('closing a question before its deadline', () => {
  let stack: Stack;
  const games: Game[] = [];

  beforeAll(async () => {
    stack = await Stack.start('early-close');
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    for (const g of games) g.closeAll();
    await stack?.stop();
  });

  async function started(players: number): Promise<Game> {
    const game = await openGame(stack, SETTINGS, players);
    games.push(game);
    await stack.api.start(game.code, game.hostToken);
    await game.host.waitForQuestion(0);
    return game;
  }

  describe('when every connected player has answered', () => {
    it('reveals the question at once', async () => {
      const game = await started(2);
      const question = await game.host.waitForQuestion(0);

      await Promise.all(game.players.map((p) => p.client.submit(0, 0)));

      const reveal = await game.host.waitForPhase('reveal', 0);
      expect(reveal.serverNow).toBeLessThan(question.deadlineAt ?? 0);
    });
  });

  describe('when a connected player has not answered', () => {
    it('waits for the deadline', async () => {
      const game = await started(2);
      const question = await game.host.waitForQuestion(0);

      await game.players[0]?.client.submit(0, 0);

      const reveal = await game.host.waitForPhase('reveal', 0);
      expect(reveal.serverNow).toBeGreaterThanOrEqual(question.deadlineAt ?? Infinity);
    });
  });

  describe('when a player left before the question', () => {
    it('does not wait for them', async () => {
      const game = await openGame(stack, SETTINGS, 2);
      games.push(game);
      game.players[1]?.client.close();
      await stack.api.start(game.code, game.hostToken);
      const question = await game.host.waitForQuestion(0);

      await game.players[0]?.client.submit(0, 0);

      const reveal = await game.host.waitForPhase('reveal', 0);
      expect(reveal.serverNow).toBeLessThan(question.deadlineAt ?? 0);
    });

    it('does not wait for them even when their connections dropped while the server was still setting them up', async () => {
      const game = await openGame(stack, SETTINGS, 2);
      games.push(game);
      const [stays, flaky] = game.players;
      flaky?.client.close();
      // A flaky network: connections that open and drop at once, before the server has finished admitting them.
      for (let i = 0; i < 5; i++) {
        const socket = io(stack.socketUrl, { auth: { token: flaky?.token }, transports: ['websocket'], reconnection: false, forceNew: true });
        await new Promise<void>((resolve) =>
          socket.once('connect', () => {
            socket.close();
            resolve();
          }),
        );
      }
      await stack.api.start(game.code, game.hostToken);
      const question = await game.host.waitForQuestion(0);

      await stays?.client.submit(0, 0);

      const reveal = await game.host.waitForPhase('reveal', 0);
      expect(reveal.serverNow).toBeLessThan(question.deadlineAt ?? 0);
    });
  });
});
