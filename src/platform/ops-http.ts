import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { type ReadinessCheck, checkReadiness, readinessResponse } from './readiness';

export interface OpsEndpoints {
  registry: Registry;
  /** What GET /ready checks, by name (`redis`, `postgres`). */
  checks: Record<string, ReadinessCheck>;
  /** METRICS_TOKEN: when set, /metrics asks for `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /** Figures /ready reports beside its checks without failing on them (the worker's stuck rooms, results backlog). */
  report?: () => Promise<Record<string, number>>;
}

/** Whether a request may read /metrics: no token configured, or the right one as a Bearer (compared in constant time). */
export function metricsAllowed(authorization: string | undefined, token: string | null): boolean {
  if (token === null) return true;
  const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

export const METRICS_REFUSED = {
  type: 'urn:quizloop:problem:unauthorized',
  title: 'Unauthorized',
  status: 401,
  code: 'UNAUTHORIZED',
  detail: 'Metrics need the METRICS_TOKEN as Authorization: Bearer <token>.',
  instance: '/metrics',
};

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
}

/**
 * `GET /metrics`, `/health` (liveness: answers while the process runs) and `/ready` (its
 * dependencies answer) for a plain node:http server, as the socket and worker processes have.
 * Returns false for any other request, which the caller answers.
 */
export function opsRequestHandler({ registry, checks, metricsToken, report }: OpsEndpoints) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '/').split('?')[0];
    switch (path) {
      case '/health':
        send(res, 200, 'application/json', JSON.stringify({ status: 'ok' }));
        return true;
      case '/ready':
        void Promise.all([checkReadiness(checks), report?.().catch(() => undefined)]).then(([readiness, figures]) => {
          const answer = readinessResponse(readiness, path);
          send(res, answer.status, answer.contentType, JSON.stringify(figures ? { ...answer.body, report: figures } : answer.body));
        });
        return true;
      case '/metrics':
        if (!metricsAllowed(req.headers.authorization, metricsToken)) {
          send(res, 401, 'application/problem+json', JSON.stringify(METRICS_REFUSED));
          return true;
        }
        registry.metrics().then(
          (text) => send(res, 200, registry.contentType, text),
          (err: unknown) => send(res, 500, 'text/plain', `metrics collection failed: ${(err as Error).message}\n`),
        );
        return true;
      default:
        return false;
    }
  };
}

/** Listens on `port`; a port in use rejects (with code EADDRINUSE) instead of crashing the process. */
export function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
