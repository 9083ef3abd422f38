import { isTimedPhase } from '../../src/game/room-machine';
import { jobId } from '../../src/shared/jobs';
import { RoomState } from '../../src/game/room-state';
import type { ReconcileReport } from '../../src/store/reconcile-report';
import { endIfAbandoned } from '../abandoned';
import type { WorkerDeps } from '../deps';
import { idleSince } from '../idle';
import { advanceDueAt } from '../room-clock';

/**
 * One pass of the reconciler, run by a BullMQ job scheduler every few seconds on whichever worker
 * takes the job. It looks at every room (a bounded SCAN) and moves on any that nothing else would:
 * - a timed phase past its deadline plus a grace: its advance job is made sure of (added again if
 *   lost, retried if failed, hurried if waiting out a backoff), or, if that job is done and the room
 *   still waits, the api is asked directly;
 * - a room everyone left for the abandoned limit is finished (as a tick would);
 * - a room still building past the limit fails, with a reason the host sees;
 * - a lobby or a paused game idle past ROOM_IDLE_SECONDS plus the grace is ended as its idle job ends
 *   it (that job's tries can all fall in one api outage): a lobby cancelled, a game finished, results kept;
 * and it enqueues again the results of finished games that PostgreSQL has not taken (kept in the
 * results backlog, or, when nothing ever tried to save them, read from the finished room).
 * A pass reads at most RECONCILE_ROOMS_PER_PASS room records; the next pass, on any worker, goes on
 * from where it stopped, so every room is looked at within a few passes however many there are.
 * Every action is idempotent (deterministic job ids, version compare-and-set in the api), so two
 * passes at once, on two workers, do no harm.
 */
