import { arg, defineScript } from './define-script';

/**
 * Releases a lock taken with `SET key token PX … NX` (room-store.ts, `asOnlyCreation`), if it is still the caller's: a
 * lock that expired and was taken by another is left to it.
 *
 * KEYS[1] the lock    ARGV[1] the caller's token
 * Returns 1 when it released the lock, 0 when the lock was not the caller's (gone, or another's).
 */
export const releaseLockScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return {1}
end
return {0}
`;

export const releaseLock = defineScript({
  command: 'qlReleaseLock',
  lua: releaseLockScript,
  keys: ['lock'],
  argv: { token: arg.string },
  failures: {},
  reply: ['released'],
  ok: (r) => ({ released: r.released === 1 }),
});
