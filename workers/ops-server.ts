import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type OpsEndpoints, listen, opsRequestHandler } from '../src/platform/ops-http';
import { closeServer } from '../src/platform/shutdown';

/** The worker has no other HTTP surface: /metrics, /health and /ready on METRICS_PORT, 404 for the rest. */
export async function startOpsServer(port: number, endpoints: OpsEndpoints) {
  const ops = opsRequestHandler(endpoints);
  const server = createServer((req, res) => {
    if (ops(req, res)) return;
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Only /metrics, /health and /ready are served here.' }));
  });
  await listen(server, port);
  return {
    port: (server.address() as AddressInfo).port,
    stop: () => closeServer(server, 1000),
  };
}
