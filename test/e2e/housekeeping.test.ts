import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GameResults } from '../../src/shared/game-results';
import type { RoomView } from '../../src/shared/room';
import { type Game, openGame } from '../helpers/game';
import { sleep, waitUntil } from '../helpers/infra';
import { Stack } from '../helpers/stack';

const IDLE_SECONDS = 8;
const ABANDONED_SECONDS = 4;
const SETTINGS = { questionCount: 3, questionSeconds: 60, revealSeconds: 2 };

/**
 * Three rooms side by side, so the waits overlap: a lobby nobody starts, a game the host pauses and
 * leaves paused, and a game everyone walks away from.
 */
describe('housekeeping of rooms left alone, through separate api, worker and socket processes', () => {
  let stack: Stack;
  const games: Game[] = [];
  let idleLobby: { game: Game; closedAs: string };
  let idlePause: { game: Game; results: GameResults };
  let abandoned: { game: Game; whileHostGone: RoomView; finished: RoomView; results: GameResults };
  let filling: { afterFirstIdle: RoomView['phase']; closedAs: string };

  const phaseOf = (code: string) => stack.api.room(code).then((v) => v.phase);
  const ended = (code: string, phase: RoomView['phase']) =>
    waitUntil(`room ${code} to be ${phase}`, async () => ((await phaseOf(code)) === phase ? true : undefined), 30_000, 250);

  async function lobbyNobodyStarts() {
    const game = await openGame(stack, SETTINGS, 1);
    games.push(game);
    const closed = await game.host.waitFor('room:closed', (f) => f.event === 'room:closed', 30_000);
    await ended(game.code, 'cancelled');
    return { game, closedAs: closed.event === 'room:closed' ? closed.payload.reason : '' };
  }

  /** Players keep joining: the lobby lives until the room has been quiet for the idle time. */
  async function lobbyStillFilling() {
    const game = await openGame(stack, SETTINGS, 1);
    games.push(game);
    const opened = Date.now();
    await sleep((IDLE_SECONDS - 3) * 1000);
    await stack.api.join(game.code, 'Late arrival');
    await sleep(Math.max(0, opened + (IDLE_SECONDS + 1) * 1000 - Date.now()));
    const afterFirstIdle = await phaseOf(game.code);
    const closed = await game.host.waitFor('room:closed', (f) => f.event === 'room:closed', 30_000);
    return { afterFirstIdle, closedAs: closed.event === 'room:closed' ? closed.payload.reason : '' };
  }

  async function pauseNobodyResumes() {
    const game = await openGame(stack, SETTINGS, 1);
    games.push(game);
    await stack.api.start(game.code, game.hostToken);
    await game.players[0]?.client.waitForQuestion(0);
    expect(await game.players[0]?.client.submit(0, 0)).toMatchObject({ ok: true });
    // The answer closes the question early: a pause that races that close is refused (409), so the host taps again.
    await waitUntil(
      'the pause to be taken',
      async () => {
        const { version } = await stack.api.room(game.code);
        const res = await stack.api.request('POST', `/rooms/${game.code}/pause`, { token: game.hostToken, body: { version } });
        if (res.status !== 200 && res.status !== 409) throw new Error(`pause answered ${res.status}`);
        return res.status === 200 ? true : undefined;
      },
      10_000,
      50,
    );
    await ended(game.code, 'finished');
    return { game, results: await stack.api.waitForResults(game.gameId) };
  }

  async function everyoneLeaves() {
    const game = await openGame(stack, SETTINGS, 2);
    games.push(game);
    await stack.api.start(game.code, game.hostToken);
    await game.players[0]?.client.waitForQuestion(0);
    expect(await game.players[0]?.client.submit(0, 0)).toMatchObject({ ok: true });
    game.host.close();
    // Longer than the abandon time: players are still here, so the game must go on.
    await sleep((ABANDONED_SECONDS + 3) * 1000);
    const whileHostGone = await stack.api.room(game.code);
    for (const p of game.players) p.client.close();
    await ended(game.code, 'finished');
    return { game, whileHostGone, finished: await stack.api.room(game.code), results: await stack.api.waitForResults(game.gameId) };
  }

  beforeAll(async () => {
    stack = await Stack.start('housekeeping', undefined, {
      env: { ROOM_IDLE_SECONDS: String(IDLE_SECONDS), ROOM_ABANDONED_SECONDS: String(ABANDONED_SECONDS) },
    });
    [idleLobby, idlePause, abandoned, filling] = await Promise.all([lobbyNobodyStarts(), pauseNobodyResumes(), everyoneLeaves(), lobbyStillFilling()]);
  }, 120_000);

  beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(`process output (${stack.namespace}):\n${stack.logs()}`)));

  afterAll(async () => {
    for (const g of games) g.closeAll();
    await stack?.stop();
  });

  it('cancels a lobby nobody starts, telling the screens in it', () => {
    expect(idleLobby.closedAs).toBe('cancelled');
    expect(stack.logs('api')).toMatch(new RegExp(`room ended: left idle[^\\n]*${idleLobby.game.code}|${idleLobby.game.code}[^\\n]*room ended: left idle`));
  });

  it('keeps a lobby open while players are still joining, and cancels it once it has been quiet', () => {
    expect(filling.afterFirstIdle).toBe('lobby');
    expect(filling.closedAs).toBe('cancelled');
  });

  it('finishes a game left paused, and keeps its results', () => {
    const [player] = idlePause.game.players;
    expect(idlePause.results.players.map((p) => p.playerId)).toEqual([player?.playerId]);
    expect(idlePause.results.answers.map((a) => [a.playerId, a.questionIndex])).toEqual([[player?.playerId, 0]]);
  });

  it('goes on while players remain after the host has gone', () => {
    expect(abandoned.whileHostGone).toMatchObject({ phase: 'question', questionIndex: 0 });
  });

  it('finishes a game everyone has left, counting the answers given, and keeps its results', () => {
    const [first, second] = abandoned.game.players;
    expect(abandoned.finished.leaderboard.length).toBe(2);
    expect(abandoned.results.players.map((p) => p.playerId).sort()).toEqual([first?.playerId, second?.playerId].sort());
    expect(abandoned.results.answers.map((a) => a.playerId)).toEqual([first?.playerId]);
    const firstScore = abandoned.results.players.find((p) => p.playerId === first?.playerId)?.score;
    expect(firstScore).toBe(abandoned.results.answers[0]?.points);
    expect(stack.logs('api')).toMatch(/room ended: everyone left/);
  });
});
