import { describe, expect, it } from 'vitest';
import type { GameResults } from '../../src/store/repos/games.repo';
import type { Game } from '../helpers/game';
import { sleep } from '../helpers/infra';
import { expectPlayedThrough, faultSuite, report } from './support/faults';

const SETTINGS = { questionCount: 2, questionSeconds: 3, revealSeconds: 1 };

describe('when Redis loses everything (FLUSHALL, as a restart without persistence would) and new rooms are made', () => {
  let game: Game;
  let results: GameResults;
  let lobbyAfterMs = 0;
  let readyAfter: { status: number; body: unknown }[];

  // A Redis of its own: FLUSHALL takes every namespace with it.
  const rig = faultSuite('redis-flush', { ownRedis: true }, async (rig) => {
    // The stream and its consumer group exist (a room was made), then are lost.
    await rig.openGame(SETTINGS, 1);
    await rig.redis?.flushall();
    const flushedAt = Date.now();
    await sleep(500);

    game = await rig.playGame(SETTINGS);
    lobbyAfterMs = Date.now() - flushedAt;
    report('Redis FLUSHALL → a new room reached its lobby', lobbyAfterMs);
    results = await rig.finished(game);
    readyAfter = await Promise.all(
      [rig.stack.workerUrl, rig.stack.worker2Url].map(async (url) => {
        const ready = await fetch(`${url}/ready`);
        return { status: ready.status, body: await ready.json() };
      }),
    );
  });

  it('creates the events consumer group again, without a worker restart', () => {
    expect(rig().stack.logs(undefined, 10_000)).toMatch(/the events consumer group is gone; creating it again/);
    expect(lobbyAfterMs).toBeLessThan(10_000);
  });

  it('plays a new game through, with every question in order and every score saved', () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount);
  });

  it('is ready again, with no event left unread', () => {
    for (const ready of readyAfter) {
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ checks: { events: 'ok' } });
    }
  });
});
