import { arg, defineScript } from './define-script';
/**
 * Adds one finished game to the global and the weekly leaderboard, at most once per game.
 *
 * KEYS[1] counted marker of the game   KEYS[2] global zset   KEYS[3] global games hash
 * KEYS[4] weekly zset                  KEYS[5] weekly games hash
 * ARGV[1] marker time to live, seconds ARGV[2] weekly expiry, epoch seconds
 * ARGV[3], ARGV[4], … pairs of user id and points
 *
 * Guarantees: the marker check and every increment happen in one script, so a second run for the
 * same game (a retried, stalled or duplicated job), concurrent or later, changes nothing while the
 * marker lives. Returns the number of players added, or -1 when the game was already counted.
 */
export const leaderboardScript = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[1])) then return -1 end
local added = 0
for i = 3, #ARGV, 2 do
  local user, points = ARGV[i], tonumber(ARGV[i + 1])
  redis.call('ZINCRBY', KEYS[2], points, user)
  redis.call('HINCRBY', KEYS[3], user, 1)
  redis.call('ZINCRBY', KEYS[4], points, user)
  redis.call('HINCRBY', KEYS[5], user, 1)
  added = added + 1
end
if added > 0 then
  redis.call('EXPIREAT', KEYS[4], tonumber(ARGV[2]))
  redis.call('EXPIREAT', KEYS[5], tonumber(ARGV[2]))
end
return added
`;

export const leaderboard = defineScript({
  command: 'qlLeaderboard',
  lua: leaderboardScript,
  keys: ['counted', 'global', 'globalGames', 'weekly', 'weeklyGames'],
  argv: { markerTtlSeconds: arg.number, weeklyExpiresAt: arg.number, points: arg.pairs },
  failures: { [-1]: 'already-counted' },
  reply: ['added'],
  ok: (r) => ({ added: r.added }),
});
