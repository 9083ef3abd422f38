import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName, jobId } from '../../src/shared/jobs';
import type { RoomView } from '../../src/shared/room';
import type { GameResults } from '../../src/store/repos/games.repo';
import { createKeys } from '../../src/store/keys';
import { type Game, openGame } from '../helpers/game';
import { ANSWERING, answerAllButTheLast, expectPlayedThrough, firstView, report } from '../helpers/faults';
import { infra, waitUntil } from '../helpers/infra';
import { Stack, printLogsOnFailure } from '../helpers/stack';
import { TcpProxy } from '../helpers/tcp-proxy';

const SETTINGS = { questionCount: 3, questionSeconds: 4, revealSeconds: 1 };
const GRACE_MS = 1000;
const EVERY_MS = 1000;

describe("when a question's deadline advance, and later the results job of its game, are lost from Redis", () => {
  let proxy: TcpProxy;
  let stack: Stack;
  let redis: Redis;
  let advances: Queue;
  let persists: Queue;
  let game: Game;
  let results: GameResults;
  let question1: RoomView;

  beforeAll(async () => {
    const proxied = await TcpProxy.inFrontOf(infra().databaseUrl, 5432);
    proxy = proxied.proxy;
    stack = await Stack.start('lost-advance', undefined, {
      env: { DATABASE_URL: proxied.url, RECONCILE_EVERY_MS: String(EVERY_MS), RECONCILE_GRACE_MS: String(GRACE_MS) },
    });
    redis = new Redis(infra().redisUrl, { maxRetriesPerRequest: null });
    const prefix = createKeys(stack.namespace).bullPrefix;
    advances = new Queue(QueueName.Advance, { connection: redis, prefix: prefix(QueueName.Advance) });
    persists = new Queue(QueueName.PersistResults, { connection: redis, prefix: prefix(QueueName.PersistResults) });
    try {
      game = await openGame(stack, SETTINGS, ANSWERING + 1);
      answerAllButTheLast(game);
      await stack.api.start(game.code, game.hostToken);
      question1 = await game.host.waitForQuestion(1, 20_000);
      // Nothing else would move the room: ticks only draw, and the one advance is gone.
      const id = jobId.advance(game.gameId, question1.version);
      const job = await waitUntil('the advance of question 1 to be scheduled', () => advances.getJob(id).then((j) => j ?? undefined), 5000, 20);
      await job.remove();

      // PostgreSQL away as the game ends: its results job fails a first time, and is then lost too.
      await game.host.waitForQuestion(SETTINGS.questionCount - 1, 20_000);
      await proxy.stop();
      await Promise.all(game.clients().map((c) => c.waitForPhase('finished', undefined, 30_000)));
      await waitUntil(
        'the results job to have failed once',
        async () => ((await persists.getJob(jobId.persist(game.gameId)))?.attemptsMade ?? 0) >= 1 || undefined,
        20_000,
      );
      await (await persists.getJob(jobId.persist(game.gameId)))?.remove();
      await proxy.resume();
      results = await stack.api.waitForResults(game.gameId, 20_000);
    } catch (err) {
      throw stack.setUpFailed(err);
    }
  }, 90_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    game?.closeAll();
    await advances?.close();
    await persists?.close();
    redis?.disconnect();
    await stack?.stop();
    await proxy?.stop();
  });

  it('is driven on by the reconciler within its grace and one pass', () => {
    const reveal = firstView(game, 'reveal', 1);
    const late = (reveal?.view.serverNow ?? Infinity) - (question1.deadlineAt ?? 0);
    report(`advance lost → reveal later than the deadline (RECONCILE_GRACE_MS=${GRACE_MS}, RECONCILE_EVERY_MS=${EVERY_MS})`, late);

    expect(late).toBeGreaterThanOrEqual(GRACE_MS);
    expect(late).toBeLessThan(GRACE_MS + EVERY_MS + 2000);
    expect(stack.logs('worker', 5000)).toMatch(/"advanceJob":"missing".*"msg":"room past its deadline; driving it on"/);
  });

  it('saves the results all the same: the reconciler enqueued them again from the backlog kept in Redis', () => {
    expect(stack.logs('worker', 5000)).toMatch(/"queue":"persist-results".*"msg":"job failed"/);
    expect(results.game).toMatchObject({ id: game.gameId, roomCode: game.code });
  });

  it('finishes the game with every question in order and every score saved', () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount);
    expect(results.answers).toHaveLength(ANSWERING * SETTINGS.questionCount);
  });
});
