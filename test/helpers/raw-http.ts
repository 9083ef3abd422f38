import { request } from 'node:http';
import type { HttpResult } from './api-client';

/**
 * HTTP on a connection of its own (no keep-alive pool), for tests about a server that is going
 * away: a reused idle connection would fail in ways that say nothing about the server.
 */

/**
 * Sends a request's headers and holds its body back: once this resolves, the server has read the
 * headers (its `100 Continue` says so) and the request is in flight there until `send()`.
 */
export async function heldRequest(url: string, method: string, body: unknown): Promise<{ send(): Promise<HttpResult> }> {
  const payload = JSON.stringify(body);
  const req = request(url, {
    method,
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), expect: '100-continue' },
  });
  const response = new Promise<HttpResult>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('error', reject);
      res.once('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', body: text ? JSON.parse(text) : null }));
    });
  });
  // Awaited by `send()`; until then a failure must not count as an unhandled rejection.
  response.catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    req.once('continue', resolve);
    req.once('error', reject);
    req.flushHeaders();
  });
  return {
    send() {
      req.end(payload);
      return response;
    },
  };
}

/** GETs `url` on a new connection: the status, or the error code when there was no answer (e.g. ECONNREFUSED). */
export function probe(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    req.end();
  });
}
