import { z } from 'zod';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Question } from './room';

/** Bodies of the worker → api webhooks, one per action, at `POST /internal/rooms/:code/:action`. */
export const WebhookBody = {
  prepared: z.object({ version: z.number().int(), questions: z.array(Question).min(1) }),
  failed: z.object({ version: z.number().int(), reason: z.string().min(1).max(500) }),
  advance: z.object({ version: z.number().int() }),
  /** Housekeeping: a room left idle (lobby or pause) too long, or a running game everyone left. */
  end: z.object({ version: z.number().int(), reason: z.enum(['idle', 'abandoned']) }),
};
export type WebhookAction = keyof typeof WebhookBody;
export type WebhookPayload<A extends WebhookAction> = z.infer<(typeof WebhookBody)[A]>;

export const SIGNATURE_HEADER = 'x-quizloop-signature';
export const TIMESTAMP_HEADER = 'x-quizloop-timestamp';
/** A signed request older or newer than this is refused, so a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

/** What a signature covers: the method and path (so a call for one room cannot be replayed on another), the time and the exact body. */
export interface SignedRequest {
  method: string;
  /** The path as sent, query included: `/internal/rooms/ABC123/advance`. */
  path: string;
  timestamp: number;
  body: string;
}

export function signWebhook(secret: string, r: SignedRequest): string {
  return `sha256=${createHmac('sha256', secret).update(`${r.timestamp}\n${r.method.toUpperCase()}\n${r.path}\n${r.body}`).digest('hex')}`;
}

export function verifyWebhook(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  request: Omit<SignedRequest, 'timestamp'>,
  now: number,
): 'ok' | 'missing' | 'expired' | 'invalid' {
  if (!headers.signature || !headers.timestamp) return 'missing';
  const timestamp = Number(headers.timestamp);
  if (!Number.isFinite(timestamp) || Math.abs(now - timestamp) > SIGNATURE_TOLERANCE_MS) return 'expired';
  const expected = Buffer.from(signWebhook(secret, { ...request, timestamp }));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'invalid';
}
