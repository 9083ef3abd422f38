import { describe, expect, it } from 'vitest';
import { buildAsyncApiDocument } from '../../src/api/docs/asyncapi';
import { RoomClosed } from '../../src/shared/socket-events';
import type { GameResults } from '../../src/store/repos/games.repo';
import type { Game } from '../helpers/game';
import { sleep } from '../helpers/infra';
import type { Frame, RecordingClient } from '../helpers/recording-client';
import { ANSWERING, expectPlayedThrough, faultSuite, report } from './support/faults';

const SETTINGS = { questionCount: 2, questionSeconds: 3, revealSeconds: 1 };
/** Long questions: the game in progress is still on its first question when Redis loses everything. */
const RUNNING = { questionCount: 2, questionSeconds: 20, revealSeconds: 1 };
/** How often the socket processes check that their rooms' records exist (SOCKET_LOST_ROOM_CHECK_MS). */
const CHECK_MS = 500;
/** The longest a client may wait, after the flush, to be told its room is gone. */
const TOLD_WITHIN_MS = 5_000;

type Closed = Extract<Frame, { event: 'room:closed' }>;
const isClosed = (f: Frame): f is Closed => f.event === 'room:closed';

/** What each client saw after the flush: its `room:closed` (or none within the bound), and whether it was let go. */
interface Told {
  label: string;
  closed: Closed | null;
  afterMs: number;
  disconnected: boolean;
  framesAfterClose: number;
}

async function toldGone(clients: RecordingClient[], since: number): Promise<Told[]> {
  return Promise.all(
    clients.map(async (c) => {
      const closed = await c.waitFor('room:closed after the flush', (f): f is Closed => isClosed(f) && f.at >= since, TOLD_WITHIN_MS).catch(() => null);
      // The server hangs up right after: give the disconnect a moment to arrive.
      if (closed) await c.waitFor('the server hanging up', (f) => f.event === 'client:disconnect' && f.at >= closed.at, 2_000).catch(() => null);
      const after = closed ? c.frames.slice(c.frames.indexOf(closed) + 1) : [];
      return {
        label: c.label,
        closed,
        afterMs: closed ? closed.at - since : Number.POSITIVE_INFINITY,
        disconnected: c.socket.disconnected,
        framesAfterClose: after.filter((f) => !f.event.startsWith('client:')).length,
      };
    }),
  );
}

describe('when Redis loses everything (FLUSHALL, as a restart without persistence would)', () => {
  let ended: Game;
  let lobby: Game;
  let running: Game;
  let runningTold: Told[];
  let lobbyTold: Told[];
  let roomAfterFlush: number;
  let game: Game;
  let results: GameResults;
  let lobbyAfterMs = 0;
  let readyAfter: { status: number; body: unknown }[];

  // A Redis of its own: FLUSHALL takes every namespace with it.
  const rig = faultSuite('redis-flush', { ownRedis: true, env: { SOCKET_LOST_ROOM_CHECK_MS: String(CHECK_MS) } }, async (rig) => {
    // A game that ended normally, its clients still connected: its record's expiry later is no loss.
    ended = await rig.playGame({ questionCount: 1, questionSeconds: 3, revealSeconds: 1 }, { everyoneAnswers: true });
    await rig.finished(ended);
    // A room in its lobby, and a game on its first question.
    lobby = await rig.openGame(SETTINGS, 1);
    running = await rig.playGame(RUNNING);
    await Promise.all(running.clients().map((c) => c.waitForQuestion(0)));
    await sleep(1000);

    // The stream and its consumer group exist (rooms were made), then are lost with the rooms.
    await rig.redis?.flushall();
    const flushedAt = Date.now();
    [runningTold, lobbyTold] = await Promise.all([toldGone(running.clients(), flushedAt), toldGone(lobby.clients(), flushedAt)]);
    report('Redis FLUSHALL → the last client of a running game told it is lost', Math.max(...runningTold.map((t) => t.afterMs)));
    roomAfterFlush = (await rig.api.request('GET', `/rooms/${running.code}`)).status;

    const newRoomFrom = Date.now();
    game = await rig.playGame(SETTINGS);
    lobbyAfterMs = Date.now() - newRoomFrom;
    report('Redis FLUSHALL → a new room reached its lobby', lobbyAfterMs);
    results = await rig.finished(game);
    readyAfter = await Promise.all(
      [rig.stack.workerUrl, rig.stack.worker2Url].map(async (url) => {
        const ready = await fetch(`${url}/ready`);
        return { status: ready.status, body: await ready.json() };
      }),
    );
  });

  describe('and a game was on its first question', () => {
    it(`tells the host and every player, within ${TOLD_WITHIN_MS / 1000} s, that the room is lost, with a message to show`, () => {
      expect(runningTold).toHaveLength(1 + ANSWERING + 1);
      for (const told of runningTold) {
        expect(told.closed?.payload, told.label).toMatchObject({ reason: 'lost', gameId: running.gameId, message: expect.stringMatching(/lost/) });
        expect(told.afterMs, told.label).toBeLessThan(TOLD_WITHIN_MS);
      }
      expect(roomAfterFlush).toBe(404);
    });

    it('then closes their connections, and sends nothing after', () => {
      for (const told of runningTold) {
        expect(told.disconnected, told.label).toBe(true);
        expect(told.framesAfterClose, told.label).toBe(0);
      }
    });

    it('sends a close the AsyncAPI document and the typed contract describe', () => {
      const documented = JSON.stringify(buildAsyncApiDocument().components.schemas.RoomClosed);
      expect(documented).toContain('"lost"');
      for (const told of runningTold) expect(RoomClosed.safeParse(told.closed?.payload).success, told.label).toBe(true);
    });
  });

  it('tells the clients of a room in its lobby the same', () => {
    for (const told of lobbyTold) {
      expect(told.closed?.payload, told.label).toMatchObject({ reason: 'lost', gameId: lobby.gameId });
      expect(told.disconnected, told.label).toBe(true);
    }
  });

  it('does not tell the clients of a game that had ended that it was lost', () => {
    for (const client of ended.clients()) {
      expect(
        client.frames.filter(isClosed).map((f) => f.payload.reason),
        client.label,
      ).toEqual(['finished']);
    }
  });

  it('creates the events consumer group again, without a worker restart', () => {
    expect(rig().stack.logs(undefined, 10_000)).toMatch(/the events consumer group is gone; creating it again/);
    expect(lobbyAfterMs).toBeLessThan(10_000);
  });

  it('plays a new game through, with every question in order and every score saved', () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount);
  });

  it('is ready again, with no event left unread', () => {
    for (const ready of readyAfter) {
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ checks: { events: 'ok' } });
    }
  });
});
