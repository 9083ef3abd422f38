import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import type { GameResults } from '../../src/store/repos/games.repo';
import { type Game, openGame } from '../helpers/game';
import { ANSWERING, answerAllButTheLast, expectPlayedThrough, firstView, report } from '../helpers/faults';
import { sleep } from '../helpers/infra';
import { type Role, Stack, printLogsOnFailure } from '../helpers/stack';

const SETTINGS = { questionCount: 3, questionSeconds: 4, revealSeconds: 1 };
const LOCK_MS = 1000;
/** Each freeze outlasts the job lock more than twice over, so held jobs count as stalled each time. */
const FROZEN_MS = 2500;
const WORKERS: Role[] = ['worker', 'worker2'];

describe('when both workers freeze (SIGSTOP) past their job lock, twice, while holding the deadline advance', () => {
  let stack: Stack;
  let game: Game;
  let results: GameResults;
  let question1: RoomView;
  let thawedAt = 0;

  const freeze = async () => {
    for (const w of WORKERS) stack.pause(w);
    await sleep(FROZEN_MS);
    for (const w of WORKERS) stack.resume(w);
  };

  beforeAll(async () => {
    stack = await Stack.start('worker-stall', ['api', 'socket', 'worker', 'worker2'], {
      env: { WORKER_LOCK_MS: String(LOCK_MS), RECONCILE_EVERY_MS: '1000', RECONCILE_GRACE_MS: '1000' },
    });
    try {
      game = await openGame(stack, SETTINGS, ANSWERING + 1);
      answerAllButTheLast(game);
      await stack.api.start(game.code, game.hostToken);
      question1 = await game.host.waitForQuestion(1, 20_000);
      const deadline = question1.deadlineAt ?? 0;
      // The api frozen too: the deadline's advance is then held by a worker, waiting for the webhook's answer.
      await sleep(deadline - 500 - Date.now());
      stack.pause('api');
      await sleep(deadline + 300 - Date.now());
      await freeze();
      // Long enough for the lock to be found lost and the advance taken again (and held again: the api is still frozen).
      await sleep(1000);
      await freeze();
      stack.resume('api');
      thawedAt = Date.now();
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

  it('reveals the question soon after the workers and the api run again, never before its deadline', () => {
    const reveal = firstView(game, 'reveal', 1);
    report('workers frozen twice past the lock → reveal after they (and the api) ran again', (reveal?.at ?? Infinity) - thawedAt);
    report('workers frozen twice past the lock → reveal later than the deadline', (reveal?.view.serverNow ?? Infinity) - (question1.deadlineAt ?? 0));

    expect(reveal?.view.serverNow).toBeGreaterThanOrEqual(question1.deadlineAt ?? Infinity);
    expect(reveal?.at).toBeLessThan(thawedAt + 3000);
  });

  it('found the advance stalled, twice, and failed no job for it', () => {
    const logs = stack.logs(undefined, 10_000);
    const stalls = logs.split('\n').filter((l) => /"queue":"advance".*"msg":"job stalled/.test(l));

    // Both freezes outlast the lock; BullMQ logs a stall when a worker finds the lock lost, which under a
    // loaded machine may be once for the two (the second freeze can begin before the check runs again).
    expect(stalls.length).toBeGreaterThanOrEqual(1);
    expect(logs).not.toMatch(/stalled more than allowable limit/);
  });

  it('finishes the game with every question in order and every score saved', () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount);
    expect(results.answers).toHaveLength(ANSWERING * SETTINGS.questionCount);
  });
});
