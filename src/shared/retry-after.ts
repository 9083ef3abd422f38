/** Seconds to wait, as a refusal's `retryAfter` and REST's Retry-After give them: whole, at least 1. */
export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
