import { expect } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import type { GameResults } from '../../src/store/repos/games.repo';
import { type Game, answerAsPlanned, questionsShown } from './game';
import { sleep } from './infra';
import type { AnswerAck } from './recording-client';
import type { Stack } from './stack';

/** Players who answer every question: choices 0 to 3, so on any question someone is right and scores. */
export const ANSWERING = 4;

/**
 * The first ANSWERING players answer every question shortly after seeing it; any further player
 * never answers, so each question runs to its deadline.
 */
export function answerAllButTheLast(game: Game, delayMs = 100): Promise<AnswerAck>[][] {
  return game.players
    .slice(0, ANSWERING)
    .map((player) => answerAsPlanned(player, (view) => ({ choice: player.index % view.question.choices.length, delayMs: delayMs + 30 * player.index })).acks);
}

/**
 * What every fault test asks of a game that must survive: every client was shown each question once,
 * in order, and saw the finish; every player's last shown score is the one saved, and someone scored.
 */
export function expectPlayedThrough(game: Game, results: GameResults, questionCount: number): void {
  const order = Array.from({ length: questionCount }, (_, i) => i);
  for (const client of game.clients()) {
    expect(questionsShown(client.frames), client.label).toEqual(order);
    expect(client.views().at(-1)?.phase, client.label).toBe('finished');
  }
  expect(results.questions).toHaveLength(questionCount);
  const shown = game.players.map((p) => [p.playerId, p.client.yous().at(-1)?.score ?? -1]);
  const saved = results.players.map((p) => [p.playerId, p.score]);
  expect(saved.sort()).toEqual(shown.sort());
  expect(results.players.some((p) => p.score > 0)).toBe(true);
}

/** Polls the room over REST until `done` holds for its view; returns that view and when it was seen. */
export async function roomWhen(
  stack: Stack,
  code: string,
  what: string,
  done: (v: RoomView) => boolean,
  timeoutMs: number,
): Promise<{ view: RoomView; at: number }> {
  const deadline = Date.now() + timeoutMs;
  let last: RoomView | null = null;
  for (;;) {
    last = await stack.api.room(code).catch(() => last);
    if (last && done(last)) return { view: last, at: Date.now() };
    if (Date.now() > deadline)
      throw new Error(`room ${code}: timed out after ${timeoutMs} ms waiting for ${what}; last seen ${last?.phase} q${last?.questionIndex}`);
    await sleep(100);
  }
}

/** The first view of the given phase and question a client received, with when it arrived. */
export function firstView(game: Game, phase: RoomView['phase'], questionIndex: number): { view: RoomView; at: number } | undefined {
  const f = game.host.frames.find((x) => x.event === 'room:view' && x.payload.phase === phase && x.payload.questionIndex === questionIndex);
  return f?.event === 'room:view' ? { view: f.payload, at: f.at } : undefined;
}

/** Prints a measured figure, so a run of the test shows what docs/operations.md quotes. */
export function report(label: string, ms: number): void {
  console.log(`[measured] ${label}: ${(ms / 1000).toFixed(1)} s`);
}
