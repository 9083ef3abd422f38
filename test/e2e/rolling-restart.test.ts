import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName, jobId } from '../../src/shared/jobs';
import type { GameResults } from '../../src/store/repos/games.repo';
import { type Keys, createKeys } from '../../src/store/keys';
import type { HttpResult } from '../helpers/api-client';
import { type Game, type Player, finishedResults, openGame, questionsShown } from '../helpers/game';
import { infra, waitUntil } from '../helpers/infra';
import { heldRequest, probe } from '../helpers/raw-http';
import { type AnswerAck, type Frame, RecordingClient } from '../helpers/recording-client';
import { type Exit, type Role, Stack, printLogsOnFailure } from '../helpers/stack';

/** Long questions: each closes early, once every player has answered, so the deadline never decides anything here. */
const SETTINGS = { questionCount: 3, questionSeconds: 60, revealSeconds: 1 };
const PLAYERS = 4;
/** Longer than a process's own 25 s shutdown limit, so a slow shutdown shows as its exit code 1, not as our SIGKILL. */
const GRACE_MS = 30_000;
const LATECOMER = 'Latecomer';

interface SentAnswer {
  player: Player;
  questionIndex: number;
  choice: number;
  ack: AnswerAck;
}

const isRestarting = (f: Frame) => f.event === 'server:restarting';
const isDrop = (f: Frame) => f.event === 'client:disconnect';
const isConnect = (f: Frame) => f.event === 'client:connect';

/** A reply of XINFO, `[name, value, name, value, …]`, as an object. */
function fields(reply: unknown): Record<string, unknown> {
  const flat = reply as unknown[];
  return Object.fromEntries(flat.flatMap((v, i) => (i % 2 === 0 ? [[String(v), flat[i + 1]]] : [])));
}

/** The frames a client received after its connection came back. */
function afterReconnection(client: RecordingClient): Frame[] {
  const drop = client.frames.findIndex(isDrop);
  const back = client.frames.findIndex((f, i) => i > drop && isConnect(f));
  return drop < 0 || back < 0 ? [] : client.frames.slice(back + 1);
}

