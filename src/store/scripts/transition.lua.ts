/**
 * Compare-and-set of a room record, with its event and its notification, atomically.
 *
 * KEYS[1]    room record (JSON)
 * KEYS[2]    events stream
 * KEYS[3..]  every other key of the room, whose expiry is refreshed
 * ARGV[1]    expected version, or -1 when the room must not exist yet
 * ARGV[2]    new room record (JSON)
 * ARGV[3]    event type
 * ARGV[4]    event (JSON)
 * ARGV[5]    pub/sub channel of the room
 * ARGV[6]    channel message (JSON)
 * ARGV[7]    time to live of the room's keys, seconds
 * ARGV[8]    approximate maximum length of the events stream
 *
 * Returns 1 when applied, -1 when the room does not exist (or already exists, for -1),
 * -2 when its version differs. Either all of record, event and message are written, or none.
 */
export const transitionScript = `
local expected = tonumber(ARGV[1])
local raw = redis.call('GET', KEYS[1])
if expected == -1 then
  if raw then return -1 end
else
  if not raw then return -1 end
  if tonumber(cjson.decode(raw).version) ~= expected then return -2 end
end
local ttl = tonumber(ARGV[7])
redis.call('SET', KEYS[1], ARGV[2], 'EX', ttl)
for i = 3, #KEYS do redis.call('EXPIRE', KEYS[i], ttl) end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[8], '*', 'type', ARGV[3], 'event', ARGV[4])
redis.call('PUBLISH', ARGV[5], ARGV[6])
return 1
`;
