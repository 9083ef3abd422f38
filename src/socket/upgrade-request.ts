import type { IncomingMessage } from 'node:http';

interface EngineConnection {
  request: IncomingMessage | null;
}

/**
 * Lets go of each connection's HTTP upgrade request once the connection is up, so that it does not
 * stay in memory (with its headers and parser state, about 4 KB) for as long as the connection lives.
 * Engine.IO holds it in two places: the connection's `request`, and a `close` listener that its
 * upgrade response (`WebSocketResponse`, for Express-style middleware on `io.engine.use`, which
 * quizloop has none of) puts on the TCP socket with `once`. The `ws` library's own listeners on that
 * socket are plain `on` listeners and stay.
 */
export function releaseUpgradeRequests(engine: { on(event: 'connection', listener: (raw: EngineConnection) => void): unknown }): void {
  engine.on('connection', (raw) => {
    const tcp = raw.request?.socket;
    raw.request = null;
    if (!tcp) return;
    for (const listener of tcp.rawListeners('close') as ((...args: unknown[]) => void)[]) {
      // `once` wraps a listener and keeps the original on the wrapper.
      if ('listener' in listener) tcp.removeListener('close', listener);
    }
  });
}

/** What a handshake's `auth`, headers and query become once the connection is admitted: one object for every connection. */
const READ = Object.freeze({});

/**
 * Lets go of what a connection's handshake carried once it has been read to admit it: the token
 * (`auth`), the upgrade request's headers (Socket.IO keeps that object after the request itself is
 * gone; a browser's is a kilobyte or two: user agent, cookies, languages) and its query. Nothing reads
 * them later, and they would stay in memory for as long as the connection lives. The same for the
 * request's URL and the time as text (`issued` keeps it as a number): strings of their own per connection.
 */
export function releaseHandshake(handshake: { auth: object; headers: object; query: object; url: string; time: string }): void {
  handshake.auth = READ;
  handshake.headers = READ;
  handshake.query = READ;
  handshake.url = '';
  handshake.time = '';
}
