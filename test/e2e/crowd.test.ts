import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GameResults } from '../../src/shared/game-results';
import type { RoomView } from '../../src/shared/room';
import { type Game, openGame, questionsShown } from '../helpers/game';
import type { AnswerAck } from '../helpers/recording-client';
import { Stack } from '../helpers/stack';

/** About the room size at which open-source quiz servers are reported to miscount answers. */
const PLAYERS = 70;
const SETTINGS = { questionCount: 2, questionSeconds: 20, revealSeconds: 2 };
const QUESTION_MS = SETTINGS.questionSeconds * 1000;

describe(`a room of ${PLAYERS} players answering at once, through separate processes`, () => {
  let stack: Stack;
  let game: Game;
  let results: GameResults;
  /** acks[question][player]: each player answers each question once, within 1.5 s of seeing it. */
  const acks: Promise<AnswerAck>[][] = [[], []];
  const reveals: RoomView[] = [];

  beforeAll(async () => {
    stack = await Stack.start('crowd');
    game = await openGame(stack, SETTINGS, PLAYERS);
    for (const player of game.players) {
      player.client.socket.on('room:view', (view) => {
        const list = acks[view.questionIndex];
        if (view.phase !== 'question' || !view.question || !list || list[player.index]) return;
        const choice = (player.index * 7 + view.questionIndex) % view.question.choices.length;
        list[player.index] = new Promise((resolve, reject) =>
          setTimeout(() => player.client.submit(view.questionIndex, choice).then(resolve, reject), Math.random() * 1500),
        );
      });
    }
    game.host.socket.on('room:view', (view) => {
      if (view.phase === 'reveal') reveals.push(view);
    });
    await stack.api.start(game.code, game.hostToken);
    await game.host.waitForPhase('finished', undefined, 90_000);
    results = await stack.api.waitForResults(game.gameId, 30_000);
  }, 180_000);

  beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(`process output (${stack.namespace}):\n${stack.logs()}`)));

  afterAll(async () => {
    game?.closeAll();
    await stack?.stop();
  });

  it('accepts every first answer, once', async () => {
    for (const [index, list] of acks.entries()) {
      const settled = await Promise.all(list);
      expect(settled.filter((a) => a?.ok).length, `question ${index}`).toBe(PLAYERS);
    }
  });

  it('closes each question as soon as the last of them has answered, never before', () => {
    for (const index of [0, 1]) {
      const reveal = reveals.find((r) => r.questionIndex === index);
      const lastAnswer = Math.max(...results.answers.filter((a) => a.questionIndex === index).map((a) => Date.parse(a.answeredAt)));
      expect(reveal?.answeredCount, `question ${index}`).toBe(PLAYERS);
      // Revealed well before the 20 s deadline, and not before the last answer was in.
      expect((reveal?.deadlineAt ?? 0) - SETTINGS.revealSeconds * 1000).toBeGreaterThanOrEqual(lastAnswer);
      expect(reveal?.deadlineAt ?? Infinity).toBeLessThan(
        Date.parse(results.game.startedAt ?? '') + (index + 1) * (QUESTION_MS + SETTINGS.revealSeconds * 1000),
      );
    }
  });

  it('counts every answer in the reveal: the distribution adds up to the room, and the right ones match the results', () => {
    for (const reveal of reveals) {
      const saved = results.answers.filter((a) => a.questionIndex === reveal.questionIndex);
      expect(reveal.reveal?.distribution.reduce((a, b) => a + b, 0)).toBe(PLAYERS);
      expect(reveal.reveal?.correctCount).toBe(saved.filter((a) => a.correct).length);
    }
  });

  it('saves every answer and scores each player by the rule, summed over the questions', () => {
    expect(results.players).toHaveLength(PLAYERS);
    expect(results.answers).toHaveLength(PLAYERS * SETTINGS.questionCount);
    for (const player of results.players) {
      const mine = results.answers.filter((a) => a.playerId === player.playerId);
      expect(mine.map((a) => a.questionIndex).sort()).toEqual([0, 1]);
      for (const a of mine) expect(a.points).toBe(a.correct ? Math.round(1000 * (1 - a.elapsedMs / QUESTION_MS / 2)) : 0);
      expect(player.score).toBe(mine.reduce((sum, a) => sum + a.points, 0));
    }
  });

  it('shows every player both questions once, in order', () => {
    for (const { client } of game.players) expect(questionsShown(client.frames), client.label).toEqual([0, 1]);
  });
});
