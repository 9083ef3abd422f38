/**
 * Shares one read of a key among the callers that ask for it before the current run of callbacks is
 * over (the ticks and promise reactions of one event, e.g. a Redis reply admitting many connections).
 * On an auto-pipelined connection, whose commands leave together once that run is over, this changes no
 * answer: every caller's read would have gone in the same write, after everything each caller did
 * before asking. Only the reply is parsed once, and one result is held instead of one per caller, so
 * callers must not change it.
 */
export function sharedRead<V>(read: (key: string) => Promise<V>): (key: string) => Promise<V> {
  const pending = new Map<string, Promise<V>>();
  return (key) => {
    let shared = pending.get(key);
    if (!shared) {
      shared = read(key);
      pending.set(key, shared);
      process.nextTick(() => pending.delete(key));
    }
    return shared;
  };
}
