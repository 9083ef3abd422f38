import { UnrecoverableError } from 'bullmq';
import type { WebhookMetrics } from '../src/platform/metrics';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, type WebhookAction, type WebhookPayload, signWebhook } from '../src/shared/webhooks';

export type WebhookOutcome = { outcome: 'applied'; body: unknown } | { outcome: 'stale'; detail: string };

/**
 * Calls the api's internal webhooks. A 2xx applies; a 409 means someone already moved the
 * room on, which is success for a job; any other 4xx is permanent (UnrecoverableError);
 * a 5xx, a timeout or a refused connection is thrown as a plain error so BullMQ retries with backoff.
 * Each call's outcome is counted in `calls` (applied, stale, refused, error).
 */
export function createWebhookClient(opts: { baseUrl: string; secret: string; timeoutMs?: number; calls: WebhookMetrics }) {
  const timeoutMs = opts.timeoutMs ?? 5000;
  return async function call<A extends WebhookAction>(action: A, roomCode: string, payload: WebhookPayload<A>): Promise<WebhookOutcome> {
    const body = JSON.stringify(payload);
    const timestamp = Date.now();
    const url = `${opts.baseUrl}/internal/rooms/${roomCode}/${action}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(opts.secret, { method: 'POST', path: new URL(url).pathname, timestamp, body }),
          [TIMESTAMP_HEADER]: String(timestamp),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      opts.calls.inc({ action, outcome: 'error' });
      throw new Error(`webhook ${action} for ${roomCode}: api unreachable (${(err as Error).message})`, { cause: err });
    }
    opts.calls.inc({ action, outcome: res.ok ? 'applied' : res.status === 409 ? 'stale' : res.status < 500 ? 'refused' : 'error' });
    const text = await res.text();
    if (res.ok) return { outcome: 'applied', body: text ? JSON.parse(text) : null };
    if (res.status === 409) return { outcome: 'stale', detail: text };
    if (res.status < 500) throw new UnrecoverableError(`webhook ${action} for ${roomCode} refused with ${res.status}: ${text}`);
    throw new Error(`webhook ${action} for ${roomCode} failed with ${res.status}: ${text}`);
  };
}
export type WebhookClient = ReturnType<typeof createWebhookClient>;
