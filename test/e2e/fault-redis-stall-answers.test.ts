import { describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import type { AnswerSubmit } from '../../src/shared/socket-events';
import type { GameResults } from '../../src/store/repos/games.repo';
import { type Game, type Player, answerAsPlanned } from '../helpers/game';
import { sleep } from '../helpers/infra';
import type { AnswerAck } from '../helpers/recording-client';
import { ANSWERING, expectPlayedThrough, faultSuite, firstView, measureReveal } from './support/faults';

const SETTINGS = { questionCount: 2, questionSeconds: 3, revealSeconds: 1 };
const GRACE_MS = 300;
/** Redis stops this long into question 0, before anyone answers it... */
const FREEZE_AT_MS = 500;
/** ...the answering players send theirs this long into it (30 ms apart)... */
const ANSWER_AT_MS = 1000;
/** ...and Redis runs again this long after the deadline plus the grace, when the reveal was due. */
const PAST_GRACE_MS = 2000;

interface TimedAck {
  ack: AnswerAck;
  at: number;
}

/** Sends an answer and waits for its ack far longer than the stall (the test client's own wait is 5 s). */
async function submitAndWait(player: Player, payload: AnswerSubmit): Promise<TimedAck> {
  const ack = (await player.client.socket.timeout(30_000).emitWithAck('answer:submit', payload)) as AnswerAck;
  return { ack, at: Date.now() };
}

describe('when Redis is stopped (SIGSTOP) past the answer grace while players answer a question in time', () => {
  let game: Game;
  let results: GameResults;
  let question0: RoomView;
  let frozenAt = 0;
  let thawedAt = 0;
  let onTime: TimedAck[] = [];
  let late: TimedAck;
  let planned: Promise<AnswerAck>[][] = [];

  // A Redis of its own: stopping it stops every process's Redis, as a stalled server does.
  faultSuite('redis-stall-answers', { ownRedis: true, env: { ANSWER_GRACE_MS: String(GRACE_MS) } }, async (rig) => {
    // The last player answers question 0 only after its deadline, so every question runs to its deadline.
    game = await rig.openGame(SETTINGS, ANSWERING + 1);
    const answering = game.players.slice(0, ANSWERING);
    planned = answering.map(
      (player) =>
        answerAsPlanned(player, (view) => (view.questionIndex === 0 ? null : { choice: player.index % view.question.choices.length, delayMs: 100 })).acks,
    );
    await rig.api.start(game.code, game.hostToken);
    question0 = await game.host.waitForQuestion(0);
    // Some questions have two choices (true or false).
    const choiceOf = (player: Player) => player.index % (question0.question?.choices.length ?? 1);
    const deadlineAt = question0.deadlineAt ?? 0;
    const openedAt = deadlineAt - SETTINGS.questionSeconds * 1000;

    await sleep(openedAt + FREEZE_AT_MS - Date.now());
    await rig.freezeRedis();
    frozenAt = Date.now();
    await sleep(openedAt + ANSWER_AT_MS - Date.now());
    const sent = answering.map((player) => sleep(30 * player.index).then(() => submitAndWait(player, { questionIndex: 0, choice: choiceOf(player) })));
    await sleep(deadlineAt + 100 - Date.now());
    const latecomer = game.players[ANSWERING];
    if (!latecomer) throw new Error('no latecomer');
    const lateSent = submitAndWait(latecomer, { questionIndex: 0, choice: 0 });
    await sleep(deadlineAt + GRACE_MS + PAST_GRACE_MS - Date.now());
    rig.thawRedis();
    thawedAt = Date.now();

    onTime = await Promise.all(sent);
    late = await lateSent;
    results = await rig.finished(game);
  });

  it('stopped Redis from before the answers until well past the deadline plus the grace', () => {
    const openedAt = (question0.deadlineAt ?? 0) - SETTINGS.questionSeconds * 1000;

    expect(frozenAt - openedAt).toBeLessThan(ANSWER_AT_MS);
    expect(thawedAt - (question0.deadlineAt ?? 0)).toBeGreaterThanOrEqual(GRACE_MS + PAST_GRACE_MS);
  });

  it('acks every answer that arrived by the deadline as locked in, once Redis runs again', () => {
    expect(onTime).toHaveLength(ANSWERING);
    expect(onTime.map(({ ack }) => (ack.ok ? ack : `${ack.error.code}: ${ack.error.message}`))).toMatchObject(
      game.players.slice(0, ANSWERING).map((p) => ({ ok: true, questionIndex: 0, choice: p.index % (question0.question?.choices.length ?? 1) })),
    );
    for (const { at } of onTime) expect(at).toBeGreaterThanOrEqual(thawedAt);
  });

  it('still refuses an answer that arrived after the deadline as too late', () => {
    expect(late.ack).toMatchObject({ ok: false, error: { code: 'TOO_LATE' } });
  });

  it('reveals the question only after Redis runs again, with the answers counted', () => {
    const reveal = firstView(game, 'reveal', 0);
    measureReveal(game, question0, `Redis stopped ${GRACE_MS + PAST_GRACE_MS} ms past the deadline`, thawedAt);

    expect(reveal?.at).toBeGreaterThanOrEqual(thawedAt);
    expect(reveal?.view.answeredCount).toBe(ANSWERING);
  });

  it('saves every on-time answer once, with the choice sent, and nothing from the latecomer', () => {
    const question0Answers = results.answers.filter((a) => a.questionIndex === 0);
    const byPlayer = question0Answers.map((a) => [a.playerId, a.choice]).sort();
    const sent = game.players
      .slice(0, ANSWERING)
      .map((p) => [p.playerId, p.index % (question0.question?.choices.length ?? 1)])
      .sort();

    expect(byPlayer).toEqual(sent);
    expect(results.answers.some((a) => a.playerId === game.players[ANSWERING]?.playerId)).toBe(false);
  });

  it('takes the answers to the next question as usual', async () => {
    const acks = await Promise.all(planned.flat());

    expect(acks.map((ack) => (ack.ok ? ack.questionIndex : `${ack.error.code}: ${ack.error.message}`))).toEqual(Array(ANSWERING).fill(1));
  });

  it('finishes the game with every question in order and every score saved', () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount);
  });
});
