import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPort } from '../helpers/ports';
import { QueueName } from '../../src/shared/jobs';
import { type Game, answerAsPlanned, finishedResults, openGame } from '../helpers/game';
import { sleep, waitUntil } from '../helpers/infra';
import { type Sample, metricValue, scrape } from '../helpers/prometheus';
import type { AnswerAck } from '../helpers/recording-client';
import { Stack, printLogsOnFailure } from '../helpers/stack';

/** Question 0 is answered by both players (it closes early); question 1 by nobody (it runs to its deadline, with a delayed tick). */
const SETTINGS = { questionCount: 2, questionSeconds: 3, revealSeconds: 1 };
const PLAYERS = 2;
const ADMIN = { user: 'ops', password: `ops-${randomBytes(8).toString('hex')}` };
const ADMIN_EMAIL = `admin-${randomBytes(6).toString('hex')}@quizloop.test`;
const QUEUES = Object.values(QueueName);
/** Every queue a game that is played through runs a job on; housekeeping waits for idle rooms. */
const GAME_QUEUES = QUEUES.filter((q) => q !== QueueName.Housekeeping);

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('operations: metrics, health and the queue dashboard of separate api, worker and socket processes', () => {
  let stack: Stack;
  let game: Game;
  let adminToken: string;
  let userToken: string;
  let inLobby: { api: Sample[]; socket: Sample[] };
  let after: { api: Sample[]; socket: Sample[]; worker: Sample[] };
  let hostRefusal: AnswerAck;
  const acks: Promise<AnswerAck>[][] = [];

  beforeAll(async () => {
    stack = await Stack.start('operations', undefined, {
      env: { ADMIN_USER: ADMIN.user, ADMIN_PASSWORD: ADMIN.password },
    });
    try {
      await stack.api.registerHost('Admin', ADMIN_EMAIL);
      await stack.grantAdmin(ADMIN_EMAIL.toUpperCase());
      adminToken = (await stack.api.request<{ token: string }>('POST', '/auth/login', { body: { email: ADMIN_EMAIL, password: 'correct horse battery' } })).body
        .token;
      game = await openGame(stack, SETTINGS, PLAYERS);
      userToken = game.userToken;
      inLobby = { api: await scrape(`${stack.apiUrl}/metrics`), socket: await scrape(`${stack.socketUrl}/metrics`) };
      hostRefusal = await game.host.submit(0, 0);
      for (const player of game.players) {
        acks.push(answerAsPlanned(player, (view) => (view.questionIndex === 0 ? { choice: 0, delayMs: 50 } : null)).acks);
      }

      await stack.api.start(game.code, game.hostToken);
      await finishedResults(stack, game, 30_000);
      const worker = await waitUntil('the persist-results job in the worker metrics', async () => {
        const samples = await scrape(`${stack.workerUrl}/metrics`);
        return (metricValue(samples, 'quizloop_job_duration_seconds_count', { queue: 'persist-results' }) ?? 0) > 0 ? samples : undefined;
      });
      after = { api: await scrape(`${stack.apiUrl}/metrics`), socket: await scrape(`${stack.socketUrl}/metrics`), worker };
    } catch (err) {
      throw stack.setUpFailed(err);
    }
  }, 90_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    game?.closeAll();
    await stack?.stop();
  });

  describe('GET /metrics', () => {
    it('serves Node default metrics with the quizloop_ prefix and the role on every process', () => {
      for (const [role, samples] of Object.entries(after)) {
        expect(metricValue(samples, 'quizloop_process_resident_memory_bytes', { role }), role).toBeGreaterThan(0);
      }
    });

    it('leaves out of the socket process the default metrics that walk every connection on a scrape', () => {
      const perConnection = ['quizloop_nodejs_active_handles_total', 'quizloop_nodejs_active_resources_total', 'quizloop_process_open_fds'];

      for (const name of perConnection) {
        expect(metricValue(after.socket, name), name).toBeUndefined();
        expect(metricValue(after.api, name), name).toBeGreaterThan(0);
      }
      expect(metricValue(after.socket, 'quizloop_nodejs_eventloop_lag_max_seconds')).toBeDefined();
    });

    it('counts rooms by phase from Redis, in the api', () => {
      expect(metricValue(inLobby.api, 'quizloop_rooms', { phase: 'lobby' })).toBe(1);
      expect(metricValue(after.api, 'quizloop_rooms', { phase: 'lobby' })).toBe(0);
      expect(metricValue(after.api, 'quizloop_rooms', { phase: 'finished' })).toBe(1);
      expect(metricValue(after.api, 'quizloop_rooms_census_truncated')).toBe(0);
    });

    it('counts the sockets connected to the socket process', () => {
      expect(metricValue(inLobby.socket, 'quizloop_connected_sockets')).toBe(1 + PLAYERS);
    });

    it('times answer acknowledgements, labelled ok or with the error code', async () => {
      const answered = (await Promise.all(acks.flat())).filter((a) => a.ok).length;

      expect(answered).toBe(PLAYERS);
      expect(hostRefusal).toMatchObject({ ok: false, error: { code: 'NOT_A_PLAYER' } });
      expect(metricValue(after.socket, 'quizloop_answer_ack_seconds_count', { outcome: 'ok' })).toBe(PLAYERS);
      expect(metricValue(after.socket, 'quizloop_answer_ack_seconds_count', { outcome: 'NOT_A_PLAYER' })).toBe(1);
      expect(metricValue(after.socket, 'quizloop_answer_ack_seconds_sum', { outcome: 'ok' })).toBeLessThan(PLAYERS * 1);
    });

    it('measures tick lateness in the worker', () => {
      const all = metricValue(after.worker, 'quizloop_tick_lateness_seconds_count') ?? 0;
      const sum = metricValue(after.worker, 'quizloop_tick_lateness_seconds_sum') ?? Infinity;

      expect(all).toBeGreaterThan(0);
      expect(sum / all).toBeLessThan(0.5);
      expect(metricValue(after.worker, 'quizloop_tick_lateness_seconds_bucket', { le: '+Inf' })).toBe(all);
    });

    it('counts webhook calls by action and outcome', () => {
      // Advances: question 0 closed early, its reveal, question 1 at its deadline, its reveal.
      expect(metricValue(after.worker, 'quizloop_webhook_calls_total', { action: 'advance', outcome: 'applied' })).toBeGreaterThanOrEqual(4);
      expect(metricValue(after.worker, 'quizloop_webhook_calls_total', { action: 'prepared', outcome: 'applied' })).toBe(1);
      expect(metricValue(after.worker, 'quizloop_webhook_calls_total', { outcome: 'refused' })).toBe(0);
      expect(metricValue(after.worker, 'quizloop_webhook_calls_total', { outcome: 'error' })).toBe(0);
    });

    it('counts the events the worker handled, by type', () => {
      for (const type of ['room.created', 'room.prepared', 'room.started', 'room.updated', 'room.finished', 'question.closable']) {
        expect(metricValue(after.worker, 'quizloop_events_handled_total', { type, outcome: 'ok' }), type).toBeGreaterThan(0);
      }
      expect(metricValue(after.worker, 'quizloop_events_handled_total', { outcome: 'error' }) ?? 0).toBe(0);
    });

    it('times jobs and counts failed attempts by queue', () => {
      for (const queue of GAME_QUEUES) {
        expect(metricValue(after.worker, 'quizloop_job_duration_seconds_count', { queue }), queue).toBeGreaterThan(0);
        expect(metricValue(after.worker, 'quizloop_job_failures_total', { queue }), queue).toBe(0);
      }
    });

    it('sees sockets go when their clients disconnect', async () => {
      game.closeAll();

      await waitUntil('no connected sockets', async () =>
        metricValue(await scrape(`${stack.socketUrl}/metrics`), 'quizloop_connected_sockets') === 0 ? true : undefined,
      );
    });
  });

  describe('GET /health and /ready', () => {
    it('answers /health on every process without checking anything', async () => {
      for (const url of [stack.apiUrl, stack.socketUrl, stack.workerUrl]) {
        const res = await fetch(`${url}/health`);

        expect(res.status, url).toBe(200);
        expect(await res.json()).toEqual({ status: 'ok' });
      }
    });

    it('is ready when Redis and PostgreSQL answer (the socket process checks Redis only, the worker also its unread events)', async () => {
      const expected = {
        [stack.apiUrl]: { redis: 'ok', postgres: 'ok' },
        [stack.workerUrl]: { redis: 'ok', postgres: 'ok', events: 'ok' },
        [stack.socketUrl]: { redis: 'ok' },
      };
      for (const [url, checks] of Object.entries(expected)) {
        const res = await fetch(`${url}/ready`);

        expect(res.status, url).toBe(200);
        expect(await res.json()).toMatchObject({ status: 'ready', checks });
      }
    });

    it("reports the worker's unread events, results backlog and stuck rooms beside its checks, without failing on them", async () => {
      const res = await fetch(`${stack.workerUrl}/ready`);
      const body = (await res.json()) as { report?: Record<string, unknown> };

      expect(body.report).toEqual({ unreadEvents: expect.any(Number), resultsBacklog: expect.any(Number), stuckRooms: expect.any(Number) });
    });

    describe('when PostgreSQL does not answer', () => {
      let lonely: Stack;
      beforeAll(async () => {
        const closedPort = await testPort();
        lonely = await Stack.start('operations-no-db', ['api'], { env: { DATABASE_URL: `postgres://nobody:nothing@127.0.0.1:${closedPort}/none` } });
      });
      afterAll(async () => {
        await lonely?.stop();
      });

      it('is alive but not ready, and says that PostgreSQL is what failed', async () => {
        const health = await fetch(`${lonely.apiUrl}/health`);
        const ready = await fetch(`${lonely.apiUrl}/ready`);
        const body = (await ready.json()) as { code: string; detail: string; checks: Record<string, string> };

        expect(health.status).toBe(200);
        expect(ready.status).toBe(503);
        expect(ready.headers.get('content-type')).toContain('application/problem+json');
        expect(body).toMatchObject({ status: 503, code: 'NOT_READY', checks: { redis: 'ok' } });
        expect(body.checks.postgres).not.toBe('ok');
        expect(body.detail).toContain('postgres');
      });
    });
  });

  describe('the queue dashboard at /admin/queues', () => {
    const board = (headers: Record<string, string> = {}, path = '/admin/queues') => fetch(`${stack.apiUrl}${path}`, { headers, redirect: 'manual' });

    it('asks for credentials without any, so a browser prompts', async () => {
      const res = await board();

      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="quizloop admin"/);
    });

    it('opens with the HTTP Basic credentials from the environment, and lists every queue', async () => {
      const auth = basic(ADMIN.user, ADMIN.password);
      const page = await board({ authorization: auth });
      const api = await board({ authorization: auth }, '/admin/queues/api/queues');
      const { queues } = (await api.json()) as { queues: { name: string }[] };

      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(queues.map((q) => q.name).sort()).toEqual([...QUEUES].sort());
    });

    it('refuses a wrong Basic password', async () => {
      expect((await board({ authorization: basic(ADMIN.user, 'wrong-password!') })).status).toBe(401);
    });

    it('opens with the token of an account an operator made admin with grant-admin', async () => {
      const login = await stack.api.request<{ user: { role: string } }>('POST', '/auth/login', {
        body: { email: ADMIN_EMAIL, password: 'correct horse battery' },
      });

      expect(login.body.user.role).toBe('admin');
      expect((await board({ authorization: `Bearer ${adminToken}` })).status).toBe(200);
    });

    it('turns ?token= into an HttpOnly cookie that opens the dashboard', async () => {
      const entry = await board({}, `/admin/queues?token=${adminToken}`);
      const cookie = entry.headers.get('set-cookie') ?? '';

      expect(entry.status).toBe(303);
      expect(entry.headers.get('location')).toBe('/admin/queues');
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      expect((await board({ cookie: cookie.split(';')[0] ?? '' })).status).toBe(200);
      await sleep(200);
      expect(stack.logs('api', 10_000)).not.toContain(adminToken);
    });

    it('forbids a signed-in user who is not an admin', async () => {
      expect((await board({ authorization: `Bearer ${userToken}` })).status).toBe(403);
      expect((await board({}, `/admin/queues?token=${userToken}`)).status).toBe(403);
    });

    it('refuses a host token and a forged one', async () => {
      expect((await board({ authorization: `Bearer ${game.hostToken}` })).status).toBe(403);
      expect((await board({ authorization: 'Bearer not-a-token' })).status).toBe(401);
    });
  });
});
