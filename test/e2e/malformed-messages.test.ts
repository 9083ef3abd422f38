import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeys } from '../../src/store/keys';
import { type Game, openGame } from '../helpers/game';
import { infra } from '../helpers/infra';
import { Stack, printLogsOnFailure } from '../helpers/stack';

describe('when a room channel or the event stream carries a malformed message', () => {
  let stack: Stack;
  let redis: Redis;
  let game: Game;

  beforeAll(async () => {
    stack = await Stack.start('malformed-messages');
    redis = new Redis(infra().redisUrl);
    game = await openGame(stack, { questionCount: 1, questionSeconds: 5, revealSeconds: 1 }, 1);
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    game?.closeAll();
    redis?.disconnect();
    await stack?.stop();
  });

  it('logs and drops each one, and the game goes on', async () => {
    const keys = createKeys(stack.namespace);
    const channel = keys.channel(game.code);
    for (const raw of ['not json', '{"kind":"countdown","version":1}', '{"kind":"teleport"}', 'null']) await redis.publish(channel, raw);
    await redis.xadd(keys.events(game.code), '*', 'type', 'room.started', 'event', '{"type":"room.started"');
    await redis.xadd(keys.events(game.code), '*', 'type', 'room.started', 'event', JSON.stringify({ type: 'room.started', roomCode: game.code }));

    await stack.waitForLog('socket', /(?=.*dropping malformed channel message)(?=.*teleport)/);
    await stack.waitForLog('worker', /(?=.*skipping malformed stream entry)(?=.*not JSON)/);
    await stack.waitForLog('worker', /(?=.*skipping malformed stream entry)(?=.*at version)/);
    await stack.api.start(game.code, game.hostToken);

    const player = game.players[0]?.client;
    expect((await player?.waitForQuestion(0))?.phase).toBe('question');
    expect((await player?.waitForPhase('reveal', 0))?.questionIndex).toBe(0);
    expect(stack.logs('socket')).not.toMatch(/uncaught|unhandled/i);
  });
});
