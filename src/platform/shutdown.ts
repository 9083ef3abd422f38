import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import closeWithGrace from 'close-with-grace';
import type { Logger } from './logger';

/** Platforms send SIGKILL about 30 s after SIGTERM; a process leaves before that with whatever is done. */
export const SHUTDOWN_LIMIT_MS = 25_000;

/**
 * On SIGTERM, SIGINT or another termination signal, runs `stop` once and exits 0; exits 1 when
 * `stop` fails or takes over SHUTDOWN_LIMIT_MS, or at once on a second signal. Crashes are left
 * to the caller, which reports a failed start-up in its own words.
 */
export function stopOnSignal(log: Logger, stop: () => Promise<void>): void {
  closeWithGrace(
    {
      delay: SHUTDOWN_LIMIT_MS,
      skip: ['uncaughtException', 'unhandledRejection', 'beforeExit'],
      logger: { error: (err: unknown) => log.error('stop failed', { err }) },
      onTimeout: () => log.error(`shutdown took over ${SHUTDOWN_LIMIT_MS / 1000} s; exiting`),
      onSecondSignal: (signal) => log.warn('stopping at once: second signal', { signal }),
    },
    async ({ signal }) => {
      log.info('stopping', { signal });
      await stop();
      log.info('stopped');
    },
  );
}

/**
 * Stops accepting connections and resolves once the requests in flight have finished. `server.close()`
 * alone waits for every keep-alive connection a client keeps busy or open (a browser tab, another
 * process's fetch pool), so idle connections are closed as soon as they go idle, a request that still
 * arrives on a kept-alive connection is answered with `Connection: close`, and whatever is still open
 * after `graceMs` is cut.
 */
export function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
    server.on('request', (_req: IncomingMessage, res: ServerResponse) => res.setHeader('connection', 'close'));
  });
}
