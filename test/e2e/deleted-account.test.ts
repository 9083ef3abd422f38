import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/platform/db';
import type { GameResults } from '../../src/store/repos/games.repo';
import { type GameRows, gameRows } from '../helpers/game-rows';
import { infra } from '../helpers/infra';
import { RecordingClient } from '../helpers/recording-client';
import { stackSuite } from '../helpers/stack';

const SETTINGS = { questionCount: 1, questionSeconds: 5, revealSeconds: 1 };
const QUESTION = { category: 'Deleted accounts', difficulty: 'easy', type: 'multiple', text: 'Which one?', choices: ['A', 'B', 'C', 'D'], correct: [0] };

interface Problem {
  code: string;
  detail: string;
}

/** What `.data/` removed or `docker compose down -v` does to an account whose browser keeps its token. */
async function deleteAccount(userId: string): Promise<void> {
  const db = createDb(infra().databaseUrl);
  try {
    await db('users').where({ id: userId }).delete();
  } finally {
    await db.destroy();
  }
}

const stack = stackSuite('deleted-account', {}, async () => undefined);

function expectSignInAgain(res: { status: number; contentType: string; body: unknown }): void {
  expect(res.status).toBe(401);
  expect(res.contentType).toContain('application/problem+json');
  expect(res.body).toMatchObject({ code: 'UNAUTHORIZED', detail: expect.stringMatching(/no longer exists.*sign in again/) });
}

describe('when a valid user token names an account PostgreSQL no longer has', () => {
  let gone: { token: string; userId: string };

  beforeAll(async () => {
    gone = await stack().api.registerHost('Gone');
    await deleteAccount(gone.userId);
  });

  it('refuses to write a question or a category under the account with 401', async () => {
    const question = await stack().api.request<Problem>('POST', '/questions', { token: gone.token, body: QUESTION });
    const category = await stack().api.request<Problem>('POST', '/categories', { token: gone.token, body: { name: 'Gone quiz' } });

    expectSignInAgain(question);
    expectSignInAgain(category);
  });
});

describe('when the host and a signed-in player are deleted after the room was made, before its game is saved', () => {
  let hostToken: string;
  let code: string;
  let gameId: string;
  let ann: { userId: string; playerId: string; token: string };
  let guest: { playerId: string; token: string };
  let results: GameResults;
  let rows: GameRows;
  const clients: RecordingClient[] = [];

  beforeAll(async () => {
    const api = stack().api;
    const host = await api.registerHost('Host');
    ({ hostToken, code, gameId } = await api.createRoom(host.token, SETTINGS));
    await api.waitForLobby(code);
    clients.push(await RecordingClient.connect(stack().socketUrl, hostToken, 'host'));
    const annAccount = await api.registerHost('Ann');
    const annJoined = await api.request<{ playerId: string; token: string }>('POST', `/rooms/${code}/players`, {
      token: annAccount.token,
      body: { nickname: 'Ann' },
    });
    expect(annJoined.status).toBe(201);
    ann = { userId: annAccount.userId, ...annJoined.body };
    guest = await api.join(code, 'Guest');
    for (const [i, token] of [ann.token, guest.token].entries()) {
      const client = await RecordingClient.connect(stack().socketUrl, token, `player ${i}`);
      await client.waitForPhase('lobby');
      client.socket.on('room:view', (view) => {
        if (view.phase === 'question' && view.question) void client.submit(view.questionIndex, i % view.question.choices.length);
      });
      clients.push(client);
    }
    await deleteAccount(host.userId);
    await deleteAccount(ann.userId);

    await api.start(code, hostToken);
    await Promise.all(clients.map((c) => c.waitForPhase('finished', undefined, 30_000)));
    // The host's account is gone, so its host token no longer proves it hosted the game; a player reads the results.
    results = await api.waitForResults(gameId, 30_000, guest.token);
    const db = createDb(infra().databaseUrl);
    try {
      rows = await gameRows(db, gameId);
    } finally {
      await db.destroy();
    }
  }, 90_000);

  afterAll(() => {
    for (const c of clients) c.close();
  });

  it('saves the game with no host account, keeping its players and answers', () => {
    expect(results.game.hostId).toBeNull();
    expect(rows.games).toEqual([expect.objectContaining({ id: gameId, host_id: null })]);
    expect(rows.answers).toHaveLength(2);
    expect(results.answers.map((a) => a.playerId).sort()).toEqual([ann.playerId, guest.playerId].sort());
  });

  it('keeps the deleted player as a player with no account', () => {
    expect(results.players.find((p) => p.playerId === ann.playerId)).toMatchObject({ nickname: 'Ann', userId: null });
    expect(rows.players.map((p) => p.user_id)).toEqual([null, null]);
  });

  it("lets the deleted player's player token still read the results", async () => {
    const res = await stack().api.request<GameResults>('GET', `/games/${gameId}/results`, { token: ann.token });

    expect(res.status).toBe(200);
    expect(res.body.game.id).toBe(gameId);
  });
});
