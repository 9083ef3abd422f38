import { describe, expect, it } from 'vitest';
import type { GameResults } from '../../src/store/repos/games.repo';
import { type Game, answerAsPlanned } from '../helpers/game';
import type { AnswerAck } from '../helpers/recording-client';
import { ANSWERING, expectPlayedThrough, faultSuite, firstView, report } from './support/faults';

/** Long questions: each closes early, once every player has answered, so a lost answer would hold it for 30 s. */
const SETTINGS = { questionCount: 3, questionSeconds: 30, revealSeconds: 1 };
/** Redis is away this long between its stop and its start: the time a platform takes to restart it. */
const DOWN_MS = 3000;
/** Question 1: the first player answers, Redis stops once that answer is acked, and the others answer while it is away. */
const LATE_ANSWER_MS = 2000;

describe('when Redis restarts (SIGTERM, its append-only file kept, as docker-compose runs it) while players answer', () => {
  let game: Game;
  let results: GameResults;
  let acks: AnswerAck[];
  let upAt = 0;

  faultSuite('redis-restart', { ownRedis: true, persistentRedis: true }, async (rig) => {
    game = await rig.openGame(SETTINGS, ANSWERING);
    const planned = game.players.map(
      (p) =>
        answerAsPlanned(p, (view) => ({
          choice: p.index % view.question.choices.length,
          delayMs: view.questionIndex === 1 && p.index > 0 ? LATE_ANSWER_MS : 100,
        })).acks,
    );
    await rig.api.start(game.code, game.hostToken);
    const first = game.players[0]?.client;
    if (!first) throw new Error('no player');
    await first.waitFor(
      'the first answer to question 1 acked',
      (f) => f.event === 'ack:answer:submit' && f.payload.ok && f.payload.questionIndex === 1,
      20_000,
    );
    await rig.restartRedis(DOWN_MS);
    upAt = Date.now();
    results = await rig.finished(game, 60_000);
    acks = await Promise.all(planned.flat());
  });

  it('acknowledges every answer as taken, those sent while Redis was away once it is back', () => {
    expect(acks.map((a) => a.ok)).toEqual(acks.map(() => true));
    expect(acks).toHaveLength(ANSWERING * SETTINGS.questionCount);
    const question1Acks = game.players.map((p) =>
      p.client.frames.find((f) => f.event === 'ack:answer:submit' && f.payload.ok && f.payload.questionIndex === 1),
    );
    // The others' answers were sent while Redis was away, and waited for it.
    for (const ack of question1Acks.slice(1)) expect(ack?.at ?? 0).toBeGreaterThanOrEqual(upAt);
    // Question 1 closed early, on its last answer: none was lost, or it would have run its 30 s.
    const question = firstView(game, 'question', 1);
    const reveal = firstView(game, 'reveal', 1);
    expect(reveal?.at ?? 0).toBeGreaterThan(upAt);
    expect(reveal?.view.serverNow ?? Infinity).toBeLessThan((question?.view.deadlineAt ?? 0) - 10_000);
    report(
      `Redis restarted (SIGTERM, ${DOWN_MS / 1000} s down) during question 1's answers → question 1 closed after Redis was back`,
      (reveal?.at ?? Infinity) - upAt,
    );
  });

  it('finishes the game with every question in order and every answer saved, scored as each player was shown', () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount, ANSWERING);
  });
});
