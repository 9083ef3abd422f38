/**
 * Presence and the early-close rule, Lua functions shared by the scripts that read them (an answer,
 * a kick, a tick, a view's online count).
 *
 * Presence is owned by socket instances: a presence hash maps `{id}|{instance}` to that instance's
 * open connections, and counts only while the instance's lease (instances hash: instance → until
 * when, Redis clock) runs. A socket process that dies stops renewing its lease, so its players count
 * as offline once it ends, with no clean-up needed.
 *
 * Live players are counted without reading every player (livePlayerCount): the presence script keeps,
 * per room, how many players have a connection on each instance and how many have one on each pair of
 * instances (online-counts.lua.ts), and the count is the sum over instances whose lease runs, less the
 * players counted on two of them: O(instances²), whatever the room's size.
 *
 * The early-close rule: every player online has answered, and so has every player still expected
 * back after their socket instance shut down, until their grace ends on Redis's clock; in `first-correct`
 * mode, also a correct answer (`decided`).
 * Counts alone can mislead (an answer from a player who left since), so each id is checked; the
 * counts only tell "not yet" (fewer answers than live players) without a walk.
 */
/** Redis's clock in epoch ms, the clock of every room time: `redisNow()` for a script that includes it. */
export const redisNowLua = `
local function redisNow()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

export const everyoneAnsweredLua = `${redisNowLua}

local function liveIds(presenceKey, instancesKey, now)
  local leases, live, n = {}, {}, 0
  local all = redis.call('HGETALL', presenceKey)
  for i = 1, #all, 2 do
    local id, instance = string.match(all[i], '^(.*)|([^|]*)$')
    if id and tonumber(all[i + 1]) > 0 then
      local lease = leases[instance]
      if lease == nil then
        lease = tonumber(redis.call('HGET', instancesKey, instance) or '0')
        leases[instance] = lease
      end
      if lease > now and not live[id] then live[id] = true; n = n + 1 end
    end
  end
  return live, n
end

