import { describe, expect, it } from 'vitest';
import type { GameResults } from '../../src/store/repos/games.repo';
import type { Game } from '../helpers/game';
import type { AnswerAck } from '../helpers/recording-client';
import { ANSWERING, expectPlayedThrough, faultSuite, firstView, report } from './support/faults';

/** Long questions: each closes early, once every player has answered, so a lost answer would hold it for 30 s. */
const SETTINGS = { questionCount: 3, questionSeconds: 30, revealSeconds: 1 };
/** Redis is away this long between its stop and its start: the time a platform takes to restart it. */
const DOWN_MS = 3000;

describe('when Redis restarts (SIGTERM, its append-only file kept, as docker-compose runs it) while players answer', () => {
  let game: Game & { acks: Promise<AnswerAck>[][] };
  let results: GameResults;
  let acks: AnswerAck[];
  let upAt = 0;

  faultSuite('redis-restart', { ownRedis: true, persistentRedis: true }, async (rig) => {
    // Every player answers 100 + 30 × their index ms after seeing each question.
    game = await rig.playGame(SETTINGS, { everyoneAnswers: true });
    await game.host.waitForQuestion(1, 20_000);
    // Between the first players' answers and the last ones'.
    await new Promise((r) => setTimeout(r, 150));
    await rig.restartRedis(DOWN_MS);
    upAt = Date.now();
    results = await rig.finished(game, 60_000);
    acks = await Promise.all(game.acks.flat());
  });

  it('acknowledges every answer as taken, those sent while Redis was away once it is back', () => {
    expect(acks.map((a) => a.ok)).toEqual(acks.map(() => true));
    expect(acks).toHaveLength(ANSWERING * SETTINGS.questionCount);
    // Question 1 closed early, on its last answer: none was lost, or it would have run its 30 s.
    const question = firstView(game, 'question', 1);
    const reveal = firstView(game, 'reveal', 1);
    expect(reveal?.view.serverNow ?? Infinity).toBeLessThan((question?.view.deadlineAt ?? 0) - 10_000);
    report(
      `Redis restarted (SIGTERM, ${DOWN_MS / 1000} s down) during question 1's answers → question 1 closed after Redis was back`,
      (reveal?.at ?? Infinity) - upAt,
    );
  });

  it('finishes the game with every question in order and every answer saved exactly once', () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount, ANSWERING);
    const keys = results.answers.map((a) => `${a.playerId}:${a.questionIndex}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
