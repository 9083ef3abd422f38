import { afterAll, describe, expect, it } from 'vitest';
import { type Db, createDb } from '../../src/platform/db';
import { QueueName, jobId } from '../../src/shared/jobs';
import type { RoomView } from '../../src/shared/room';
import { createKeys } from '../../src/store/keys';
import { type Queues, closeQueues, createQueues } from '../../src/store/queues';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { type Game, openGame } from '../helpers/game';
import { type GameRows, gameRows } from '../helpers/game-rows';
import { infra, waitUntil } from '../helpers/infra';
import { metricValue, scrape } from '../helpers/prometheus';
import { stackSuite } from '../helpers/stack';

const IDLE_SECONDS = 3;
/** Each try is refused at once by the stopped api: the idle job gives up about a second after the idle time. */
const HOUSEKEEPING_ATTEMPTS = 2;
const SETTINGS = { questionCount: 3, questionSeconds: 60, revealSeconds: 2 };

interface Seen {
  idleJob: { state: string; attemptsMade: number };
  stuckWhileDown: number | undefined;
  phase: RoomView['phase'] | 'still waiting';
  rows: GameRows | null;
  stuckAfter: number | undefined;
}

/**
 * The api is killed, not frozen: a frozen (SIGSTOPped) api still holds the idle job's timed-out request
 * in its socket and applies it on SIGCONT, which ends the room by luck. A dead one never sees it.
 */
describe('when the api is down (SIGKILL) through every try of a paused game’s idle job, and then started again', () => {
  let game: Game;
  let redis: QuizRedis;
  let queues: Queues;
  let db: Db;
  let seen: Seen;

  const stack = stackSuite(
    'idle-api-outage',
    {
      env: {
        ROOM_IDLE_SECONDS: String(IDLE_SECONDS),
        HOUSEKEEPING_ATTEMPTS: String(HOUSEKEEPING_ATTEMPTS),
        RECONCILE_EVERY_MS: '1000',
        RECONCILE_GRACE_MS: '1000',
      },
    },
    async (stack) => {
      db = createDb(infra().databaseUrl);
      redis = createRedis(infra().redisUrl, { name: 'test-idle-api-outage' });
      queues = createQueues(redis, createKeys(stack.namespace));
      const stuck = async () => metricValue(await scrape(`${stack.workerUrl}/metrics`), 'quizloop_rooms_stuck');

      // Two players, one answers: the question stays open, so the pause races no early close.
      game = await openGame(stack, SETTINGS, 2);
      await stack.api.start(game.code, game.hostToken);
      await game.players[0]?.client.waitForQuestion(0);
      expect(await game.players[0]?.client.submit(0, 0)).toMatchObject({ ok: true });
      const paused = await stack.api.control(game.code, 'pause', game.hostToken);
      await stack.kill('api', 'SIGKILL');

      // Every wait after the idle job's failure is bounded and recorded: on code that leaves the room
      // paused, the tests below say what went wrong rather than the set-up timing out.
      const idleJob = await waitUntil(
        'the idle job to fail for good',
        async () => {
          const job = await queues[QueueName.Housekeeping].getJob(jobId.idle(game.gameId, paused.version));
          const state = await job?.getState();
          return job && state === 'failed' ? { state, attemptsMade: job.attemptsMade } : undefined;
        },
        30_000,
        250,
      );
      const stuckWhileDown = await waitUntil('the reconciler to count the room stuck', async () => ((await stuck()) === 1 ? 1 : undefined), 10_000, 250).catch(
        stuck,
      );
      await stack.startRole('api');

      const phase = await waitUntil(
        'the room to end',
        async () => {
          const { phase } = await stack.api.room(game.code);
          return phase === 'paused' ? undefined : phase;
        },
        15_000,
        250,
      ).catch((): Seen['phase'] => 'still waiting');
      const rows = await waitUntil(
        'the results in PostgreSQL',
        async () => {
          const rows = await gameRows(db, game.gameId);
          return rows.games.length > 0 && rows.answers.length > 0 ? rows : undefined;
        },
        10_000,
        250,
      ).catch(() => null);
      const stuckAfter = await waitUntil('a pass to find nothing stuck', async () => ((await stuck()) === 0 ? 0 : undefined), 10_000, 250).catch(stuck);
      seen = { idleJob, stuckWhileDown, phase, rows, stuckAfter };
    },
    120_000,
  );

  afterAll(async () => {
    game?.closeAll();
    if (queues) await closeQueues(queues);
    await redis?.quit();
    await db?.destroy();
  });

  it('lets the idle job use up its tries while the api is down', () => {
    expect(seen.idleJob).toEqual({ state: 'failed', attemptsMade: HOUSEKEEPING_ATTEMPTS });
  });

  it('counts the paused room as stuck while it cannot be ended', () => {
    expect(seen.stuckWhileDown).toBe(1);
  });

  it('finishes the game once the api is back, ended as idle, and no longer counts it stuck', () => {
    expect(seen.phase).toBe('finished');
    expect(stack().logs('api')).toMatch(new RegExp(`room ended: left idle[^\\n]*${game.code}|${game.code}[^\\n]*room ended: left idle`));
    expect(seen.stuckAfter).toBe(0);
  });

  it('saves the answer given before the pause in PostgreSQL', () => {
    const [answering, silent] = game.players;
    expect(seen.rows?.games.map((g) => g.id)).toEqual([game.gameId]);
    expect(seen.rows?.players.map((p) => p.player_id).sort()).toEqual([answering?.playerId, silent?.playerId].sort());
    expect(seen.rows?.answers.map((a) => [a.player_id, a.question_index])).toEqual([[answering?.playerId, 0]]);
  });
});
