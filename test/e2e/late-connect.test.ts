import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GameResults } from '../../src/shared/game-results';
import { type Game, type Player, openGame } from '../helpers/game';
import { sleep } from '../helpers/infra';
import { RecordingClient } from '../helpers/recording-client';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const SETTINGS = { questionCount: 1, questionSeconds: 6, revealSeconds: 1 };
/** How long into the question the late players connect, and when everyone answers. */
const CONNECT_AT_MS = 1500;
const ANSWER_AT_MS = 2500;
/** What one player's stamp may differ from another's for answers sent together (loop turns, the fan-out's own slice). */
const SLACK_MS = 100;

/**
 * Ada is connected from the start. Bea joined in the lobby but stays away from the opening (she could read the
 * question on the host's screen) and connects 1.5 s in; Cy joins and connects then. All three answer together.
 */
describe('players who connect during a question', () => {
  let stack: Stack;
  let game: Game;
  let results: GameResults;
  let ada: Player;
  let bea: Player;
  let cyId = '';
  let openedAt = 0;
  /** Cy's join, on this machine's clock (Redis runs here too), between these two instants. */
  const cyJoined = { from: 0, to: 0 };

  beforeAll(async () => {
    stack = await Stack.start('late-connect');
    try {
      game = await openGame(stack, SETTINGS, 2);
      [ada, bea] = game.players as [Player, Player];
      bea.client.close();
      await stack.api.start(game.code, game.hostToken);
      const question = await ada.client.waitForQuestion(0);
      openedAt = (question.deadlineAt ?? 0) - SETTINGS.questionSeconds * 1000;

      await sleep(openedAt + CONNECT_AT_MS - Date.now());
      const beaAgain = await RecordingClient.connect(stack.socketUrl, bea.token, 'bea again');
      cyJoined.from = Date.now();
      const cy = await stack.api.join(game.code, 'Cy');
      cyJoined.to = Date.now();
      cyId = cy.playerId;
      const cyClient = await RecordingClient.connect(stack.socketUrl, cy.token, 'cy');
      game.players.push({ index: 2, nickname: 'Cy', playerId: cy.playerId, token: cy.token, client: cyClient });
      await Promise.all([beaAgain.waitForQuestion(0), cyClient.waitForQuestion(0)]);

      await sleep(openedAt + ANSWER_AT_MS - Date.now());
      const acks = await Promise.all([ada.client, beaAgain, cyClient].map((c) => c.submit(0, 0)));
      for (const ack of acks) expect(ack).toMatchObject({ ok: true });
      results = await stack.api.waitForResults(game.gameId, 20_000);
      beaAgain.close();
    } catch (err) {
      throw stack.setUpFailed(err);
    }
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    game?.closeAll();
    await stack?.stop();
  });

  const answerOf = (playerId: string) => {
    const a = results.answers.find((x) => x.playerId === playerId);
    if (!a) throw new Error(`no answer of ${playerId}`);
    return { serverMs: a.serverMs ?? NaN, arrivedAt: Date.parse(a.answeredAt) };
  };

  it('times one who was in the room before the opening from the opening, as if connected all along', () => {
    const [adaAnswer, beaAnswer] = [answerOf(ada.playerId), answerOf(bea.playerId)];

    expect(beaAnswer.serverMs).toBe(beaAnswer.arrivedAt - openedAt);
    // Ada was timed from her send, a little after the opening; Bea gained nothing on her by connecting late.
    expect(beaAnswer.serverMs).toBeGreaterThanOrEqual(adaAnswer.serverMs - SLACK_MS);
    expect(beaAnswer.serverMs).toBeGreaterThan(ANSWER_AT_MS - SLACK_MS);
  });

  it('times one who joined during the question from the join', () => {
    const cy = answerOf(cyId);

    expect(cy.serverMs).toBeGreaterThanOrEqual(cy.arrivedAt - cyJoined.to);
    expect(cy.serverMs).toBeLessThanOrEqual(cy.arrivedAt - cyJoined.from);
  });
});
