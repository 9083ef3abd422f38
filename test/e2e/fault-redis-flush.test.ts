import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalServer, startLocalRedis } from '../../src/local/local-redis';
import type { GameResults } from '../../src/store/repos/games.repo';
import { type Game, openGame } from '../helpers/game';
import { ANSWERING, answerAllButTheLast, expectPlayedThrough, report } from '../helpers/faults';
import { sleep } from '../helpers/infra';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const SETTINGS = { questionCount: 2, questionSeconds: 3, revealSeconds: 1 };

describe('when Redis loses everything (FLUSHALL, as a restart without persistence would) and new rooms are made', () => {
  let redisServer: LocalServer;
  let admin: Redis;
  let stack: Stack;
  let game: Game;
  let results: GameResults;
  let flushedAt = 0;
  let lobbyAfterMs = 0;
  let readyAfter: { status: number; body: unknown };

  beforeAll(async () => {
    // A Redis of its own: FLUSHALL takes every namespace with it.
    // The redis-server the test setup found or fetched (on PATH, or under .data/tools on a fresh machine).
    redisServer = await startLocalRedis({ server: inject('redisServer') ?? undefined });
    admin = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    stack = await Stack.start('redis-flush', undefined, { env: { REDIS_URL: redisServer.url } });
    try {
      // The stream and its consumer group exist (a room was made), then are lost.
      await openGame(stack, SETTINGS, 1).then((g) => g.closeAll());
      await admin.flushall();
      flushedAt = Date.now();
      await sleep(500);

      game = await openGame(stack, SETTINGS, ANSWERING + 1);
      lobbyAfterMs = Date.now() - flushedAt;
      report('Redis FLUSHALL → a new room reached its lobby', lobbyAfterMs);
      answerAllButTheLast(game);
      await stack.api.start(game.code, game.hostToken);
      await Promise.all(game.clients().map((c) => c.waitForPhase('finished', undefined, 30_000)));
      results = await stack.api.waitForResults(game.gameId, 20_000);
      const ready = await fetch(`${stack.workerUrl}/ready`);
      readyAfter = { status: ready.status, body: await ready.json() };
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

  it('creates the events consumer group again, without a worker restart', () => {
    expect(stack.logs('worker', 5000)).toMatch(/the events consumer group is gone; creating it again/);
    expect(lobbyAfterMs).toBeLessThan(10_000);
  });

  it('plays a new game through, with every question in order and every score saved', () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount);
    expect(results.answers).toHaveLength(ANSWERING * SETTINGS.questionCount);
  });

  it('is ready again, with no event left unread', () => {
    expect(readyAfter.status).toBe(200);
    expect(readyAfter.body).toMatchObject({ checks: { events: 'ok' } });
  });
});
