import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalServer, startLocalRedis } from '../../src/local/local-redis';
import { jobId } from '../../src/shared/jobs';
import { advanceProcessor } from '../../workers/processors/advance.processor';
import { persistResultsProcessor } from '../../workers/processors/persist-results.processor';
import { prepareRoomProcessor } from '../../workers/processors/prepare-room.processor';
import { reconcileProcessor } from '../../workers/processors/reconcile.processor';
import { sleep } from '../helpers/infra';
import { type WorkerHarness, startWorkerHarness } from '../helpers/worker-harness';

/**
 * The reconciler's passes, called one by one on the worker's real dependencies, with a real api
 * behind its webhooks, on a Redis of the test's own: its keyspace holds this file's keys alone, so
 * how far a bounded SCAN gets is this file's doing. No event handler runs: an event is as good as lost.
 */

const ROOMS_PER_PASS = 2;
const BUILDING_SECONDS = 2;
const IDLE_SECONDS = 4;
const SETTINGS = { questionCount: 1, questionSeconds: 30, revealSeconds: 5 };

let redisServer: LocalServer;
let h: WorkerHarness;
let host: { token: string };
let pass: () => Promise<{ failedBuilding: number; endedIdle: number; resultsRequeued: number; complete: boolean }>;

beforeAll(async () => {
  redisServer = await startLocalRedis({ server: inject('redisServer') ?? undefined });
  h = await startWorkerHarness('reconciler', {
    REDIS_URL: redisServer.url,
    RECONCILE_ROOMS_PER_PASS: String(ROOMS_PER_PASS),
    ROOM_BUILDING_SECONDS: String(BUILDING_SECONDS),
    ROOM_IDLE_SECONDS: String(IDLE_SECONDS),
    RECONCILE_GRACE_MS: '0',
    // The reconciler never drives a question on within its answer grace (config.ts refuses a shorter RECONCILE_GRACE_MS).
    ANSWER_GRACE_MS: '0',
    LATENCY_ALLOWANCE_CAP_MS: '0',
  });
  host = await h.api.registerHost('Reconciled');
  const run = reconcileProcessor(h.deps);
  pass = () => run();
}, 60_000);

afterAll(async () => {
  await h?.stop();
  await redisServer?.stop();
});

