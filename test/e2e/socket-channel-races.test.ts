import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalServer, startLocalRedis } from '../../src/local/local-redis';
import { transition } from '../../src/game/room-machine';
import type { RoomState } from '../../src/game/room-state';
import type { Question } from '../../src/shared/room';
import { signToken } from '../../src/shared/tokens';
import { type Keys, createKeys } from '../../src/store/keys';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { type RoomStore, createRoomStore } from '../../src/store/room-store';
import { sleep, waitUntil } from '../helpers/infra';
import { RecordingClient } from '../helpers/recording-client';
import { Stack, printLogsOnFailure } from '../helpers/stack';
import { TcpProxy } from '../helpers/tcp-proxy';
import { SETTINGS, openQuestionRoom } from '../unit/fixtures';

const QUESTIONS: Question[] = [
  { id: 1, category: 'Science', difficulty: 'easy', type: 'multiple', text: 'Largest planet?', choices: ['Mars', 'Jupiter'], correct: [1], accepted: [] },
];

/**
 * One socket process on a Redis of the test's own (its pub/sub connections can be killed without touching other
 * tests'), reached through a proxy that can hold one of its commands. Rooms are written straight into Redis, as
 * the api writes them: no api or worker runs.
 */
let server: LocalServer;
let proxy: TcpProxy;
let stack: Stack;
let redis: QuizRedis;
let keys: Keys;
let rooms: RoomStore;
const clients: RecordingClient[] = [];

beforeAll(async () => {
  server = await startLocalRedis({ server: inject('redisServer') ?? undefined });
  const proxied = await TcpProxy.inFrontOf(server.url, 6379);
  proxy = proxied.proxy;
  stack = await Stack.start('channel-races', ['socket'], { env: { REDIS_URL: proxied.url } });
  redis = createRedis(server.url, { name: 'test-channel-races' });
  keys = createKeys(stack.namespace);
  rooms = createRoomStore({ redis, keys, ttlSeconds: 600 });
}, 90_000);
printLogsOnFailure(() => stack);
afterAll(async () => {
  for (const c of clients) c.close();
  await stack?.stop();
  redis?.disconnect();
  await proxy?.stop();
  await server?.stop();
});

async function redisNow(): Promise<number> {
  const [s, us] = await redis.time();
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
}

/** A room with player p1 (ann) in it: question 0 open, unless `overrides` say otherwise. */
async function roomWithAnn(overrides: Partial<RoomState>): Promise<RoomState> {
  const room = { ...openQuestionRoom(await redisNow(), { settings: { ...SETTINGS, questionCount: 1 } }), ...overrides };
  expect(await rooms.create(room, { type: 'room.created', roomCode: room.code, version: room.version, at: 0 })).not.toBeNull();
  await rooms.saveQuestions(room.code, QUESTIONS);
  expect(await rooms.join(room.code, { id: 'p1', nickname: 'ann', userId: null, joinedAt: 0 })).toBe('ok');
  return room;
}

/** Ann's connection, once Socket.IO admitted it (the connection handler may still be reading). */
async function connectAnn(room: RoomState): Promise<RecordingClient> {
  const token = signToken(stack.jwtSecret, { kind: 'player', sub: 'p1', name: 'ann', room: room.code });
  const ann = await RecordingClient.connect(stack.socketUrl, token, 'ann');
  clients.push(ann);
  return ann;
}

describe("when the socket process's subscriptions drop and the game finishes before they are back", () => {
  it('still brings the finished view and room:closed to the player', async () => {
    const room = await roomWithAnn({ phase: 'reveal', version: 4 });
    const ann = await connectAnn(room);
    await ann.waitFor('the first view', (f) => f.event === 'room:view');

    // Frozen, the process cannot subscribe again before the transition is published: the message is lost to it.
    stack.pause('socket');
    try {
      await redis.client('KILL', 'TYPE', 'pubsub');
      // The last reveal's deadline: the game finishes.
      const finished = transition(room, { type: 'advance' });
      if (!finished.ok) throw new Error(finished.reason);
      expect((await rooms.apply(room.version, finished)).ok).toBe(true);
    } finally {
      stack.resume('socket');
    }

    const closed = await ann.waitFor('room:closed', (f) => f.event === 'room:closed', 10_000);
    expect(closed.payload).toMatchObject({ reason: 'finished', gameId: room.gameId });
    expect(ann.views().at(-1)).toMatchObject({ phase: 'finished', version: 5 });
  });
});

describe("when the host kicks a player between their first connection's count and the room channel's subscription", () => {
  it('closes that connection as kicked', async () => {
    const room = await roomWithAnn({ phase: 'lobby', version: 2 });
    // The process subscribes only once the connection is counted: held, the SUBSCRIBE reaches Redis after the kick.
    const subscribed = proxy.holdWhenSent(keys.channel(room.code), 1500);
    const ann = await connectAnn(room);
    await waitUntil('ann counted online', async () => ((await redis.hlen(keys.online(room.code))) > 0 ? true : undefined));

    // As the api kicks (rooms.service.ts): the player out, then `kicked` on the room's channel.
    expect(await rooms.kick(room.code, 'p1', room.questionIndex)).toBe('kicked');
    await rooms.publish(room.code, { kind: 'kicked', playerId: 'p1' });
    await subscribed;

    const closed = await ann.waitFor('room:closed', (f) => f.event === 'room:closed', 5000);
    expect(closed.payload).toMatchObject({ reason: 'kicked' });
    await ann.waitFor('the disconnect', (f) => f.event === 'client:disconnect', 5000);
    expect(ann.views()).toEqual([]);
  });
});

describe('when a view is pushed while a room:sync reads the player’s own state', () => {
  it('acks the pushed view, never an older one after it', async () => {
    const room = await roomWithAnn({ phase: 'lobby', version: 2 });
    const ann = await connectAnn(room);
    await ann.waitFor('the first view', (f) => f.event === 'room:view');
    expect(await rooms.join(room.code, { id: 'p2', nickname: 'bob', userId: null, joinedAt: 0 })).toBe('ok');
    expect((await rooms.get(room.code))?.version).toBe(2);

    // The refresh reads the record twice, on the connection the sync's own-state read takes: its second read is
    // held, so the sync (which picked the view the process held) waits behind it, and the refreshed view goes out first.
    const getRecord = `get\r\n$${keys.room(room.code).length}\r\n${keys.room(room.code)}\r\n`;
    const refreshed = proxy.holdWhenSent(getRecord, 0).then(() => proxy.holdWhenSent(getRecord, 1000));
    await rooms.publish(room.code, { kind: 'refresh' });
    await sleep(300);
    const ack = await ann.sync();
    await refreshed;

    expect(ann.views().at(-1)).toMatchObject({ playerCount: 2 });
    expect(ack).toMatchObject({ ok: true, view: { playerCount: 2 } });
  });
});
