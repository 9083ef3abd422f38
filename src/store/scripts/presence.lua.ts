/**
 * Counts a player's open connections, so a second tab or a reconnect never marks them gone.
 *
 * KEYS[1] online hash   ARGV[1] player id   ARGV[2] +1 on connect, -1 on disconnect
 * Returns the player's connection count after the change; a count of 0 removes the field.
 */
export const presenceScript = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], tonumber(ARGV[2]))
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]); return 0 end
return n
`;
