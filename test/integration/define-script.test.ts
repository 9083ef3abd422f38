import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import { arg, defineScript } from '../../src/store/scripts/define-script';
import { deleteNamespace, infra, testNamespace } from '../helpers/infra';

// A marker of its own makes each script new to the server, so its first EVALSHA meets NOSCRIPT.
const echoScript = () =>
  defineScript({
    command: 'qlTestEcho',
    lua: `-- ${randomBytes(8).toString('hex')}
if ARGV[1] == 'refuse' then return -1 end
redis.call('RPUSH', KEYS[1], unpack(KEYS))
redis.call('RPUSH', KEYS[2], unpack(ARGV))
return #KEYS`,
    keys: ['keyList', 'argList'],
    restKeys: 'more',
    argv: { word: arg.string, at: arg.orEmpty(arg.number), on: arg.flag, body: arg.json<{ a: number }>(), scores: arg.pairs },
    failures: { [-1]: 'refused' },
    reply: ['keyCount'],
    ok: (r) => ({ keyCount: r.keyCount }),
  });
const echo = echoScript();

let redis: QuizRedis;
let ns: string;

beforeAll(() => {
  ns = testNamespace('define-script');
  redis = createRedis(infra().redisUrl, { name: 'define-script-test' });
  redis.defineCommand(echo.command, { lua: echo.lua });
});

afterAll(async () => {
  await deleteNamespace(infra().redisUrl, ns);
  redis.disconnect();
});

describe('a typed Lua script', () => {
  describe('when it runs', () => {
    it('lays out KEYS and ARGV by name in the order of its definition, counting the keys itself', async () => {
      const keys = { keyList: `${ns}:keys`, argList: `${ns}:args`, more: [`${ns}:x`, `${ns}:y`] };
      const result = await echo.run(redis, keys, {
        word: 'hi',
        at: null,
        on: true,
        body: { a: 1 },
        scores: [
          ['u1', 5],
          ['u2', 7],
        ],
      });
      expect(result).toEqual({ ok: true, keyCount: 4 });
      expect(await redis.lrange(keys.keyList, 0, -1)).toEqual([`${ns}:keys`, `${ns}:args`, `${ns}:x`, `${ns}:y`]);
      expect(await redis.lrange(keys.argList, 0, -1)).toEqual(['hi', '', '1', '{"a":1}', 'u1', '5', 'u2', '7']);
    });

    it('runs when the server does not know it yet, and leaves it cached there for EVALSHA', async () => {
      const fresh = echoScript();
      redis.defineCommand(fresh.command, { lua: fresh.lua });
      const sha = createHash('sha1').update(fresh.lua).digest('hex');
      expect(await redis.script('EXISTS', sha)).toEqual([0]);
      const keys = { keyList: `${ns}:k2`, argList: `${ns}:a2`, more: [] };
      expect(await fresh.run(redis, keys, { word: 'a', at: 5, on: false, body: { a: 2 }, scores: [] })).toEqual({ ok: true, keyCount: 2 });
      expect(await redis.script('EXISTS', sha)).toEqual([1]);
      expect(await redis.lrange(keys.argList, 0, -1)).toEqual(['a', '5', '0', '{"a":2}']);
    });

    it('returns a negative code as its named failure', async () => {
      const keys = { keyList: `${ns}:k3`, argList: `${ns}:a3`, more: [] };
      expect(await echo.run(redis, keys, { word: 'refuse', at: null, on: true, body: { a: 3 }, scores: [] })).toEqual({ ok: false, code: 'refused' });
      expect(await redis.exists(keys.keyList, keys.argList)).toBe(0);
    });
  });

  describe('when the client was not given the script', () => {
    it('says so instead of sending anything', async () => {
      const bare = createRedis(infra().redisUrl, { name: 'define-script-bare' });
      try {
        await expect(
          echo.run(bare, { keyList: `${ns}:k4`, argList: `${ns}:a4`, more: [] }, { word: 'x', at: null, on: true, body: { a: 4 }, scores: [] }),
        ).rejects.toThrow(/qlTestEcho is not loaded on this client/);
      } finally {
        bare.disconnect();
      }
    });
  });
});