-- Players connected to an instance whose lease runs, from the counts of online-counts.lua.ts: the sum
-- over live instances, less the players counted on a pair of live instances. Exact unless a player is on
-- three live instances at once (then it counts them less, never more, which the early-close test below
-- allows), and at least 1 while anyone is connected. A room whose presence was written before the counts
-- existed (fields, no counts) is walked as before.
local function livePlayerCount(countsKey, onlineKey, instancesKey, now)
  local counts = redis.call('HGETALL', countsKey)
  if #counts == 0 then
    if redis.call('EXISTS', onlineKey) == 0 then return 0 end
    local _, n = liveIds(onlineKey, instancesKey, now)
    return n
  end
  local live, sum, overlaps = {}, 0, {}
  for i = 1, #counts, 2 do
    local a, b = string.match(counts[i], '^([^|]*)|([^|]*)$')
    if a then
      overlaps[#overlaps + 1] = {a, b, tonumber(counts[i + 1])}
    elseif tonumber(redis.call('HGET', instancesKey, counts[i]) or '0') > now then
      live[counts[i]] = true
      sum = sum + tonumber(counts[i + 1])
    end
  end
  local n = sum
  for _, o in ipairs(overlaps) do
    if live[o[1]] and live[o[2]] then n = n - o[3] end
  end
  if sum > 0 and n < 1 then n = 1 end
  return n
end

local function expectedBack(reconnectingKey, now)
  local out, n = {}, 0
  local expected = redis.call('HGETALL', reconnectingKey)
  for i = 1, #expected, 2 do
    if tonumber(expected[i + 1]) > now then out[expected[i]] = true; n = n + 1 end
  end
  return out, n
end

-- Appends the question.closable event for the room's open question, in the script that decided it.
local function announceClosable(streamKey, maxLength, room, now)
  local event = cjson.encode({type = 'question.closable', roomCode = room.code, version = room.version, at = now, questionIndex = room.questionIndex})
  redis.call('XADD', streamKey, 'MAXLEN', '~', maxLength, '*', 'type', 'question.closable', 'event', event)
end

local function everyoneAnswered(onlineKey, instancesKey, answersKey, reconnectingKey, now)
  local live = liveIds(onlineKey, instancesKey, now)
  for id in pairs(live) do
    if redis.call('HEXISTS', answersKey, id) == 0 then return false end
  end
  for id in pairs((expectedBack(reconnectingKey, now))) do
    if redis.call('HEXISTS', answersKey, id) == 0 then return false end
  end
  return true
end

-- everyoneAnswered for an answer, without reading every player on every answer (which made a burst
-- of n answers cost n² in Redis): a live player who has not answered (the witness) is kept per
-- question in scanKey with where the scan of presence stopped. An answer checks the witness, and only
-- once it has answered does the scan go on from there, so each entry is passed about once per
-- question. A scan that finds nobody waiting is confirmed by the full check, which also sees
-- players who connected behind it.
local function everyoneAnsweredSoFar(onlineKey, instancesKey, answersKey, reconnectingKey, scanKey, now)
  local function waiting(field, count)
    if tonumber(count or '0') <= 0 then return false end
    local id, instance = string.match(field, '^(.*)|([^|]*)$')
    if not id or tonumber(redis.call('HGET', instancesKey, instance) or '0') <= now then return false end
    return redis.call('HEXISTS', answersKey, id) == 0
  end
  local witness = redis.call('HGET', scanKey, 'witness')
  if witness and waiting(witness, redis.call('HGET', onlineKey, witness)) then return false end
  local cursor = redis.call('HGET', scanKey, 'cursor') or '0'
  repeat
    local page = redis.call('HSCAN', onlineKey, cursor, 'COUNT', 20)
    for i = 1, #page[2], 2 do
      if waiting(page[2][i], page[2][i + 1]) then
        -- Kept at this page's cursor: the next scan reads this page again, missing none of it.
        redis.call('HSET', scanKey, 'witness', page[2][i], 'cursor', cursor)
        redis.call('EXPIRE', scanKey, math.max(redis.call('TTL', onlineKey), 60))
        return false
      end
    end
    cursor = page[1]
  until cursor == '0'
  redis.call('HDEL', scanKey, 'witness', 'cursor')
  return everyoneAnswered(onlineKey, instancesKey, answersKey, reconnectingKey, now)
end

-- A first-correct question's correct answers, counted in the question's scan hash (\`decided\`): a question an answer
-- could not close (paused then) is closed by the resumed question's presence checks. The answer script counts one up,
-- a kick of a player whose correct answer it removes counts one down; the hash lives as long as the room record.
local function markDecided(scanKey, roomKey)
  redis.call('HINCRBY', scanKey, 'decided', 1)
  redis.call('EXPIRE', scanKey, math.max(redis.call('TTL', roomKey), 60))
end

local function unmarkDecided(scanKey, answer)
  if answer and cjson.decode(answer).correct == true and redis.call('HEXISTS', scanKey, 'decided') == 1 then
    redis.call('HINCRBY', scanKey, 'decided', -1)
  end
end

local function decided(scanKey)
  return tonumber(redis.call('HGET', scanKey, 'decided') or '0') > 0
end

-- everyoneAnswered where the live count (livePlayerCount) says whether a walk is worth it: fewer answers
-- than live players means someone live has not answered (the count is never above the true number);
-- otherwise the witness check above decides. Nobody live: false, nothing to close on.
local function everyoneAnsweredCounted(live, onlineKey, instancesKey, answersKey, reconnectingKey, scanKey, now)
  if live == 0 or redis.call('HLEN', answersKey) < live then return false end
  return everyoneAnsweredSoFar(onlineKey, instancesKey, answersKey, reconnectingKey, scanKey, now)
end
`;
