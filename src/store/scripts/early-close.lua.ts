/**
 * The early-close rule, one Lua function shared by the scripts that can complete a question's
 * answers (an answer arriving, a kick): every player online has answered, and so has every player
 * still expected back after their socket instance shut down, until their grace ends on Redis's clock.
 * Counts alone can mislead (an answer from a player who left since), so each id is checked.
 */
export const everyoneAnsweredLua = `
local function everyoneAnswered(onlineKey, answersKey, reconnectingKey, now)
  for _, id in ipairs(redis.call('HKEYS', onlineKey)) do
    if redis.call('HEXISTS', answersKey, id) == 0 then return false end
  end
  local expected = redis.call('HGETALL', reconnectingKey)
  for i = 1, #expected, 2 do
    if tonumber(expected[i + 1]) > now and redis.call('HEXISTS', answersKey, expected[i]) == 0 then return false end
  end
  return true
end
`;
