import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalServer, startLocalRedis } from '../../src/local/local-redis';
import { createRoomChannels } from '../../src/socket/room-channels';
import { createKeys } from '../../src/store/keys';
import { type QuizRedis, createRedis } from '../../src/store/redis';

/** A Redis of the test's own: its ACL user is the server's state. */
let server: LocalServer;
let admin: QuizRedis;
let subscriber: QuizRedis;

beforeAll(async () => {
  server = await startLocalRedis({ server: inject('redisServer') ?? undefined });
  admin = createRedis(server.url, { name: 'test-room-channels-admin' });
  // A user who may subscribe to no room channel: every SUBSCRIBE of one is refused (NOPERM).
  await admin.acl('SETUSER', 'walled', 'on', '>walled', '~*', 'resetchannels', '&elsewhere:*', '+@all');
  const url = new URL(server.url);
  url.username = 'walled';
  url.password = 'walled';
  subscriber = createRedis(url.toString(), { name: 'test-room-channels', subscriber: true });
});

afterAll(async () => {
  subscriber?.disconnect();
  admin?.disconnect();
  await server?.stop();
});

describe('when Redis refuses the subscription of a room channel', () => {
  it('keeps nothing of the room', async () => {
    const channels = createRoomChannels(
      subscriber,
      createKeys('room-channels'),
      () => undefined,
      () => undefined,
    );

    await expect(channels.ready('ABC234')).rejects.toThrow(/NOPERM/);
    channels.release('ABC234');

    expect(channels.size).toBe(0);
    expect(channels.routed).toBe(0);
  });
});
