import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import type { GameResults } from '../../src/store/repos/games.repo';
import { type Game, answerAsPlanned, finishedResults, openGame, questionsShown } from '../helpers/game';
import { sleep } from '../helpers/infra';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const SETTINGS = { questionCount: 3, questionSeconds: 5, revealSeconds: 1 };
const KILLED_DURING = 1;

describe('when the worker is killed (SIGKILL) during a question and started again', () => {
  let stack: Stack;
  let game: Game;
  let results: GameResults;
  let killedAt = 0;
  let interrupted: RoomView;

  beforeAll(async () => {
    stack = await Stack.start('worker-crash');
    try {
      game = await openGame(stack, SETTINGS, 3);
      // Players 1 and 2 answer every question at once; player 3 never does, so each question runs to its deadline.
      for (const player of game.players.slice(0, 2)) {
        answerAsPlanned(player, (view) => ({ choice: player.index % view.question.choices.length, delayMs: 200 }));
      }
      await stack.api.start(game.code, game.hostToken);

      interrupted = await game.host.waitForQuestion(KILLED_DURING, 30_000);
      // Mid-question: the tick due at 2 s is waiting in Redis as a delayed job, nobody to run it.
      await sleep(1200);
      await stack.kill('worker', 'SIGKILL');
      killedAt = Date.now();
      await sleep(500);
      await stack.startRole('worker');

      results = await finishedResults(stack, game, 60_000);
    } catch (err) {
      throw stack.setUpFailed(err);
    }
  }, 120_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    game?.closeAll();
    await stack?.stop();
  });

  it('killed the worker while the question was open', () => {
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(interrupted.deadlineAt ?? 0);
    expect(stack.logs('worker')).toMatch(/exited code=null signal=SIGKILL/);
  });

  it('finishes the game, showing every player each question exactly once, none skipped or repeated', () => {
    for (const client of game.clients()) {
      expect(questionsShown(client.frames), client.label).toEqual([0, 1, 2]);
      expect(client.views().at(-1)?.phase, client.label).toBe('finished');
    }
  });

  it('still closes the interrupted question at its deadline, not before', () => {
    for (const { client } of game.players) {
      const reveal = client.views().find((v) => v.phase === 'reveal' && v.questionIndex === KILLED_DURING);

      expect(reveal?.serverNow).toBeGreaterThanOrEqual(interrupted.deadlineAt ?? Infinity);
    }
  });

  it('saves the results of the whole game', () => {
    expect(results.game).toMatchObject({ id: game.gameId, roomCode: game.code });
    expect(results.questions).toHaveLength(3);
    expect(results.players).toHaveLength(3);
    // Two players answered each of the three questions, the interrupted one included.
    expect(results.answers).toHaveLength(6);
    expect(results.answers.filter((a) => a.questionIndex === KILLED_DURING)).toHaveLength(2);
  });
});
