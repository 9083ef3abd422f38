import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { StoredPlayer } from '../../src/game/room-state';
import { createKeys } from '../../src/store/keys';
import type { RoomNext } from '../../src/shared/socket-events';
import type { AsyncApiDocument } from '../../src/api/docs/asyncapi';
import type { PlayedAgain } from '../../src/api/schemas';
import { type Game, type Player, openGame } from '../helpers/game';
import { infra, waitUntil } from '../helpers/infra';
import { RecordingClient } from '../helpers/recording-client';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const SETTINGS = { questionCount: 1, questionSeconds: 5, revealSeconds: 1, streakBonus: true };

/** The `room:next` a player's client received, if any. */
function nextOf(player: Player): RoomNext | undefined {
  const frame = player.client.frames.find((f) => (f.event as string) === 'room:next');
  return frame?.payload as RoomNext | undefined;
}

describe('playing again with the same players, through separate api, worker and socket processes', () => {
  let stack: Stack;
  let redis: Redis;
  let game: Game;
  /** Signed in: the new room must keep the account. */
  let member: Player;
  let gone: Player;
  let early: { status: number; contentType: string; body: unknown };
  let byPlayer: { status: number };
  let again: { status: number; body: PlayedAgain };
  let twice: { status: number; body: unknown };
  const followers: RecordingClient[] = [];

  beforeAll(async () => {
    // Two rooms an hour: the first game and one play-again. A refused play-again must not spend one.
    stack = await Stack.start('play-again', undefined, { env: { RATE_LIMIT_ROOMS_USER: '2/3600' } });
    redis = new Redis(infra().redisUrl);
    game = await openGame(stack, SETTINGS, 2);
    const account = await stack.api.registerHost('Ann Member');
    const joined = await stack.api.request<{ playerId: string; token: string }>('POST', `/rooms/${game.code}/players`, {
      token: account.token,
      body: { nickname: 'Ann' },
    });
    const client = await RecordingClient.connect(stack.socketUrl, joined.body.token, 'Ann');
    await client.waitForPhase('lobby');
    member = { index: 2, nickname: 'Ann', playerId: joined.body.playerId, token: joined.body.token, client };
    game.players.push(member);
    await stack.api.start(game.code, game.hostToken);
    early = await stack.api.request('POST', `/rooms/${game.code}/again`, { token: game.hostToken });
    byPlayer = await stack.api.request('POST', `/rooms/${game.code}/again`, { token: member.token });
    await stack.api.control(game.code, 'end', game.hostToken);
    await Promise.all(game.clients().map((c) => c.waitForPhase('finished')));

    // One player has left by the time the host plays again.
    gone = game.players[1] as Player;
    gone.client.close();
    await waitUntil('the player who left to be offline', async () => {
      const { body } = await stack.api.request<{ players: { nickname: string; online: boolean }[] }>('GET', `/rooms/${game.code}/players`, {
        token: game.hostToken,
      });
      return body.players.find((p) => p.nickname === gone.nickname)?.online === false ? true : undefined;
    });
    again = await stack.api.request<PlayedAgain>('POST', `/rooms/${game.code}/again`, { token: game.hostToken });
    twice = await stack.api.request('POST', `/rooms/${game.code}/again`, { token: game.hostToken });
  }, 90_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    game?.closeAll();
    for (const c of followers) c.close();
    redis?.disconnect();
    await stack?.stop();
  });

  it('refuses while the game runs, with a problem that says so, and refuses a player token', () => {
    expect(early.status).toBe(409);
    expect(early.contentType).toMatch(/^application\/problem\+json/);
    expect(early.body).toMatchObject({ code: 'ROOM_NOT_FINISHED', detail: expect.stringContaining('not finished') });
    expect(byPlayer.status).toBe(403);
  });

  it('makes a new room with the same host and settings, and counts the players moved (the refusals spent no room)', async () => {
    expect(again.status).toBe(201);
    expect(again.body.code).not.toBe(game.code);
    expect(again.body.movedPlayers).toBe(2);
    const lobby = await stack.api.waitForLobby(again.body.code);
    expect(lobby.settings).toMatchObject({ questionCount: 1, questionSeconds: 5, revealSeconds: 1 });
    expect(lobby.hostName).toBe('Quizmaster');
    expect(lobby.playerCount).toBe(2);
  });

  it('plays a finished room again only once, naming the new room', () => {
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'ALREADY_PLAYED_AGAIN', detail: expect.stringContaining(again.body.code) });
  });

  it('sends each connected player room:next with a token that opens the new room under the same nickname and account', async () => {
    const served = (await stack.api.request<AsyncApiDocument>('GET', '/asyncapi.json')).body;
    const schema = z.fromJSONSchema(served.components.schemas.RoomNext ?? {});
    for (const player of [game.players[0] as Player, member]) {
      await player.client.waitFor('room:next', (f) => (f.event as string) === 'room:next');
      const next = nextOf(player);
      expect(schema.safeParse(next).error).toBeUndefined();
      expect(next).toMatchObject({ code: again.body.code, gameId: again.body.gameId, nickname: player.nickname });

      const follower = await RecordingClient.connect(stack.socketUrl, next?.token ?? '', `${player.nickname} again`);
      followers.push(follower);
      const view = await follower.waitForPhase('lobby');
      expect(view.code).toBe(again.body.code);
      expect(view.leaderboard.map((e) => e.nickname).sort()).toEqual(['Ann', 'Player 1']);
    }
    const stored = (await redis.hvals(createKeys(stack.namespace).players(again.body.code))).map((raw) => JSON.parse(raw) as StoredPlayer);
    expect(stored.find((p) => p.nickname === 'Ann')?.userId).toEqual(expect.any(String));
    expect(stored.find((p) => p.nickname === 'Player 1')?.userId).toBeNull();
  });

  it('leaves out a player who had left, and the host can start the new game with those who came', async () => {
    expect(nextOf(gone)).toBeUndefined();
    const started = await stack.api.start(again.body.code, again.body.hostToken);
    expect(started.phase).toBe('question');
    await Promise.all(followers.map((f) => f.waitForQuestion(0)));
  });
});
