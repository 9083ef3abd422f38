import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredAnswer } from '../../src/game/room-state';
import { type Db, createDb } from '../../src/platform/db';
import { type GamesRepo, createGamesRepo } from '../../src/store/repos/games.repo';
import type { RoomSnapshot } from '../../src/store/view-reader';
import { gameRows } from '../helpers/game-rows';
import { infra } from '../helpers/infra';
import { TcpProxy } from '../helpers/tcp-proxy';
import { question, roomIn } from '../unit/fixtures';

const PLAYERS = ['p_ann', 'p_bob', 'p_cy'];
const QUESTIONS = [question({ id: 7 }), question({ id: 8, correct: [0] })];

/** A finished game of two questions: everyone answered the first, only Ann the second. */
function finishedGame(): RoomSnapshot {
  const answer = (choice: number, q: number): StoredAnswer => {
    const correct = QUESTIONS[q]?.correct.includes(choice) ?? false;
    return { choice, correct, points: correct ? 800 : 0, elapsedMs: 2500, at: 10_000 + q * 20_000, streak: correct ? 1 : 0 };
  };
  return {
    room: roomIn({ gameId: randomUUID(), phase: 'finished', questionIndex: 1, startedAt: 5_000, finishedAt: 60_000 }),
    questions: QUESTIONS,
    players: PLAYERS.map((id, i) => ({ id, nickname: id.slice(2), userId: null, joinedAt: 1_000 + i })),
    answers: [new Map(PLAYERS.map((id, i) => [id, answer(i + 1, 0)])), new Map([['p_ann', answer(0, 1)]])],
    standings: [
      { playerId: 'p_ann', score: 800, totalMs: 5000, rank: 1 },
      { playerId: 'p_bob', score: 800, totalMs: 2500, rank: 2 },
      { playerId: 'p_cy', score: 0, totalMs: 2500, rank: 3 },
    ],
  };
}

describe('saving a finished game when the connection to PostgreSQL drops mid-way', () => {
  let proxy: TcpProxy;
  let throughProxy: Db;
  let direct: Db;
  let games: GamesRepo;
  const saved: string[] = [];

  beforeAll(async () => {
    const proxied = await TcpProxy.inFrontOf(infra().databaseUrl, 5432);
    proxy = proxied.proxy;
    throughProxy = createDb(proxied.url);
    direct = createDb(infra().databaseUrl);
    games = createGamesRepo(throughProxy);
  });

  afterAll(async () => {
    if (saved.length) await direct('games').whereIn('id', saved).delete();
    await Promise.all([throughProxy?.destroy(), direct?.destroy()]);
    await proxy?.stop();
  });

  async function rowsOf(gameId: string) {
    const { games, players, answers } = await gameRows(direct, gameId);
    return { games: games.length, players: players.length, answers: answers.length };
  }

  /** Saves a new finished game while the proxy drops the connection as `marker` is sent; that save fails. */
  async function saveCutAt(marker: string, deliver: boolean): Promise<RoomSnapshot> {
    const game = finishedGame();
    saved.push(game.room.gameId);
    const cut = proxy.cutWhenSent(marker, { deliver });
    await expect(games.saveResults(game)).rejects.toThrow();
    await cut;
    return game;
  }

  it('writes nothing when the connection drops before the commit, and the whole game on the retry', async () => {
    const game = await saveCutAt('insert into "game_answers"', false);

    expect(await rowsOf(game.room.gameId)).toEqual({ games: 0, players: 0, answers: 0 });
    expect(await games.saveResults(game)).toBe(true);
    expect(await rowsOf(game.room.gameId)).toEqual({ games: 1, players: 3, answers: 4 });
  });

  it('keeps exactly one copy when the commit landed but its reply was lost, and the retry says so', async () => {
    const game = await saveCutAt('COMMIT', true);

    // The retry's insert waits on the first transaction's row until that commits, then finds it.
    expect(await games.saveResults(game)).toBe(false);
    expect(await rowsOf(game.room.gameId)).toEqual({ games: 1, players: 3, answers: 4 });
    const results = await games.results(game.room.gameId, { allowanceCapMs: 150, reactionFloorMs: 150, answerGraceMs: 500 });
    expect(results?.players.map((p) => [p.playerId, p.score, p.rank])).toEqual([
      ['p_ann', 800, 1],
      ['p_bob', 800, 2],
      ['p_cy', 0, 3],
    ]);
  });
});
