import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { loadConfig } from '../../src/platform/config';
import { createLogger } from '../../src/platform/logger';
import type { Question } from '../../src/shared/room';
import { createRoomRelay } from '../../src/socket/room-relay';
import type { QuizServer } from '../../src/socket/types';
import { type Keys, createKeys } from '../../src/store/keys';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { type RedisClock, createRedisClock } from '../../src/store/redis-clock';
import { type RoomStore, createRoomStore } from '../../src/store/room-store';
import { createViewReader } from '../../src/store/view-reader';
import { deleteNamespace, infra, testNamespace } from '../helpers/infra';
import { openQuestionRoom } from '../unit/fixtures';

const question = (text: string): Question => ({
  id: 1,
  category: 'Science',
  difficulty: 'easy',
  type: 'multiple',
  text,
  choices: ['Mars', 'Jupiter'],
  correct: [1],
  accepted: [],
});

const log = createLogger('socket', 'silent');
let keys: Keys;
let redis: QuizRedis;
let rooms: RoomStore;
let clock: RedisClock;
/** A Socket.IO server never attached to HTTP, so with no connections (nothing to close): the relay holds no members of any room. */
let io: QuizServer;

beforeAll(async () => {
  keys = createKeys(testNamespace('room-relay'));
  redis = createRedis(infra().redisUrl, { name: 'test-room-relay' });
  rooms = createRoomStore({ redis, keys, ttlSeconds: 600 });
  clock = createRedisClock({ redis, log });
  await clock.start();
  io = new Server();
});

afterAll(async () => {
  clock.stop();
  await deleteNamespace(infra().redisUrl, keys.namespace);
  await redis.quit();
});

describe('when the last member of a room leaves while a view of it is built for them', () => {
  it('keeps neither the view nor the questions: the next build reads them again', async () => {
    const config = loadConfig({ REDIS_URL: infra().redisUrl, QUIZLOOP_NAMESPACE: keys.namespace, LOG_LEVEL: 'silent' }, 'socket');
    const relay = createRoomRelay(io, { rooms, reads: rooms, views: createViewReader({ redis, keys }), log, clock, config });
    const room = openQuestionRoom(Date.now());
    expect(await rooms.create(room, { type: 'room.created', roomCode: room.code, version: room.version, at: 0 })).not.toBeNull();
    await rooms.saveQuestions(room.code, [question('Largest planet?')]);

    // A connection's first sync builds the view; its socket is gone (the adapter deleted the room: forget) before the build ends.
    const built = relay.syncState(room.code, null);
    relay.forget(room.code);
    expect((await built)?.view.question?.text).toBe('Largest planet?');

    // Seen only if the next build reads again: a kept view or question list would still show the old text.
    await rooms.saveQuestions(room.code, [question('Smallest planet?')]);
    expect((await relay.syncState(room.code, null))?.view.question?.text).toBe('Smallest planet?');
  });
});
