import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalServer, startLocalRedis } from '../../src/local/local-redis';
import type { RoomView } from '../../src/shared/room';
import type { GameResults } from '../../src/store/repos/games.repo';
import { type Game, openGame } from '../helpers/game';
import { ANSWERING, answerAllButTheLast, expectPlayedThrough, firstView, report } from '../helpers/faults';
import { sleep } from '../helpers/infra';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const SETTINGS = { questionCount: 3, questionSeconds: 3, revealSeconds: 1 };
const OOM_MS = 2000;

describe('when Redis refuses writes (OOM at maxmemory) for 2 s across a tick and a deadline', () => {
  let redisServer: LocalServer;
  let admin: Redis;
  let stack: Stack;
  let game: Game;
  let results: GameResults;
  let question1: RoomView;
  let refused = '';
  let oomEndedAt = 0;

  beforeAll(async () => {
    // A Redis of its own: running out of memory is a whole server's state, not one namespace's.
    // The redis-server the test setup found or fetched (on PATH, or under .data/tools on a fresh machine).
    redisServer = await startLocalRedis({ server: inject('redisServer') ?? undefined });
    admin = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    stack = await Stack.start('redis-oom', undefined, { env: { REDIS_URL: redisServer.url, RECONCILE_EVERY_MS: '1000', RECONCILE_GRACE_MS: '1000' } });
    try {
      game = await openGame(stack, SETTINGS, ANSWERING + 1);
      answerAllButTheLast(game);
      await stack.api.start(game.code, game.hostToken);
      question1 = await game.host.waitForQuestion(1, 20_000);
      // From 1.5 s into the question to 0.5 s past its deadline: the tick due at 2 s and the advance at 3 s meet it.
      await sleep(1500);
      await admin.config('SET', 'maxmemory', '1');
      refused = await admin.set('probe', '1').then(
        () => 'accepted',
        (err: Error) => err.message,
      );
      await sleep(OOM_MS);
      await admin.config('SET', 'maxmemory', '0');
      oomEndedAt = Date.now();
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
    admin?.disconnect();
    await redisServer?.stop();
  });

  it('refused writes while it was out of memory', () => {
    expect(refused).toMatch(/OOM/);
  });

  it('reveals the question once Redis takes writes again', () => {
    const reveal = firstView(game, 'reveal', 1);
    report('Redis OOM 2 s → reveal after writes came back', (reveal?.at ?? Infinity) - oomEndedAt);
    report('Redis OOM 2 s → reveal later than the deadline', (reveal?.view.serverNow ?? Infinity) - (question1.deadlineAt ?? 0));

    expect(reveal?.view.serverNow).toBeGreaterThanOrEqual(question1.deadlineAt ?? Infinity);
    expect(reveal?.at).toBeLessThan(oomEndedAt + 5000);
  });

  it('finishes the game with every question in order and every score saved', () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount);
    expect(results.answers).toHaveLength(ANSWERING * SETTINGS.questionCount);
  });
});
