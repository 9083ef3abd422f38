import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import { type Game, openGame } from '../helpers/game';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const SETTINGS = { questionCount: 2, questionSeconds: 20, revealSeconds: 20 };

describe('when a host control names a room version that the room has left', () => {
  let stack: Stack;
  let game: Game;
  let question0: RoomView;
  let reveal0: RoomView;
  let refusal: { status: number; body: unknown; contentType: string | null };
  let afterRefusal: RoomView;
  let skipped: RoomView;

  beforeAll(async () => {
    stack = await Stack.start('stale-skip');
    try {
      game = await openGame(stack, SETTINGS, 2);
      await stack.api.start(game.code, game.hostToken);
      question0 = await game.host.waitForQuestion(0);
      // Everyone answers: the question closes by itself, just before the host's Skip for it arrives.
      for (const p of game.players) await p.client.submit(0, 0);
      reveal0 = await game.host.waitForPhase('reveal', 0);
      const res = await fetch(`${stack.apiUrl}/rooms/${game.code}/skip`, {
        method: 'POST',
        headers: { authorization: `Bearer ${game.hostToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ version: question0.version }),
      });
      refusal = { status: res.status, body: await res.json(), contentType: res.headers.get('content-type') };
      afterRefusal = await stack.api.room(game.code);
      // The same control naming the version on screen is applied.
      const ok = await fetch(`${stack.apiUrl}/rooms/${game.code}/skip`, {
        method: 'POST',
        headers: { authorization: `Bearer ${game.hostToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ version: reveal0.version }),
      });
      skipped = (await ok.json()) as RoomView;
    } catch (err) {
      throw stack.setUpFailed(err);
    }
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    game?.closeAll();
    await stack?.stop();
  });

  it('refuses a Skip meant for the closed question with 409 STALE_VERSION and a clear message', () => {
    expect(refusal.status).toBe(409);
    expect(refusal.contentType).toMatch(/application\/problem\+json/);
    expect(refusal.body).toMatchObject({ code: 'STALE_VERSION' });
    expect((refusal.body as { detail: string }).detail).toMatch(/meant for version \d+ .*moved on.*reveal of question 1.*Nothing was done/);
  });

  it('changes nothing: the reveal of question 0 stays', () => {
    expect(afterRefusal).toMatchObject({ phase: 'reveal', questionIndex: 0, version: reveal0.version });
  });

  it('applies a Skip that names the version on screen', () => {
    expect(skipped).toMatchObject({ phase: 'question', questionIndex: 1, version: reveal0.version + 1 });
  });
});
