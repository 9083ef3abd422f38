import { END_PHASES } from '../../game/room-machine';
import { arg, defineScript } from './define-script';
import { everyoneAnsweredLua } from './early-close.lua';
import { onlineCountsLua } from './online-counts.lua';

/**
 * Removes a player from a room for good, atomically.
 *
 * KEYS[1] players hash   KEYS[2] reconnecting hash   KEYS[3] online hash   KEYS[4] scores zset
 * KEYS[5] streaks hash   KEYS[6] times hash          KEYS[7] kicked set    KEYS[8] answers of the open question
 * KEYS[9] socket instances' presence leases   KEYS[10] room record   KEYS[11] events stream
 * KEYS[12] ranking zset  KEYS[13] online-counts hash   KEYS[14] close-scan hash of the open question
 * ARGV[1] player id      ARGV[2] time to live of the kicked set, seconds
 * ARGV[3] the index of the question KEYS[8] holds   ARGV[4] approximate maximum length of the events stream
 *
 * Returns 1 when kicked, 2 when kicked and everyone left online has answered the open question
 * (the early-close rule, as an answer would have completed it: its `question.closable` event is
 * appended to the stream in this same script, so no process can die between the kick and the
 * close), -1 when no such player is in the room, -2 when the room has ended (nothing is written: a
 * finished game's results are read from these keys after the end, so the player stays in them).
 * The player leaves the standings, the early-close count and the open question's answers
 * (a correct one no longer counts toward a first-correct close, `decided` in early-close.lua.ts);
 * their id goes into the kicked set, so their token is refused. Their nickname stays taken, so they
 * cannot come straight back under it. Nothing here reads every player: the player's connections are
 * found per socket instance, and the early-close check is the counted one (everyoneAnsweredCounted).
 */
export const kickScript = `${everyoneAnsweredLua}${onlineCountsLua}
local raw = redis.call('GET', KEYS[10])
local room = raw and cjson.decode(raw)
-- The caller checked the phase before this script ran; the game may have ended in between.
if room and (${END_PHASES.map((p) => `room.phase == '${p}'`).join(' or ')}) then return -2 end
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return -1 end
for _, i in ipairs({2, 5, 6}) do redis.call('HDEL', KEYS[i], ARGV[1]) end
dropMember(KEYS[13], KEYS[3], KEYS[9], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[12], ARGV[1])
unmarkDecided(KEYS[14], redis.call('HGET', KEYS[8], ARGV[1]))
redis.call('HDEL', KEYS[8], ARGV[1])
redis.call('SADD', KEYS[7], ARGV[1])
redis.call('EXPIRE', KEYS[7], tonumber(ARGV[2]))
if not room then return 1 end
if room.phase ~= 'question' or room.questionIndex ~= tonumber(ARGV[3]) then return 1 end
local now = redisNow()
local live = livePlayerCount(KEYS[13], KEYS[3], KEYS[9], now)
if everyoneAnsweredCounted(live, KEYS[3], KEYS[9], KEYS[8], KEYS[2], KEYS[14], now) then
  announceClosable(KEYS[11], ARGV[4], room, now)
  return 2
end
return 1
`;

export const kick = defineScript({
  command: 'qlKick',
  lua: kickScript,
  keys: [
    'players',
    'reconnecting',
    'online',
    'scores',
    'streaks',
    'times',
    'kicked',
    'answers',
    'instances',
    'room',
    'events',
    'ranking',
    'onlineCounts',
    'closeScan',
  ],
  argv: { playerId: arg.string, kickedTtlSeconds: arg.number, questionIndex: arg.number, eventsMaxLength: arg.number },
  failures: { [-1]: 'not-found', [-2]: 'ended' },
  status: [1, 2],
  reply: ['kicked'],
  ok: (r) => ({ closable: r.kicked === 2 }),
});
