import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRoomCode } from '../../src/game/room-code';
import { type Keys, createKeys } from '../../src/store/keys';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { type RoomStore, createRoomStore } from '../../src/store/room-store';
import { onlineCount } from '../../src/store/scripts/presence.lua';
import { deleteNamespace, infra, sleep, testNamespace } from '../helpers/infra';
import { SETTINGS, openQuestionRoom } from '../unit/fixtures';

let redis: QuizRedis;
let keys: Keys;

beforeAll(() => {
  redis = createRedis(infra().redisUrl, { name: 'test-online-counts' });
  keys = createKeys(testNamespace('online-counts'));
});

afterAll(async () => {
  await deleteNamespace(infra().redisUrl, keys.namespace);
  await redis.quit();
});

const LONG_LEASE_MS = 60_000;

/** A socket instance's room store, with its own id and lease. */
function instance(id: string, leaseMs = LONG_LEASE_MS): RoomStore {
  return createRoomStore({ redis, keys, ttlSeconds: 600, instance: { id, leaseMs } });
}

/** The view's online count: the counts the presence script keeps, never a walk of `online` (when they exist). */
async function counted(code: string): Promise<number> {
  const r = await onlineCount.run(redis, { online: keys.online(code), instances: keys.instances(code), onlineCounts: keys.onlineCounts(code) }, {});
  return r.online;
}

/** The same number the slow way: every field of `online` read and checked against its instance's lease. */
async function walked(code: string, store: RoomStore): Promise<number> {
  return (await store.onlinePlayers(code)).size;
}

/** Ends an instance's lease now, as if its process had stopped renewing it long enough ago (`agoMs`). */
async function leaseEnded(code: string, id: string, agoMs = 1): Promise<void> {
  const [s, us] = await redis.time();
  await redis.hset(keys.instances(code), id, Number(s) * 1000 + Math.floor(Number(us) / 1000) - agoMs);
}

/** A room at question 0 with these players joined (none connected yet). */
async function questionRoom(players: string[]): Promise<string> {
  const [s] = await redis.time();
  const now = Number(s) * 1000;
  const room = openQuestionRoom(now, { settings: { ...SETTINGS, questionCount: 2 } });
  const rooms = instance('setup');
  expect(await rooms.create(room, { type: 'room.created', roomCode: room.code, version: room.version, at: now })).not.toBeNull();
  for (const id of players) expect(await rooms.join(room.code, { id, nickname: id, userId: null, joinedAt: now })).toBe('ok');
  return room.code;
}

