/**
 * The live-player counts the presence and kick scripts keep, so that nobody has to read every player to
 * know how many are online (the reader is livePlayerCount in early-close.lua.ts).
 *
 * Counts hash (keys.onlineCounts), beside the online hash: `{instance}` → players with a connection on
 * that socket instance, `{a}|{b}` (a < b) → players with a connection on both. Invariant: each count is
 * the number of online-hash fields it stands for, so a field is only ever added or removed through
 * countField (a connect, a last disconnect, a kick); the lease script drops a forgotten instance's
 * counts with its fields. The counts hash exists exactly while the online hash does, with its expiry.
 * Every instance that holds a field is in the instances hash, which the helpers walk (a few entries).
 */
export const onlineCountsLua = `
local function addToCount(countsKey, field, delta)
  if redis.call('HINCRBY', countsKey, field, delta) <= 0 then redis.call('HDEL', countsKey, field) end
end

-- Member id's field on instance appeared (+1) or went (-1): that instance's count moves, and so does
-- each pair of it with another instance the member is on.
local function countField(countsKey, onlineKey, instancesKey, id, instance, delta)
  for _, other in ipairs(redis.call('HKEYS', instancesKey)) do
    if other ~= instance and redis.call('HEXISTS', onlineKey, id .. '|' .. other) == 1 then
      if other < instance then addToCount(countsKey, other .. '|' .. instance, delta)
      else addToCount(countsKey, instance .. '|' .. other, delta) end
    end
  end
  addToCount(countsKey, instance, delta)
end

-- Removes every connection count of member id (a kick), on every instance, keeping the counts.
local function dropMember(countsKey, onlineKey, instancesKey, id)
  for _, instance in ipairs(redis.call('HKEYS', instancesKey)) do
    if redis.call('HDEL', onlineKey, id .. '|' .. instance) == 1 then countField(countsKey, onlineKey, instancesKey, id, instance, -1) end
  end
end

-- Drops the counts of forgotten instances (gone: instance → true), whose fields go with them.
local function forgetCounts(countsKey, gone)
  for _, field in ipairs(redis.call('HKEYS', countsKey)) do
    local a, b = string.match(field, '^([^|]*)|([^|]*)$')
    if gone[field] or (a and (gone[a] or gone[b])) then redis.call('HDEL', countsKey, field) end
  end
end
`;
