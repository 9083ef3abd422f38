import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankPlayers } from '../../src/game/scoring/ranking';
import type { RoomView } from '../../src/shared/room';
import { createDb } from '../../src/platform/db';
import type { GameResults } from '../../src/store/repos/games.repo';
import { type Game, answerAsPlanned, finishedResults, framesWhileQuestionOpen, openGame, questionsShown } from '../helpers/game';
import { infra } from '../helpers/infra';
import type { AnswerAck } from '../helpers/recording-client';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const SETTINGS = { questionCount: 3, questionSeconds: 6, revealSeconds: 2 };
const QUESTION_MS = SETTINGS.questionSeconds * 1000;
const PLAYERS = 4;
/** Who answers which question: everyone, except on question 1, which therefore runs to its deadline. */
const ANSWERING: Record<number, number[]> = { 0: [0, 1, 2, 3], 1: [0, 1], 2: [0, 1, 2, 3] };
const FULL_TIME_QUESTION = 1;

describe('a game of three questions with four players, through separate api, worker and socket processes', () => {
  let stack: Stack;
  let game: Game;
  let results: GameResults;
  const acks: Promise<AnswerAck>[][] = [];

  beforeAll(async () => {
    stack = await Stack.start('full-game');
    try {
      game = await openGame(stack, SETTINGS, PLAYERS);
      for (const player of game.players) {
        const { acks: mine } = answerAsPlanned(player, (view) =>
          ANSWERING[view.questionIndex]?.includes(player.index)
            ? { choice: player.index % view.question.choices.length, delayMs: 300 + 400 * player.index }
            : null,
        );
        acks.push(mine);
      }

      await stack.api.start(game.code, game.hostToken);
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

  it("forwards the view each change's writer published, building none in the socket process", () => {
    expect(stack.logs('socket', 100_000)).toMatch(/"level":|\] /);
    expect(stack.logs('socket', 100_000)).not.toMatch(/view not published in time/);
  });

  it('accepted every planned answer', async () => {
    for (const player of game.players) {
      const planned = Object.values(ANSWERING).filter((who) => who.includes(player.index)).length;
      const mine = await Promise.all(acks[player.index] ?? []);

      expect(mine).toHaveLength(planned);
      for (const ack of mine) expect(ack).toMatchObject({ ok: true });
    }
  });

  it('shows every player every question exactly once, in order', () => {
    for (const client of game.clients()) {
      expect(questionsShown(client.frames), client.label).toEqual([0, 1, 2]);
    }
  });

  it('reveals each question once, after its question phase', () => {
    for (const { client } of game.players) {
      const phases = client
        .views()
        .filter((v, i, all) => all.findIndex((w) => w.version === v.version) === i)
        .filter((v) => v.phase !== 'lobby')
        .map((v) => `${v.phase}:${v.questionIndex}`);

      expect(phases).toEqual(['question:0', 'reveal:0', 'question:1', 'reveal:1', 'question:2', 'reveal:2', 'finished:2']);
    }
  });

  describe('when a question runs to its deadline', () => {
    it('sends each player a countdown about every 2 s, all toward the same deadline', () => {
      for (const { client } of game.players) {
        const questionView = client.views().find((v) => v.phase === 'question' && v.questionIndex === FULL_TIME_QUESTION) as RoomView;
        const countdowns = client.countdowns().filter((c) => c.payload.phase === 'question' && c.payload.questionIndex === FULL_TIME_QUESTION);

        // Ticks are due at 2 and 4 s of a 6 s question; the deadline itself is the advance, not a tick.
        expect(countdowns.map((c) => c.payload.tick)).toEqual([1, 2]);
        // The opening is the view alone: it carries what a tick would have (deadline, counts).
        expect(questionView).toMatchObject({ answeredCount: 0, playerCount: PLAYERS });
        expect(questionView.deadlineAt).toBeGreaterThan(questionView.serverNow + QUESTION_MS - 1000);
        const gaps = countdowns.slice(1).map((c, i) => c.at - (countdowns[i]?.at ?? 0));
        for (const gap of gaps) {
          expect(gap).toBeGreaterThan(2000 - 600);
          expect(gap).toBeLessThan(2000 + 600);
        }
        for (const { payload } of countdowns) {
          expect(payload.deadlineAt).toBe(questionView.deadlineAt);
          expect(payload.remainingMs).toBe(Math.max(0, payload.deadlineAt - payload.serverNow));
        }
        const remaining = countdowns.map((c) => c.payload.remainingMs);
        expect(remaining[0]).toBeGreaterThan(QUESTION_MS - 2000 - 1000);
        expect(remaining).toEqual([...remaining].sort((a, b) => b - a));
      }
    });

    it('reveals the question only once the deadline has passed', () => {
      for (const { client } of game.players) {
        const questionView = client.views().find((v) => v.phase === 'question' && v.questionIndex === FULL_TIME_QUESTION) as RoomView;
        const revealView = client.views().find((v) => v.phase === 'reveal' && v.questionIndex === FULL_TIME_QUESTION) as RoomView;

        expect(revealView.serverNow).toBeGreaterThanOrEqual(questionView.deadlineAt ?? Infinity);
      }
    });
  });

  describe('when the game is over', () => {
    it('records each answer with the choice the player sent, graded against the correct answer', () => {
      for (const player of game.players) {
        const sent = Object.entries(ANSWERING)
          .filter(([, who]) => who.includes(player.index))
          .map(([q]) => Number(q));
        const recorded = results.answers.filter((a) => a.playerId === player.playerId);

        expect(recorded.map((a) => a.questionIndex).sort()).toEqual(sent);
        for (const a of recorded) {
          const q = results.questions[a.questionIndex];
          expect(a.choice).toBe(player.index % (q?.choices.length ?? NaN));
          expect(a.correct).toBe(q?.correct.includes(a.choice ?? -1));
        }
      }
    });

    it('scores every answer by the speed rule and adds them up', () => {
      for (const player of game.players) {
        const recorded = results.answers.filter((a) => a.playerId === player.playerId);
        const expected = recorded.map((a) => (a.correct ? Math.round(1000 * (1 - a.elapsedMs / QUESTION_MS / 2)) : 0));
        const total = expected.reduce((s, p) => s + p, 0);

        expect(recorded.map((a) => a.points)).toEqual(expected);
        expect(results.players.find((p) => p.playerId === player.playerId)?.score).toBe(total);
        expect(player.client.yous().at(-1)?.score).toBe(total);
      }
      // Not a game where the scoring rule went untested: someone was right, someone was wrong.
      expect(results.answers.some((a) => a.correct)).toBe(true);
      expect(results.answers.some((a) => !a.correct)).toBe(true);
    });

    it('ranks the players by score, then by total time (a correct answer its time, any other the whole question)', () => {
      const ranked = rankPlayers(results.players.map((p) => ({ ...p, totalMs: p.totalAnswerMs })));

      expect(results.players.map((p) => [p.playerId, p.rank])).toEqual(ranked.map((p) => [p.playerId, p.rank]));
      expect(results.players.map((p) => p.rank)).toEqual([1, 2, 3, 4]);
      const questionMs = results.game.settings.questionSeconds * 1000;
      for (const p of results.players) {
        const mine = results.answers.filter((a) => a.playerId === p.playerId);
        const correctMs = mine.filter((a) => a.correct).reduce((s, a) => s + a.elapsedMs, 0);
        expect(p.totalAnswerMs).toBe(correctMs + (results.questions.length - mine.filter((a) => a.correct).length) * questionMs);
        expect(p.correctCount).toBe(mine.filter((a) => a.correct).length);
      }
    });

    it('serves the game, its questions with answers, players and answers at GET /games/:id/results', () => {
      expect(results.game).toMatchObject({ id: game.gameId, roomCode: game.code, settings: expect.objectContaining(SETTINGS) });
      expect(results.questions).toHaveLength(3);
      for (const q of results.questions) {
        expect(q.choices.length).toBeGreaterThanOrEqual(2);
        expect(q.correct).toHaveLength(1);
        for (const c of q.correct) expect(c).toBeLessThan(q.choices.length);
      }
      expect(results.players.map((p) => p.nickname).sort()).toEqual(game.players.map((p) => p.nickname).sort());
      expect(results.answers).toHaveLength(Object.values(ANSWERING).flat().length);
    });

    it('keeps the game, players and answers as rows in PostgreSQL', async () => {
      const db = createDb(infra().databaseUrl);
      try {
        const gameRow = await db('games').where({ id: game.gameId }).first();
        const players = await db('game_players').where({ game_id: game.gameId });
        const answers = await db('game_answers').where({ game_id: game.gameId });

        expect(gameRow).toMatchObject({ room_code: game.code });
        expect(gameRow.finished_at).toBeInstanceOf(Date);
        expect(players).toHaveLength(PLAYERS);
        for (const row of players) {
          expect(row.score).toBe(results.players.find((p) => p.playerId === row.player_id)?.score);
        }
        expect(answers).toHaveLength(Object.values(ANSWERING).flat().length);
        expect(answers.filter((a) => a.question_index === FULL_TIME_QUESTION)).toHaveLength(ANSWERING[FULL_TIME_QUESTION]?.length ?? NaN);
      } finally {
        await db.destroy();
      }
    });
  });

  describe('before a question is revealed', () => {
    it('sends nobody its correct answer, its result or points, in any frame', () => {
      let checked = 0;
      for (const client of game.clients()) {
        for (const { frame, questionIndex } of framesWhileQuestionOpen(client.frames)) {
          const text = JSON.stringify(frame.payload);
          const where = `${client.label} ${frame.event} during question ${questionIndex}: ${text}`;
          expect(text, where).not.toMatch(/correctChoices|acceptedAnswers/);
          expect(text, where).not.toMatch(/"question":\{[^}]*"(answer|correct|accepted)"/);
          switch (frame.event) {
            case 'room:view':
              expect(frame.payload.reveal, where).toBeNull();
              expect(frame.payload.question ?? {}, where).not.toHaveProperty('answer');
              break;
            case 'room:you':
              expect(frame.payload.answer ?? {}, where).not.toHaveProperty('correct');
              expect(frame.payload.answer ?? {}, where).not.toHaveProperty('points');
              break;
            case 'ack:answer:submit':
              expect(
                Object.keys(frame.payload).filter((k) => ['answer', 'correct', 'points'].includes(k)),
                where,
              ).toEqual([]);
              break;
          }
          checked++;
        }
      }
      // The check saw the frames it is about, and the reveals that follow do carry what it looks for.
      expect(checked).toBeGreaterThan(PLAYERS * 3 * 2);
      for (const { client } of game.players) {
        const reveals = client.views().filter((v) => v.phase === 'reveal');
        for (const v of reveals) expect(v.reveal?.correctChoices).toEqual(results.questions[v.questionIndex]?.correct);
      }
    });

    it('keeps every score, streak, rank and leaderboard still while a question is open, so none of them tells who was right', () => {
      let compared = 0;
      for (const client of game.clients()) {
        const first = new Map<string, string>();
        for (const { frame, questionIndex } of framesWhileQuestionOpen(client.frames)) {
          const you = frame.event === 'room:you' ? frame.payload : frame.event === 'ack:room:sync' && frame.payload.ok ? frame.payload.you : undefined;
          const view = frame.event === 'room:view' ? frame.payload : frame.event === 'ack:room:sync' && frame.payload.ok ? frame.payload.view : undefined;
          for (const [kind, standing] of [
            ['you', you && JSON.stringify([you.score, you.streak, you.rank])],
            ['leaderboard', view && JSON.stringify(view.leaderboard)],
          ] as const) {
            if (!standing) continue;
            const key = `${kind} during question ${questionIndex}`;
            const seen = first.get(key);
            if (seen === undefined) first.set(key, standing);
            else {
              expect(standing, `${client.label} ${key}`).toBe(seen);
              compared++;
            }
          }
        }
      }
      expect(compared).toBeGreaterThan(0);
    });
  });
});
