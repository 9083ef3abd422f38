import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Game, type Player, openGame } from '../helpers/game';
import { sleep } from '../helpers/infra';
import type { SyncAck } from '../helpers/recording-client';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const BUDGET = { SOCKET_EVENTS_PER_SECOND: '2', SOCKET_EVENT_BURST: '5', SOCKET_REFUSALS_BEFORE_DISCONNECT: '20' };

describe('what one socket may send', () => {
  let stack: Stack;
  let game: Game;
  let [ann, bob, cat, dan]: Player[] = [];

  beforeAll(async () => {
    stack = await Stack.start('socket-budget', undefined, { env: BUDGET });
    game = await openGame(stack, { questionCount: 1, questionSeconds: 20, revealSeconds: 1 }, 4);
    [ann, bob, cat, dan] = game.players as [Player, Player, Player, Player];
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    game?.closeAll();
    await stack?.stop();
  });

  /** Any event with any arguments, as a hostile client sends it; resolves with the ack. */
  const raw = (p: Player, event: string, ...args: unknown[]) =>
    (p.client.socket as unknown as { timeout(ms: number): { emitWithAck(e: string, ...a: unknown[]): Promise<unknown> } })
      .timeout(5_000)
      .emitWithAck(event, ...args);
  const syncs = (p: Player, n: number) =>
    Promise.all(Array.from({ length: n }, () => p.client.socket.timeout(5_000).emitWithAck('room:sync') as Promise<SyncAck>));

  describe('in the lobby', () => {
    it('refuses events past the budget with a RATE_LIMITED ack, answering every one, and takes them again once refilled', async () => {
      const burst = await syncs(ann!, 12);
      await sleep(1_100);
      const later = await ann!.client.sync();

      const ok = burst.filter((a) => a.ok).length;
      expect(ok).toBeGreaterThanOrEqual(5);
      expect(ok).toBeLessThanOrEqual(6);
      for (const refused of burst.filter((a) => !a.ok)) {
        expect(refused).toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/at most 2 a second/) } });
      }
      expect(later.ok).toBe(true);
    });

    it('refuses an unknown event with BAD_REQUEST', async () => {
      const ack = await raw(bob!, 'room:destroy', { all: true });

      expect(ack).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('Unknown event') } });
    });

    it('drops a socket that keeps sending past its budget, and only that one', async () => {
      for (let i = 0; i < 60; i++) dan!.client.socket.emit('room:sync', () => {});
      const dropped = await dan!.client.waitFor('the server dropping the socket', (f) => f.event === 'client:disconnect');

      expect(dropped.payload).toEqual({ reason: 'io server disconnect' });
      expect((await bob!.client.sync()).ok).toBe(true);
    });

    it('refuses the dropped player at the handshake until a budget could refill (2.5 s here), then admits it again', async () => {
      const connectOnce = (token: string) =>
        new Promise<{ ok: true } | { ok: false; data: unknown }>((resolve) => {
          const socket = io(stack.socketUrl, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
          socket.once('connect', () => {
            socket.close();
            resolve({ ok: true });
          });
          socket.once('connect_error', (err) => resolve({ ok: false, data: (err as Error & { data?: unknown }).data }));
        });

      const refused = await connectOnce(dan!.token);
      await sleep(2_600);
      const admitted = await connectOnce(dan!.token);

      expect(refused).toEqual({
        ok: false,
        data: { code: 'RATE_LIMITED', message: expect.stringMatching(/too many events; connect again in \d s/), retryAfter: expect.any(Number) },
      });
      expect(admitted).toEqual({ ok: true });
    });
  });

  describe('while a question is open', () => {
    beforeAll(async () => {
      await stack.api.start(game.code, game.hostToken);
      await cat!.client.waitForQuestion(0);
    });

    it('acks an answer:submit sent with an extra argument', async () => {
      const ack = await raw(cat!, 'answer:submit', { questionIndex: 0, choice: 0 }, 'extra');

      expect(ack).toMatchObject({ ok: true, questionIndex: 0, choice: 0 });
    });

    it("answers a sync with the pushed view of the current version and the player's own answer", async () => {
      const pushed = await bob!.client.waitForQuestion(0);
      const before = await bob!.client.sync();
      await bob!.client.submit(0, 1);
      const after = await bob!.client.sync();

      expect(before).toMatchObject({ ok: true, view: { ...pushed, serverNow: expect.any(Number) }, you: { playerId: bob!.playerId, answer: null } });
      expect(after).toMatchObject({ ok: true, you: { playerId: bob!.playerId, answer: { questionIndex: 0, choice: 1 } } });
    });
  });
});
