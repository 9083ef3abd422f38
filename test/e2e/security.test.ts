import jwt from 'jsonwebtoken';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from '../../src/shared/webhooks';
import type { CreatedRoom } from '../helpers/api-client';
import { RecordingClient } from '../helpers/recording-client';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const SETTINGS = { questionCount: 1, questionSeconds: 10, revealSeconds: 1 };
const base64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const BAD_TOKENS = ['garbage', 'expired', 'signed with another secret', 'unsigned (alg: none)', 'signed with HS512, not the pinned HS256'] as const;
type BadToken = (typeof BAD_TOKENS)[number];

describe('who the api and the socket let in', () => {
  let stack: Stack;
  let userToken: string;
  let roomA: CreatedRoom;
  let roomB: CreatedRoom;
  let player: { playerId: string; token: string };

  /** Tokens that must be refused everywhere: every way a token can be bad. */
  let badTokens: Record<BadToken, string>;

  beforeAll(async () => {
    stack = await Stack.start('security');
    ({ token: userToken } = await stack.api.registerHost('Hosty'));
    roomA = await stack.api.createRoom(userToken, SETTINGS);
    roomB = await stack.api.createRoom(userToken, SETTINGS);
    await Promise.all([stack.api.waitForLobby(roomA.code), stack.api.waitForLobby(roomB.code)]);
    player = await stack.api.join(roomA.code, 'Pat');

    const claims = { kind: 'player', sub: player.playerId, name: 'Pat', room: roomA.code };
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    badTokens = {
      garbage: 'not-a-token',
      expired: jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, stack.jwtSecret, { algorithm: 'HS256' }),
      'signed with another secret': jwt.sign(claims, 'some-other-secret-of-16+-chars', { algorithm: 'HS256', expiresIn: '1h' }),
      'unsigned (alg: none)': `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, exp: inAnHour })}.`,
      'signed with HS512, not the pinned HS256': jwt.sign(claims, stack.jwtSecret, { algorithm: 'HS512', expiresIn: '1h' }),
    };
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    await stack?.stop();
  });

  describe('the internal webhooks', () => {
    const advance = (code: string, body: object, headers: Record<string, string> = {}) =>
      stack.api.request<{ code: string; detail: string }>('POST', `/internal/rooms/${code}/advance`, { rawBody: JSON.stringify(body), headers });
    const signed = (body: object, secret = stack.webhookSecret, timestamp = Date.now(), code = roomA.code) => ({
      [SIGNATURE_HEADER]: signWebhook(secret, { method: 'POST', path: `/internal/rooms/${code}/advance`, timestamp, body: JSON.stringify(body) }),
      [TIMESTAMP_HEADER]: String(timestamp),
    });

    it('refuse an unsigned request with 401 problem+json', async () => {
      const res = await advance(roomA.code, { version: roomA.room.version + 1 });

      expect(res.status).toBe(401);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED', detail: expect.stringContaining('signed') });
    });

    it('refuse a request signed with another secret, or too long ago', async () => {
      const body = { version: 2 };

      const forged = await advance(roomA.code, body, signed(body, 'an-attackers-guess-at-the-secret'));
      const replayed = await advance(roomA.code, body, signed(body, stack.webhookSecret, Date.now() - 10 * 60_000));

      expect([forged.status, replayed.status]).toEqual([401, 401]);
      expect(forged.contentType).toMatch(/^application\/problem\+json/);
    });

    it('refuse a call signed for one room replayed against another: the path is signed', async () => {
      const before = await stack.api.room(roomB.code);
      const body = { version: before.version };

      const replayed = await advance(roomB.code, body, signed(body, stack.webhookSecret, Date.now(), roomA.code));

      expect(replayed.status).toBe(401);
      expect(replayed.body.detail).toMatch(/signature does not match/);
      expect((await stack.api.room(roomB.code)).version).toBe(before.version);
    });

    it('answer a validly signed but stale request with 409 and change nothing', async () => {
      const before = await stack.api.room(roomA.code);
      const body = { version: before.version - 1 };

      const res = await advance(roomA.code, body, signed(body));

      expect(res.status).toBe(409);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'STALE_VERSION' });
      const after = await stack.api.room(roomA.code);
      expect({ phase: after.phase, version: after.version }).toEqual({ phase: 'lobby', version: before.version });
    });
  });

  describe('the socket', () => {
    it('admits a valid player token (so the refusals below are about the token)', async () => {
      const client = await RecordingClient.connect(stack.socketUrl, player.token, 'Pat');
      try {
        await expect(client.waitForPhase('lobby')).resolves.toMatchObject({ code: roomA.code });
      } finally {
        client.close();
      }
    });

    describe('when the same player connects a second time', () => {
      it('closes the first connection as replaced and gives the second the current view and player state at once', async () => {
        const first = await RecordingClient.connect(stack.socketUrl, player.token, 'Pat (first tab)');
        await first.waitForPhase('lobby');

        const second = await RecordingClient.connect(stack.socketUrl, player.token, 'Pat (second tab)');
        try {
          await expect(first.waitFor('room:closed', (f) => f.event === 'room:closed')).resolves.toMatchObject({ payload: { reason: 'replaced' } });
          await expect.poll(() => first.socket.connected).toBe(false);
          await expect(second.waitForPhase('lobby')).resolves.toMatchObject({ code: roomA.code });
          await expect(second.waitFor('room:you', (f) => f.event === 'room:you')).resolves.toMatchObject({
            payload: { playerId: player.playerId, nickname: 'Pat', score: 0 },
          });
          expect(second.frames.some((f) => f.event === 'room:closed')).toBe(false);
        } finally {
          first.close();
          second.close();
        }
      });
    });

    describe('when a client sends a request the moment its connection opens', () => {
      // A client that reconnects typically re-syncs (or re-sends a pending answer) in its `connect` handler.
      it('acknowledges it rather than dropping it', async () => {
        const outcomes: string[] = [];
        for (let i = 0; i < 5; i++) {
          const { token } = await stack.api.join(roomA.code, `Eager ${i}`);
          const socket = io(stack.socketUrl, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
          try {
            const ack = await new Promise<string>((resolve) => {
              socket.once('connect', () => {
                const sync = socket.timeout(3000).emitWithAck('room:sync');
                const answer = socket.timeout(3000).emitWithAck('answer:submit', { questionIndex: 0, choice: 0 });
                Promise.all([sync, answer]).then(
                  ([s, a]) => resolve(`sync ${s.ok ? 'ok' : s.error.code}, answer ${a.ok ? 'ok' : a.error.code}`),
                  (err: Error) => resolve(`no ack: ${err.message}`),
                );
              });
              socket.once('connect_error', (err) => resolve(`refused: ${err.message}`));
            });
            outcomes.push(ack);
          } finally {
            socket.close();
          }
        }

        expect(outcomes).toEqual(Array(5).fill('sync ok, answer NOT_ACCEPTING_ANSWERS'));
      });
    });

    it('refuses a connection without a token', async () => {
      const refusal = await RecordingClient.refusal(stack.socketUrl, undefined);

      expect(refusal).toMatchObject({ message: expect.stringContaining('token'), data: { code: 'UNAUTHORIZED' } });
    });

    it.each(BAD_TOKENS)('refuses a token that is %s, with UNAUTHORIZED and a message', async (kind) => {
      const refusal = await RecordingClient.refusal(stack.socketUrl, badTokens[kind]);

      expect(refusal).toEqual({
        message: 'The token is invalid or has expired.',
        data: { code: 'UNAUTHORIZED', message: 'The token is invalid or has expired.' },
      });
    });

    it('refuses an account token: only room tokens join games', async () => {
      const refusal = await RecordingClient.refusal(stack.socketUrl, userToken);

      expect(refusal).toMatchObject({ data: { code: 'FORBIDDEN', message: expect.any(String) } });
    });

    it("refuses a token naming another room than the player's own", async () => {
      const elsewhere = jwt.sign({ kind: 'player', sub: player.playerId, name: 'Pat', room: roomB.code }, stack.jwtSecret, { expiresIn: '1h' });

      const refusal = await RecordingClient.refusal(stack.socketUrl, elsewhere);

      expect(refusal).toMatchObject({ data: { code: 'NOT_A_PLAYER', message: expect.any(String) } });
    });

    it('refuses a host token naming a room its holder does not host', async () => {
      const { token: otherUser } = await stack.api.registerHost('Other');
      const otherRoom = await stack.api.createRoom(otherUser, SETTINGS);
      const claims = jwt.decode(roomA.hostToken) as { sub: string; name: string };
      const forged = jwt.sign({ kind: 'host', sub: claims.sub, name: claims.name, room: otherRoom.code }, stack.jwtSecret, { expiresIn: '1h' });

      const refusal = await RecordingClient.refusal(stack.socketUrl, forged);

      expect(refusal).toMatchObject({ data: { code: 'FORBIDDEN', message: expect.any(String) } });
    });

    it('refuses a token for a room that does not exist', async () => {
      const token = jwt.sign({ kind: 'player', sub: 'p_x', name: 'X', room: 'ZZZZZZ' }, stack.jwtSecret, { expiresIn: '1h' });

      const refusal = await RecordingClient.refusal(stack.socketUrl, token);

      expect(refusal).toMatchObject({ data: { code: 'ROOM_NOT_FOUND' } });
    });
  });

  describe('the REST api', () => {
    it.each(BAD_TOKENS)('refuses to create a room with a token that is %s: 401 problem+json', async (kind) => {
      const res = await stack.api.request('POST', '/rooms', { token: badTokens[kind], body: SETTINGS });

      expect(res.status).toBe(401);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'UNAUTHORIZED' });
    });

    it('refuses to start a room with a bad token, a player token, or the host token of another room', async () => {
      const statuses = [];
      for (const token of Object.values(badTokens)) statuses.push((await stack.api.request('POST', `/rooms/${roomB.code}/start`, { token })).status);
      const asPlayer = await stack.api.request('POST', `/rooms/${roomA.code}/start`, { token: player.token });
      const otherRoomsHost = await stack.api.request('POST', `/rooms/${roomB.code}/start`, { token: roomA.hostToken });

      expect(statuses).toEqual(BAD_TOKENS.map(() => 401));
      expect(asPlayer).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
      expect(otherRoomsHost).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
      expect((await stack.api.room(roomA.code)).phase).toBe('lobby');
      expect((await stack.api.room(roomB.code)).phase).toBe('lobby');
    });

    it('lets the real host start the room', async () => {
      const { version } = await stack.api.room(roomB.code);
      const res = await stack.api.request('POST', `/rooms/${roomB.code}/start`, { token: roomB.hostToken, body: { version } });

      expect(res).toMatchObject({ status: 200, body: { phase: 'question', questionIndex: 0 } });
    });
  });
});
