import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankQuestion } from '../../src/api/questions/questions.schemas';
import { speedPoints } from '../../src/game/scoring/scoring';
import type { RoomView } from '../../src/shared/room';
import { answerScript } from '../../src/store/scripts/answer.lua';
import type { GameResults } from '../../src/store/repos/games.repo';
import { infra, sleep } from '../helpers/infra';
import { metricValue, scrape } from '../helpers/prometheus';
import { type AnswerAck, RecordingClient } from '../helpers/recording-client';
import { Stack, printLogsOnFailure } from '../helpers/stack';
import { TcpProxy } from '../helpers/tcp-proxy';

const CATEGORY = `Fair timing ${randomBytes(3).toString('hex')}`;
const SETTINGS = { questionCount: 3, questionSeconds: 3, revealSeconds: 1, category: CATEGORY };
/** Every question is true or false with True right, so every tap below is a correct answer. */
const RIGHT = 0;
/** The far players' network: this much each way, a 150 ms round trip. */
const ONE_WAY_MS = 75;
/** When the players tap, after their own screen showed the question. */
const TAP_MS = 300;
const CAP_MS = 150;
/** How long the answer of the last question is stuck between the socket process and Redis, across the deadline. */
const STUCK_MS = 400;
const GRACE_MS = 500;

type Tap = (view: RoomView, shownAt: number) => { delayMs: number; payload: (shownAt: number) => Record<string, unknown> } | null;

interface Played {
  acks: Promise<AnswerAck>[];
  /** Per question, how much later than planned this test process sent the tap, in ms. */
  lateMs: Map<number, number>;
}

/**
 * Taps as planned for each question, timed from when the player's screen showed it: when the socket
 * process sent the view (its `serverNow`; Redis keeps this machine's clock) plus the way to this
 * player. This test process shares two cores with a dozen others and can send a tap late; how late
 * is kept, so the figures below can take out what was neither the network nor the server.
 */
function play(client: RecordingClient, oneWayMs: number, plan: Tap): Played {
  const played: Played = { acks: [], lateMs: new Map() };
  const handled = new Set<number>();
  client.socket.on('room:view', (view) => {
    if (view.phase !== 'question' || handled.has(view.questionIndex)) return;
    handled.add(view.questionIndex);
    const shownAt = view.serverNow + oneWayMs;
    const move = plan(view, shownAt);
    if (!move) return;
    const due = shownAt + move.delayMs;
    const tap = () => {
      played.lateMs.set(view.questionIndex, Math.max(0, Date.now() - due));
      return client.submitRaw(move.payload(shownAt));
    };
    played.acks.push(new Promise((resolve, reject) => setTimeout(() => tap().then(resolve, reject), Math.max(0, due - Date.now()))));
  });
  return played;
}

