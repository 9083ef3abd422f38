import { afterAll, describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import type { GameResults } from '../../src/store/repos/games.repo';
import type { Game, Player } from '../helpers/game';
import { sleep } from '../helpers/infra';
import { RecordingClient } from '../helpers/recording-client';
import { Balancer } from './support/balancer';
import { expectPlayedThrough, faultSuite, firstView, report } from './support/faults';

/** Long questions: a question closed early is told apart from one closed at its deadline by many seconds. */
const SETTINGS = { questionCount: 3, questionSeconds: 20, revealSeconds: 1 };
/**
 * A short lease, and clients that notice a silent server after 1 + 5 s: the stall outlasts the lease
 * long before the stalled process's clients have noticed it.
 */
const ENV = { PRESENCE_LEASE_SECONDS: '2', SOCKET_PING_INTERVAL_MS: '1000', SOCKET_PING_TIMEOUT_MS: '5000' };
const STALL_AFTER_MS = 800;
const STALLED_MS = 20_000;
const FAST_MS = 200;
/** The stalled process's players answer later than it stalls: their first answer to question 0 is lost with it. */
const SLOW_MS = 1500;

/** Answers each question shown, again on each showing after a reconnect, until an answer to it is taken. */
function answerUntilTaken(player: Player, delayMs: number): void {
  const taken = new Set<number>();
  player.client.socket.on('room:view', (view: RoomView) => {
    const index = view.questionIndex;
    if (view.phase !== 'question' || !view.question || taken.has(index)) return;
    const choice = player.index % view.question.choices.length;
    setTimeout(() => {
      if (taken.has(index)) return;
      player.client.submit(index, choice).then(
        (ack) => ack.ok && taken.add(index),
        () => {},
      );
    }, delayMs);
  });
}

describe('when one socket process stalls (SIGSTOP) past its presence lease during a question', () => {
  let game: Game;
  let results: GameResults;
  let stalled: Player[] = [];
  let stalledAt = 0;
  let front: Balancer | undefined;

  afterAll(() => front?.stop());
  faultSuite('socket-stall', { env: ENV }, async (rig) => {
    const { stack } = rig;
    let frozen = false;
    // As a balancer with a health check would: the frozen process is taken out once it stops answering.
    front = await Balancer.listen(() => (frozen ? [stack.socketPort] : [stack.socket2Port]));
    // The host and two players on the first socket process, two players on the second, through the balancer.
    game = await rig.openGame(SETTINGS, 2, { socketUrl: stack.socketUrl });
    for (const index of [2, 3]) {
      const nickname = `Player ${index + 1}`;
      const { playerId, token } = await rig.api.join(game.code, nickname);
      const client = await RecordingClient.connect(front.url, token, nickname, { reconnect: true });
      await client.waitForPhase('lobby');
      game.players.push({ index, nickname, playerId, token, client });
    }
    stalled = game.players.slice(2);
    for (const p of game.players) answerUntilTaken(p, stalled.includes(p) ? SLOW_MS : FAST_MS);

    await rig.api.start(game.code, game.hostToken);
    await game.host.waitForQuestion(0);
    await sleep(STALL_AFTER_MS);
    frozen = true;
    stack.pause('socket2');
    stalledAt = Date.now();
    const thawed = sleep(STALLED_MS).then(() => stack.resume('socket2'));
    try {
      results = await rig.finished(game, 60_000);
    } finally {
      await thawed;
    }
  });

  it('shows every question to every player, the stalled process’s players included, who reconnect elsewhere', () => {
    for (const p of stalled) expect(p.client.frames.filter((f) => f.event === 'client:connect').length, p.nickname).toBeGreaterThan(1);
    expectPlayedThrough(game, results, SETTINGS.questionCount, game.players.length);
  });

  it('keeps question 0 open until the stalled process’s players are back and have answered, well before its deadline', () => {
    const reveal = firstView(game, 'reveal', 0);
    const question0 = firstView(game, 'question', 0);
    for (const p of stalled) {
      const back = p.client.frames.filter((f) => f.event === 'client:connect')[1]?.at ?? Infinity;
      expect(reveal?.at ?? 0, p.nickname).toBeGreaterThan(back);
    }
    report('socket SIGSTOPped → question 0 closed after the stall began', (reveal?.at ?? Infinity) - stalledAt);
    expect(reveal?.view.serverNow ?? Infinity).toBeLessThan((question0?.view.deadlineAt ?? 0) - 5000);
  });

  it('saves every player’s answer to every question exactly once', () => {
    const keys = results.answers.map((a) => `${a.playerId}:${a.questionIndex}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(game.players.length * SETTINGS.questionCount);
  });
});