describe('a rolling restart (SIGTERM) of the api, the worker and the socket process, one per question of a game', () => {
  let stack: Stack;
  let keys: Keys;
  let redis: Redis;
  let advanceQueue: Queue;
  let game: Game;
  const exits: Partial<Record<Role, Exit | null>> = {};
  const sent: SentAnswer[] = [];
  let lateJoin: HttpResult;
  let newConnectionWhileApiStopping: number | string;
  let advanceInHand: Job;
  let presenceAfterSocketRestart: { online: Record<string, string>; reconnecting: Record<string, string> };
  let answeredAgain: AnswerAck[];
  let results: GameResults;

  async function answer(player: Player, questionIndex: number): Promise<AnswerAck> {
    const view = await player.client.waitForQuestion(questionIndex);
    const choice = player.index % (view.question?.choices.length ?? 1);
    const ack = await player.client.submit(questionIndex, choice);
    sent.push({ player, questionIndex, choice, ack });
    return ack;
  }

  /** Back once the new socket process has sent the current view: it has then counted the player as online again. */
  async function backWithCurrentView(client: RecordingClient): Promise<void> {
    await client.waitForReconnection(30_000);
    await client.waitFor('the current view after reconnecting', (f) => f.event === 'room:view' && afterReconnection(client).includes(f));
  }

  /**
   * True once the worker has read and acknowledged every room event and no advance job waits or
   * runs: whatever the events so far were to set off (an early close, say) has happened.
   */
  async function workerCaughtUp(): Promise<true | undefined> {
    const read = await Promise.all(
      keys.eventStreams.map(async (events) => {
        const stream = fields(await redis.xinfo('STREAM', events));
        const group = ((await redis.xinfo('GROUPS', events)) as unknown[]).map(fields).find((g) => g.name === keys.eventsGroup);
        return group?.pending === 0 && group['last-delivered-id'] === stream['last-generated-id'];
      }),
    );
    const advances = await advanceQueue.getJobCounts('waiting', 'active', 'prioritized');
    const idle = Object.values(advances).every((n) => n === 0);
    return read.every(Boolean) && idle ? true : undefined;
  }

  /** SIGTERMs a role, runs `meanwhile` once it has logged `stage` of its shutdown, and returns how it exited. */
  async function terminate(role: Role, stage = /"msg":"stopping"/, meanwhile: () => Promise<void> = async () => undefined): Promise<Exit | null> {
    const stopping = stack.waitForLog(role, stage);
    const exit = stack.kill(role, 'SIGTERM', { graceMs: GRACE_MS });
    await stopping;
    await meanwhile();
    return exit;
  }

  beforeAll(async () => {
    stack = await Stack.start('rolling-restart');
    keys = createKeys(stack.namespace);
    redis = new Redis(infra().redisUrl, { maxRetriesPerRequest: null });
    advanceQueue = new Queue(QueueName.Advance, { connection: redis, prefix: keys.bullPrefix(QueueName.Advance) });
    try {
      game = await openGame(stack, SETTINGS, PLAYERS, { connect: { reconnect: true } });
      const [p0, p1, p2, p3] = game.players as [Player, Player, Player, Player];
      await stack.api.start(game.code, game.hostToken);

      // Question 0: the api restarts while a late player's join is in flight.
      await Promise.all(game.clients().map((c) => c.waitForQuestion(0)));
      await Promise.all([answer(p0, 0), answer(p1, 0)]);
      const join = await heldRequest(`${stack.apiUrl}/rooms/${game.code}/players`, 'POST', { nickname: LATECOMER });
      exits.api = await terminate('api', /closed to new connections/, async () => {
        newConnectionWhileApiStopping = await probe(`${stack.apiUrl}/health`);
        lateJoin = await join.send();
      });
      await stack.startRole('api');
      const { playerId, token } = lateJoin.body as { playerId: string; token: string };
      const client = await RecordingClient.connect(stack.socketUrl, token, LATECOMER, { reconnect: true });
      const latecomer: Player = { index: PLAYERS, nickname: LATECOMER, playerId, token, client };
      game.players.push(latecomer);
      await Promise.all([answer(p2, 0), answer(p3, 0), answer(latecomer, 0)]);

      // Question 1: the worker restarts with a job in hand. The api is frozen (SIGSTOP) so that the
      // advance the last answer triggers is held in the worker, waiting for the webhook's answer.
      const question1 = await game.host.waitForQuestion(1);
      stack.pause('api');
      await Promise.all(game.players.map((p) => answer(p, 1)));
      const advanceId = jobId.advance(game.gameId, question1.version);
      await waitUntil('the worker to take the advance of question 1', async () => ((await advanceQueue.getJob(advanceId))?.isActive() ? true : undefined));
      exits.worker = await terminate('worker', /"msg":"stopping"/, async () => stack.resume('api'));
      advanceInHand = (await advanceQueue.getJob(advanceId)) as Job;
      await stack.startRole('worker');

      // Question 2: the socket process restarts on the same port; every client reconnects to it by itself,
      // the late player last: its reconnection is held back until the others have answered (a slow phone).
      await Promise.all(game.clients().map((c) => c.waitForQuestion(2)));
      await Promise.all([answer(p0, 2), answer(p1, 2)]);
      latecomer.client.holdReconnection();
      exits.socket = await terminate('socket');
      await stack.startRole('socket');
      await Promise.all(
        game
          .clients()
          .filter((c) => c !== latecomer.client)
          .map(backWithCurrentView),
      );
      answeredAgain = await Promise.all([p0, p1].map((p) => p.client.submit(2, 0)));
      await Promise.all([answer(p2, 2), answer(p3, 2)]);
      // Had those answers closed the question, the reveal would be out before the late player is back:
      // a sync after an answer is served after the socket process has written its events, then the worker catches up.
      await Promise.all([p2, p3].map((p) => p.client.sync()));
      await waitUntil('the worker to handle every event so far', workerCaughtUp);
      latecomer.client.reconnectNow();
      await backWithCurrentView(latecomer.client);
      presenceAfterSocketRestart = {
        online: await redis.hgetall(keys.online(game.code)),
        reconnecting: await redis.hgetall(keys.reconnecting(game.code)),
      };
      await answer(latecomer, 2);

      results = await finishedResults(stack, game, 30_000);
    } catch (err) {
      throw stack.setUpFailed(err);
    }
  }, 180_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    game?.closeAll();
    await advanceQueue?.close();
    redis?.disconnect();
    await stack?.stop();
  });

  it('lets every SIGTERMed process shut down by itself, with exit code 0', () => {
    for (const role of ['api', 'worker', 'socket'] as const) {
      expect(exits[role], role).toEqual({ code: 0, signal: null });
      expect(stack.logs(role), role).toMatch(/"msg":"stopped"/);
    }
  });

  describe('when the api is stopped', () => {
    it('refuses new connections at once', () => {
      expect(newConnectionWhileApiStopping).toBe('ECONNREFUSED');
    });

    it('finishes a request already in flight: the late player joins and plays', () => {
      expect(lateJoin.status).toBe(201);
      expect(lateJoin.body).toMatchObject({ code: game.code, nickname: LATECOMER });
      expect(results.players.map((p) => p.nickname)).toContain(LATECOMER);
    });
  });

  describe('when the worker is stopped', () => {
    it('finishes the job in hand before it exits', () => {
      expect(advanceInHand.finishedOn).toBeDefined();
      expect(advanceInHand.failedReason).toBeFalsy();
      expect(advanceInHand.attemptsMade).toBe(1);
      expect(advanceInHand.returnvalue).toMatchObject({ outcome: 'applied' });
      expect(stack.logs('worker')).toMatch(/jobs in hand finished/);
    });
  });

  describe('when the socket process is stopped', () => {
    it('tells every client to reconnect before the connection goes away', () => {
      for (const client of game.clients()) {
        const told = client.frames.findIndex(isRestarting);
        const dropped = client.frames.findIndex(isDrop);

        expect(told, client.label).toBeGreaterThanOrEqual(0);
        expect(told, client.label).toBeLessThan(dropped);
        expect(client.frames[told]?.payload, client.label).toEqual({ reconnect: true });
        // Not 'io server disconnect', after which a Socket.IO client would not reconnect by itself.
        expect(client.frames[dropped]?.payload, client.label).toEqual({ reason: 'transport close' });
      }
    });

    it('gives each reconnected client the current view, and each player their own state, at once', () => {
      for (const client of game.clients()) {
        const back = afterReconnection(client);
        const view = back.find((f) => f.event === 'room:view');

        expect(view?.payload, client.label).toMatchObject({ phase: 'question', questionIndex: 2 });
        if (client === game.host) continue;
        const you = back.find((f) => f.event === 'room:you');
        expect(you, client.label).toBeDefined();
      }
    });

    it('keeps the answers given before the restart', () => {
      for (const ack of answeredAgain) expect(ack).toMatchObject({ ok: false, error: { code: 'ALREADY_ANSWERED' } });
    });

    it('counts every player online once, no more, once they have reconnected', () => {
      // Fields are `{player id}|{socket instance id}`: the old instance's counts left with its connections.
      const fields = Object.entries(presenceAfterSocketRestart.online);
      const instances = new Set(fields.map(([field]) => field.split('|')[1]));
      const byPlayer = Object.fromEntries(fields.map(([field, count]) => [field.split('|')[0], count]));

      expect(instances.size).toBe(1);
      expect(byPlayer).toEqual(Object.fromEntries(game.players.map((p) => [p.playerId, '1'])));
      expect(presenceAfterSocketRestart.reconnecting).toEqual({});
    });

    it('takes the answers of players who reconnected, the slowest included: the first back cannot close the question on them', () => {
      const afterRestart = sent.filter((s) => s.questionIndex === 2 && s.player.index >= 2);

      expect(afterRestart).toHaveLength(3);
      for (const { player, ack } of afterRestart) {
        expect(ack, player.nickname).toMatchObject({ ok: true, questionIndex: 2 });
        expect(
          afterReconnection(player.client).some((f) => f.event === 'ack:answer:submit' && f.payload === ack),
          player.nickname,
        ).toBe(true);
      }
    });
  });

  describe('when the game is over', () => {
    it('showed every client each question exactly once, in order, and finished', () => {
      for (const client of game.clients()) {
        expect(questionsShown(client.frames), client.label).toEqual([0, 1, 2]);
        expect(client.views().at(-1)?.phase, client.label).toBe('finished');
      }
    });

    it('saved every answer that was acknowledged, as it was sent, and no other', () => {
      const accepted = sent.filter((s) => s.ack.ok);

      // Everyone answered every question, the late player included.
      expect(accepted).toHaveLength((PLAYERS + 1) * SETTINGS.questionCount);
      expect(results.answers).toHaveLength(accepted.length);
      for (const { player, questionIndex, choice } of accepted) {
        const saved = results.answers.find((a) => a.playerId === player.playerId && a.questionIndex === questionIndex);
        expect(saved?.choice, `${player.nickname}, question ${questionIndex}`).toBe(choice);
      }
    });

    it('gives each player the final score the results hold', () => {
      for (const player of game.players) {
        const saved = results.players.find((p) => p.playerId === player.playerId);

        expect(saved, player.nickname).toBeDefined();
        expect(player.client.yous().at(-1)?.score, player.nickname).toBe(saved?.score);
        expect(saved?.score, player.nickname).toBe(results.answers.filter((a) => a.playerId === player.playerId).reduce((sum, a) => sum + a.points, 0));
      }
    });

    it('loses nobody from the leaderboard', () => {
      const final = game.host.views().at(-1);

      expect(results.players).toHaveLength(PLAYERS + 1);
      expect(final?.playerCount).toBe(PLAYERS + 1);
      expect(final?.leaderboard.map((e) => [e.nickname, e.score]).sort()).toEqual(results.players.map((p) => [p.nickname, p.score]).sort());
    });
  });
});
