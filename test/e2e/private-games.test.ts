import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import type { HttpResult } from '../helpers/api-client';
import { RecordingClient } from '../helpers/recording-client';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const SETTINGS = { questionCount: 1, questionSeconds: 3, revealSeconds: 1 };

function expectProblem(res: HttpResult, status: number, code: string): string {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.contentType).toContain('application/problem+json');
  const body = res.body as { code: string; detail: string };
  expect(body.code).toBe(code);
  return body.detail;
}

describe('private results and private rooms, through separate api, worker and socket processes', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start('private-games', undefined, { env: { RATE_LIMIT_PASSPHRASE_ADDRESS: '3/60' } });
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    await stack?.stop();
  });

  describe("when a game's results are private (the default)", () => {
    let host: { token: string; userId: string };
    let ann: { token: string; userId: string };
    let stranger: { token: string };
    let hostToken: string;
    let guestToken: string;
    let gameId: string;

    beforeAll(async () => {
      host = await stack.api.registerHost('Results Host');
      ann = await stack.api.registerHost('Ann');
      stranger = await stack.api.registerHost('Stranger');
      const room = await stack.api.createRoom(host.token, SETTINGS);
      ({ gameId, hostToken } = room);
      await stack.api.waitForLobby(room.code);
      const annJoined = await stack.api.request<{ token: string }>('POST', `/rooms/${room.code}/players`, { token: ann.token, body: { nickname: 'Ann' } });
      expect(annJoined.status).toBe(201);
      guestToken = (await stack.api.join(room.code, 'Guest')).token;
      const guest = await RecordingClient.connect(stack.socketUrl, guestToken, 'guest');
      try {
        await stack.api.start(room.code, hostToken);
        await guest.waitForPhase('finished', undefined, 30_000);
      } finally {
        guest.close();
      }
      await stack.api.waitForResults(gameId, 30_000);
    }, 60_000);

    const read = (token?: string, csv = false) => stack.api.request('GET', `/games/${gameId}/results${csv ? '.csv' : ''}`, { token });

    it('the host reads them, as JSON and CSV, with their account or their host token', async () => {
      for (const token of [host.token, hostToken]) {
        expect((await read(token)).status).toBe(200);
        const csv = await read(token, true);
        expect(csv.status).toBe(200);
        expect(csv.contentType).toContain('text/csv');
      }
    });

    it('a player of the game reads them: by the account they joined under, or the player token they played with', async () => {
      for (const token of [ann.token, guestToken]) {
        expect((await read(token)).status).toBe(200);
        expect((await read(token, true)).status).toBe(200);
      }
    });

    it('a stranger and an anonymous caller are refused with 403 RESULTS_PRIVATE, JSON and CSV alike', async () => {
      for (const csv of [false, true]) {
        expect(expectProblem(await read(stranger.token, csv), 403, 'RESULTS_PRIVATE')).toMatch(/private to the game's host, its players and admins/);
        expect(expectProblem(await read(undefined, csv), 403, 'RESULTS_PRIVATE')).toMatch(/send the host's, a player's or your account's token/);
      }
    });

    it('only the host may make them public: a stranger or a player is refused, and nothing changes', async () => {
      for (const token of [stranger.token, ann.token, guestToken]) {
        expectProblem(await stack.api.request('PUT', `/games/${gameId}/visibility`, { token, body: { resultsPublic: true } }), 403, 'FORBIDDEN');
      }
      expectProblem(await stack.api.request('PUT', `/games/${gameId}/visibility`, { body: { resultsPublic: true } }), 401, 'UNAUTHORIZED');
      expectProblem(await read(), 403, 'RESULTS_PRIVATE');
    });

    it('once the host makes them public everyone reads them; made private again, strangers are refused again', async () => {
      const made = await stack.api.request('PUT', `/games/${gameId}/visibility`, { token: host.token, body: { resultsPublic: true } });
      expect(made).toMatchObject({ status: 200, body: { gameId, resultsPublic: true } });

      for (const token of [undefined, stranger.token]) {
        expect((await read(token)).status).toBe(200);
        expect((await read(token, true)).status).toBe(200);
      }

      await stack.api.request('PUT', `/games/${gameId}/visibility`, { token: hostToken, body: { resultsPublic: false } });
      expectProblem(await read(), 403, 'RESULTS_PRIVATE');
    });

    it('an unknown game is a 404 for anyone, so nothing is learnt from a refusal', async () => {
      expectProblem(await stack.api.request('GET', '/games/00000000-0000-4000-8000-000000000000/results'), 404, 'NOT_FOUND');
    });
  });

  it('a room created with resultsPublic has results anyone may read', async () => {
    const host = await stack.api.registerHost('Open Host');
    const room = await stack.api.createRoom(host.token, { ...SETTINGS, resultsPublic: true });
    await stack.api.waitForLobby(room.code);
    const guest = await RecordingClient.connect(stack.socketUrl, (await stack.api.join(room.code, 'Guest')).token, 'guest');
    try {
      await stack.api.start(room.code, room.hostToken);
      await guest.waitForPhase('finished', undefined, 30_000);
    } finally {
      guest.close();
    }
    await stack.api.waitForResults(room.gameId, 30_000);

    expect((await stack.api.request('GET', `/games/${room.gameId}/results`)).status).toBe(200);
    expect((await stack.api.request('GET', `/games/${room.gameId}/results.csv`)).status).toBe(200);
  }, 60_000);

  describe('when a host sets a join passphrase', () => {
    const PASSPHRASE = 'open sesame 42';
    let code: string;
    let created: unknown;

    beforeAll(async () => {
      const host = await stack.api.registerHost('Private Host');
      const res = await stack.api.request<{ code: string }>('POST', '/rooms', { token: host.token, body: { ...SETTINGS, passphrase: PASSPHRASE } });
      expect(res.status).toBe(201);
      created = res.body;
      code = res.body.code;
      await stack.api.waitForLobby(code);
    }, 30_000);

    const join = (nickname: string, passphrase?: string) =>
      stack.api.request<{ token: string }>('POST', `/rooms/${code}/players`, { body: { nickname, passphrase } });

    it('the room view says only that a passphrase is needed, never the passphrase or its hash', async () => {
      const view = await stack.api.room(code);

      expect(view.passphraseRequired).toBe(true);
      for (const shown of [view, created]) expect(JSON.stringify(shown)).not.toMatch(/sesame|scrypt/);
    });

    it('a join without the passphrase is refused with 403 PASSPHRASE_REQUIRED, and nobody is added', async () => {
      expect(expectProblem(await join('NoPass'), 403, 'PASSPHRASE_REQUIRED')).toMatch(/private/);
      expect((await stack.api.room(code)).playerCount).toBe(0);
    });

    it('a wrong passphrase is refused with 403 WRONG_PASSPHRASE; the right one joins and the player connects', async () => {
      expectProblem(await join('Guesser', 'open sesame 41'), 403, 'WRONG_PASSPHRASE');
      expect((await stack.api.room(code)).playerCount).toBe(0);

      const joined = await join('Friend', PASSPHRASE);
      expect(joined.status).toBe(201);
      const client = await RecordingClient.connect(stack.socketUrl, joined.body.token, 'friend');
      try {
        const view: RoomView = await client.waitForPhase('lobby');
        expect(view.playerCount).toBe(1);
      } finally {
        client.close();
      }
    });

    it('wrong guesses from one address are limited per room (RATE_LIMIT_PASSPHRASE_ADDRESS=3/60): then even the right one waits, with 429 and Retry-After', async () => {
      // One wrong guess was made above; two more spend the budget of 3.
      for (const guess of ['sesame', 'open sesame']) expectProblem(await join('Guesser', guess), 403, 'WRONG_PASSPHRASE');

      const limited = await stack.api.request('POST', `/rooms/${code}/players`, { body: { nickname: 'Late', passphrase: PASSPHRASE } });
      expect(expectProblem(limited, 429, 'RATE_LIMITED')).toMatch(/wrong passphrases for this room/);
      const retry = await fetch(`${stack.apiUrl}/rooms/${code}/players`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ nickname: 'Late', passphrase: PASSPHRASE }),
      });
      expect(Number(retry.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await stack.api.room(code)).playerCount).toBe(1);
    });

    it('wrong guesses sent all at once get at most the limit through, the rest 429; then even the right one waits', async () => {
      const host = await stack.api.registerHost('Burst Host');
      const room = await stack.api.request<{ code: string }>('POST', '/rooms', { token: host.token, body: { ...SETTINGS, passphrase: PASSPHRASE } });
      await stack.api.waitForLobby(room.body.code);
      const joinBurst = (nickname: string, passphrase: string) =>
        stack.api.request<{ code?: string }>('POST', `/rooms/${room.body.code}/players`, { body: { nickname, passphrase } });

      const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => joinBurst(`Guesser ${i}`, `guess ${i}`)));
      const right = await joinBurst('Late', PASSPHRASE);

      const tally: Record<string, number> = {};
      for (const r of burst) {
        const key = `${r.status} ${r.body.code}`;
        tally[key] = (tally[key] ?? 0) + 1;
      }
      expect(tally).toEqual({ '403 WRONG_PASSPHRASE': 3, '429 RATE_LIMITED': 27 });
      expect(expectProblem(right, 429, 'RATE_LIMITED')).toMatch(/wrong passphrases for this room from your address: at most 3 in 60 s/);
      expect((await stack.api.room(room.body.code)).playerCount).toBe(0);
    });

    it('the limit is per room: the same address still joins another private room', async () => {
      const host = await stack.api.registerHost('Other Host');
      const other = await stack.api.request<{ code: string }>('POST', '/rooms', { token: host.token, body: { ...SETTINGS, passphrase: 'another one' } });
      await stack.api.waitForLobby(other.body.code);

      const joined = await stack.api.request('POST', `/rooms/${other.body.code}/players`, { body: { nickname: 'Friend', passphrase: 'another one' } });

      expect(joined.status).toBe(201);
    });

    it('a passphrase shorter than 4 characters is refused at creation with a 400 naming the field', async () => {
      const host = await stack.api.registerHost('Short Host');
      const res = await stack.api.request('POST', '/rooms', { token: host.token, body: { ...SETTINGS, passphrase: 'abc' } });

      expectProblem(res, 400, 'BAD_REQUEST');
      expect(JSON.stringify(res.body)).toContain('passphrase');
    });

    it('a room without a passphrase says so, and joins need none', async () => {
      const host = await stack.api.registerHost('Open Room Host');
      const room = await stack.api.createRoom(host.token, SETTINGS);

      expect(room.room.passphraseRequired).toBe(false);
      expect((await stack.api.request('POST', `/rooms/${room.code}/players`, { body: { nickname: 'Anyone' } })).status).toBe(201);
    });
  });
});
