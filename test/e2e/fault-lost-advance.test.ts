import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { QueueName, jobId } from '../../src/shared/jobs';
import type { RoomView } from '../../src/shared/room';
import type { GameResults } from '../../src/store/repos/games.repo';
import { createKeys } from '../../src/store/keys';
import type { Game } from '../helpers/game';
import { infra, waitUntil } from '../helpers/infra';
import { expectPlayedThrough, faultSuite, measureReveal } from './support/faults';

const SETTINGS = { questionCount: 3, questionSeconds: 4, revealSeconds: 1 };
const GRACE_MS = 1000;
const EVERY_MS = 1000;

describe("when a question's deadline advance, and later the results job of its game, are lost from Redis", () => {
  let redis: Redis;
  let advances: Queue;
  let persists: Queue;
  let game: Game;
  let results: GameResults;
  let question1: RoomView;

  const rig = faultSuite(
    'lost-advance',
    { postgresProxy: true, env: { RECONCILE_EVERY_MS: String(EVERY_MS), RECONCILE_GRACE_MS: String(GRACE_MS) } },
    async (rig) => {
      redis = new Redis(infra().redisUrl, { maxRetriesPerRequest: null });
      const prefix = createKeys(rig.stack.namespace).bullPrefix;
      advances = new Queue(QueueName.Advance, { connection: redis, prefix: prefix(QueueName.Advance) });
      persists = new Queue(QueueName.PersistResults, { connection: redis, prefix: prefix(QueueName.PersistResults) });
      game = await rig.playGame(SETTINGS);
      question1 = await game.host.waitForQuestion(1, 20_000);
      // Nothing else would move the room: ticks only draw, and the one advance is gone.
      const id = jobId.advance(game.gameId, question1.version);
      const job = await waitUntil('the advance of question 1 to be scheduled', () => advances.getJob(id).then((j) => j ?? undefined), 5000, 20);
      await job.remove();

      // PostgreSQL away as the game ends: its results job fails a first time, and is then lost too.
      await game.host.waitForQuestion(SETTINGS.questionCount - 1, 20_000);
      await rig.postgres?.stop();
      await Promise.all(game.clients().map((c) => c.waitForPhase('finished', undefined, 30_000)));
      await waitUntil(
        'the results job to have failed once',
        async () => ((await persists.getJob(jobId.persist(game.gameId)))?.attemptsMade ?? 0) >= 1 || undefined,
        20_000,
      );
      await (await persists.getJob(jobId.persist(game.gameId)))?.remove();
      await rig.postgres?.resume();
      results = await rig.api.waitForResults(game.gameId, 20_000);
    },
    90_000,
  );

  afterAll(async () => {
    await advances?.close();
    await persists?.close();
    redis?.disconnect();
  });

  it('is driven on by the reconciler within its grace and one pass', () => {
    const { lateMs } = measureReveal(game, question1, `advance lost (RECONCILE_GRACE_MS=${GRACE_MS}, RECONCILE_EVERY_MS=${EVERY_MS})`);

    expect(lateMs).toBeGreaterThanOrEqual(GRACE_MS);
    expect(lateMs).toBeLessThan(GRACE_MS + EVERY_MS + 2000);
    expect(rig().stack.logs(undefined, 10_000)).toMatch(/"advanceJob":"missing".*"msg":"room past its deadline; driving it on"/);
  });

  it('saves the results all the same: the reconciler enqueued them again from the backlog kept in Redis', () => {
    expect(rig().stack.logs(undefined, 10_000)).toMatch(/"queue":"persist-results".*"msg":"job failed"/);
    expect(results.game).toMatchObject({ id: game.gameId, roomCode: game.code });
  });

  it('finishes the game with every question in order and every score saved', () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount);
  });
});
