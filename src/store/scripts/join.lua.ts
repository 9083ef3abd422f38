import type { StoredPlayer } from '../../game/room-state';
import { arg, defineScript } from './define-script';
/**
 * Adds a player to a room, once per nickname (ignoring case).
 *
 * KEYS[1] room record   KEYS[2] players hash   KEYS[3] nicknames hash   KEYS[4] scores zset
 * KEYS[5] locked flag
 * ARGV[1] player id     ARGV[2] folded nickname ARGV[3] player (JSON)    ARGV[4] time to live, seconds
 *
 * Returns 1 when joined, -1 no such room, -2 the room takes no more players, -3 nickname taken,
 * -4 the host has locked the room.
 * A joined player is on the leaderboard with 0 points from the start.
 */
export const joinScript = `
local raw = redis.call('GET', KEYS[1])
if not raw then return -1 end
local phase = cjson.decode(raw).phase
if phase == 'finished' or phase == 'failed' or phase == 'cancelled' then return -2 end
if redis.call('EXISTS', KEYS[5]) == 1 then return -4 end
if redis.call('HSETNX', KEYS[3], ARGV[2], ARGV[1]) == 0 then return -3 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[4], 'NX', 0, ARGV[1])
local ttl = tonumber(ARGV[4])
for i = 2, 4 do redis.call('EXPIRE', KEYS[i], ttl) end
return 1
`;

export const join = defineScript({
  command: 'qlJoin',
  lua: joinScript,
  keys: ['room', 'players', 'nicknames', 'scores', 'locked'],
  argv: { playerId: arg.string, foldedNickname: arg.string, player: arg.json<StoredPlayer>(), ttlSeconds: arg.number },
  failures: { [-1]: 'not-found', [-2]: 'closed', [-3]: 'nickname-taken', [-4]: 'locked' },
  status: [1],
  reply: ['joined'],
  ok: () => ({}),
});
