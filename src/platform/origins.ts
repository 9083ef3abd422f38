import type { IncomingMessage } from 'node:http';

/**
 * Whether a browser request's Origin may talk to this process: no Origin (not a browser), an origin
 * in CORS_ORIGINS, or a page on this same host name (the api's pages on PORT reaching the socket
 * process on SOCKET_PORT). Anything else, a page on another site, is refused.
 */
export function originAllowed(req: Pick<IncomingMessage, 'headers'>, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    const host = req.headers.host?.replace(/:\d+$/, '');
    return host !== undefined && new URL(origin).hostname === host.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
}
