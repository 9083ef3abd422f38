import { randomUUID } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leaderboard } from '../../src/api/leaderboards/leaderboards.schemas';
import { jobId } from '../../src/shared/jobs';
import type { GameResults } from '../../src/store/repos/games.repo';
import { advanceProcessor } from '../../workers/processors/advance.processor';
import { housekeepingProcessor } from '../../workers/processors/housekeeping.processor';
import { persistResultsProcessor } from '../../workers/processors/persist-results.processor';
import { prepareRoomProcessor } from '../../workers/processors/prepare-room.processor';
import { HOLD_MAX_MS } from '../../workers/processors/hold-until-due';
import { closeEarly } from '../../workers/room-clock';
import { sleep } from '../helpers/infra';
import type { RoomSettingsInput } from '../helpers/api-client';
import { type WorkerHarness, startWorkerHarness } from '../helpers/worker-harness';

/**
 * Each processor on its own: a real BullMQ job on a real queue, run by a worker that takes that one
 * job, against real Redis and PostgreSQL, with a real api answering the webhooks. No event handler
 * and no other processor runs, so every change seen here is the processor's doing.
 */

const SETTINGS: RoomSettingsInput = { questionCount: 1, questionSeconds: 30, revealSeconds: 5 };
const IDLE_SECONDS = 60;

let h: WorkerHarness;
let host: { token: string; userId: string };

