/**
 * Removes a player from a room for good, atomically.
 *
 * KEYS[1] players hash   KEYS[2] nicknames hash   KEYS[3] online hash   KEYS[4] scores zset
 * KEYS[5] streaks hash   KEYS[6] times hash       KEYS[7] kicked set
 * ARGV[1] player id      ARGV[2] time to live of the kicked set, seconds
 *
 * Returns 1 when kicked, -1 when no such player is in the room. The player leaves the standings
 * and the early-close count; their id goes into the kicked set, so their token is refused and an
 * answer they gave to the open question is dropped at its reveal (transition.lua settles only players).
 */
export const kickScript = `
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return -1 end
-- Free the nickname (folded nickname → player id); a kick is rare, so a scan of the room is fine.
local folded = redis.call('HGETALL', KEYS[2])
for i = 1, #folded, 2 do
  if folded[i + 1] == ARGV[1] then redis.call('HDEL', KEYS[2], folded[i]) end
end
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
redis.call('HDEL', KEYS[6], ARGV[1])
redis.call('SADD', KEYS[7], ARGV[1])
redis.call('EXPIRE', KEYS[7], tonumber(ARGV[2]))
return 1
`;
