import { isResumedQuestion, isTimedPhase } from '../src/game/room-machine';
import { assertNever } from '../src/shared/assert-never';
import type { RoomEvent } from '../src/shared/events';
import { jobId } from '../src/shared/jobs';
import { type StreamEntry, streamIdMs } from '../src/store/event-bus';
import type { WorkerDeps } from './deps';
import { closeEarly, scheduleAdvance } from './room-clock';
import type { TickArming } from './ticks';

/** An entry unacknowledged this long belonged to a consumer that died; another worker takes it over. */
const ABANDONED_AFTER_MS = 10_000;
const CLAIM_EVERY_MS = 5_000;
const BLOCK_MS = 1_000;
/** How long an event of a type this worker does not know waits unacknowledged for a worker that knows it (see processInOrder). */
export const UNKNOWN_EVENT_HOLD_MS = 10 * 60_000;

/**
 * Reads room events from the stream's consumer group and turns them into jobs. Entries are
 * acknowledged only after their jobs are enqueued, so a worker killed mid-way leaves them pending
 * and they are handled again; deterministic job ids make that second handling enqueue nothing.
 * `ticks`: where timed phases' countdowns are armed (the worker's ticks' thread, tick-thread.ts).
 */
export function createEventHandler(deps: WorkerDeps, consumer: string, ticks: TickArming) {
  const { bus, queues, rooms, log, metrics } = deps;
  let running = false;
  let loop: Promise<void> | null = null;
  /** Unknown-type entries this worker holds, so each is logged once however often its pending entries are read again. */
  const heldUnknown = new Set<string>();

  async function handle(event: RoomEvent): Promise<void> {
    if (event.type === 'room.finished') {
      await queues['persist-results'].add('persist-results', { roomCode: event.roomCode, gameId: event.gameId }, { jobId: jobId.persist(event.gameId) });
      return;
    }
    // The room as it is now: a room that moved on since (or is gone) needs nothing for this event,
    // the newer version's own event schedules what it needs.
    const room = await rooms.get(event.roomCode);
    if (!room || room.version !== event.version) return;
    const at = { roomCode: room.code, gameId: room.gameId, version: room.version };
    switch (event.type) {
      case 'room.created':
        await queues['prepare-room'].add('prepare-room', at, { jobId: jobId.prepare(room.gameId, room.version) });
        return;
      case 'room.started':
      case 'room.updated':
        if (isTimedPhase(room.phase) && room.deadlineAt !== null) {
          if (room.phaseStartedAt !== null) ticks.arm({ ...room, deadlineAt: room.deadlineAt, phaseStartedAt: room.phaseStartedAt });
          await scheduleAdvance(queues, { ...room, deadlineAt: room.deadlineAt }, deps.answerGraceMs, deps.redisClock.now());
        }
        // Answers that came before a pause closed nothing (answer.lua): the resumed question may be complete already.
        if (isResumedQuestion(room) && (await rooms.presenceState(room.code, room.questionIndex)).closable) await closeEarly(queues, room);
        if (room.phase === 'paused') await endIfIdle(at);
        return;
      case 'question.closable':
        await closeEarly(queues, room);
        return;
      case 'room.prepared':
        await endIfIdle(at);
        return;
      case 'room.failed':
        return;
      default:
        assertNever(event, 'room event');
    }
  }

  async function endIfIdle(at: { roomCode: string; gameId: string; version: number }): Promise<void> {
    await queues.housekeeping.add('idle', { ...at, reason: 'idle' }, { jobId: jobId.idle(at.gameId, at.version), delay: deps.housekeeping.idleMs });
  }

  /**
   * Handles a batch: one room's events in their order, different rooms at once (a thousand rooms
   * started together must not wait behind each other, or their first countdown frames go stale).
   */
  async function process(entries: StreamEntry[]): Promise<void> {
    // Trimmed away (`MAXLEN ~`) while pending: nothing is left to handle, and left pending it would be read again on every sweep.
    const trimmed = entries.filter((e) => e.trimmed);
    if (trimmed.length > 0) {
      log.warn('pending stream entries were trimmed from the stream before they were handled; acknowledged and skipped', {
        count: trimmed.length,
        ids: trimmed.slice(0, 10).map((e) => e.id),
      });
      metrics.eventsHandled.inc({ type: 'trimmed', outcome: 'skipped' }, trimmed.length);
    }
    const byRoom = new Map<string, StreamEntry[]>();
    for (const entry of entries) {
      if (entry.trimmed) continue;
      const room = entry.event?.roomCode ?? '';
      const queued = byRoom.get(room);
      if (queued) queued.push(entry);
      else byRoom.set(room, [entry]);
    }
    const done: StreamEntry[] = [...trimmed];
    await Promise.all([...byRoom.values()].map((roomEntries) => processInOrder(roomEntries, done)));
    await bus.ack(done);
  }

  async function processInOrder(entries: StreamEntry[], done: StreamEntry[]): Promise<void> {
    for (const entry of entries) {
      // A type this worker does not know comes from a process of another version, in a rolling deploy. Acknowledged
      // here it would be lost; left pending, a worker that knows it claims it once this one has stopped (XAUTOCLAIM
      // after ABANDONED_AFTER_MS). Past UNKNOWN_EVENT_HOLD_MS no such worker is coming: dropped as malformed below.
      if (entry.unknownType !== undefined && deps.redisClock.now() - streamIdMs(entry.id) < UNKNOWN_EVENT_HOLD_MS) {
        if (!heldUnknown.has(entry.id))
          log.error('unknown event type: left unacknowledged for a worker that knows it', { id: entry.id, type: entry.unknownType });
        heldUnknown.add(entry.id);
        metrics.eventsHandled.inc({ type: 'unknown', outcome: 'held' });
        continue;
      }
      heldUnknown.delete(entry.id);
      if (!entry.event) {
        log.warn('skipping malformed stream entry', { id: entry.id, reason: entry.malformed, type: entry.unknownType });
        metrics.eventsHandled.inc({ type: 'malformed', outcome: 'skipped' });
        done.push(entry);
        continue;
      }
      try {
        await handle(entry.event);
        metrics.eventsHandled.inc({ type: entry.event.type, outcome: 'ok' });
        done.push(entry);
      } catch (err) {
        metrics.eventsHandled.inc({ type: entry.event.type, outcome: 'error' });
        // Left pending: picked up again on the next sweep of this consumer's pending entries.
        log.error('event handling failed', { id: entry.id, type: entry.event.type, room: entry.event.roomCode, err });
      }
    }
  }

  /** One loop per lane of partitions (see event-bus.ts); a room's events are always in one lane, in order. */
  async function run(): Promise<void> {
    await bus.ensureGroup().catch((err: Error) => log.error('could not create the events consumer groups; the loops retry', { err: err.message }));
    await Promise.all(bus.lanes.map((lane) => readLane(lane)));
  }

  async function readLane(lane: string[]): Promise<void> {
    let lastSweep = 0;
    while (running) {
      try {
        if (Date.now() - lastSweep > CLAIM_EVERY_MS) {
          lastSweep = Date.now();
          for await (const page of bus.readOwnPending(consumer, lane)) await process(page);
          await process(await bus.claimAbandoned(consumer, lane, ABANDONED_AFTER_MS));
        }
        await process(await bus.readNew(consumer, lane, BLOCK_MS));
      } catch (err) {
        if (!running) break;
        // Redis lost the stream and its group (a restart without persistence, a failover, FLUSHALL):
        // create them again at once, or no event would ever be read again.
        if (err instanceof Error && err.message.includes('NOGROUP')) {
          log.warn('the events consumer group is gone; creating it again', { err: err.message });
          await bus.ensureGroup().catch((e: Error) => log.error('could not create the events consumer group', { err: e.message }));
          continue;
        }
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
      await bus.close();
    },
  };
}