describe('fair timing: points that depend on the player, not on distance or server load', () => {
  let stack: Stack;
  let redisProxy: TcpProxy;
  let farProxy: TcpProxy | undefined;
  let clients: RecordingClient[] = [];
  let results: GameResults;
  const played: Partial<Record<'near' | 'far' | 'liar' | 'late', Played>> = {};
  let lastDeadline = 0;
  let held = false;
  let lateAck: { ack: AnswerAck | undefined; at: number } | undefined;

  beforeAll(async () => {
    // Every process reaches Redis through a proxy, so one answer can be held up on its way.
    const redis = await TcpProxy.inFrontOf(infra().redisUrl, 6379);
    redisProxy = redis.proxy;
    stack = await Stack.start('fair-timing', undefined, {
      env: { REDIS_URL: redis.url, SOCKET_PING_INTERVAL_MS: '300', LATENCY_ALLOWANCE_CAP_MS: String(CAP_MS), ANSWER_GRACE_MS: String(GRACE_MS) },
    });
    try {
      const far = await TcpProxy.inFrontOf(stack.socketUrl, 80);
      farProxy = far.proxy;
      farProxy.delayMs = ONE_WAY_MS;
      const author = await stack.api.registerHost('Author');
      for (let i = 0; i < SETTINGS.questionCount; i++) {
        const q = { category: CATEGORY, difficulty: 'easy', type: 'boolean', text: `Statement ${i} is true.`, choices: ['True', 'False'], correct: [RIGHT] };
        const res = await stack.api.request<BankQuestion>('POST', '/questions', { token: author.token, body: q });
        if (res.status !== 201) throw new Error(`POST /questions: ${res.status} ${JSON.stringify(res.body)}`);
      }
      const { code, gameId, hostToken } = await stack.api.createRoom(author.token, SETTINGS);
      await stack.api.waitForLobby(code);
      const host = await RecordingClient.connect(stack.socketUrl, hostToken, 'host');
      clients.push(host);
      const join = async (nickname: string, url: string) => {
        const { token } = await stack.api.join(code, nickname);
        const client = await RecordingClient.connect(url, token, nickname);
        clients.push(client);
        await client.waitForPhase('lobby');
        return client;
      };
      const near = await join('near', stack.socketUrl);
      const farPlayer = await join('far', far.url);
      const liar = await join('liar', far.url);
      const late = await join('late', stack.socketUrl);

      const tap = (view: RoomView, reported: 'none' | 'own' | 'zero') =>
        view.questionIndex < 2
          ? {
              delayMs: TAP_MS,
              payload: (shownAt: number) => ({
                questionIndex: view.questionIndex,
                choice: RIGHT,
                ...(reported === 'own' ? { reactionMs: Date.now() - shownAt } : reported === 'zero' ? { reactionMs: 0 } : {}),
                // A stamp of its own is no part of an answer: the server keeps its own.
                ...(reported === 'zero' ? { receivedAt: 1, arrivedAt: 1 } : {}),
              }),
            }
          : null;
      // Question 0: nobody reports a reaction time. Question 1: near and far report their own, the liar 0.
      played.near = play(near, 0, (v) => tap(v, v.questionIndex === 1 ? 'own' : 'none'));
      played.far = play(farPlayer, ONE_WAY_MS, (v) => tap(v, v.questionIndex === 1 ? 'own' : 'none'));
      played.liar = play(liar, ONE_WAY_MS, (v) => tap(v, 'zero'));
      // Question 2: an answer sent just before the deadline, stuck on its way to Redis until after it.
      played.late = play(late, 0, (view, shownAt) => {
        if (view.questionIndex < 2) return { delayMs: TAP_MS, payload: () => ({ questionIndex: view.questionIndex, choice: RIGHT }) };
        lastDeadline = view.deadlineAt ?? 0;
        const answerCommand = createHash('sha1').update(answerScript).digest('hex');
        void redisProxy.holdWhenSent(answerCommand, STUCK_MS).then(() => (held = true));
        return { delayMs: lastDeadline - 200 - shownAt, payload: () => ({ questionIndex: 2, choice: RIGHT }) };
      });

      // A few heartbeats, so each connection's round trip is measured before the first question.
      await sleep(1200);
      await stack.api.start(code, hostToken);
      await Promise.all(clients.map((c) => c.waitForPhase('finished', undefined, 60_000)));
      const lastAck = (await Promise.all(played.late?.acks ?? [])).at(-1);
      lateAck = { ack: lastAck, at: late.frames.filter((f) => f.event === 'ack:answer:submit').at(-1)?.at ?? 0 };
      results = await stack.api.waitForResults(gameId);
    } catch (err) {
      throw stack.setUpFailed(err);
    }
  }, 120_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    for (const c of clients) c.close();
    clients = [];
    await stack?.stop();
    await farProxy?.stop();
    await redisProxy?.stop();
  });

  const answerOf = (nickname: string, questionIndex: number) => {
    const player = results.players.find((p) => p.nickname === nickname);
    const answer = results.answers.find((a) => a.playerId === player?.playerId && a.questionIndex === questionIndex);
    if (!answer) throw new Error(`${nickname} has no answer to question ${questionIndex}`);
    return answer;
  };

  const acksOf = (nickname: keyof typeof played) => played[nickname]?.acks ?? [];
  /** An answer's times as if this test process had sent the tap on time: less how late it was sent. */
  const onTime = (nickname: keyof typeof played, questionIndex: number) => {
    const answer = answerOf(nickname, questionIndex);
    const lateMs = played[nickname]?.lateMs.get(questionIndex) ?? 0;
    const elapsedMs = answer.elapsedMs - lateMs;
    const questionMs = SETTINGS.questionSeconds * 1000;
    // The points the server gave, with what the late sending cost given back.
    const points = answer.points + speedPoints(1000, elapsedMs, questionMs) - speedPoints(1000, answer.elapsedMs, questionMs);
    return { ...answer, serverMs: (answer.serverMs ?? 0) - lateMs, elapsedMs, points };
  };

  describe('when a far player (150 ms round trip) and a near one tap at the same moment on their screens', () => {
    it("charged the far player about the round trip more by the server's own time", async () => {
      for (const ack of [...acksOf('near'), ...acksOf('far')]) expect(await ack).toMatchObject({ ok: true });

      for (const q of [0, 1]) {
        const near = onTime('near', q).serverMs;
        const far = onTime('far', q).serverMs;
        expect(far - near, `question ${q}`).toBeGreaterThanOrEqual(2 * ONE_WAY_MS - 30);
        // Scored by that time alone, as before fair timing, they would be more than 2 % apart.
        const [nearOld, farOld] = [near, far].map((ms) => speedPoints(1000, ms, SETTINGS.questionSeconds * 1000));
        expect(((nearOld ?? 0) - (farOld ?? 0)) / (nearOld ?? 1), `question ${q}`).toBeGreaterThan(0.02);
      }
    });

    it('gives them points within 2 % of each other, with or without a reported reaction time', () => {
      for (const q of [0, 1]) {
        const near = onTime('near', q);
        const far = onTime('far', q);
        expect(near.correct && far.correct).toBe(true);
        expect(Math.abs(far.points - near.points) / near.points, `question ${q}: near ${near.points}, far ${far.points}`).toBeLessThanOrEqual(0.02);
      }
    });
  });

  describe('when a client reports a reaction time of 0', () => {
    it('gains at most the cap, and the stamp it sent along is ignored', async () => {
      for (const ack of acksOf('liar')) expect(await ack).toMatchObject({ ok: true });

      for (const q of [0, 1]) {
        const a = answerOf('liar', q);
        expect(a.reportedMs).toBe(0);
        expect(a.serverMs ?? 0).toBeGreaterThanOrEqual(TAP_MS);
        expect((a.serverMs ?? 0) - a.elapsedMs).toBeLessThanOrEqual(CAP_MS);
        expect(a.elapsedMs).toBeGreaterThan(0);
      }
    });

    it('is flagged to the host in the results, with the rule stated, and nobody else is', () => {
      const fast = Object.fromEntries(results.players.map((p) => [p.nickname, p.signals.filter((s) => s.kind === 'fast-reaction')]));

      expect(fast.liar).toEqual([{ kind: 'fast-reaction', count: 2, message: expect.stringContaining(`under ${150} ms`) }]);
      expect([fast.near, fast.far, fast.late]).toEqual([[], [], []]);
      expect(results.timing).toMatchObject({
        allowanceCapMs: CAP_MS,
        answerGraceMs: GRACE_MS,
        rule: expect.stringMatching(/timed from when the question was sent/),
      });
    });
  });

  describe("the socket process's clock", () => {
    it('reports its measured offset to Redis TIME, and how sure it is, as metrics', async () => {
      const samples = await scrape(`${stack.socketUrl}/metrics`);

      // Redis runs on this very machine: the clocks agree to within a few ms.
      expect(Math.abs(metricValue(samples, 'quizloop_redis_clock_offset_seconds') ?? Infinity)).toBeLessThan(0.05);
      expect(metricValue(samples, 'quizloop_redis_clock_uncertainty_seconds')).toBeLessThan(0.05);
    });
  });

  describe('when four players joined from one network address (all of them from 127.0.0.1 here)', () => {
    it('flags each of them to the host', () => {
      for (const p of results.players) {
        expect(p.sameAddressPlayers, p.nickname).toBe(4);
        expect(
          p.signals.map((s) => s.kind),
          p.nickname,
        ).toContain('same-address');
      }
    });
  });

  describe('when an answer reached the server before the deadline but was processed after it', () => {
    it('counts it', () => {
      expect(held, 'the answer was held on its way to Redis').toBe(true);
      expect(lateAck?.ack).toMatchObject({ ok: true, questionIndex: 2 });
      const ack = lateAck?.ack;
      if (!ack?.ok) return;
      expect(ack.receivedAt).toBeLessThanOrEqual(lastDeadline);
      // Acknowledged only after the deadline: it was processed late, and still counted.
      expect(lateAck?.at ?? 0).toBeGreaterThan(lastDeadline);
      expect(answerOf('late', 2)).toMatchObject({ correct: true });
      expect(answerOf('late', 2).points).toBeGreaterThan(0);
    });
  });
});
