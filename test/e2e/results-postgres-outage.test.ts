import { afterAll, describe, expect, it } from 'vitest';
import { QueueName, jobId } from '../../src/shared/jobs';
import { type Db, createDb } from '../../src/platform/db';
import type { GameResults } from '../../src/store/repos/games.repo';
import { createKeys } from '../../src/store/keys';
import { type Queues, STACK_TRACES_KEPT, closeQueues, createQueues } from '../../src/store/queues';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import type { Game } from '../helpers/game';
import { type GameRows, gameRows } from '../helpers/game-rows';
import { infra, waitUntil } from '../helpers/infra';
import type { AnswerAck } from '../helpers/recording-client';
import { metricValue, scrape } from '../helpers/prometheus';
import { ANSWERING, expectPlayedThrough, faultSuite } from './support/faults';

const SETTINGS = { questionCount: 3, questionSeconds: 8, revealSeconds: 1 };
/** Every player answers, picking choices 0 to 3, so on any question of up to four choices someone is right and scores. */
const PLAYERS = ANSWERING;
/** Failed attempts to wait for before PostgreSQL comes back: more than the job keeps the stack traces of. */
const FAILED_ATTEMPTS = STACK_TRACES_KEPT + 1;

interface JobRecord {
  state: string;
  attemptsMade: number;
  failedReason: string | undefined;
  returnvalue: unknown;
  stacktraces: number;
}