describe('live players counted without reading every player', () => {
  it('counts a connect, a second tab and the last disconnect', async () => {
    const code = generateRoomCode();
    const a = instance('a');

    await a.presence(code, 'ann', 1);
    await a.presence(code, 'bob', 1);
    expect(await counted(code)).toBe(2);

    await a.presence(code, 'ann', 1);
    expect(await counted(code)).toBe(2);
    await a.presence(code, 'ann', -1);
    expect(await counted(code)).toBe(2);

    await a.presence(code, 'ann', -1);
    expect(await counted(code)).toBe(1);
    await a.presence(code, 'bob', -1);
    expect(await counted(code)).toBe(0);
    expect(await redis.exists(keys.onlineCounts(code))).toBe(0);
  });

  it('does not count a disconnect for a connection that was never counted', async () => {
    const code = generateRoomCode();
    const a = instance('a');
    await a.presence(code, 'ann', 1);

    expect(await a.presence(code, 'bob', -1)).toBe(0);

    expect(await counted(code)).toBe(1);
  });

  it('stops counting the players of an instance whose lease ended, and counts them again when it renews', async () => {
    const code = generateRoomCode();
    const dying = instance('dying', 300);
    const alive = instance('alive');
    await dying.presence(code, 'ann', 1);
    await dying.presence(code, 'cid', 1);
    await alive.presence(code, 'bob', 1);
    expect(await counted(code)).toBe(3);

    await sleep(400);
    expect(await counted(code)).toBe(1);

    await dying.renewLease([code]);
    expect(await counted(code)).toBe(3);
  });

  it('counts a player connected on two live instances once, and while either of them is', async () => {
    const code = generateRoomCode();
    const a = instance('a');
    const b = instance('b');
    await a.presence(code, 'ann', 1);
    await b.presence(code, 'ann', 1);
    await b.presence(code, 'bob', 1);
    expect(await counted(code)).toBe(2);

    await leaseEnded(code, 'a');
    expect(await counted(code)).toBe(2);
    await b.presence(code, 'ann', -1);
    expect(await counted(code)).toBe(1);
    await a.renewLease([code]);
    expect(await counted(code)).toBe(2);
  });

  it('drops a forgotten instance with its counts, and counts on from the live ones', async () => {
    const code = generateRoomCode();
    const gone = instance('gone');
    const here = instance('here');
    await gone.presence(code, 'ann', 1);
    await gone.presence(code, 'cid', 1);
    await here.presence(code, 'ann', 1);
    await here.presence(code, 'bob', 1);

    await leaseEnded(code, 'gone', 120_000);
    await here.renewLease([code]);

    expect((await redis.hkeys(keys.onlineCounts(code))).sort()).toEqual(['here']);
    expect(await counted(code)).toBe(2);
    // The dead process's connections close late: nothing of them is left to count.
    expect(await gone.presence(code, 'cid', -1)).toBe(0);
    await here.presence(code, 'ann', -1);
    expect(await counted(code)).toBe(1);
  });

  it('reads a room whose presence was written before the counts existed by walking it', async () => {
    const code = generateRoomCode();
    const a = instance('a');
    await a.presence(code, 'ann', 1);
    await redis.hset(keys.online(code), 'bob|a', '1', 'cid|a', '2');
    await redis.del(keys.onlineCounts(code));

    expect(await counted(code)).toBe(3);
  });

  it('agrees with a walk of presence after any sequence of connects, disconnects, kicks, lease ends and renewals', async () => {
    const players = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
    const code = await questionRoom(players);
    const ids = ['x', 'y', 'z'];
    const stores = new Map(ids.map((id) => [id, instance(id)]));
    const open = new Map<string, number>();
    let seed = 7;
    // A fixed sequence (the same ops on every run), from the high bits of a linear congruential generator.
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    const pick = <T>(list: readonly T[]): T => list[random(list.length)] as T;

    for (let step = 0; step < 300; step++) {
      const id = pick(ids);
      const store = stores.get(id) as RoomStore;
      const player = pick(players);
      const held = open.get(`${player}|${id}`) ?? 0;
      const roll = random(20);
      if (roll < 9) {
        await store.presence(code, player, 1);
        open.set(`${player}|${id}`, held + 1);
      } else if (roll < 16 && held > 0) {
        await store.presence(code, player, -1);
        open.set(`${player}|${id}`, held - 1);
      } else if (roll === 16) {
        await leaseEnded(code, id);
      } else if (roll === 17) {
        await store.renewLease([code]);
      } else if (roll === 18) {
        await leaseEnded(code, id, 120_000);
        await (stores.get(pick(ids.filter((other) => other !== id))) as RoomStore).renewLease([code]);
      } else if (roll === 19) {
        await store.kick(code, player, 0);
        await store.join(code, { id: player, nickname: `${player}-${step}`, userId: null, joinedAt: 0 });
      }

      const [fields, leases, [s = '0', us = '0']] = await Promise.all([redis.hgetall(keys.online(code)), redis.hgetall(keys.instances(code)), redis.time()]);
      const now = Number(s) * 1000 + Math.floor(Number(us) / 1000);
      const liveInstancesOf = new Map<string, number>();
      for (const field of Object.keys(fields)) {
        const [player = '', on = ''] = field.split('|');
        if (Number(leases[on] ?? 0) > now) liveInstancesOf.set(player, (liveInstancesOf.get(player) ?? 0) + 1);
      }
      const truth = await walked(code, store);
      const count = await counted(code);
      if ([...liveInstancesOf.values()].every((n) => n < 3)) expect(count, `step ${step}`).toBe(truth);
      else expect(count, `step ${step}: a player on three live instances`).toBeLessThanOrEqual(truth);
      if (truth > 0) expect(count, `step ${step}`).toBeGreaterThan(0);
    }
  });
});

