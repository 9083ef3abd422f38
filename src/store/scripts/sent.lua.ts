import { arg, defineScript } from './define-script';
/**
 * Records when a question was sent to players, keeping each player's first: a later send (a view
 * pushed again, a reconnect) must not restart anyone's clock.
 *
 * KEYS[1] sent:{i} hash (player id → ms after the question opened)
 * ARGV[1] time to live, seconds    ARGV[2..] player id, lag ms, player id, lag ms, …
 * Returns how many players were recorded for the first time.
 */
export const sentScript = `
local added = 0
for i = 2, #ARGV, 2 do
  added = added + redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return added
`;

export const sent = defineScript({
  command: 'qlSent',
  lua: sentScript,
  keys: ['sent'],
  argv: { ttlSeconds: arg.number, lags: arg.pairs },
  failures: {},
  reply: ['added'],
  ok: (r) => ({ added: r.added }),
});
