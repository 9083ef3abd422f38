import { arg, defineScript } from './define-script';

/**
 * Raises the token version a host token of an account must carry (after a password change), never lowers it:
 * two changes whose writes cross leave the later version.
 *
 * KEYS[1] host-token-version (string)    ARGV[1] the account's new token version    ARGV[2] time to live, seconds
 * Keeps the key for the time to live either way. Returns the version kept.
 */
export const hostTokenVersionScript = `
local kept = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local version = tonumber(ARGV[1])
if version > kept then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return version
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return kept
`;

export const raiseHostTokenVersion = defineScript({
  command: 'qlRaiseHostTokenVersion',
  lua: hostTokenVersionScript,
  keys: ['version'],
  argv: { version: arg.number, ttlSeconds: arg.number },
  failures: {},
  reply: ['version'],
  ok: (r) => ({ version: r.version }),
});
