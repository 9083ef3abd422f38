import { describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import type { GameResults } from '../../src/store/repos/games.repo';
import { type Game, type Player, answerAsPlanned } from '../helpers/game';
import { sleep } from '../helpers/infra';
import { RecordingClient } from '../helpers/recording-client';
import { expectPlayedThrough, faultSuite, firstView, report, roomWhen } from './support/faults';

/** Long questions: each closes early, once every player has answered, or the test fails. */
const SETTINGS = { questionCount: 3, questionSeconds: 45, revealSeconds: 1 };
/**
 * A socket process's presence counts 2 + 1 + 5 + 5 = 13 s after its last renewal, and is forgotten 3 s
 * after that: the stall below outlasts both, as a Redis stalled or down past lease + 60 s does by default.
 */
const ENV = { PRESENCE_LEASE_SECONDS: '2', PRESENCE_FORGET_SECONDS: '3', SOCKET_PING_INTERVAL_MS: '1000', SOCKET_PING_TIMEOUT_MS: '5000' };
const STALL_AFTER_MS = 1000;
const STALLED_MS = 22_000;
/** Question 0's answers all come after the stall; the slowest answer is on the first socket process at question 0, on the second at question 1. */
const AFTER_THAW_MS = 2000;
const SLOW_MS = 3000;
const FAST_MS = 200;

describe('when Redis stalls (SIGSTOP) longer than the presence lease and the forget window, during a question', () => {
  let game: Game;
  let results: GameResults;
  let thawedAt = 0;
  let afterThaw: RoomView;

  faultSuite('redis-stall', { env: ENV, ownRedis: true }, async (rig) => {
    const { stack } = rig;
    // The host and players 1 and 2 on the first socket process; players 3 and 4 on the second.
    game = await rig.openGame(SETTINGS, 2, { socketUrl: stack.socketUrl });
    for (const index of [2, 3]) {
      const nickname = `Player ${index + 1}`;
      const { playerId, token } = await rig.api.join(game.code, nickname);
      const client = await RecordingClient.connect(stack.socket2Url, token, nickname);
      await client.waitForPhase('lobby');
      game.players.push({ index, nickname, playerId, token, client });
    }
    const slowAt = (p: Player, questionIndex: number) => (questionIndex === 0 ? p.index === 1 : questionIndex === 1 ? p.index === 3 : false);
    const startAfter = STALL_AFTER_MS + STALLED_MS + AFTER_THAW_MS;
    for (const p of game.players) {
      answerAsPlanned(p, (view) => ({
        choice: p.index % view.question.choices.length,
        delayMs: (view.questionIndex === 0 ? startAfter : 0) + (slowAt(p, view.questionIndex) ? SLOW_MS : FAST_MS),
      }));
    }

    await rig.api.start(game.code, game.hostToken);
    await game.host.waitForQuestion(0);
    await sleep(STALL_AFTER_MS);
    await rig.freezeRedis();
    await sleep(STALLED_MS);
    rig.thawRedis();
    thawedAt = Date.now();
    // The socket processes have renewed their leases a few times since.
    await sleep(AFTER_THAW_MS - 500);
    afterThaw = (await roomWhen(stack, game.code, 'question 0 still open after the stall', (v) => v.phase === 'question', 10_000)).view;
    results = await rig.finished(game, 60_000);
  });

  it('counts every connected player online again soon after Redis is back', () => {
    expect(afterThaw.questionIndex).toBe(0);
    expect(afterThaw.onlineCount).toBe(game.players.length);
    expect(afterThaw.playerCount).toBe(game.players.length);
  });

  it('closes each question only once every connected player has answered, whichever socket process they are on', () => {
    for (const index of [0, 1]) {
      const reveal = firstView(game, 'reveal', index);
      const taken = game.players.flatMap((p) =>
        p.client.frames.flatMap((f) => (f.event === 'ack:answer:submit' && f.payload.ok && f.payload.questionIndex === index ? [f.at] : [])),
      );
      expect(taken, `answers taken to question ${index}`).toHaveLength(game.players.length);
      const lastAck = Math.max(...taken);
      expect(reveal?.at ?? 0, `question ${index}`).toBeGreaterThanOrEqual(lastAck);
      const question = firstView(game, 'question', index);
      expect(reveal?.view.serverNow ?? Infinity, `question ${index}`).toBeLessThan((question?.view.deadlineAt ?? 0) - 10_000);
    }
    report('Redis SIGSTOPped → question 0 closed after Redis was back', (firstView(game, 'reveal', 0)?.at ?? Infinity) - thawedAt);
  });

  it('finishes the game with every player’s answer to every question saved exactly once', () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount, game.players.length);
    const keys = results.answers.map((a) => `${a.playerId}:${a.questionIndex}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
