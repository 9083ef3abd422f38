import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import type { HttpResult } from '../helpers/api-client';
import { RecordingClient } from '../helpers/recording-client';
import { stackSuite } from '../helpers/stack';

const SETTINGS = { questionCount: 1, questionSeconds: 4, revealSeconds: 1 };
const PASSWORD = 'correct horse battery';

const stack = stackSuite('host-token-revocation', {}, async () => undefined);

function expectRefusedAsOld(res: HttpResult): void {
  expect(res.status, JSON.stringify(res.body)).toBe(401);
  expect(res.contentType).toContain('application/problem+json');
  expect(res.body).toMatchObject({ code: 'UNAUTHORIZED', detail: expect.stringMatching(/password changed.*POST \/rooms\/\w+\/host-token/) });
}

describe("when a host changes their password while their room's lobby is open", () => {
  let code: string;
  let gameId: string;
  let oldHostToken: string;
  let newUserToken: string;
  let oldUserToken: string;
  let startWithOld: HttpResult;
  let kickWithOld: HttpResult;
  let socketWithOld: Awaited<ReturnType<typeof RecordingClient.refusal>>;
  let player: RecordingClient;
  let playerId: string;
  const clients: RecordingClient[] = [];

  beforeAll(async () => {
    const { api } = stack();
    const host = await api.registerHost('Changer');
    oldUserToken = host.token;
    ({ code, gameId, hostToken: oldHostToken } = await api.createRoom(host.token, SETTINGS));
    await api.waitForLobby(code);
    // The host screen, connected before the change.
    clients.push(await RecordingClient.connect(stack().socketUrl, oldHostToken, 'host'));
    const joined = await api.join(code, 'Guest');
    playerId = joined.playerId;
    player = await RecordingClient.connect(stack().socketUrl, joined.token, 'guest');
    clients.push(player);
    await player.waitForPhase('lobby');

    const changed = await api.request<{ token: string }>('POST', '/me/password', {
      token: host.token,
      body: { currentPassword: PASSWORD, newPassword: 'a brand new secret' },
    });
    expect(changed.status).toBe(200);
    newUserToken = changed.body.token;

    const version = (await api.room(code)).version;
    startWithOld = await api.request('POST', `/rooms/${code}/start`, { token: oldHostToken, body: { version } });
    kickWithOld = await api.request('DELETE', `/rooms/${code}/players/${playerId}`, { token: oldHostToken });
    socketWithOld = await RecordingClient.refusal(stack().socketUrl, oldHostToken);
  });

  afterAll(() => {
    for (const c of clients) c.close();
  });

  it("refuses the room's older host token for its controls, 401, and changes nothing", async () => {
    expectRefusedAsOld(startWithOld);
    expectRefusedAsOld(kickWithOld);
    const room = await stack().api.room(code);
    expect(room.phase).toBe('lobby');
    expect(room.playerCount).toBe(1);
  });

  it('refuses a new host screen with the older host token at the socket', () => {
    expect(socketWithOld).not.toBe('connected');
    expect(socketWithOld).toMatchObject({ data: { code: 'UNAUTHORIZED', message: expect.stringMatching(/password changed/) } });
  });

  it('gives a new host token only to the account that made the room, with its current user token', async () => {
    const { api } = stack();
    const other = await api.registerHost('Someone else');
    const withOld = await api.request('POST', `/rooms/${code}/host-token`, { token: oldUserToken });
    const byOther = await api.request('POST', `/rooms/${code}/host-token`, { token: other.token });
    const withHostToken = await api.request('POST', `/rooms/${code}/host-token`, { token: oldHostToken });
    const noRoom = await api.request('POST', '/rooms/ZZZZZZ/host-token', { token: newUserToken });

    expect(withOld.status).toBe(401);
    expect(byOther.status).toBe(403);
    expect(withHostToken.status).toBe(403);
    expect(noRoom.status).toBe(404);
    for (const res of [withOld, byOther, withHostToken, noRoom]) expect(res.contentType).toContain('application/problem+json');
  });

  it('lets the host go on with the new host token: the screen connects, the game starts and plays through', async () => {
    const { api } = stack();
    const reissued = await api.request<{ code: string; hostToken: string }>('POST', `/rooms/${code}/host-token`, { token: newUserToken });
    expect(reissued.status).toBe(200);
    expect(reissued.body.code).toBe(code);
    const hostToken = reissued.body.hostToken;

    clients.push(await RecordingClient.connect(stack().socketUrl, hostToken, 'host again'));
    const started: RoomView = await api.start(code, hostToken);
    const finished = await player.waitForPhase('finished', undefined, 30_000);

    expect(started.phase).toBe('question');
    expect(finished.phase).toBe('finished');
    expect((await api.waitForResults(gameId, 30_000, hostToken)).game.id).toBe(gameId);
    expect((await api.request('POST', `/rooms/${code}/again`, { token: hostToken })).status).toBe(201);
  });

  it("refuses the older host token for the game's private results and their visibility too", async () => {
    const { api } = stack();
    await api.waitForResults(gameId, 30_000, newUserToken);

    expectRefusedAsOld(await api.request('GET', `/games/${gameId}/results`, { token: oldHostToken }));
    expectRefusedAsOld(await api.request('GET', `/games/${gameId}/results.csv`, { token: oldHostToken }));
    expectRefusedAsOld(await api.request('PUT', `/games/${gameId}/visibility`, { token: oldHostToken, body: { resultsPublic: true } }));
    expect((await api.request('GET', `/games/${gameId}/results`)).status).toBe(403);
  });
});
