import { describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import type { HttpResult } from '../helpers/api-client';
import type { Game } from '../helpers/game';
import { faultSuite } from './support/faults';

const SETTINGS = { questionCount: 2, questionSeconds: 20, revealSeconds: 20 };

describe('when a host control names a room version that the room has left', () => {
  let game: Game;
  let question0: RoomView;
  let reveal0: RoomView;
  let refusal: HttpResult;
  let afterRefusal: RoomView;
  let skipped: HttpResult<RoomView>;
  let unnamed: HttpResult;
  let afterUnnamed: RoomView;

  faultSuite('stale-skip', {}, async (rig) => {
    game = await rig.openGame(SETTINGS, 2);
    await rig.api.start(game.code, game.hostToken);
    question0 = await game.host.waitForQuestion(0);
    // Everyone answers: the question closes by itself, just before the host's Skip for it arrives.
    for (const p of game.players) await p.client.submit(0, 0);
    reveal0 = await game.host.waitForPhase('reveal', 0);
    const skip = (version: number) => rig.api.request<RoomView>('POST', `/rooms/${game.code}/skip`, { token: game.hostToken, body: { version } });
    // A Skip naming no version at all is refused before anything is looked at.
    unnamed = await rig.api.request('POST', `/rooms/${game.code}/skip`, { token: game.hostToken });
    afterUnnamed = await rig.api.room(game.code);
    refusal = await skip(question0.version);
    afterRefusal = await rig.api.room(game.code);
    // The same control naming the version on screen is applied.
    skipped = await skip(reveal0.version);
  });

  it('refuses a Skip meant for the closed question with 409 STALE_VERSION and a clear message', () => {
    expect(refusal.status).toBe(409);
    expect(refusal.contentType).toMatch(/application\/problem\+json/);
    expect(refusal.body).toMatchObject({ code: 'STALE_VERSION' });
    expect((refusal.body as { detail: string }).detail).toMatch(/meant for version \d+ .*moved on.*reveal of question 1.*Nothing was done/);
  });

  it('refuses a Skip that names no version with 400 problem+json saying what to send, changing nothing', () => {
    expect(unnamed.status).toBe(400);
    expect(unnamed.contentType).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(unnamed.body)).toMatch(/version.*name the room version this control is meant for/);
    expect(afterUnnamed).toMatchObject({ phase: 'reveal', questionIndex: 0, version: reveal0.version });
  });

  it('changes nothing: the reveal of question 0 stays', () => {
    expect(afterRefusal).toMatchObject({ phase: 'reveal', questionIndex: 0, version: reveal0.version });
  });

  it('applies a Skip that names the version on screen', () => {
    expect(skipped.status).toBe(200);
    expect(skipped.body).toMatchObject({ phase: 'question', questionIndex: 1, version: reveal0.version + 1 });
  });
});
