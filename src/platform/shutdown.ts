import type { Server } from 'node:http';
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

/** Stops accepting connections and lets requests in flight finish, for at most `graceMs`, then drops the rest. */
export async function closeServer(server: Server, graceMs: number): Promise<void> {
  const force = setTimeout(() => server.closeAllConnections(), graceMs);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  clearTimeout(force);
}
