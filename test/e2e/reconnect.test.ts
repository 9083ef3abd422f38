import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GameResults } from '../../src/shared/game-results';
import type { PlayerYou, RoomView } from '../../src/shared/room';
import { type Game, openGame, questionsShown } from '../helpers/game';
import { Redis } from 'ioredis';
import { createKeys } from '../../src/store/keys';
import { infra, waitUntil } from '../helpers/infra';
import { RecordingClient } from '../helpers/recording-client';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const SETTINGS = { questionCount: 3, questionSeconds: 10, revealSeconds: 2, streakBonus: true };

/**
 * Two socket processes behind no balancer: everyone starts on the first; players then move to the
 * second, as they would when a phone changes network or a balancer sends them elsewhere.
 */
describe('players reconnecting on another socket instance', () => {
  let stack: Stack;
  let game: Game;
  let results: GameResults;
  /** Ann: answers question 0, drops, and comes back on the other instance during question 1. */
  let before: PlayerYou;
  let ann: RecordingClient;
  let annFirstFrames: string[] = [];
  let annView: RoomView | undefined;
  let annYou: PlayerYou | undefined;
  /** Bo: opens a second connection with the same token on the other instance. */
  let boSecond: RecordingClient;
  let replaced = false;
  let redis: Redis;

  printLogsOnFailure(() => stack);

  beforeAll(async () => {
    stack = await Stack.start('reconnect', ['api', 'socket', 'socket2', 'worker']);
    redis = new Redis(infra().redisUrl);
    try {
      game = await openGame(stack, SETTINGS, 3);
      const [a, b, c] = game.players;
      if (!a || !b || !c) throw new Error('three players expected');
      await stack.api.start(game.code, game.hostToken);
      const q0 = await a.client.waitForQuestion(0);
      for (const p of game.players) expect(await p.client.submit(0, 0), p.nickname).toMatchObject({ ok: true });
      await a.client.waitForPhase('reveal', 0);
      await a.client.waitForQuestion(1);
      before = a.client.yous().at(-1) as PlayerYou;
      expect(q0.questionIndex).toBe(0);

      // Ann drops and reconnects with the same token on the other instance.
      a.client.close();
      ann = await RecordingClient.connect(stack.socket2Url, a.token, 'ann (socket 2)');
      annView = (await ann.waitFor('a view', (f) => f.event === 'room:view')).payload as RoomView;
      annYou = (await ann.waitFor('her own state', (f) => f.event === 'room:you')).payload as PlayerYou;
      annFirstFrames = ann.frames
        .filter((f) => f.event.startsWith('room:'))
        .slice(0, 2)
        .map((f) => f.event);
      a.client = ann;

      // Bo opens a second connection on the other instance; the first one is replaced.
      const firstBo = b.client;
      boSecond = await RecordingClient.connect(stack.socket2Url, b.token, 'bo (socket 2)');
      await boSecond.waitFor('a view', (f) => f.event === 'room:view');
      replaced = (await firstBo.waitFor('replaced', (f) => f.event === 'room:closed')).payload.reason === 'replaced';
      b.client = boSecond;

      // Cy leaves for good; the others answer: with Cy gone, that closes the question early.
      c.client.close();
      await waitUntil('Cy to be counted gone', async () => ((await redis.hlen(createKeys(stack.namespace).online(game.code))) === 2 ? true : undefined));
      expect(await ann.submit(1, 0)).toMatchObject({ ok: true });
      expect(await boSecond.submit(1, 0)).toMatchObject({ ok: true });
      await ann.waitForPhase('reveal', 1, 8_000);
      await ann.waitForPhase('finished', undefined, 60_000);
      results = await stack.api.waitForResults(game.gameId);
    } catch (err) {
      throw stack.setUpFailed(err);
    }
  }, 120_000);

  afterAll(async () => {
    game?.closeAll();
    ann?.close();
    boSecond?.close();
    redis?.disconnect();
    await stack?.stop();
  });

  it('gets the current view and her own state at once, without asking, with score and streak kept', () => {
    expect(annFirstFrames).toEqual(['room:view', 'room:you']);
    expect(annView).toMatchObject({ phase: 'question', questionIndex: 1 });
    expect(annYou).toMatchObject({ playerId: before.playerId, score: before.score, streak: before.streak, rank: before.rank });
  });

  it('replaces the first connection when the same token connects again on another instance', () => {
    expect(replaced).toBe(true);
  });

  it('relays the rest of the game to the other instance: every question once, in order', () => {
    expect(questionsShown(ann.frames)).toEqual([1, 2]);
    expect(ann.views().at(-1)?.phase).toBe('finished');
    expect(boSecond.views().at(-1)?.phase).toBe('finished');
  });

  it('closes a question early once everyone still connected has answered, counting a replaced connection once', () => {
    const reveal1 = ann.views().find((v) => v.phase === 'reveal' && v.questionIndex === 1);
    expect(reveal1?.deadlineAt).toEqual(expect.any(Number));
    // The reveal began long before question 1's 10 s were up.
    const q1 = ann.views().find((v) => v.phase === 'question' && v.questionIndex === 1);
    expect((reveal1?.deadlineAt ?? Infinity) - SETTINGS.revealSeconds * 1000).toBeLessThan(q1?.deadlineAt ?? 0);
  });

  it('keeps a player who left in the standings and the results, and keeps every answer', () => {
    const [a, b, c] = game.players;
    const finished = ann.views().at(-1);
    expect(finished?.leaderboard.map((s) => s.nickname).sort()).toEqual(game.players.map((p) => p.nickname).sort());
    expect(results.players.map((p) => p.playerId).sort()).toEqual([a?.playerId, b?.playerId, c?.playerId].sort());
    expect(results.answers.filter((x) => x.questionIndex === 0)).toHaveLength(3);
    expect(
      results.answers
        .filter((x) => x.questionIndex === 1)
        .map((x) => x.playerId)
        .sort(),
    ).toEqual([a?.playerId, b?.playerId].sort());
    const annScore = results.players.find((p) => p.playerId === a?.playerId)?.score;
    expect(annScore).toBe(results.answers.filter((x) => x.playerId === a?.playerId).reduce((s, x) => s + x.points, 0));
  });
});
