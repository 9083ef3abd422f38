import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardStanding, GameResultsRead } from '../../src/shared/game-results';
import { RecordingClient } from '../helpers/recording-client';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const SETTINGS = { questionCount: 1, questionSeconds: 3, revealSeconds: 1 };

describe('when a game counts on the leaderboards (LEADERBOARD_MIN_PLAYERS=1)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start('fair-leaderboards', undefined, { env: { LEADERBOARD_MIN_PLAYERS: '1' } });
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    await stack?.stop();
  });

  /**
   * Plays one game to its saved results: each account joins the host's room under its own token.
   * Answers what its results say of the leaderboards, read as the host.
   */
  async function play(host: { token: string }, accounts: { token: string }[], category?: string): Promise<BoardStanding> {
    const room = await stack.api.createRoom(host.token, { ...SETTINGS, ...(category && { category }) });
    await stack.api.waitForLobby(room.code);
    const clients: RecordingClient[] = [];
    for (const [i, account] of accounts.entries()) {
      const joined = await stack.api.request<{ token: string }>('POST', `/rooms/${room.code}/players`, {
        token: account.token,
        body: { nickname: `Player ${i}` },
      });
      clients.push(await RecordingClient.connect(stack.socketUrl, joined.body.token, `player ${i}`));
    }
    try {
      await stack.api.start(room.code, room.hostToken);
      // Nobody answers: a finished game counts its signed-in players, 0 points included.
      await clients[0]?.waitForPhase('finished', undefined, 30_000);
      await stack.api.waitForResults(room.gameId, 30_000);
    } finally {
      for (const c of clients) c.close();
    }
    const results = await stack.api.request<GameResultsRead>('GET', `/games/${room.gameId}/results`, { token: host.token });
    return results.body.leaderboards;
  }

  /** A category of its own holding one question by `author`, public or private to them. */
  async function questionBy(author: { token: string }, isPublic: boolean): Promise<string> {
    const category = `Farm ${randomBytes(4).toString('hex')}`;
    const res = await stack.api.request('POST', '/questions', {
      token: author.token,
      body: { category, difficulty: 'easy', type: 'boolean', text: `Is ${category} mine?`, correct: [0], public: isPublic },
    });
    expect(res.status).toBe(201);
    return category;
  }

  const onBoard = async (userId: string) => (await stack.api.request('GET', `/leaderboards/global/players/${userId}`)).status;

  it('a host playing alone in their own room under their own account scores nothing on the boards', async () => {
    const host = await stack.api.registerHost('Farmer');

    const standing = await play(host, [host]);

    expect(await onBoard(host.userId)).toBe(404);
    expect(standing).toEqual({
      counts: false,
      excluded: 'too-few-players',
      message: 'This game did not count on the leaderboards: a game counts with at least 1 signed-in player besides the host.',
    });
  }, 60_000);

  it('a game with another signed-in player besides the host counts for them both', async () => {
    const host = await stack.api.registerHost('Host');
    const guest = await stack.api.registerHost('Rival');

    const standing = await play(host, [host, guest]);

    expect([await onBoard(host.userId), await onBoard(guest.userId)]).toEqual([200, 200]);
    expect(standing).toEqual({ counts: true, excluded: null, message: 'This game counted on the leaderboards.' });
  }, 60_000);

  it('a game of questions private to the host does not count, even with another signed-in player', async () => {
    const host = await stack.api.registerHost('Private Farmer');
    const friend = await stack.api.registerHost('Friend');

    const standing = await play(host, [host, friend], await questionBy(host, false));

    expect([await onBoard(host.userId), await onBoard(friend.userId)]).toEqual([404, 404]);
    expect(standing).toMatchObject({ counts: false, excluded: 'host-questions', message: expect.stringMatching(/host's own questions/) });
  }, 60_000);

  it("nor a game of the host's own public question: they know its answer", async () => {
    const host = await stack.api.registerHost('Public Farmer');
    const friend = await stack.api.registerHost('Friend Two');

    const standing = await play(host, [host, friend], await questionBy(host, true));

    expect([await onBoard(host.userId), await onBoard(friend.userId)]).toEqual([404, 404]);
    expect(standing).toMatchObject({ counts: false, excluded: 'host-questions' });
  }, 60_000);

  it("a game of someone else's public question counts", async () => {
    const host = await stack.api.registerHost('Fair Host');
    const friend = await stack.api.registerHost('Friend Three');
    const author = await stack.api.registerHost('Author');

    const standing = await play(host, [host, friend], await questionBy(author, true));

    expect([await onBoard(host.userId), await onBoard(friend.userId)]).toEqual([200, 200]);
    expect(standing.counts).toBe(true);
  }, 60_000);
});