describe('when PostgreSQL is unreachable as a game finishes, and then comes back', () => {
  let game: Game;
  let redis: QuizRedis;
  let queues: Queues;
  let db: Db;
  const acks: Promise<AnswerAck>[][] = [];
  let whileDown: { job: JobRecord; rows: GameRows; backlog: number | undefined; kept: boolean };
  let afterwards: { job: JobRecord; rows: GameRows; backlog: number | undefined; kept: boolean };
  /** The worker's results backlog gauge, and whether the game's snapshot waits in Redis. */
  const backlog = async () => ({
    backlog: metricValue(await scrape(`${rig().stack.workerUrl}/metrics`), 'quizloop_results_backlog'),
    kept: (await redis.hexists(createKeys(rig().stack.namespace).resultsPending, game.gameId)) === 1,
  });
  let results: GameResults;

  /** Polls the game's persist-results job, as BullMQ records it in Redis, until `ready` holds for it. */
  function persistJobWhen(what: string, ready: (job: JobRecord) => boolean): Promise<JobRecord> {
    return waitUntil(
      `the persist-results job ${what}`,
      async () => {
        const job = await queues[QueueName.PersistResults].getJob(jobId.persist(game.gameId));
        if (!job) return undefined;
        const record = {
          state: await job.getState(),
          attemptsMade: job.attemptsMade,
          failedReason: job.failedReason,
          returnvalue: job.returnvalue,
          stacktraces: job.stacktrace?.length ?? 0,
        };
        return ready(record) ? record : undefined;
      },
      60_000,
    );
  }

  // Every process reaches PostgreSQL through the proxy, so the outage is everyone's, as a real one would be.
  const rig = faultSuite(
    'pg-outage',
    // Tries a second apart, so that the job fails more often than it keeps traces of in a few seconds.
    { postgresProxy: true, env: { RETRY_BACKOFF_CAP_MS: '1000' } },
    async (rig) => {
      db = createDb(infra().databaseUrl);
      redis = createRedis(infra().redisUrl, { name: 'test-pg-outage' });
      queues = createQueues(redis, createKeys(rig.stack.namespace));
      const played = await rig.playGame(SETTINGS, { everyoneAnswers: true });
      game = played;
      acks.push(...played.acks);

      await game.host.waitForQuestion(0, 30_000);
      await rig.postgres?.stop();
      await Promise.all(game.clients().map((c) => c.waitForPhase('finished', undefined, 60_000)));
      const tried = await persistJobWhen(`to fail ${FAILED_ATTEMPTS} times`, (job) => job.attemptsMade >= FAILED_ATTEMPTS);
      whileDown = { job: tried, rows: await gameRows(db, game.gameId), ...(await backlog()) };

      await rig.postgres?.resume();
      // Through the apis: their own pools lost their connections too, and must find PostgreSQL again.
      results = await rig.api.waitForResults(game.gameId, 60_000);
      // The rows can be visible a moment before BullMQ records the job as done.
      const done = await persistJobWhen('to finish', (job) => job.state === 'completed' || job.state === 'failed');
      afterwards = { job: done, rows: await gameRows(db, game.gameId), ...(await backlog()) };
    },
    180_000,
  );

  afterAll(async () => {
    if (queues) await closeQueues(queues);
    await redis?.quit();
    await db?.destroy();
  });

  it('plays the whole game while PostgreSQL is away, accepting every answer, and saves what every player was shown', async () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount);
    for (const mine of acks) {
      const settled = await Promise.all(mine);
      expect(settled).toHaveLength(SETTINGS.questionCount);
      for (const ack of settled) expect(ack).toMatchObject({ ok: true });
    }
  });

  it('retries the persist-results job, failing on the refused connection, and writes nothing meanwhile', () => {
    expect(['delayed', 'waiting', 'active']).toContain(whileDown.job.state);
    expect(whileDown.job.attemptsMade).toBeGreaterThanOrEqual(FAILED_ATTEMPTS);
    expect(whileDown.job.failedReason).toMatch(/ECONNREFUSED/);
    // A job retried through an outage of any length stays the same size in Redis.
    expect(whileDown.job.stacktraces).toBe(STACK_TRACES_KEPT);
    expect(whileDown.rows.games).toHaveLength(0);
    expect(whileDown.rows.players).toHaveLength(0);
    expect(whileDown.rows.answers).toHaveLength(0);
    // Kept in Redis without expiry until PostgreSQL takes it, and counted in the backlog gauge.
    expect(whileDown.kept).toBe(true);
    expect(whileDown.backlog).toBe(1);
    expect(rig().stack.logs(undefined, 10_000)).toMatch(/"queue":"persist-results".*"err":"connect ECONNREFUSED.*"msg":"job failed"/);
  });

  it('saves the game on a later attempt once PostgreSQL is back', () => {
    expect(afterwards.job.state).toBe('completed');
    expect(afterwards.job.attemptsMade).toBeGreaterThan(whileDown.job.attemptsMade);
    expect(afterwards.job.returnvalue).toMatchObject({ result: 'saved', players: PLAYERS });
    expect(afterwards.rows.games).toHaveLength(1);
    expect(afterwards.kept).toBe(false);
    expect(afterwards.backlog).toBe(0);
    expect(afterwards.rows.games[0]).toMatchObject({ id: game.gameId, room_code: game.code });
    expect(afterwards.rows.games[0].finished_at).toBeInstanceOf(Date);
  });

  it('keeps every player with the score the player was shown', () => {
    const shown = game.players.map((p) => [p.playerId, p.nickname, p.client.yous().at(-1)?.score]);
    const kept = afterwards.rows.players.map((r) => [r.player_id, r.nickname, r.score]);

    expect(kept.sort()).toEqual(shown.sort());
    // Not a comparison of zeros: someone scored.
    expect(afterwards.rows.players.some((r) => r.score > 0)).toBe(true);
    expect(results.players.map((p) => p.score).sort()).toEqual(kept.map(([, , score]) => score).sort());
  });

  it('keeps every accepted answer, with the choice the player sent', async () => {
    const accepted: [string, number, number][] = [];
    for (const player of game.players) {
      for (const ack of await Promise.all(acks[player.index] ?? [])) {
        if (ack.ok && 'choice' in ack) accepted.push([player.playerId, ack.questionIndex, ack.choice]);
      }
    }
    const kept = afterwards.rows.answers.map((a) => [a.player_id, a.question_index, a.choice]);

    expect(accepted).toHaveLength(PLAYERS * SETTINGS.questionCount);
    expect(kept.sort()).toEqual(accepted.sort());
    expect(results.answers).toHaveLength(accepted.length);
  });
});
