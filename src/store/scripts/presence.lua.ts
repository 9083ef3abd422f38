/**
 * Counts a player's open connections, so a second tab or a reconnect never marks them gone.
 *
 * KEYS[1] online hash   KEYS[2] reconnecting hash, for players (hosts are counted without one)
 * ARGV[1] player or host id   ARGV[2] +1 on connect, -1 on disconnect
 * Returns the player's connection count after the change; a count of 0 removes the field.
 * A connection also ends the wait for a player who was expected back (see reconnectingScript).
 */
export const presenceScript = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], tonumber(ARGV[2]))
if KEYS[2] and tonumber(ARGV[2]) > 0 then redis.call('HDEL', KEYS[2], ARGV[1]) end
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]); return 0 end
return n
`;

/**
 * Marks players as expected back: their socket instance is shutting down and has told them to
 * reconnect. Until they do, or the grace ends, the answer script counts them as online, so
 * the players who are back first cannot close the question on those still reconnecting.
 *
 * KEYS[1] reconnecting hash   ARGV[1] grace, ms   ARGV[2] time to live of the key, s   ARGV[3..] player ids
 * Returns the number of players marked. The deadline is on Redis's clock, the one the answer script reads.
 */
export const reconnectingScript = `
local t = redis.call('TIME')
local expectedUntil = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
for i = 3, #ARGV do redis.call('HSET', KEYS[1], ARGV[i], expectedUntil) end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
return #ARGV - 2
`;
