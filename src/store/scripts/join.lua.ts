import { END_PHASES } from '../../game/room-machine';
import type { StoredPlayer } from '../../game/room-state';
import { arg, defineScript } from './define-script';
import { redisNowLua } from './early-close.lua';
/**
 * Adds a player to a room, once per nickname skeleton (look-alikes are one name), while there is room.
 *
 * KEYS[1] room record   KEYS[2] players hash   KEYS[3] nicknames hash   KEYS[4] scores zset
 * KEYS[5] locked flag    KEYS[6] ranking zset
 * ARGV[1] player id     ARGV[2] nickname skeleton ARGV[3] player (JSON; its `joinedAt` is set here from Redis TIME)
 * ARGV[4] time to live, seconds
 * ARGV[5] the server's ceiling of players per room (the room's own `maxPlayers` applies when lower)
 *
 * Returns 1 when joined, -1 no such room, -2 the room takes no more players, -3 nickname taken,
 * -4 the host has locked the room, -5 the room is full.
 * A joined player is on the leaderboard with 0 points from the start.
 */
export const joinScript = `${redisNowLua}
local raw = redis.call('GET', KEYS[1])
if not raw then return -1 end
local room = cjson.decode(raw)
local phase = room.phase
if ${END_PHASES.map((p) => `phase == '${p}'`).join(' or ')} then return -2 end
if redis.call('EXISTS', KEYS[5]) == 1 then return -4 end
local most = tonumber(ARGV[5])
local own = room.settings and room.settings.maxPlayers
if type(own) == 'number' and own < most then most = own end
if redis.call('HLEN', KEYS[2]) >= most then return -5 end
if redis.call('HSETNX', KEYS[3], ARGV[2], ARGV[1]) == 0 then return -3 end
-- On Redis's clock, as every room time: the answer script times a player who joined during a question from it.
local player = cjson.decode(ARGV[3])
player.joinedAt = redisNow()
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(player))
redis.call('ZADD', KEYS[4], 'NX', 0, ARGV[1])
redis.call('ZADD', KEYS[6], 'NX', 0, ARGV[1])
local ttl = tonumber(ARGV[4])
for _, i in ipairs({2, 3, 4, 6}) do redis.call('EXPIRE', KEYS[i], ttl) end
return 1
`;

export const join = defineScript({
  command: 'qlJoin',
  lua: joinScript,
  keys: ['room', 'players', 'nicknames', 'scores', 'locked', 'ranking'],
  argv: { playerId: arg.string, nicknameKey: arg.string, player: arg.json<StoredPlayer>(), ttlSeconds: arg.number, maxPlayers: arg.number },
  failures: { [-1]: 'not-found', [-2]: 'closed', [-3]: 'nickname-taken', [-4]: 'locked', [-5]: 'full' },
  status: [1],
  reply: ['joined'],
  ok: () => ({}),
});
