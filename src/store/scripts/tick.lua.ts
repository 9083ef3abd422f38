import { arg, defineScript, type ArgCodec } from './define-script';
import { roomPresenceLua } from './presence.lua';

/**
 * Draws one countdown tick of a timed phase, in one round trip: only while the room is still at the
 * game and version the tick was set for (a tick for a room that moved on is never drawn, with no
 * window between the check and the frame), the room-presence counts (see roomPresenceScript), then
 * the countdown on the room's channel carrying them.
 *
 * KEYS[1] room record   KEYS[2..10] the keys of roomPresenceScript, in its order
 * ARGV[1] game id       ARGV[2] version   ARGV[3] open question index, or -1   ARGV[4] time to live of the empty-since marker, s
 * ARGV[5] channel       ARGV[6] PUBLISH, or SPUBLISH on a Redis Cluster (the channel shares the room's hash tag)
 * ARGV[7] the countdown message (a JSON object) without its counts: the script adds `answeredCount` and `playerCount`
 * Returns {drawn, vacantForMs, closable}: drawn 0 (and nothing published) when the room moved on or is gone.
 */
export const tickScript = `${roomPresenceLua}
local raw = redis.call('GET', KEYS[1])
if not raw then return {0, 0, 0} end
local room = cjson.decode(raw)
if room.gameId ~= ARGV[1] or tonumber(room.version) ~= tonumber(ARGV[2]) then return {0, 0, 0} end
local presence = roomPresence({KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10]}, tonumber(ARGV[3]), tonumber(ARGV[4]), redisNow())
local players, answered, vacantForMs, closable = presence[1], presence[2], presence[3], presence[4]
local message = string.sub(ARGV[7], 1, -2) .. ',"answeredCount":' .. answered .. ',"playerCount":' .. players .. '}'
redis.call(ARGV[6], ARGV[5], message)
return {1, vacantForMs, closable}
`;

export const tick = defineScript({
  command: 'qlTick',
  lua: tickScript,
  keys: ['room', 'players', 'answers', 'online', 'hostOnline', 'instances', 'reconnecting', 'emptySince', 'onlineCounts', 'closeScan'],
  argv: {
    gameId: arg.string,
    version: arg.number,
    questionIndex: arg.number,
    markerTtlSeconds: arg.number,
    channel: arg.string,
    publish: arg.string as ArgCodec<'PUBLISH' | 'SPUBLISH'>,
    message: arg.string,
  },
  failures: {},
  reply: ['drawn', 'vacantForMs', 'closable'],
  ok: (r) => ({ drawn: r.drawn === 1, vacantForMs: r.vacantForMs, closable: r.closable === 1 }),
});
