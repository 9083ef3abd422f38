import { everyoneAnsweredLua, redisNowLua } from './early-close.lua';
import { arg, defineScript } from './define-script';
import { onlineCountsLua } from './online-counts.lua';

/**
 * Counts a player's (or host's) open connections on one socket instance, so a second tab or a
 * reconnect never marks them gone, and renews that instance's lease (see early-close.lua.ts).
 *
 * KEYS[1] presence hash (online, or host-online)   KEYS[2] instances hash
 * KEYS[3] reconnecting hash, KEYS[4] online-counts hash: for players only (hosts are counted without them)
 * KEYS[5] kicked set: optional, for a player's connect that must not be counted once they are kicked
 * ARGV[1] player or host id   ARGV[2] socket instance id   ARGV[3] +1 on connect, -1 on disconnect
 * ARGV[4] lease, ms           ARGV[5] time to live of the keys, s
 * Returns {connections, elsewhere, lapsed}: the count on this instance after the change (a count of 0 removes the
 * field), on a connect the member's connections counted on the other instances (dead ones' included), and 1
 * when a connect found this instance's lease ended or forgotten (it renews it here, so the lease script would
 * not see the lapse: the instance re-asserts its members itself);
 * -1 and nothing written when KEYS[5] names the member as kicked (a kick after this finds the field).
 * A connection also ends the wait for a player who was expected back (see reconnectingScript).
 * A player's field appearing or going moves the live counts (online-counts.lua.ts); a disconnect for a
 * field already gone (kicked, or its instance forgotten) moves none.
 */
export const presenceScript = `${redisNowLua}${onlineCountsLua}
local field = ARGV[1] .. '|' .. ARGV[2]
local delta = tonumber(ARGV[3])
if delta > 0 and KEYS[5] and redis.call('SISMEMBER', KEYS[5], ARGV[1]) == 1 then return -1 end
local n = redis.call('HINCRBY', KEYS[1], field, delta)
local elsewhere = 0
local lapsed = 0
if delta > 0 then
  for _, other in ipairs(redis.call('HKEYS', KEYS[2])) do
    if other ~= ARGV[2] then elsewhere = elsewhere + (tonumber(redis.call('HGET', KEYS[1], ARGV[1] .. '|' .. other)) or 0) end
  end
  local now = redisNow()
  if tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0') <= now then lapsed = 1 end
  redis.call('HSET', KEYS[2], ARGV[2], now + tonumber(ARGV[4]))
  redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5]))
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
  if KEYS[3] then redis.call('HDEL', KEYS[3], ARGV[1]) end
  if KEYS[4] then
    if n == delta then countField(KEYS[4], KEYS[1], KEYS[2], ARGV[1], ARGV[2], 1) end
    redis.call('EXPIRE', KEYS[4], tonumber(ARGV[5]))
  end
end
if n <= 0 then
  redis.call('HDEL', KEYS[1], field)
  if n == 0 and KEYS[4] then countField(KEYS[4], KEYS[1], KEYS[2], ARGV[1], ARGV[2], -1) end
  return {0, elsewhere, lapsed}
end
return {n, elsewhere, lapsed}
`;

/**
 * Renews a socket instance's presence lease in one room, and forgets instances whose lease ended
 * long ago, with their connection counts and their live counts. Forgetting walks the presence hashes
 * (once per dead instance and room); a renewal alone reads only the instances hash.
 *
 * KEYS[1] instances hash   KEYS[2] online hash   KEYS[3] host-online hash   KEYS[4] online-counts hash
 * ARGV[1] instance id      ARGV[2] lease, ms      ARGV[3] forget leases ended this long ago, ms
 * Returns 1, or 2 when this instance's own lease had ended or was forgotten: it was silent, or Redis was
 * (stalled, restarted), and another instance may have forgotten its connections; it re-asserts them
 * (reassertScript). After a Redis stall every lease has ended, so the first renewal forgets live instances too.
 */
export const leaseScript = `${redisNowLua}${onlineCountsLua}
local now = redisNow()
local before = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
redis.call('HSET', KEYS[1], ARGV[1], now + tonumber(ARGV[2]))
local leases = redis.call('HGETALL', KEYS[1])
local gone = {}
for i = 1, #leases, 2 do
  if tonumber(leases[i + 1]) + tonumber(ARGV[3]) < now then gone[leases[i]] = true; redis.call('HDEL', KEYS[1], leases[i]) end
end
if next(gone) then
  for k = 2, 3 do
    for _, field in ipairs(redis.call('HKEYS', KEYS[k])) do
      local instance = string.match(field, '|([^|]*)$')
      if instance and gone[instance] then redis.call('HDEL', KEYS[k], field) end
    end
  end
  forgetCounts(KEYS[4], gone)
end
if before > now then return 1 end
return 2
`;