describe('the reconciler', () => {
  it('goes on from where its bounded scan stopped, so every room is looked at within a few passes', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 4 * ROOMS_PER_PASS; i++) codes.push((await h.api.createRoom(host.token, SETTINGS)).code);
    await sleep(BUILDING_SECONDS * 1000 + 200);
    const phases = async () => Promise.all(codes.map(async (c) => (await h.deps.rooms.get(c))?.phase));

    const first = await pass();
    const afterFirst = await phases();
    const passes = [first];
    while ((await phases()).includes('building') && passes.length < 20) passes.push(await pass());

    // One pass reads a bounded share of the rooms (SCAN's COUNT is a hint, so a little over the bound).
    expect(first.complete).toBe(false);
    expect(afterFirst.filter((p) => p === 'failed').length).toBeLessThan(codes.length);
    expect(await phases()).toEqual(codes.map(() => 'failed'));
    expect(passes.reduce((n, p) => n + p.failedBuilding, 0)).toBeGreaterThanOrEqual(codes.length);
  });

  it('saves the results of a finished game whose room.finished event was lost, once (a game too small for the leaderboards too)', async () => {
    const created = await h.api.createRoom(host.token, SETTINGS);
    const version = (await h.deps.rooms.get(created.code))?.version ?? 0;
    await h.run('prepare-room', prepareRoomProcessor, { roomCode: created.code, gameId: created.gameId, version });
    await h.api.join(created.code, 'Finisher');
    await h.api.start(created.code, created.hostToken);
    await h.api.control(created.code, 'end', created.hostToken);
    const job = () => h.deps.queues['persist-results'].getJob(jobId.persist(created.gameId));
    expect(await job()).toBeUndefined();

    // Passes until the scan reaches the room (it goes on from where the last one stopped).
    let requeued = 0;
    for (let i = 0; i < 20 && !(await job()); i++) requeued += (await pass()).resultsRequeued;
    const found = await job();
    const saved = await h.run(
      'persist-results',
      persistResultsProcessor,
      { roomCode: created.code, gameId: created.gameId },
      { jobId: jobId.persist(created.gameId) },
    );
    const results = await h.api.waitForResults(created.gameId, 5000);
    await found?.remove();
    let again = 0;
    for (let i = 0; i < 10; i++) again += (await pass()).resultsRequeued;

    expect(requeued).toBe(1);
    expect(found?.data).toEqual({ roomCode: created.code, gameId: created.gameId });
    expect(saved).toMatchObject({ state: 'completed', result: { result: 'saved' } });
    expect(results.players.map((p) => p.nickname)).toEqual(['Finisher']);
    expect(again).toBe(0);
    expect(await job()).toBeUndefined();
  });

  it('cancels a lobby left idle past the idle time, as its idle job would, but not one players joined since', async () => {
    const lobby = async () => {
      const created = await h.api.createRoom(host.token, SETTINGS);
      const version = (await h.deps.rooms.get(created.code))?.version ?? 0;
      await h.run('prepare-room', prepareRoomProcessor, { roomCode: created.code, gameId: created.gameId, version });
      return created.code;
    };
    // One after the other: two runs of one queue at once may each take the other's job (worker-harness.ts).
    const idle = await lobby();
    const filling = await lobby();
    await sleep(IDLE_SECONDS * 500);
    await h.api.join(filling, 'Late arrival');
    await sleep(IDLE_SECONDS * 500 + 300);
    const phase = async (code: string) => (await h.deps.rooms.get(code))?.phase;

    let ended = 0;
    for (let i = 0; i < 20 && (await phase(idle)) === 'lobby'; i++) ended += (await pass()).endedIdle;
    const fillingThen = await phase(filling);
    await sleep(IDLE_SECONDS * 500);
    for (let i = 0; i < 20 && (await phase(filling)) === 'lobby'; i++) ended += (await pass()).endedIdle;

    expect(await phase(idle)).toBe('cancelled');
    expect(fillingThen).toBe('lobby');
    expect(await phase(filling)).toBe('cancelled');
    expect(ended).toBe(2);
  });

  it("re-adds a lost question's advance due at its deadline + answer grace, so the answers still on their way count", async () => {
    // The pass as it would run with an answer grace longer than its own (config.ts refuses such settings).
    const ANSWER_GRACE_MS = 1500;
    const passWithGrace = reconcileProcessor({ ...h.deps, answerGraceMs: ANSWER_GRACE_MS });
    const created = await h.api.createRoom(host.token, { ...SETTINGS, questionSeconds: 3 });
    await h.run('prepare-room', prepareRoomProcessor, {
      roomCode: created.code,
      gameId: created.gameId,
      version: (await h.deps.rooms.get(created.code))?.version ?? 0,
    });
    await h.api.join(created.code, 'Graced');
    await h.api.start(created.code, created.hostToken);
    const question = await h.deps.rooms.get(created.code);
    const deadlineAt = question?.deadlineAt ?? 0;
    const id = jobId.advance(created.gameId, question?.version ?? 0);
    // No event handler runs: the advance the question's event would have scheduled is lost.
    await sleep(Math.max(0, deadlineAt - Date.now()) + 100);

    for (let i = 0; i < 20 && !(await h.deps.queues.advance.getJob(id)); i++) await passWithGrace();
    const job = await h.deps.queues.advance.getJob(id);
    const outcome = job && (await h.run('advance', advanceProcessor, job.data, { jobId: id }));
    const revealed = await h.deps.rooms.get(created.code);

    expect(job?.data.dueAt).toBe(deadlineAt + ANSWER_GRACE_MS);
    expect(outcome).toMatchObject({ state: 'completed', result: { outcome: 'applied' } });
    expect(revealed).toMatchObject({ phase: 'reveal' });
    expect(revealed?.phaseStartedAt).toBeGreaterThanOrEqual(deadlineAt + ANSWER_GRACE_MS);
  });
});
