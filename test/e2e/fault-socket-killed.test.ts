import { describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import type { Game, Player } from '../helpers/game';
import { RecordingClient } from '../helpers/recording-client';
import { faultSuite, report, roomWhen } from './support/faults';

/** Long questions: an early close is told apart from the deadline by many seconds. */
const SETTINGS = { questionCount: 3, questionSeconds: 30, revealSeconds: 1 };
const LEASE_SECONDS = 6;
const ABANDONED_SECONDS = 3;
/** The bound: a dead socket process's players count offline, and the question closes, within 10 s. */
const EARLY_CLOSE_WITHIN_MS = 10_000;

describe('when a socket process is killed (SIGKILL) with players on it', () => {
  let game: Game;
  let killedAt = 0;
  let closedAfterMs = 0;
  let question0: RoomView;
  let abandonedEnd: { view: RoomView; at: number };
  let lastKilledAt = 0;

  const rig = faultSuite(
    'socket-killed',
    { env: { PRESENCE_LEASE_SECONDS: String(LEASE_SECONDS), ROOM_ABANDONED_SECONDS: String(ABANDONED_SECONDS) } },
    async (rig) => {
      const { stack } = rig;
      // The host and two players on the first socket process…
      game = await rig.openGame(SETTINGS, 2, { socketUrl: stack.socketUrl });
      // …and a third player on the second, which is then killed before they answer.
      const { playerId, token } = await rig.api.join(game.code, 'Stranded');
      const client = await RecordingClient.connect(stack.socket2Url, token, 'Stranded');
      await client.waitForPhase('lobby');
      const stranded: Player = { index: 2, nickname: 'Stranded', playerId, token, client };
      game.players.push(stranded);

      await rig.api.start(game.code, game.hostToken);
      question0 = await game.host.waitForQuestion(0);
      await stack.kill('socket2', 'SIGKILL');
      killedAt = Date.now();
      for (const p of game.players.slice(0, 2)) expect(await p.client.submit(0, 0)).toMatchObject({ ok: true });
      const reveal = await game.host.waitForPhase('reveal', 0, 20_000);
      closedAfterMs = (game.host.frames.find((f) => f.event === 'room:view' && f.payload === reveal)?.at ?? Infinity) - killedAt;
      report('socket SIGKILL → question closed early', closedAfterMs);

      // Everyone else's connections go with the other socket process: the game is abandoned.
      await game.host.waitForQuestion(1, 10_000);
      await rig.kill('socket');
      lastKilledAt = Date.now();
      abandonedEnd = await roomWhen(stack, game.code, 'the abandoned game to finish', (v) => v.phase === 'finished', 30_000);
      report(`every socket SIGKILLed → abandoned game finished (ROOM_ABANDONED_SECONDS=${ABANDONED_SECONDS})`, abandonedEnd.at - lastKilledAt);
    },
  );

  it('closes the question early once everyone still connected has answered, within 10 s, long before its deadline', () => {
    expect(closedAfterMs).toBeLessThan(EARLY_CLOSE_WITHIN_MS);
    expect(killedAt).toBeLessThan((question0.deadlineAt ?? 0) - 15_000);
  });

  it('finishes a game everyone left within the abandoned limit plus the presence lease', () => {
    // Offline once the lease ends, then ABANDONED_SECONDS of nobody, seen by a tick (2 s) or the reconciler.
    expect(abandonedEnd.at - lastKilledAt).toBeLessThan((LEASE_SECONDS + ABANDONED_SECONDS + 4) * 1000);
    expect(abandonedEnd.view.questionIndex).toBe(1);
  });

  it('keeps the results of the abandoned game: the answers to question 0', async () => {
    const results = await rig().api.waitForResults(game.gameId, 15_000);

    expect(results.players).toHaveLength(3);
    expect(results.answers.filter((a) => a.questionIndex === 0)).toHaveLength(2);
  });
});
