import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ResolvedConfig } from '../src/platform/config';
import type { Logger } from '../src/platform/logger';
import { assertNever } from '../src/shared/assert-never';
import type { TickArming, TickDrawn, TimedRoom } from './ticks';

/** Messages into the ticks' thread. */
export type ToTickThread = { type: 'arm'; room: TimedRoom } | { type: 'stop' };
/** Messages out of it. */
export type FromTickThread = { type: 'ready' } | { type: 'drawn'; drawn: TickDrawn };

const RESTART_AFTER_MS = 1000;
const STOP_WAIT_MS = 5000;

/**
 * The countdown ticks in a thread of their own (tick-thread.main.ts), with their own timers, Redis
 * connection and event loop: a tick falls due and its frame is published on time even while this
 * thread is busy with the advances, events and webhooks of rooms closing their questions at that
 * moment. What a drawn tick found comes back here (`onDrawn`). A thread that dies is started again;
 * the ticks it held are lost, as with a killed worker (the deadline's advance is a job of its own).
 */
export function startTickThread(
  config: ResolvedConfig,
  log: Logger,
  onDrawn: (drawn: TickDrawn) => void,
): TickArming & { ready: Promise<void>; stop(): Promise<void> } {
  // Built, it is tick-thread.main.js beside this file; run from source (the tests), the .ts, loaded through tsx.
  const fromSource = path.extname(__filename) === '.ts';
  const entry = path.join(__dirname, `tick-thread.main${fromSource ? '.ts' : '.js'}`);
  let stopping = false;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let thread = spawn();

  function spawn(): { worker: Worker; exited: Promise<void> } {
    const t = new Worker(entry, { workerData: { config }, execArgv: fromSource ? [...process.execArgv, '--import', 'tsx'] : undefined });
    t.on('message', (m: FromTickThread) => {
      switch (m.type) {
        case 'ready':
          markReady();
          return;
        case 'drawn':
          onDrawn(m.drawn);
          return;
        default:
          assertNever(m, 'message from the countdown thread');
      }
    });
    t.on('error', (err) => log.error('the countdown thread failed; its ticks are lost, a new thread takes the next ones', { err }));
    t.on('exit', (code) => {
      if (stopping) return;
      log.error('the countdown thread exited; starting another', { code });
      setTimeout(() => {
        if (!stopping) thread = spawn();
      }, RESTART_AFTER_MS).unref();
    });
    return { worker: t, exited: new Promise((resolve) => t.once('exit', () => resolve())) };
  }

  return {
    /** Resolves once the first thread has measured Redis's clock; arms sent before wait for it. */
    ready,

    arm(room: TimedRoom): void {
      const slim: TimedRoom = {
        code: room.code,
        gameId: room.gameId,
        version: room.version,
        phase: room.phase,
        questionIndex: room.questionIndex,
        deadlineAt: room.deadlineAt,
        phaseStartedAt: room.phaseStartedAt,
      };
      thread.worker.postMessage({ type: 'arm', room: slim } satisfies ToTickThread);
    },

    /** Drops the waiting ticks and closes the thread's connection; ends the thread if it does not end itself. */
    async stop(): Promise<void> {
      stopping = true;
      // A thread that already died (waiting to be started again) has `exited` resolved.
      const { worker, exited } = thread;
      worker.postMessage({ type: 'stop' } satisfies ToTickThread);
      const timer = setTimeout(() => void worker.terminate(), STOP_WAIT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
