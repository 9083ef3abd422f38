import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RoomSettings, type RoomView } from '../../src/shared/room';
import { signToken } from '../../src/shared/tokens';
import { createKeys } from '../../src/store/keys';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { createRoomStore } from '../../src/store/room-store';
import { type Game, openGame } from '../helpers/game';
import { infra } from '../helpers/infra';
import { stackSuite } from '../helpers/stack';
import { roomIn } from '../unit/fixtures';

/** Two categories of the starter bank: whatever the draw, the two games' questions differ. */
const FIRST = { questionCount: 1, questionSeconds: 30, revealSeconds: 1, category: 'Music' };
const SECOND = { ...FIRST, category: 'Sports' };

describe("when a room code is used again by a new game while a socket process still holds the old game's questions", () => {
  let redis: QuizRedis;
  let first: Game;
  let second: Game;
  let firstShown: RoomView;
  let secondShown: RoomView;
  let secondRest: RoomView;

  // One socket process: the one whose question cache holds the first game's questions.
  stackSuite('code-reuse', {}, async (stack) => {
    redis = createRedis(infra().redisUrl, { name: 'test-code-reuse' });
    const keys = createKeys(stack.namespace);
    const host = await stack.api.registerHost('Quizmaster');
    first = await openGame(stack, FIRST, 1, { author: host });
    await stack.api.start(first.code, first.hostToken);
    firstShown = await first.players[0]!.client.waitForQuestion(0);
    first.closeAll();

    // The first game's keys go, as an expired room's would, and a new game is made under its code
    // (the api draws codes at random; the test forces the draw by writing the room as the api does).
    const old: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${keys.room(first.code)}*`, 'COUNT', 1000);
      cursor = next;
      old.push(...found);
    } while (cursor !== '0');
    await redis.unlink(...old);
    // Times are offsets from the instant the store applies the room, as the api writes them (on Redis TIME).
    const room = roomIn({
      code: first.code,
      gameId: randomUUID(),
      hostId: host.userId,
      hostName: 'Quizmaster',
      settings: RoomSettings.parse(SECOND),
      createdAt: 0,
    });
    const store = createRoomStore({ redis, keys, ttlSeconds: 600 });
    expect(await store.create(room, { type: 'room.created', roomCode: room.code, version: 1, at: 0 }, ['createdAt'])).not.toBeNull();
    const hostToken = signToken(stack.jwtSecret, { kind: 'host', sub: host.userId, name: 'Quizmaster', room: room.code });
    const created = { code: room.code, gameId: room.gameId, hostToken, room: await stack.api.room(room.code) };
    second = await openGame(stack, SECOND, 1, { author: host, room: created });
    await stack.api.start(second.code, second.hostToken);
    secondShown = await second.players[0]!.client.waitForQuestion(0);
    secondRest = await stack.api.room(second.code);
  });

  afterAll(async () => {
    first?.closeAll();
    second?.closeAll();
    await redis?.quit();
  });

  it("shows the new game's question, not the old game's under the same code", () => {
    expect(secondShown.code).toBe(firstShown.code);
    expect(firstShown.question?.category).toBe('Music');
    expect(secondShown.question?.category).toBe('Sports');
    expect(secondShown.question).toEqual(secondRest.question);
  });
});