beforeAll(async () => {
  h = await startWorkerHarness('processors', { ROOM_IDLE_SECONDS: String(IDLE_SECONDS), ROOM_ABANDONED_SECONDS: '3600' });
  host = await h.api.registerHost('Processor Host');
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** A room as `POST /rooms` leaves it: building, waiting for its questions. */
async function buildingRoom(settings: RoomSettingsInput = SETTINGS) {
  const created = await h.api.createRoom(host.token, settings);
  const room = await h.deps.rooms.get(created.code);
  if (!room) throw new Error(`room ${created.code} not in Redis`);
  return { ...created, version: room.version };
}

/** A room whose questions the prepare-room processor picked: in the lobby. */
async function lobbyRoom(settings: RoomSettingsInput = SETTINGS) {
  const room = await buildingRoom(settings);
  await h.run('prepare-room', prepareRoomProcessor, { roomCode: room.code, gameId: room.gameId, version: room.version });
  return { ...room, version: await versionOf(room.code) };
}

async function versionOf(code: string): Promise<number> {
  const room = await h.deps.rooms.get(code);
  if (!room) throw new Error(`room ${code} not in Redis`);
  return room.version;
}

describe('prepare-room', () => {
  it('picks the questions from the bank and opens the lobby', async () => {
    const room = await buildingRoom({ ...SETTINGS, questionCount: 3 });

    const outcome = await h.run('prepare-room', prepareRoomProcessor, { roomCode: room.code, gameId: room.gameId, version: room.version });

    expect(outcome).toMatchObject({ state: 'completed', result: { outcome: 'applied' } });
    expect(await h.deps.rooms.get(room.code)).toMatchObject({ phase: 'lobby', version: room.version + 1 });
    const questions = await h.deps.rooms.getQuestions(room.code);
    expect(questions).toHaveLength(3);
    expect(new Set(questions.map((q) => q.id)).size).toBe(3);
  });

  it('fails the room with a reason when the bank has too few questions for it', async () => {
    // POST /rooms refuses a room the bank cannot fill; this one's only question is deleted after the room is made.
    const category = `Emptied ${randomUUID().slice(0, 8)}`;
    const question = { category, difficulty: 'easy', type: 'boolean', text: 'Soon gone?', correct: [0] };
    const { body: written } = await h.api.request<{ id: number }>('POST', '/questions', { token: host.token, body: question });
    const room = await buildingRoom({ ...SETTINGS, category });
    await h.api.request('DELETE', `/questions/${written.id}`, { token: host.token });

    const outcome = await h.run('prepare-room', prepareRoomProcessor, { roomCode: room.code, gameId: room.gameId, version: room.version });

    expect(outcome.state).toBe('completed');
    expect(await h.deps.rooms.get(room.code)).toMatchObject({
      phase: 'failed',
      failureReason: expect.stringMatching(new RegExp(`0 question\\(s\\) this host may use for category "${category}"; the room needs 1`)),
    });
  });

  it('leaves alone a room that is no longer building', async () => {
    const room = await lobbyRoom();

    const outcome = await h.run(
      'prepare-room',
      prepareRoomProcessor,
      { roomCode: room.code, gameId: room.gameId, version: room.version - 1 },
      { jobId: `again-${room.code}` },
    );

    expect(outcome).toMatchObject({ state: 'completed', result: { result: 'stale' } });
    expect(await h.deps.rooms.get(room.code)).toMatchObject({ phase: 'lobby', version: room.version });
  });
});

describe('housekeeping', () => {
  it('cancels a lobby that nobody joined for the idle time', async () => {
    const room = await lobbyRoom();

    const outcome = await h.run('housekeeping', housekeepingProcessor, { roomCode: room.code, gameId: room.gameId, version: room.version, reason: 'idle' });

    expect(outcome).toMatchObject({ state: 'completed', result: { outcome: 'applied' } });
    expect(await h.deps.rooms.get(room.code)).toMatchObject({ phase: 'cancelled' });
  });

  it('looks again at a lobby players are still joining, idle time after the last join', async () => {
    const room = await lobbyRoom();
    await h.api.join(room.code, 'Latecomer');
    const lastJoin = Math.max(...(await h.deps.rooms.getPlayers(room.code)).map((p) => p.joinedAt));

    const outcome = await h.run('housekeeping', housekeepingProcessor, { roomCode: room.code, gameId: room.gameId, version: room.version, reason: 'idle' });

    expect(outcome).toMatchObject({ state: 'completed', result: { result: 'players still joining' } });
    expect(await h.deps.rooms.get(room.code)).toMatchObject({ phase: 'lobby', version: room.version });
    const again = await h.deps.queues.housekeeping.getJob(`${jobId.idle(room.gameId, room.version)}-${lastJoin}`);
    expect(await again?.getState()).toBe('delayed');
    expect(again?.data).toEqual({ roomCode: room.code, gameId: room.gameId, version: room.version, reason: 'idle' });
    expect((again?.timestamp ?? 0) + (again?.delay ?? 0)).toBeGreaterThanOrEqual(lastJoin + IDLE_SECONDS * 1000 - 50);
  });

  it('finishes a game left paused, keeping it for its results', async () => {
    const room = await lobbyRoom();
    await h.api.join(room.code, 'Pauser');
    await h.api.start(room.code, room.hostToken);
    await h.api.control(room.code, 'pause', room.hostToken);
    const paused = await versionOf(room.code);

    const outcome = await h.run('housekeeping', housekeepingProcessor, { roomCode: room.code, gameId: room.gameId, version: paused, reason: 'idle' });

    expect(outcome.state).toBe('completed');
    expect(await h.deps.rooms.get(room.code)).toMatchObject({ phase: 'finished', version: paused + 1 });
  });

  it('leaves alone a room that changed since the job was scheduled', async () => {
    const room = await lobbyRoom();
    await h.api.join(room.code, 'Starter');
    await h.api.start(room.code, room.hostToken);

    const outcome = await h.run('housekeeping', housekeepingProcessor, { roomCode: room.code, gameId: room.gameId, version: room.version, reason: 'idle' });

    expect(outcome).toMatchObject({ state: 'completed', result: { result: 'stale' } });
    expect(await h.deps.rooms.get(room.code)).toMatchObject({ phase: 'question', version: room.version + 1 });
  });
});

describe('persist-results', () => {
  let game: { roomCode: string; gameId: string };
  let player: { token: string; userId: string };

  /** One question: the signed-in player answers right, the guest wrong; then reveal and finish through the api's webhooks. */
  beforeAll(async () => {
    player = await h.api.registerHost('Signed-in Player');
    const room = await lobbyRoom();
    game = { roomCode: room.code, gameId: room.gameId };
    const signedIn = await h.api.request<{ playerId: string }>('POST', `/rooms/${room.code}/players`, { token: player.token, body: { nickname: 'Ada' } });
    const guest = await h.api.join(room.code, 'Guest');
    await h.api.start(room.code, room.hostToken);
    const [question] = await h.deps.rooms.getQuestions(room.code);
    const right = question?.correct[0] ?? 0;
    expect(await h.answers.submit(room.code, signedIn.body.playerId, 0, { choice: right })).toMatchObject({ ok: true });
    expect(await h.answers.submit(room.code, guest.playerId, 0, { choice: right === 0 ? 1 : 0 })).toMatchObject({ ok: true });
    for (let i = 0; i < 2; i++) await h.deps.webhook('advance', room.code, { version: await versionOf(room.code) });
    expect(await h.deps.rooms.get(room.code)).toMatchObject({ phase: 'finished' });
  }, 30_000);

  it('writes the game to PostgreSQL and counts the signed-in player on the leaderboards', async () => {
    const outcome = await h.run('persist-results', persistResultsProcessor, game);

    expect(outcome).toMatchObject({ state: 'completed', result: { result: 'saved', leaderboards: 'counted', players: 2 } });
    const results = await h.api.request<GameResults>('GET', `/games/${game.gameId}/results`, { token: host.token });
    expect(results.status).toBe(200);
    const [first, second] = [...results.body.players].sort((a, b) => a.rank - b.rank);
    expect(first).toMatchObject({ nickname: 'Ada', userId: player.userId, rank: 1, correctCount: 1 });
    expect(first?.score).toBeGreaterThan(0);
    expect(second).toMatchObject({ nickname: 'Guest', userId: null, score: 0, correctCount: 0 });
    const board = await h.api.request<Leaderboard>('GET', '/leaderboards/global?limit=100');
    expect(board.body.entries.find((e) => e.userId === player.userId)).toMatchObject({ score: first?.score, games: 1 });
  });

  it('changes nothing when it runs again for the same game', async () => {
    const before = await h.api.request<GameResults>('GET', `/games/${game.gameId}/results`, { token: host.token });

    const outcome = await h.run('persist-results', persistResultsProcessor, game, { jobId: `again-${game.gameId}` });

    expect(outcome).toMatchObject({ state: 'completed', result: { result: 'already-saved', leaderboards: 'already-counted' } });
    expect((await h.api.request<GameResults>('GET', `/games/${game.gameId}/results`, { token: host.token })).body).toEqual(before.body);
    const board = await h.api.request<Leaderboard>('GET', '/leaderboards/global?limit=100');
    expect(board.body.entries.find((e) => e.userId === player.userId)?.games).toBe(1);
  });

  it('fails for good, without retrying, when the room is not finished', async () => {
    const room = await lobbyRoom();

    const outcome = await h.run('persist-results', persistResultsProcessor, { roomCode: room.code, gameId: room.gameId });

    expect(outcome.state).toBe('failed');
    if (outcome.state !== 'failed') return;
    expect(outcome.error).toBeInstanceOf(UnrecoverableError);
    expect(outcome.error.message).toMatch(/is lobby, not finished/);
    expect(outcome.job.attemptsMade).toBe(1);
    expect((await h.api.request('GET', `/games/${room.gameId}/results`)).status).toBe(404);
  });

  it('fails for good when the room has expired from Redis', async () => {
    // A game whose results were never kept: the room is all there was, and it is gone.
    const outcome = await h.run('persist-results', persistResultsProcessor, { roomCode: 'GONE22', gameId: randomUUID() }, { jobId: 'expired-room' });

    expect(outcome).toMatchObject({ state: 'failed', error: { message: expect.stringMatching(/expired before its results were saved/) } });
  });
});

describe('persist-results, when a signed-in player deleted their account before the game was saved', () => {
  it('saves them without it and puts no points of theirs on the leaderboards, counting the others', async () => {
    const stays = await h.api.registerHost('Stays');
    const leaves = await h.api.registerHost('Leaves');
    const room = await lobbyRoom();
    const joinAs = async (token: string, nickname: string) =>
      (await h.api.request<{ playerId: string }>('POST', `/rooms/${room.code}/players`, { token, body: { nickname } })).body.playerId;
    const players = [await joinAs(stays.token, 'Stays'), await joinAs(leaves.token, 'Leaves')];
    await h.api.start(room.code, room.hostToken);
    const [question] = await h.deps.rooms.getQuestions(room.code);
    for (const playerId of players) await h.answers.submit(room.code, playerId, 0, { choice: question?.correct[0] ?? 0 });
    for (let i = 0; i < 2; i++) await h.deps.webhook('advance', room.code, { version: await versionOf(room.code) });
    expect((await h.api.request('DELETE', '/me', { token: leaves.token, body: { password: 'correct horse battery' } })).status).toBe(204);

    const outcome = await h.run('persist-results', persistResultsProcessor, { roomCode: room.code, gameId: room.gameId });

    expect(outcome).toMatchObject({ state: 'completed', result: { result: 'saved', leaderboards: 'counted', players: 2 } });
    const board = await h.api.request<Leaderboard>('GET', '/leaderboards/global?limit=100');
    expect(board.body.entries.find((e) => e.userId === stays.userId)?.score).toBeGreaterThan(0);
    expect(board.body.entries.find((e) => e.userId === leaves.userId)).toBeUndefined();
  });
});

describe('advance (countdown ticks are timers of the worker: test/integration/ticks.test.ts)', () => {
  it('an advance moves the room on once; a second one for the same version changes nothing', async () => {
    const room = await lobbyRoom();
    await h.api.join(room.code, 'Advancer');
    await h.api.start(room.code, room.hostToken);
    const version = await versionOf(room.code);

    const first = await h.run('advance', advanceProcessor, { roomCode: room.code, gameId: room.gameId, version, dueAt: 0 });
    const second = await h.run('advance', advanceProcessor, { roomCode: room.code, gameId: room.gameId, version, dueAt: 0 }, { jobId: `again-${room.code}` });

    expect(first).toMatchObject({ state: 'completed', result: { outcome: 'applied' } });
    expect(second).toMatchObject({ state: 'completed', result: { result: 'stale' } });
    expect(await h.deps.rooms.get(room.code)).toMatchObject({ phase: 'reveal', version: version + 1 });
  });

  /** A question in play, and when an advance for it is due: `inMs` from now on Redis's clock. */
  async function questionDue(inMs: number) {
    const room = await lobbyRoom();
    await h.api.join(room.code, 'Timed');
    await h.api.start(room.code, room.hostToken);
    const version = await versionOf(room.code);
    const [seconds, micros] = await h.redis.time();
    const dueAt = Number(seconds) * 1000 + Number(micros) / 1000 + inMs;
    return { job: { roomCode: room.code, gameId: room.gameId, version, dueAt }, dueAt };
  }
  /** When the room entered its reveal, on Redis's clock (transition.lua stamps it). */
  async function revealedAt(code: string) {
    const room = await h.deps.rooms.get(code);
    expect(room).toMatchObject({ phase: 'reveal' });
    return room?.phaseStartedAt ?? 0;
  }

  describe("when the advance is released before its due time (the fetching host's clock runs ahead)", () => {
    it("waits for its due time on Redis's clock before moving the room on", async () => {
      // Not delayed at all: as a host whose clock runs 600 ms ahead releases a job due 600 ms from now.
      const { job, dueAt } = await questionDue(600);

      const outcome = await h.run('advance', advanceProcessor, job);

      expect(outcome).toMatchObject({ state: 'completed', result: { outcome: 'applied' } });
      expect(await revealedAt(job.roomCode)).toBeGreaterThanOrEqual(dueAt);
    });

    it('goes back to the delayed set when released too early to hold, and runs at its due time, not before', async () => {
      const { job, dueAt } = await questionDue(HOLD_MAX_MS + 1500);
      const id = `early-${job.roomCode}`;

      const running = h.run('advance', advanceProcessor, job, { jobId: id });
      await sleep(500);
      const meanwhile = await (await h.deps.queues.advance.getJob(id))?.getState();
      const outcome = await running;

      expect(meanwhile).toBe('delayed');
      expect(outcome).toMatchObject({ state: 'completed', result: { outcome: 'applied' } });
      // One try, the one that completed: moving back spends none of those kept for an api that does not answer.
      expect(outcome.job.attemptsMade).toBe(1);
      expect(await revealedAt(job.roomCode)).toBeGreaterThanOrEqual(dueAt);
    });

    it('still closes the question at once when an early close marks it due while it is held', async () => {
      const { job, dueAt } = await questionDue(HOLD_MAX_MS - 100);
      const id = jobId.advance(job.gameId, job.version);

      const running = h.run('advance', advanceProcessor, job, { jobId: id });
      await sleep(200);
      await closeEarly(h.deps.queues, { code: job.roomCode, gameId: job.gameId, version: job.version });
      const outcome = await running;

      expect(outcome).toMatchObject({ state: 'completed', result: { outcome: 'applied' } });
      expect(await revealedAt(job.roomCode)).toBeLessThan(dueAt - 300);
    });
  });
});
