import { isTimedPhase } from '../src/game/room-machine';
import type { RoomEvent } from '../src/shared/events';
import { jobId } from '../src/shared/jobs';
import type { StreamEntry } from '../src/store/event-bus';
import type { WorkerDeps } from './deps';

/** An entry unacknowledged this long belonged to a consumer that died; another worker takes it over. */
const ABANDONED_AFTER_MS = 10_000;
const CLAIM_EVERY_MS = 5_000;
const BLOCK_MS = 1_000;

/**
 * Reads room events from the stream's consumer group and turns them into jobs. Entries are
 * acknowledged only after their jobs are enqueued, so a worker killed mid-way leaves them pending
 * and they are handled again; deterministic job ids make that second handling enqueue nothing.
 */
export function createEventHandler(deps: WorkerDeps, consumer: string) {
  const { bus, queues, log, metrics } = deps;
  let running = false;
  let loop: Promise<void> | null = null;

  async function handle(event: RoomEvent): Promise<void> {
    const code = event.roomCode;
    switch (event.type) {
      case 'room.created':
        await queues['prepare-room'].add('prepare-room', { roomCode: code, version: event.version }, { jobId: jobId.prepare(code, event.version) });
        return;
      case 'room.started':
      case 'room.updated':
        if (isTimedPhase(event.phase)) {
          await queues.tick.add('tick', { roomCode: code, version: event.version, n: 0 }, { jobId: jobId.tick(code, event.version, 0) });
        }
        if (event.phase === 'paused') await endIfIdle(code, event.version);
        return;
      case 'room.finished':
        await queues['persist-results'].add('persist-results', { roomCode: code, gameId: event.gameId }, { jobId: jobId.persist(code, event.gameId) });
        return;
      case 'question.closable':
        await closeEarly(code, event.version);
        return;
      case 'room.prepared':
        await endIfIdle(code, event.version);
        return;
      case 'room.failed':
        return;
    }
  }

  async function endIfIdle(code: string, version: number): Promise<void> {
    await queues.housekeeping.add(
      'idle',
      { roomCode: code, version, reason: 'idle' },
      { jobId: jobId.idle(code, version), delay: deps.housekeeping.idleMs },
    );
  }

  /** The advance job may already wait, delayed to the deadline: promote it rather than add a second one. */
  async function closeEarly(code: string, version: number): Promise<void> {
    const id = jobId.advance(code, version);
    if (!(await queues.advance.getJob(id))) await queues.advance.add('advance', { roomCode: code, version, dueAt: 0 }, { jobId: id });
    const job = await queues.advance.getJob(id);
    if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
  }

  async function process(entries: StreamEntry[]): Promise<void> {
    const done: string[] = [];
    for (const entry of entries) {
      if (!entry.event) {
        log.warn('skipping malformed stream entry', { id: entry.id, reason: entry.malformed });
        metrics.eventsHandled.inc({ type: 'malformed', outcome: 'skipped' });
        done.push(entry.id);
        continue;
      }
      try {
        await handle(entry.event);
        metrics.eventsHandled.inc({ type: entry.event.type, outcome: 'ok' });
        done.push(entry.id);
      } catch (err) {
        metrics.eventsHandled.inc({ type: entry.event.type, outcome: 'error' });
        // Left pending: picked up again on the next sweep of this consumer's pending entries.
        log.error('event handling failed', { id: entry.id, type: entry.event.type, room: entry.event.roomCode, err });
      }
    }
    await bus.ack(done);
  }

  async function run(): Promise<void> {
    await bus.ensureGroup();
    let lastSweep = 0;
    while (running) {
      try {
        if (Date.now() - lastSweep > CLAIM_EVERY_MS) {
          lastSweep = Date.now();
          await process(await bus.readOwnPending(consumer));
          await process(await bus.claimAbandoned(consumer, ABANDONED_AFTER_MS));
        }
        await process(await bus.readNew(consumer, BLOCK_MS));
      } catch (err) {
        if (!running) break;
        log.error('event loop error; retrying in 1 s', { err });
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  return {
    handle,
    start() {
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}
