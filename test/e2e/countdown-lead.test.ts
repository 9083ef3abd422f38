import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Game, openGame } from '../helpers/game';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const QUESTION_SECONDS = 5;
const SETTINGS = { questionCount: 1, questionSeconds: QUESTION_SECONDS, revealSeconds: 1 };
/** Far longer than the default, so that a frame sent when it was drawn would arrive clearly early. */
const LEAD_MS = 800;

describe('countdown frames drawn ahead of their instant (COUNTDOWN_LEAD_MS)', () => {
  let stack: Stack;
  const games: Game[] = [];

  beforeAll(async () => {
    stack = await Stack.start('countdown-lead', undefined, { env: { COUNTDOWN_LEAD_MS: String(LEAD_MS) } });
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    for (const g of games) g.closeAll();
    await stack?.stop();
  });

  async function started(): Promise<{ game: Game; phaseStartedAt: number; deadlineAt: number }> {
    const game = await openGame(stack, SETTINGS, 2);
    games.push(game);
    await stack.api.start(game.code, game.hostToken);
    const question = await game.host.waitForQuestion(0);
    const deadlineAt = question.deadlineAt ?? Number.NaN;
    return { game, phaseStartedAt: deadlineAt - QUESTION_SECONDS * 1000, deadlineAt };
  }

  it('reach the players at their instant, not when drawn', async () => {
    const { game, phaseStartedAt } = await started();
    await game.host.waitForPhase('reveal', 0);

    for (const client of game.clients()) {
      const frames = client.countdowns().filter((c) => c.payload.phase === 'question');
      expect(frames.map((c) => c.payload.tick)).toEqual([1, 2]);
      for (const { payload, at } of frames) {
        const due = phaseStartedAt + 2000 * (payload.tick ?? 0);
        // Sent at the instant by the socket process (Redis's clock, this machine's), received after it.
        expect(payload.serverNow).toBeGreaterThanOrEqual(due);
        expect(at).toBeGreaterThanOrEqual(due);
        expect(payload.serverNow).toBeLessThan(due + LEAD_MS / 2);
      }
    }
  }, 30_000);

  it('never reach a player after the question closed early while they were held', async () => {
    const { game, phaseStartedAt } = await started();
    // Tick 1 is drawn at 2 s − the lead (1.2 s) and held to 2 s; the question closes in between.
    await new Promise((resolve) => setTimeout(resolve, phaseStartedAt + 1500 - Date.now()));
    await Promise.all(game.players.map((p) => p.client.submit(0, 0)));
    const reveal = await game.host.waitForPhase('reveal', 0);
    expect(reveal.serverNow).toBeLessThan(phaseStartedAt + 2000);
    // Past tick 1's instant, and the time it would take to be sent.
    await new Promise((resolve) => setTimeout(resolve, phaseStartedAt + 2500 - Date.now()));

    for (const client of game.clients()) {
      const { frames } = client;
      const revealAt = frames.findIndex((f) => f.event === 'room:view' && f.payload.phase === 'reveal');
      expect(revealAt).toBeGreaterThan(-1);
      expect(frames.slice(revealAt).filter((f) => f.event === 'room:countdown' && f.payload.phase === 'question')).toEqual([]);
    }
  }, 30_000);
});