/**
 * Makes a room's presence on one socket instance what the instance holds (after its lease had lapsed or was
 * forgotten, see leaseScript): each member's connection count on it set, players' live counts moved with
 * the fields that appear or go (online-counts.lua.ts), and its fields for members it no longer holds removed.
 * Walks the presence hashes once; runs only after a lapse.
 *
 * KEYS[1] online hash   KEYS[2] host-online hash   KEYS[3] instances hash   KEYS[4] online-counts hash
 * KEYS[5] kicked set
 * ARGV[1] instance id   ARGV[2] lease, ms   ARGV[3] time to live of the keys, s
 * ARGV[4] how many of the pairs are hosts'   ARGV[5..] pairs of member id and connections: the hosts, then the players
 * Returns the number of players counted; a kicked player is not (a kick removed them).
 */
export const reassertScript = `${redisNowLua}${onlineCountsLua}
local instance = ARGV[1]
local suffix = '|' .. instance
redis.call('HSET', KEYS[3], instance, redisNow() + tonumber(ARGV[2]))
local held = {{}, {}}
for i = 5, #ARGV, 2 do
  if (i - 5) / 2 < tonumber(ARGV[4]) then held[2][ARGV[i]] = tonumber(ARGV[i + 1]) else held[1][ARGV[i]] = tonumber(ARGV[i + 1]) end
end
for k = 1, 2 do
  for _, field in ipairs(redis.call('HKEYS', KEYS[k])) do
    local id = string.sub(field, 1, #field - #suffix)
    if string.sub(field, -#suffix) == suffix and not held[k][id] then
      redis.call('HDEL', KEYS[k], field)
      if k == 1 then countField(KEYS[4], KEYS[1], KEYS[3], id, instance, -1) end
    end
  end
end
local players = 0
for id, n in pairs(held[1]) do
  if redis.call('SISMEMBER', KEYS[5], id) == 0 then
    local appears = redis.call('HSET', KEYS[1], id .. suffix, n) == 1
    if appears then countField(KEYS[4], KEYS[1], KEYS[3], id, instance, 1) end
    players = players + 1
  end
end
for id, n in pairs(held[2]) do redis.call('HSET', KEYS[2], id .. suffix, n) end
for k = 1, 4 do redis.call('EXPIRE', KEYS[k], tonumber(ARGV[3])) end
return players
`;

/**
 * Marks players as expected back: their socket instance is shutting down and has told them to
 * reconnect. Until they do, or the grace ends, the answer script counts them as online, so
 * the players who are back first cannot close the question on those still reconnecting.
 *
 * KEYS[1] reconnecting hash   ARGV[1] grace, ms   ARGV[2] time to live of the key, s   ARGV[3..] player ids
 * Returns the number of players marked. The deadline is on Redis's clock, the one the answer script reads.
 */
export const reconnectingScript = `${redisNowLua}
local expectedUntil = redisNow() + tonumber(ARGV[1])
for i = 3, #ARGV do redis.call('HSET', KEYS[1], ARGV[i], expectedUntil) end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
return #ARGV - 2
`;

/** roomPresence(k, index, markerTtl, now), `k` the nine keys of roomPresenceScript in order: its reply (the tick script's too). */
export const roomPresenceLua = `${everyoneAnsweredLua}
local function roomPresence(k, index, markerTtl, now)
  local players = redis.call('HLEN', k[1])
  local answered = 0
  if index >= 0 then answered = redis.call('HLEN', k[2]) end
  local livePlayers = livePlayerCount(k[8], k[3], k[5], now)
  local _, liveHosts = liveIds(k[4], k[5], now)
  local _, expected = expectedBack(k[6], now)
  local vacantForMs = 0
  if livePlayers + liveHosts + expected > 0 then
    redis.call('DEL', k[7])
  else
    local since = redis.call('GET', k[7])
    if since then
      vacantForMs = now - tonumber(since)
    else
      redis.call('SET', k[7], now, 'EX', markerTtl)
    end
  end
  local closable = 0
  if index >= 0 and (decided(k[9]) or everyoneAnsweredCounted(livePlayers, k[3], k[5], k[2], k[6], k[9], now)) then closable = 1 end
  return {players, answered, vacantForMs, closable, livePlayers}
end
`;