export function reconcileProcessor(deps: WorkerDeps) {
  const { rooms, queues, webhook, results, games, log, reconcile } = deps;

  async function redrive(room: RoomState, deadlineAt: number): Promise<void> {
    const id = jobId.advance(room.gameId, room.version);
    const job = await queues.advance.getJob(id);
    const state = job ? await job.getState() : 'missing';
    log.warn('room past its deadline; driving it on', { room: room.code, version: room.version, advanceJob: state });
    // Never marked due now (`dueAt: 0`, an early close's mark): the advance still waits for its deadline + answer grace.
    if (!job) {
      const dueAt = advanceDueAt({ phase: room.phase, deadlineAt }, deps.answerGraceMs);
      await queues.advance.add('advance', { roomCode: room.code, gameId: room.gameId, version: room.version, dueAt }, { jobId: id });
    } else if (state === 'failed') {
      await job.retry();
    } else if (state === 'delayed') {
      await job.promote().catch(() => undefined);
    } else if (state === 'completed') {
      await webhook('advance', room.code, { version: room.version });
    }
  }

  async function failBuilding(room: RoomState): Promise<void> {
    const seconds = Math.round(reconcile.buildingMs / 1000);
    log.warn('room still building past the limit; failing it', { room: room.code });
    await webhook('failed', room.code, {
      version: room.version,
      reason: `The room's questions could not be prepared within ${seconds} s (the question bank or the servers were unavailable). Retry it, or delete it.`,
    });
  }

  /** The idle job's own webhook and reason, at the version read: a room changed since answers 409, and nothing happens. */
  async function endIdle(room: RoomState): Promise<void> {
    log.warn('room idle past the limit and not ended; ending it', { room: room.code, phase: room.phase, version: room.version });
    await webhook('end', room.code, { version: room.version, reason: 'idle' });
  }

  async function requeueResults(): Promise<number> {
    let requeued = 0;
    for (const { gameId, roomCode } of await results.waiting()) {
      const job = await queues['persist-results'].getJob(jobId.persist(gameId));
      const state = job ? await job.getState() : 'missing';
      if (state === 'missing' || state === 'completed') {
        // Completed yet still waiting: the job's last step did not land; a new run finishes it, idempotently.
        await job?.remove().catch(() => undefined);
        await queues['persist-results'].add('persist-results', { roomCode, gameId }, { jobId: jobId.persist(gameId) });
        requeued++;
      } else if (state === 'failed') {
        await job?.retry();
        requeued++;
      }
    }
    return requeued;
  }

  /**
   * Finished rooms whose results PostgreSQL does not hold and nothing is saving (their `room.finished`
   * event was lost, say): their results job is added (a no-op under its id when it exists).
   */
  async function saveUnsaved(finished: RoomState[]): Promise<number> {
    const saved = await games.savedOf(finished.map((r) => r.gameId));
    let enqueued = 0;
    for (const room of finished.filter((r) => !saved.has(r.gameId))) {
      const id = jobId.persist(room.gameId);
      if (await queues['persist-results'].getJob(id)) continue;
      log.warn('finished room with no results saved nor being saved; saving them', { room: room.code, game: room.gameId });
      await queues['persist-results'].add('persist-results', { roomCode: room.code, gameId: room.gameId }, { jobId: id });
      enqueued++;
    }
    return enqueued;
  }

  return async (): Promise<ReconcileReport> => {
    const now = deps.redisClock.now();
    const report: ReconcileReport = { at: now, stuckRooms: 0, redriven: 0, failedBuilding: 0, endedIdle: 0, abandoned: 0, resultsRequeued: 0, complete: true };
    const idleLimit = deps.housekeeping.idleMs + reconcile.graceMs;
    const actions: Promise<unknown>[] = [];
    const attempt = (what: string, room: RoomState, action: () => Promise<unknown>) =>
      actions.push(action().catch((err: Error) => log.warn(`reconciler: ${what} failed; next pass tries again`, { room: room.code, err: err.message })));

    const finished: RoomState[] = [];
    const { complete } = await rooms.scan(
      async (records) => {
        for (const raw of records) {
          const parsed = raw ? RoomState.safeParse(JSON.parse(raw)) : null;
          if (!parsed?.success) continue;
          const room = parsed.data;
          if (room.phase === 'finished' && room.deletedAt === undefined) finished.push(room);
          const { deadlineAt } = room;
          if (isTimedPhase(room.phase) && deadlineAt !== null) {
            const presence = await rooms.presenceState(room.code, room.phase === 'question' ? room.questionIndex : -1);
            if (presence.vacantForMs >= deps.housekeeping.abandonedMs) {
              report.abandoned++;
              attempt('ending an abandoned room', room, () => endIfAbandoned(deps, room, presence.vacantForMs));
            } else if (deadlineAt + reconcile.graceMs < now) {
              report.stuckRooms++;
              report.redriven++;
              attempt('driving a room on', room, () => redrive(room, deadlineAt));
            }
          } else if (room.phase === 'building' && (room.phaseStartedAt ?? room.createdAt) + reconcile.buildingMs < now) {
            report.stuckRooms++;
            report.failedBuilding++;
            attempt('failing a room left building', room, () => failBuilding(room));
          } else if (
            (room.phase === 'lobby' || room.phase === 'paused') &&
            // Idle counts from its phase's start or later: a room younger than the limit is let be without reading its joins.
            (room.phaseStartedAt ?? room.createdAt) + idleLimit < now &&
            (await idleSince(rooms, room)) + idleLimit < now
          ) {
            report.stuckRooms++;
            report.endedIdle++;
            attempt('ending an idle room', room, () => endIdle(room));
          }
        }
      },
      { resumable: true, maxRooms: reconcile.roomsPerPass },
    );
    report.complete = complete;
    report.resultsRequeued = await requeueResults();
    report.resultsRequeued += await saveUnsaved(finished).catch((err: Error) => {
      log.warn('reconciler: looking for unsaved results failed; next pass tries again', { err: err.message });
      return 0;
    });
    await Promise.all(actions);
    await deps.reports.write(report);
    return report;
  };
}
