import { describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import type { GameResults } from '../../src/store/repos/games.repo';
import type { HttpResult } from '../helpers/api-client';
import type { Game } from '../helpers/game';
import { expectPlayedThrough, faultSuite, report, roomWhen } from './support/faults';

const BUILDING_SECONDS = 4;
const SETTINGS = { questionCount: 3, questionSeconds: 3, revealSeconds: 1 };

describe('when PostgreSQL is unreachable while a room prepares its questions', () => {
  let failed: { view: RoomView; at: number };
  let createdAt = 0;
  let later: RoomView;
  let afterwards: RoomView;
  let retried: HttpResult<RoomView>;
  let retryAgain: HttpResult;
  let game: Game;
  let results: GameResults;
  let joinedWhileDown: HttpResult<{ playerId: string }>;
  let joinMs = 0;

  const rig = faultSuite(
    'pg-prepare',
    { postgresProxy: true, env: { ROOM_BUILDING_SECONDS: String(BUILDING_SECONDS), RECONCILE_EVERY_MS: '1000' } },
    async (rig) => {
      const host = await rig.api.registerHost('Quizmaster');
      const lobby = await rig.api.createRoom(host.token, SETTINGS);
      await rig.api.waitForLobby(lobby.code, 30_000);
      const member = await rig.api.registerHost('Member');
      await rig.postgres?.stop();
      const joinStarted = Date.now();
      joinedWhileDown = await rig.api.request<{ playerId: string }>('POST', `/rooms/${lobby.code}/players`, {
        token: member.token,
        body: { nickname: 'Member' },
      });
      joinMs = Date.now() - joinStarted;
      const room = await rig.api.createRoom(host.token, SETTINGS);
      createdAt = Date.now();
      failed = await roomWhen(rig.stack, room.code, 'the room to fail', (v) => v.phase !== 'building', 30_000);
      report(`PostgreSQL down while preparing → room failed (ROOM_BUILDING_SECONDS=${BUILDING_SECONDS})`, failed.at - createdAt);

      await rig.postgres?.resume();
      later = await rig.api.room(room.code);
      const again = await rig.api.createRoom(host.token, SETTINGS);
      afterwards = await rig.api.waitForLobby(again.code, 30_000);

      // The host retries the failed room: same code and settings, prepared now that PostgreSQL is back, and played.
      const retry = () => rig.api.request<RoomView>('POST', `/rooms/${room.code}/retry`, { token: room.hostToken });
      retried = await retry();
      game = await rig.playGame(SETTINGS, { room, author: host });
      retryAgain = await retry();
      results = await rig.finished(game);
    },
  );

  it('lets a signed-in player join a room while PostgreSQL is away, without waiting for it to come back', () => {
    expect(joinedWhileDown.status).toBe(201);
    expect(joinedWhileDown.body.playerId).toEqual(expect.any(String));
    expect(joinMs).toBeLessThan(5000);
  });

  it('fails the room, past the building limit, with a reason the host is shown', () => {
    expect(failed.view.phase).toBe('failed');
    expect(failed.view.failureReason).toMatch(/could not be prepared within 4 s|could not be read/);
    expect(failed.at - createdAt).toBeGreaterThanOrEqual(BUILDING_SECONDS * 1000 - 500);
    expect(failed.at - createdAt).toBeLessThan((BUILDING_SECONDS + 4) * 1000);
  });

  it('refuses a category no query could take (a NUL) at the door, 400, before any job sees it', async () => {
    const host = await rig().api.registerHost('Poison');
    const res = await rig().api.request('POST', '/rooms', { token: host.token, body: { ...SETTINGS, category: 'Art\u0000' } });

    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/category.*control/);
  });

  it('leaves the failed room failed when PostgreSQL is back, and prepares new rooms', () => {
    expect(later.phase).toBe('failed');
    expect(afterwards.phase).toBe('lobby');
  });

  it("prepares the failed room again at the host's retry, and it plays a game through", () => {
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ code: game.code, phase: 'building', failureReason: null, settings: SETTINGS });
    expectPlayedThrough(game, results, SETTINGS.questionCount);
  });

  it('refuses a retry of a room that has not failed: 409 problem+json, and the game goes on', () => {
    expect(retryAgain.status).toBe(409);
    expect(retryAgain.contentType).toMatch(/application\/problem\+json/);
    expect(retryAgain.body).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(JSON.stringify(retryAgain.body)).toMatch(/cannot retry a room in phase (question|reveal)/);
  });

  describe('a room the host deletes', () => {
    it('refuses the retry of another host, and a delete by someone else, 403', async () => {
      const { api } = rig();
      const room = await rig().openGame(SETTINGS, 1);
      const stranger = await api.registerHost('Stranger');

      const retry = await api.request('POST', `/rooms/${room.code}/retry`, { token: stranger.token });
      const remove = await api.request('DELETE', `/rooms/${room.code}`, { token: stranger.token });

      expect(retry.status).toBe(403);
      expect(remove.status).toBe(403);
      expect((await api.room(room.code)).phase).toBe('lobby');
    });

    it('ends the room, shows its players why, and answers 410 from then on', async () => {
      const { api } = rig();
      const room = await rig().openGame(SETTINGS, 1);
      const player = room.players[0]!.client;

      const removed = await api.request('DELETE', `/rooms/${room.code}`, { token: room.hostToken });
      const closed = await player.waitForPhase('cancelled');
      const read = await api.request('GET', `/rooms/${room.code}`);
      const retry = await api.request('POST', `/rooms/${room.code}/retry`, { token: room.hostToken });
      const join = await api.request('POST', `/rooms/${room.code}/players`, { body: { nickname: 'Late' } });
      const qr = await api.request('GET', `/rooms/${room.code}/qr.svg`);

      expect(removed.status).toBe(204);
      expect(closed.failureReason).toBe('The host deleted this room.');
      expect(read.status).toBe(410);
      expect(read.contentType).toMatch(/application\/problem\+json/);
      expect(read.body).toMatchObject({ code: 'ROOM_DELETED', title: 'Gone' });
      expect(retry.status).toBe(410);
      expect(qr.status).toBe(410);
      expect(join.status).toBeGreaterThanOrEqual(400);
      expect(join.status).toBeLessThan(500);
    });

    it('lets an admin delete it, telling its players so', async () => {
      const { api, stack } = rig();
      const room = await rig().openGame(SETTINGS, 1);
      const admin = await api.registerHost('Admin');
      await stack.grantAdmin(admin.email);
      const signedIn = await api.request<{ token: string }>('POST', '/auth/login', { body: { email: admin.email, password: 'correct horse battery' } });

      const removed = await api.request('DELETE', `/rooms/${room.code}`, { token: signedIn.body.token });

      expect(removed.status).toBe(204);
      expect((await room.players[0]!.client.waitForPhase('cancelled')).failureReason).toBe('An admin deleted this room.');
    });

    it('lets the account that made the room delete it with its user token', async () => {
      const { api } = rig();
      const host = await api.registerHost('Owner');
      const room = await rig().openGame(SETTINGS, 0, { author: host });

      const removed = await api.request('DELETE', `/rooms/${room.code}`, { token: host.token });

      expect(removed.status).toBe(204);
      expect((await api.request('GET', `/rooms/${room.code}`)).status).toBe(410);
    });
  });
});