/**
 * What the reconciler (and, inside its own script, a tick) needs of a room in one round trip, by live
 * presence only, reading no hash of every player: the live count from the counts, `closable` by the
 * counted early-close check (a walk only once the counts say every live player may have answered).
 *
 * KEYS[1] players hash   KEYS[2] answers of the open question   KEYS[3] online hash   KEYS[4] host-online hash
 * KEYS[5] instances hash KEYS[6] reconnecting hash               KEYS[7] empty-since marker
 * KEYS[8] online-counts hash   KEYS[9] close-scan hash of the open question (the answer script's witness, and its count of correct answers in first-correct mode)
 * ARGV[1] open question index, or -1   ARGV[2] time to live of the marker, s
 * Returns {players, answered, vacantForMs, closable, livePlayers}: vacantForMs is how long nobody, host
 * or player, has been present (0 while someone is; players expected back count as present); closable
 * is 1 when a question is open and every live player has answered (a dead instance's players no
 * longer counted: nobody else would re-check once they are gone), or, in first-correct mode, it has
 * its correct answer (one taken while the question was paused closed nothing then).
 */
export const roomPresenceScript = `${roomPresenceLua}
return roomPresence(KEYS, tonumber(ARGV[1]), tonumber(ARGV[2]), redisNow())
`;

export const presence = defineScript({
  command: 'qlPresence',
  lua: presenceScript,
  keys: ['presence', 'instances'],
  // Players' presence names their reconnecting and online-counts hashes, and on a connect the kicked set; a host's none.
  restKeys: 'playerKeys',
  argv: { memberId: arg.string, instanceId: arg.string, delta: arg.number, leaseMs: arg.number, ttlSeconds: arg.number },
  failures: { [-1]: 'kicked' },
  reply: ['connections', 'elsewhere', 'lapsed'],
  ok: (r) => ({ connections: r.connections, elsewhere: r.elsewhere, lapsed: r.lapsed === 1 }),
});

export const lease = defineScript({
  command: 'qlLease',
  lua: leaseScript,
  keys: ['instances', 'online', 'hostOnline', 'onlineCounts'],
  argv: { instanceId: arg.string, leaseMs: arg.number, forgetAfterMs: arg.number },
  failures: {},
  status: [1, 2],
  reply: ['status'],
  ok: (r) => ({ lapsed: r.status === 2 }),
});

export const reassert = defineScript({
  command: 'qlReassert',
  lua: reassertScript,
  keys: ['online', 'hostOnline', 'instances', 'onlineCounts', 'kicked'],
  argv: { instanceId: arg.string, leaseMs: arg.number, ttlSeconds: arg.number, hostCount: arg.number, members: arg.pairs },
  failures: {},
  reply: ['players'],
  ok: (r) => ({ players: r.players }),
});

export const reconnecting = defineScript({
  command: 'qlReconnecting',
  lua: reconnectingScript,
  keys: ['reconnecting'],
  argv: { graceMs: arg.number, ttlSeconds: arg.number, playerIds: arg.rest(arg.string) },
  failures: {},
  reply: ['marked'],
  ok: (r) => ({ marked: r.marked }),
});

export const roomPresence = defineScript({
  command: 'qlRoomPresence',
  lua: roomPresenceScript,
  keys: ['players', 'answers', 'online', 'hostOnline', 'instances', 'reconnecting', 'emptySince', 'onlineCounts', 'closeScan'],
  argv: { questionIndex: arg.number, markerTtlSeconds: arg.number },
  failures: {},
  reply: ['players', 'answered', 'vacantForMs', 'closable', 'livePlayers'],
  ok: (r) => ({ players: r.players, answered: r.answered, vacantForMs: r.vacantForMs, closable: r.closable === 1, livePlayers: r.livePlayers }),
});

/**
 * How many players are online now, by live presence only (a dead instance's players not counted);
 * read-only, for the room's view. From the counts (livePlayerCount): O(socket instances²), not O(players).
 *
 * KEYS[1] online hash   KEYS[2] instances hash   KEYS[3] online-counts hash
 * Returns the number of players with a connection to a socket instance whose lease runs; a player
 * connected to two live instances at once counts once.
 */
export const onlineCountScript = `${everyoneAnsweredLua}
return livePlayerCount(KEYS[3], KEYS[1], KEYS[2], redisNow())
`;

export const onlineCount = defineScript({
  command: 'qlOnlineCount',
  lua: onlineCountScript,
  keys: ['online', 'instances', 'onlineCounts'],
  argv: {},
  failures: {},
  reply: ['online'],
  ok: (r) => ({ online: r.online }),
});