describe('when a player connects', () => {
  it('tells how many of their connections are counted here and on other instances, a dead one included', async () => {
    const code = await questionRoom(['ann', 'bob']);
    const a = instance('a');
    const b = instance('b');

    expect(await a.connectPlayer(code, 'ann')).toEqual({ counted: true, connections: 1, elsewhere: 0 });
    expect(await a.connectPlayer(code, 'ann')).toEqual({ counted: true, connections: 2, elsewhere: 0 });
    await leaseEnded(code, 'a');
    expect(await b.connectPlayer(code, 'ann')).toEqual({ counted: true, connections: 1, elsewhere: 2 });
    expect(await b.connectPlayer(code, 'bob')).toEqual({ counted: true, connections: 1, elsewhere: 0 });
  });

  it('does not count a kicked player, so nothing is left to uncount, and a kick after the count removes it', async () => {
    const code = await questionRoom(['ann', 'bob', 'cid']);
    const a = instance('a');
    await a.connectPlayer(code, 'bob');
    expect(await a.connectPlayer(code, 'ann')).toMatchObject({ counted: true });
    expect(await a.kick(code, 'ann', 0)).toBe('kicked');
    expect(await a.kick(code, 'cid', 0)).toBe('kicked');

    expect(await a.connectPlayer(code, 'ann')).toEqual({ counted: false, kicked: true });
    expect(await a.connectPlayer(code, 'cid')).toEqual({ counted: false, kicked: true });

    expect(await redis.hkeys(keys.online(code))).toEqual(['bob|a']);
    expect(await counted(code)).toBe(1);
    expect(await walked(code, a)).toBe(1);
  });
});

describe('early close by the counts', () => {
  it('closes on a tick once every live player answered, with one of them on two instances', async () => {
    const code = await questionRoom(['ann', 'bob']);
    const a = instance('a');
    const b = instance('b');
    await a.presence(code, 'ann', 1);
    await b.presence(code, 'ann', 1);
    await b.presence(code, 'bob', 1);
    await redis.hset(keys.answers(code, 0), 'ann', '{}');

    expect((await a.presenceState(code, 0)).closable).toBe(false);
    await redis.hset(keys.answers(code, 0), 'bob', '{}');
    expect((await a.presenceState(code, 0)).closable).toBe(true);
  });

  it('does not close on enough answers when one came from a player who left', async () => {
    const code = await questionRoom(['ann', 'bob', 'cid']);
    const a = instance('a');
    for (const id of ['ann', 'bob', 'cid']) await a.presence(code, id, 1);
    await redis.hset(keys.answers(code, 0), 'ann', '{}', 'cid', '{}');
    await a.presence(code, 'cid', -1);

    expect((await a.presenceState(code, 0)).closable).toBe(false);
    await redis.hset(keys.answers(code, 0), 'bob', '{}');
    expect((await a.presenceState(code, 0)).closable).toBe(true);
  });

  it('closes by a kick of the one player left to answer, and the kicked player no longer counts', async () => {
    const code = await questionRoom(['ann', 'bob']);
    const a = instance('a');
    const b = instance('b');
    await a.presence(code, 'ann', 1);
    await b.presence(code, 'ann', 1);
    await a.presence(code, 'bob', 1);
    await b.presence(code, 'bob', 1);
    await redis.hset(keys.answers(code, 0), 'ann', '{}');

    expect(await a.kick(code, 'bob', 0)).toBe('closable');
    expect(await counted(code)).toBe(1);
    expect((await redis.hkeys(keys.online(code))).sort()).toEqual(['ann|a', 'ann|b']);
    // bob's sockets close after the kick: nothing more to count down.
    await a.presence(code, 'bob', -1);
    expect(await counted(code)).toBe(1);
  });
});
