import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import type { GameResults } from '../../src/store/repos/games.repo';
import { type Game, openGame } from '../helpers/game';
import { ANSWERING, answerAllButTheLast, expectPlayedThrough, firstView, report } from '../helpers/faults';
import { sleep } from '../helpers/infra';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const SETTINGS = { questionCount: 3, questionSeconds: 4, revealSeconds: 1 };
/** Longer than the old advance budget (10 tries) at this cap: an advance that gave up would leave the room frozen. */
const OUTAGE_MS = 12_000;
const BACKOFF_CAP_MS = 500;
const OLD_ADVANCE_ATTEMPTS = 10;

describe('when the api is down (SIGKILL) past a question deadline, for longer than the old advance retries', () => {
  let stack: Stack;
  let game: Game;
  let results: GameResults;
  let question1: RoomView;
  let apiBackAt = 0;

  beforeAll(async () => {
    stack = await Stack.start('api-outage', undefined, {
      env: { RETRY_BACKOFF_CAP_MS: String(BACKOFF_CAP_MS), RECONCILE_EVERY_MS: '1000', RECONCILE_GRACE_MS: '1000' },
    });
    try {
      game = await openGame(stack, SETTINGS, ANSWERING + 1);
      answerAllButTheLast(game);
      await stack.api.start(game.code, game.hostToken);
      question1 = await game.host.waitForQuestion(1, 20_000);
      await stack.kill('api', 'SIGKILL');
      await sleep(OUTAGE_MS);
      await stack.startRole('api');
      apiBackAt = Date.now();
      await Promise.all(game.clients().map((c) => c.waitForPhase('finished', undefined, 30_000)));
      results = await stack.api.waitForResults(game.gameId, 20_000);
    } catch (err) {
      throw stack.setUpFailed(err);
    }
  }, 120_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    game?.closeAll();
    await stack?.stop();
  });

  it('kept trying the deadline advance all through the outage, past the old budget of 10 tries', () => {
    const failedTries = stack
      .logs('worker', 5000)
      .split('\n')
      .filter((l) => /"queue":"advance".*"msg":"job failed"/.test(l));

    expect(failedTries.length).toBeGreaterThan(OLD_ADVANCE_ATTEMPTS);
  });

  it('moves the room on within the backoff cap (plus a second) once the api is back', () => {
    const reveal = firstView(game, 'reveal', 1);
    report(`api down ${OUTAGE_MS / 1000} s → room moved on after the api was back`, (reveal?.at ?? Infinity) - apiBackAt);
    report(`api down ${OUTAGE_MS / 1000} s → reveal later than the deadline`, (reveal?.view.serverNow ?? Infinity) - (question1.deadlineAt ?? 0));

    expect(reveal?.at).toBeLessThan(apiBackAt + BACKOFF_CAP_MS + 1500);
  });

  it('finishes the game with every question in order and every score saved', () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount);
    expect(results.answers).toHaveLength(ANSWERING * SETTINGS.questionCount);
  });
});
