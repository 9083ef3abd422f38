import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankQuestion } from '../../src/api/questions/questions.schemas';
import { type Game, openGame } from '../helpers/game';
import { removeAuthored } from '../helpers/game-rows';
import { infra } from '../helpers/infra';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const CATEGORY = `Largest room ${randomBytes(3).toString('hex')}`;
const COUNT = 50;

/**
 * A type-answer question at the bank's limits: 500 characters of text and 20 accepted answers of 200,
 * each a character of 3 bytes in UTF-8 (the most a character of one UTF-16 unit takes).
 */
function largestQuestion(n: number) {
  const wide = (prefix: string, length: number) => `${prefix} ${'問'.repeat(length - prefix.length - 1)}`;
  return {
    category: CATEGORY,
    difficulty: 'hard',
    type: 'type-answer',
    text: wide(`Q${n}`, 500),
    accepted: Array.from({ length: 20 }, (_, a) => wide(`A${n}.${a}`, 200)),
  };
}

describe('a room of the most questions, each as large as the bank takes', () => {
  let stack: Stack;
  let game: Game;
  let hostUserId: string;

  beforeAll(async () => {
    stack = await Stack.start('largest-room');
    const host = await stack.api.registerHost('Author');
    hostUserId = host.userId;
    for (let n = 0; n < COUNT; n++) {
      const res = await stack.api.request<BankQuestion>('POST', '/questions', { token: host.token, body: largestQuestion(n) });
      if (res.status !== 201) throw new Error(`POST /questions: ${res.status} ${JSON.stringify(res.body)}`);
    }
    // The worker hands all 50 to the api in one signed webhook (~0.7 MB): the room must still open its lobby.
    game = await openGame(stack, { questionCount: COUNT, questionSeconds: 5, revealSeconds: 1, category: CATEGORY }, 1, { author: host });
  }, 120_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    game?.closeAll();
    if (hostUserId) await removeAuthored(infra().databaseUrl, hostUserId);
    await stack?.stop();
  });

  it('opens the lobby with all 50 questions, and shows a player the first one whole', async () => {
    const lobby = await stack.api.room(game.code);
    await stack.api.start(game.code, game.hostToken);
    const question = await game.players[0]?.client.waitForPhase('question', 0, 15_000);

    expect(lobby.settings.questionCount).toBe(COUNT);
    expect(question?.question?.text).toMatch(/^Q\d+ 問{490,}$/);
    expect(question?.question?.text).toHaveLength(500);
  });
});
