import { afterAll, describe, expect, it } from 'vitest';
import type { Frame } from '../helpers/recording-client';
import { type Game, openGame } from '../helpers/game';
import { stackSuite } from '../helpers/stack';

const FLOOR_MS = 1000;
const WAVE = 10;
const SETTINGS = { questionCount: 1, questionSeconds: 20, revealSeconds: 1 };

type ViewFrame = Extract<Frame, { event: 'room:view' }>;
const lobbyViews = (frames: Frame[], from: number) => frames.slice(from).filter((f): f is ViewFrame => f.event === 'room:view' && f.payload.phase === 'lobby');

describe('when players join a lobby in bursts', () => {
  let game: Game;
  let hostFrom: number;
  let playerFrom: number;
  let lone: { joinedAt: number; shownAt: number };

  stackSuite('lobby-coalescing', { env: { SOCKET_REFRESH_MIN_MS: String(FLOOR_MS) } }, async (stack) => {
    game = await openGame(stack, SETTINGS, 1);
    const watcher = game.players[0]?.client;
    if (!watcher) throw new Error('no player');
    hostFrom = game.host.frames.length;
    playerFrom = watcher.frames.length;
    const wave = (from: number) => Promise.all(Array.from({ length: WAVE }, (_, i) => stack.api.join(game.code, `Joiner ${from + i}`)));
    // Two waves a moment apart: pushed once per join, or once per wave, they would come closer together than the floor.
    await wave(0);
    await new Promise((r) => setTimeout(r, 200));
    await wave(WAVE);
    const everyone = 1 + 2 * WAVE;
    for (const c of game.clients()) await c.waitForView(`${everyone} players`, (v) => v.phase === 'lobby' && v.playerCount === everyone, 10_000);
    // Anything still waiting would come within the floor.
    await new Promise((r) => setTimeout(r, FLOOR_MS + 500));
    await stack.api.join(game.code, 'Late one');
    const joinedAt = Date.now();
    const shown = await game.host.waitForView('the late one', (v) => v.phase === 'lobby' && v.playerCount === everyone + 1, 10_000);
    const frame = game.host.frames.find((f) => f.event === 'room:view' && f.payload === shown);
    lone = { joinedAt, shownAt: frame?.at ?? Number.NaN };
  });

  afterAll(() => game?.closeAll());

  it('pushes the lobby at most once per SOCKET_REFRESH_MIN_MS, not once per join', () => {
    const views = lobbyViews(game.host.frames, hostFrom).filter((f) => f.payload.playerCount <= 1 + 2 * WAVE);
    expect(views.length).toBeGreaterThanOrEqual(1);
    expect(views.length).toBeLessThan(WAVE);
    const gaps = views.slice(1).map((f, i) => f.at - (views[i] as ViewFrame).at);
    // The floor is kept between the starts of two refreshes; a refresh's own reads may take a little of it.
    for (const gap of gaps) expect(gap).toBeGreaterThan(FLOOR_MS * 0.8);
  });

  it('always delivers the last change, to every client, complete', () => {
    for (const [client, from] of [
      [game.host, hostFrom],
      [game.players[0]?.client, playerFrom],
    ] as const) {
      const views = lobbyViews(client?.frames ?? [], from).filter((f) => f.payload.playerCount <= 1 + 2 * WAVE);
      const last = views.at(-1)?.payload;
      expect(last?.playerCount, client?.label).toBe(1 + 2 * WAVE);
      expect(last?.leaderboard.length, client?.label).toBe(Math.min(10, 1 + 2 * WAVE));
    }
  });

  it('never shows an older lobby after a newer one', () => {
    for (const c of game.clients()) {
      const counts = lobbyViews(c.frames, 0).map((f) => f.payload.playerCount);
      expect(counts, c.label).toEqual([...counts].sort((a, b) => a - b));
    }
  });

  it('shows a lone join at once, without waiting out the floor', () => {
    expect(lone.shownAt - lone.joinedAt).toBeLessThan(FLOOR_MS * 0.8);
  });
});

describe('when players join a lobby with many members on the socket process', () => {
  const MEMBERS = 20;
  /** 10 ms per member (10,000 per 1,000): 21 members (the host and 20 players) hold refreshes 210 ms apart. */
  const PER_1000 = 10_000;
  let game: Game;
  let hostFrom: number;

  stackSuite('lobby-per-member', { env: { SOCKET_REFRESH_MIN_MS: '0', SOCKET_REFRESH_MS_PER_1000: String(PER_1000) } }, async (stack) => {
    game = await openGame(stack, SETTINGS, MEMBERS);
    const everyone = MEMBERS + 3 * WAVE;
    hostFrom = game.host.frames.length;
    // Three waves a moment apart: with the floor at 0 alone, each would be pushed as it came. The first is
    // seen pushed before the others come, so that a busy machine cannot fold all three into one read.
    for (let w = 0; w < 3; w++) {
      await Promise.all(Array.from({ length: WAVE }, (_, i) => stack.api.join(game.code, `Joiner ${w * WAVE + i}`)));
      if (w === 0) await game.host.waitForView('the first wave', (v) => v.phase === 'lobby' && v.playerCount === MEMBERS + WAVE, 10_000);
      else await new Promise((r) => setTimeout(r, 60));
    }
    await game.host.waitForView(`${everyone} players`, (v) => v.phase === 'lobby' && v.playerCount === everyone, 10_000);
  });

  afterAll(() => game?.closeAll());

  it('holds a room’s refreshes apart by SOCKET_REFRESH_MS_PER_1000 for each 1,000 of its members there', () => {
    const views = lobbyViews(game.host.frames, hostFrom);
    expect(views.at(-1)?.payload.playerCount).toBe(MEMBERS + 3 * WAVE);
    expect(views.length).toBeGreaterThanOrEqual(2);
    const floorMs = ((MEMBERS + 1) * PER_1000) / 1000;
    const gaps = views.slice(1).map((f, i) => f.at - (views[i] as ViewFrame).at);
    for (const gap of gaps) expect(gap).toBeGreaterThan(floorMs * 0.8);
  });
});
