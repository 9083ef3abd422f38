import { z } from 'zod';
import { ErrorBody, ErrorCode } from './error-codes';

/**
 * The `data` of a `connect_error` when the server turned the handshake down. `retryAfter` comes with
 * `RATE_LIMITED`: the seconds to wait before connecting again with the same token.
 */
export const ConnectRefusal = ErrorBody.extend({
  retryAfter: z.number().int().positive().optional().describe('With RATE_LIMITED: seconds to wait before connecting again with the same token.'),
});
export type ConnectRefusal = z.infer<typeof ConnectRefusal>;

/** Refusals that connecting again with the same token cannot get past: the client needs a new token. */
const FINAL: ReadonlySet<string> = new Set([ErrorCode.Unauthorized, ErrorCode.Forbidden, ErrorCode.RoomNotFound, ErrorCode.NotAPlayer, ErrorCode.Kicked]);

/**
 * What a client does after a `connect_error` (the error Socket.IO's client emits): `network` when the server
 * sent no refusal (Socket.IO retries by itself), `final` when this token will never get in, else `wait` that
 * many ms and connect again, as Socket.IO does not retry a handshake the server refused: `retryAfter` for
 * RATE_LIMITED, `fallbackMs` for the rest (the server could not check the token just now, or a refusal this
 * client does not know).
 */
export function afterConnectError(
  err: unknown,
  fallbackMs = 2000,
): { kind: 'network' } | { kind: 'final'; refusal: ConnectRefusal } | { kind: 'wait'; ms: number; refusal: ConnectRefusal | null } {
  const data = (err as { data?: unknown } | null)?.data;
  if (data === undefined || data === null) return { kind: 'network' };
  const parsed = ConnectRefusal.safeParse(data);
  if (!parsed.success) return { kind: 'wait', ms: fallbackMs, refusal: null };
  const refusal = parsed.data;
  if (FINAL.has(refusal.code)) return { kind: 'final', refusal };
  return { kind: 'wait', ms: refusal.retryAfter !== undefined ? refusal.retryAfter * 1000 : fallbackMs, refusal };
}
