import { afterAll, describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import { createKeys } from '../../src/store/keys';
import { type QuizRedis, createRedis } from '../../src/store/redis';
import type { AnswerAck, Frame } from '../helpers/recording-client';
import { type Game, openGame } from '../helpers/game';
import { infra } from '../helpers/infra';
import { stackSuite } from '../helpers/stack';

const PLAYERS = 5;
const SETTINGS = { questionCount: 2, questionSeconds: 20, revealSeconds: 1 };

/** The (version, phase, question) of each view a client received, in order. */
const shown = (views: RoomView[]) => views.map((v) => ({ version: v.version, phase: v.phase, index: v.questionIndex }));

describe('when a room fans out a slice of two sockets per turn of the event loop', () => {
  let redis: QuizRedis;
  let game: Game;
  let sent: Record<string, string>;
  let acks: AnswerAck[];

  stackSuite('relay-slices', { env: { SOCKET_FANOUT_SLICE: '2' } }, async (stack) => {
    redis = createRedis(infra().redisUrl, { name: 'test-relay-slices' });
    const keys = createKeys(stack.namespace);
    game = await openGame(stack, SETTINGS, PLAYERS);
    await stack.api.start(game.code, game.hostToken);
    for (const p of game.players) await p.client.waitForQuestion(0);
    // Stamped once each slice is written, after the broadcast; waited for, as the answers need them.
    sent = await redis.hgetall(keys.sent(game.code, 0));
    for (let tries = 0; tries < 50 && Object.keys(sent).length < PLAYERS; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      sent = await redis.hgetall(keys.sent(game.code, 0));
    }
    // Every player answers in the same turn: the socket process sends them to Redis as one pipeline.
    acks = await Promise.all(game.players.map((p) => p.client.submit(0, 0)));
    for (const p of game.players) await p.client.waitForQuestion(1);
    await Promise.all(game.players.map((p) => p.client.submit(1, 1)));
    for (const c of game.clients()) await c.waitForPhase('finished');
  });

  afterAll(async () => {
    game?.closeAll();
    await redis?.quit();
  });

  it('brings every client through every phase in order, never an older view after a newer one', () => {
    for (const c of game.clients()) {
      const views = shown(c.views());
      const versions = views.map((v) => v.version);
      expect(versions, c.label).toEqual([...versions].sort((a, b) => a - b));
      const phases = views.filter((v) => v.phase !== 'lobby').map((v) => (v.phase === 'finished' ? v.phase : `${v.phase} ${v.index}`));
      expect([...new Set(phases)], c.label).toEqual(['question 0', 'reveal 0', 'question 1', 'reveal 1', 'finished']);
    }
  });

  it('stamps every player of every slice as sent the question', () => {
    expect(Object.keys(sent).sort()).toEqual(game.players.map((p) => p.playerId).sort());
    // Whole ms after the question opened (the store clamps them at 0): within the question, not an epoch time.
    for (const lag of Object.values(sent)) {
      expect(Number.isInteger(Number(lag)), lag).toBe(true);
      expect(Number(lag)).toBeLessThan(SETTINGS.questionSeconds * 1000);
    }
  });

  it('acknowledges every answer given in one turn, each on its own', () => {
    expect(acks).toHaveLength(PLAYERS);
    for (const ack of acks) expect(ack).toMatchObject({ ok: true, questionIndex: 0, choice: 0 });
  });

  it('sends each player their own state at the reveal, but not again at the next question only to clear the last answer', () => {
    for (const p of game.players) {
      const frames = p.client.frames;
      const at = (phase: string, index: number) =>
        frames.findIndex((f) => f.event === 'room:view' && f.payload.phase === phase && f.payload.questionIndex === index);
      const yous = (from: number, to: number) => frames.slice(from, to).filter((f): f is Extract<Frame, { event: 'room:you' }> => f.event === 'room:you');
      const revealed = yous(at('reveal', 0), at('question', 1));
      expect(revealed.at(-1)?.payload.answer, p.nickname).toMatchObject({ questionIndex: 0, choice: 0, correct: expect.any(Boolean) });
      const stale = yous(at('question', 1), at('reveal', 1)).filter((f) => f.payload.answer?.questionIndex !== 1);
      expect(stale, p.nickname).toEqual([]);
    }
  });
});

describe('when an answer comes while its question is still being written to the room', () => {
  const CROWD = 30;
  /** Three questions: whether the first answer beats the last slice depends on this test process's own pace, on a busy machine. */
  const QUESTIONS = 3;
  let game: Game;
  /** Per question: the first player's ack, when their client had it, when the last slice was written (server clock) and when the last client had it. */
  let rounds: { ack: AnswerAck; ackAt: number; lastWritten: number; lastHad: number }[] = [];

  // One socket per turn, and answers wait for the last slice: the fan-out outlasts the first player's answer.
  stackSuite('relay-parked-answers', { env: { SOCKET_FANOUT_SLICE: '1', SOCKET_FANOUT_ANSWER_WAIT_MS: '10000' } }, async (stack) => {
    game = await openGame(stack, { ...SETTINGS, questionCount: QUESTIONS }, CROWD);
    const first = game.players[0] as Game['players'][number];
    const answered = new Map<number, Promise<AnswerAck>>();
    first.client.socket.on('room:view', (view) => {
      if (view.phase === 'question' && !answered.has(view.questionIndex)) answered.set(view.questionIndex, first.client.submit(view.questionIndex, 0));
    });
    await stack.api.start(game.code, game.hostToken);
    rounds = [];
    for (let q = 0; q < QUESTIONS; q++) {
      const views = await Promise.all(
        game.clients().map(async (c) => {
          await c.waitForQuestion(q);
          const f = c.frames.find(
            (x): x is Extract<Frame, { event: 'room:view' }> => x.event === 'room:view' && x.payload.phase === 'question' && x.payload.questionIndex === q,
          );
          return { at: f?.at ?? Number.POSITIVE_INFINITY, serverNow: f?.payload.serverNow ?? Number.POSITIVE_INFINITY };
        }),
      );
      const ack = (await answered.get(q)) as AnswerAck;
      const acks = first.client.frames.filter((f) => f.event === 'ack:answer:submit');
      rounds.push({
        ack,
        ackAt: acks[q]?.at ?? 0,
        lastWritten: Math.max(...views.map((v) => v.serverNow)),
        lastHad: Math.max(...views.map((v) => v.at)),
      });
      for (const p of game.players.slice(1)) await p.client.submit(q, 1);
      for (const c of game.clients()) await (q === QUESTIONS - 1 ? c.waitForPhase('finished', undefined, 30_000) : c.waitForPhase('reveal', q, 30_000));
    }
  });

  afterAll(() => game?.closeAll());

  it('stamps the answer when it arrived, before the last slice was written', () => {
    for (const { ack } of rounds) expect(ack).toMatchObject({ ok: true, choice: 0 });
    // An answer stamped only when handled, after the fan-out, would be stamped after the last slice too: at least one
    // of the three came during it. The stamp is in whole ms, the slice's `serverNow` is not.
    const stampedDuring = rounds.filter(({ ack, lastWritten }) => ack.ok && ack.receivedAt < Math.floor(lastWritten));
    expect(stampedDuring.length, JSON.stringify(rounds)).toBeGreaterThan(0);
  });

  it('handles it only once every player has the question', () => {
    for (const { ackAt, lastHad } of rounds) expect(ackAt).toBeGreaterThanOrEqual(lastHad);
  });
});
