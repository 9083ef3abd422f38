import { describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import type { Game, Player } from '../helpers/game';
import { RecordingClient } from '../helpers/recording-client';
import { faultSuite, report, roomWhen } from './support/faults';

/** Long questions: an early close is told apart from the deadline by many seconds. */
const SETTINGS = { questionCount: 3, questionSeconds: 30, revealSeconds: 1 };
const LEASE_SECONDS = 6;
const ABANDONED_SECONDS = 3;
/** Clients that notice a silent server after 1 + 5 s (the least timeout allowed). */
const PING_INTERVAL_MS = 1000;
const PING_TIMEOUT_MS = 5000;
/**
 * A dead socket process's players count until they could have reconnected elsewhere: the lease, then the
 * clients' ping interval and timeout and 5 s for their reconnection (a stalled process looks the same).
 */
const COUNTED_MS = LEASE_SECONDS * 1000 + PING_INTERVAL_MS + PING_TIMEOUT_MS + 5000;
/** Then the next tick (every second) closes the question; the rest is slack for a loaded machine. */
const EARLY_CLOSE_WITHIN_MS = COUNTED_MS + 3000;

describe('when a socket process is killed (SIGKILL) with players on it', () => {
  let game: Game;
  let killedAt = 0;
  let closedAfterMs = 0;
  let question0: RoomView;
  let abandonedEnd: { view: RoomView; at: number };
  let lastKilledAt = 0;

  const rig = faultSuite(
    'socket-killed',
    {
      env: {
        PRESENCE_LEASE_SECONDS: String(LEASE_SECONDS),
        ROOM_ABANDONED_SECONDS: String(ABANDONED_SECONDS),
        SOCKET_PING_INTERVAL_MS: String(PING_INTERVAL_MS),
        SOCKET_PING_TIMEOUT_MS: String(PING_TIMEOUT_MS),
      },
    },
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
      const reveal = await game.host.waitForPhase('reveal', 0, 30_000);
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

  it('closes the question early once everyone still connected has answered and the dead process’s players had time to come back', () => {
    expect(closedAfterMs).toBeGreaterThanOrEqual(COUNTED_MS - LEASE_SECONDS * 1000);
    expect(closedAfterMs).toBeLessThan(EARLY_CLOSE_WITHIN_MS);
    expect(killedAt + closedAfterMs).toBeLessThan((question0.deadlineAt ?? 0) - 5000);
  });

  it('finishes a game everyone left within the abandoned limit once their presence has ended', () => {
    // Offline once the lease and the reconnection time end, then ABANDONED_SECONDS of nobody, seen by a tick or the reconciler.
    expect(abandonedEnd.at - lastKilledAt).toBeLessThan(COUNTED_MS + (ABANDONED_SECONDS + 4) * 1000);
    expect(abandonedEnd.view.questionIndex).toBe(1);
  });

  it('keeps the results of the abandoned game: the answers to question 0', async () => {
    const results = await rig().api.waitForResults(game.gameId, 15_000);

    expect(results.players).toHaveLength(3);
    expect(results.answers.filter((a) => a.questionIndex === 0)).toHaveLength(2);
  });
});
