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

const SETTINGS = { questionCount: 3, questionSeconds: 4, revealSeconds: 1 };
const GRACE_MS = 1000;
const EVERY_MS = 1000;

describe("when a question's deadline advance is lost from Redis", () => {
  let stack: Stack;
  let redis: Redis;
  let advances: Queue;
  let game: Game;
  let results: GameResults;
  let question1: RoomView;

  beforeAll(async () => {
    stack = await Stack.start('lost-advance', undefined, {
      env: { RECONCILE_EVERY_MS: String(EVERY_MS), RECONCILE_GRACE_MS: String(GRACE_MS) },
    });
    redis = new Redis(infra().redisUrl, { maxRetriesPerRequest: null });
    advances = new Queue(QueueName.Advance, { connection: redis, prefix: createKeys(stack.namespace).bullPrefix(QueueName.Advance) });
    try {
      game = await openGame(stack, SETTINGS, ANSWERING + 1);
      answerAllButTheLast(game);
      await stack.api.start(game.code, game.hostToken);
      question1 = await game.host.waitForQuestion(1, 20_000);
      // Nothing else would move the room: ticks only draw, and the one advance is gone.
      const id = jobId.advance(game.gameId, question1.version);
      const job = await waitUntil('the advance of question 1 to be scheduled', () => advances.getJob(id).then((j) => j ?? undefined), 5000, 20);
      await job.remove();
      await Promise.all(game.clients().map((c) => c.waitForPhase('finished', undefined, 30_000)));
      results = await stack.api.waitForResults(game.gameId, 20_000);
    } catch (err) {
      throw stack.setUpFailed(err);
    }
  }, 90_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    game?.closeAll();
    await advances?.close();
    redis?.disconnect();
    await stack?.stop();
  });

  it('is driven on by the reconciler within its grace and one pass', () => {
    const reveal = firstView(game, 'reveal', 1);
    const late = (reveal?.view.serverNow ?? Infinity) - (question1.deadlineAt ?? 0);
    report(`advance lost → reveal later than the deadline (RECONCILE_GRACE_MS=${GRACE_MS}, RECONCILE_EVERY_MS=${EVERY_MS})`, late);

    expect(late).toBeGreaterThanOrEqual(GRACE_MS);
    expect(late).toBeLessThan(GRACE_MS + EVERY_MS + 2000);
    expect(stack.logs('worker', 5000)).toMatch(/"advanceJob":"missing".*"msg":"room past its deadline; driving it on"/);
  });

  it('finishes the game with every question in order and every score saved', () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount);
    expect(results.answers).toHaveLength(ANSWERING * SETTINGS.questionCount);
  });
});
