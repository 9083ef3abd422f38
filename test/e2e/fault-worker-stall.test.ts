import { describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import type { GameResults } from '../../src/store/repos/games.repo';
import type { Game } from '../helpers/game';
import { sleep } from '../helpers/infra';
import { type FaultRig, expectPlayedThrough, faultSuite, measureReveal } from './support/faults';

const SETTINGS = { questionCount: 3, questionSeconds: 4, revealSeconds: 1 };
const LOCK_MS = 1000;
/** Each freeze outlasts the job lock more than twice over, so held jobs count as stalled each time. */
const FROZEN_MS = 2500;

describe('when both workers freeze (SIGSTOP) past their job lock, twice, while holding the deadline advance', () => {
  let game: Game;
  let results: GameResults;
  let question1: RoomView;
  let thawedAt = 0;

  const freezeWorkers = async (rig: FaultRig) => {
    rig.freeze('worker');
    await sleep(FROZEN_MS);
    rig.thaw('worker');
  };

  const rig = faultSuite('worker-stall', { env: { WORKER_LOCK_MS: String(LOCK_MS), RECONCILE_EVERY_MS: '1000', RECONCILE_GRACE_MS: '1000' } }, async (rig) => {
    game = await rig.playGame(SETTINGS);
    question1 = await game.host.waitForQuestion(1, 20_000);
    const deadline = question1.deadlineAt ?? 0;
    // Both apis frozen too: the deadline's advance is then held by a worker, waiting for the webhook's answer.
    await sleep(deadline - 500 - Date.now());
    rig.freeze('api');
    await sleep(deadline + 300 - Date.now());
    await freezeWorkers(rig);
    // Long enough for the lock to be found lost and the advance taken again (and held again: the apis are still frozen).
    await sleep(1000);
    await freezeWorkers(rig);
    rig.thaw('api');
    thawedAt = Date.now();
    results = await rig.finished(game);
  });

  it('reveals the question soon after the workers and the apis run again, never before its deadline', () => {
    const { afterMs, view } = measureReveal(game, question1, 'workers frozen twice past the lock (apis frozen meanwhile)', thawedAt);

    expect(view?.serverNow).toBeGreaterThanOrEqual(question1.deadlineAt ?? Infinity);
    expect(afterMs).toBeLessThan(3000);
  });

  it('found the advance stalled, twice, and failed no job for it', () => {
    const logs = rig().stack.logs(undefined, 10_000);
    const stalls = logs.split('\n').filter((l) => /"queue":"advance".*"msg":"job stalled/.test(l));

    // Both freezes outlast the lock; BullMQ logs a stall when a worker finds the lock lost, which under a
    // loaded machine may be once for the two (the second freeze can begin before the check runs again).
    expect(stalls.length).toBeGreaterThanOrEqual(1);
    expect(logs).not.toMatch(/stalled more than allowable limit/);
  });

  it('finishes the game with every question in order and every score saved', () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount);
  });
});
