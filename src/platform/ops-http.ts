import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { type ReadinessCheck, checkReadiness, readinessResponse } from './readiness';

export interface OpsEndpoints {
  registry: Registry;
  /** What GET /ready checks, by name (`redis`, `postgres`). */
  checks: Record<string, ReadinessCheck>;
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
}

/**
 * `GET /metrics`, `/health` (liveness: answers while the process runs) and `/ready` (its
 * dependencies answer) for a plain node:http server, as the socket and worker processes have.
 * Returns false for any other request, which the caller answers.
 */
export function opsRequestHandler({ registry, checks }: OpsEndpoints) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '/').split('?')[0];
    switch (path) {
      case '/health':
        send(res, 200, 'application/json', JSON.stringify({ status: 'ok' }));
        return true;
      case '/ready':
        void checkReadiness(checks).then((readiness) => {
          const answer = readinessResponse(readiness, path);
          send(res, answer.status, answer.contentType, JSON.stringify(answer.body));
        });
        return true;
      case '/metrics':
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

