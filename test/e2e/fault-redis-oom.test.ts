import { describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import type { GameResults } from '../../src/store/repos/games.repo';
import type { Game } from '../helpers/game';
import { sleep } from '../helpers/infra';
import { expectPlayedThrough, faultSuite, measureReveal } from './support/faults';

const SETTINGS = { questionCount: 3, questionSeconds: 3, revealSeconds: 1 };
const OOM_MS = 2000;

describe('when Redis refuses writes (OOM at maxmemory) for 2 s across a tick and a deadline', () => {
  let game: Game;
  let results: GameResults;
  let question1: RoomView;
  let refused = '';
  let oomEndedAt = 0;

  // A Redis of its own: running out of memory is a whole server's state, not one namespace's.
  faultSuite('redis-oom', { ownRedis: true, env: { RECONCILE_EVERY_MS: '1000', RECONCILE_GRACE_MS: '1000' } }, async (rig) => {
    const redis = rig.redis!;
    game = await rig.playGame(SETTINGS);
    question1 = await game.host.waitForQuestion(1, 20_000);
    // From 1.5 s into the question to 0.5 s past its deadline: the tick due at 2 s and the advance at 3 s meet it.
    await sleep(1500);
    await redis.config('SET', 'maxmemory', '1');
    refused = await redis.set('probe', '1').then(
      () => 'accepted',
      (err: Error) => err.message,
    );
    await sleep(OOM_MS);
    await redis.config('SET', 'maxmemory', '0');
    oomEndedAt = Date.now();
    results = await rig.finished(game);
  });

  it('refused writes while it was out of memory', () => {
    expect(refused).toMatch(/OOM/);
  });

  it('reveals the question once Redis takes writes again', () => {
    const { afterMs, view } = measureReveal(game, question1, `Redis OOM ${OOM_MS / 1000} s`, oomEndedAt);

    expect(view?.serverNow).toBeGreaterThanOrEqual(question1.deadlineAt ?? Infinity);
    expect(afterMs).toBeLessThan(5000);
  });

  it('finishes the game with every question in order and every score saved', () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount);
  });
});
