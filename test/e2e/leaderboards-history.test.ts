import { Queue } from 'bullmq';
import { parse } from 'csv-parse/sync';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Leaderboard, LeaderboardAround, LeaderboardCounts, LeaderboardPlayer } from '../../src/api/leaderboards/leaderboards.schemas';
import type { MyGames } from '../../src/api/history/history.schemas';
import { RESULTS_CSV_COLUMNS } from '../../src/api/history/results-csv';
import { isoWeekOf } from '../../src/game/iso-week';
import { type PersistResultsJob, QueueName } from '../../src/shared/jobs';
import type { GameResults } from '../../src/store/repos/games.repo';
import { createKeys } from '../../src/store/keys';
import { infra, waitUntil } from '../helpers/infra';
import { RecordingClient } from '../helpers/recording-client';
import { Stack } from '../helpers/stack';

const SETTINGS = { questionCount: 2, questionSeconds: 4, revealSeconds: 1 };

interface Member {
  nickname: string;
  userId: string | null;
  userToken: string | null;
  playerId: string;
  client: RecordingClient;
}

describe('a game with two signed-in players and a guest, through separate api, worker and socket processes', () => {
  let stack: Stack;
  let host: { token: string; userId: string };
  let hostScreen: RecordingClient;
  let gameId: string;
  let code: string;
  const members: Member[] = [];
  let results: GameResults;
  let global: Leaderboard;

  beforeAll(async () => {
    stack = await Stack.start('leaderboards');
    try {
      host = await stack.api.registerHost('Quizmaster');
      const created = await stack.api.createRoom(host.token, SETTINGS);
      ({ gameId, code } = created);
      await stack.api.waitForLobby(code);
      hostScreen = await RecordingClient.connect(stack.socketUrl, created.hostToken, 'host');

      const ann = await stack.api.registerHost('Ann Account');
      const bob = await stack.api.registerHost('Bob Account');
      for (const [nickname, account] of [
        ['Ann', ann],
        ['Bob', bob],
        ['Guest', null],
      ] as const) {
        const joined = await stack.api.request<{ playerId: string; token: string }>('POST', `/rooms/${code}/players`, {
          token: account?.token,
          body: { nickname },
        });
        expect(joined.status).toBe(201);
        const client = await RecordingClient.connect(stack.socketUrl, joined.body.token, nickname);
        await client.waitForPhase('lobby');
        members.push({ nickname, userId: account?.userId ?? null, userToken: account?.token ?? null, playerId: joined.body.playerId, client });
      }
      // Each player picks a different choice at once, so the questions close early and scores differ.
      for (const [i, m] of members.entries()) {
        m.client.socket.on('room:view', (view) => {
          if (view.phase === 'question' && view.question) void m.client.submit(view.questionIndex, i % view.question.choices.length);
        });
      }

      await stack.api.start(code, created.hostToken);
      await Promise.all([hostScreen, ...members.map((m) => m.client)].map((c) => c.waitForPhase('finished', undefined, 60_000)));
      results = await stack.api.waitForResults(gameId, 30_000);
      // The boards are written right after the results, by the same job.
      global = await waitUntil(
        'the global board to hold both signed-in players',
        async () => {
          const res = await stack.api.request<Leaderboard>('GET', '/leaderboards/global');
          return res.status === 200 && res.body.total === 2 ? res.body : undefined;
        },
        15_000,
      );
    } catch (err) {
      console.error(`game set-up failed; process output:\n${stack.logs()}`);
      throw err;
    }
  }, 120_000);

  beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(`process output (${stack.namespace}):\n${stack.logs()}`)));

  afterAll(async () => {
    for (const c of [hostScreen, ...members.map((m) => m.client)]) c?.close();
    await stack?.stop();
  });

  const scoreOf = (m: Member) => results.players.find((p) => p.playerId === m.playerId)?.score;
  const signedIn = () => members.filter((m) => m.userId !== null);

  describe('the leaderboards', () => {
    it('hold each signed-in player with their final score and one game, and no guest', () => {
      const expected = signedIn()
        .map((m) => ({ userId: m.userId, displayName: `${m.nickname} Account`, score: scoreOf(m), games: 1 }))
        .sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || (b.userId ?? '').localeCompare(a.userId ?? ''));

      expect(global.board).toBe('global');
      expect(global.week).toBeNull();
      expect(global.entries.map(({ rank: _, ...e }) => e)).toEqual(expected);
      expect(global.entries[0]?.rank).toBe(1);
    });

    it('put the game on the board of the ISO week it finished in', async () => {
      const week = isoWeekOf(Date.parse(results.game.finishedAt)).id;

      const weekly = await stack.api.request<Leaderboard>('GET', `/leaderboards/weekly?week=${week}`);
      const current = await stack.api.request<Leaderboard>('GET', '/leaderboards/weekly');

      expect(weekly.body).toEqual({ ...global, board: 'weekly', week });
      // The game finished moments ago: the current week, unless the test ran across Monday 00:00 UTC.
      if (isoWeekOf(Date.now()).id === week) expect(current.body).toEqual(weekly.body);
    });

    it("give a player's rank and score, and the players around them", async () => {
      const [first, second] = global.entries;
      const me = await stack.api.request<LeaderboardPlayer>('GET', `/leaderboards/global/players/${second?.userId}`);
      const around = await stack.api.request<LeaderboardAround>('GET', `/leaderboards/weekly/players/${second?.userId}/around?radius=1`);

      expect(me.body).toEqual({ board: 'global', week: null, total: 2, player: second });
      expect(around.body.player).toEqual(second);
      expect(around.body.entries).toEqual([first, second]);
    });

    it('count the players on each board', async () => {
      const counts = await stack.api.request<LeaderboardCounts>('GET', '/leaderboards');

      expect(counts.body.boards).toEqual([
        { board: 'global', week: null, players: 2 },
        { board: 'weekly', week: isoWeekOf(Date.now()).id, players: isoWeekOf(Date.now()).id === isoWeekOf(Date.parse(results.game.finishedAt)).id ? 2 : 0 },
      ]);
    });

    it('change nothing when the persist-results job for the game runs again', async () => {
      const redis = new Redis(infra().redisUrl, { maxRetriesPerRequest: null });
      const queue = new Queue<PersistResultsJob>(QueueName.PersistResults, {
        connection: redis,
        prefix: createKeys(stack.namespace).bullPrefix(QueueName.PersistResults),
      });
      try {
        const job = await queue.add('persist-results', { roomCode: code, gameId }, { jobId: `persist-again-${gameId}` });

        const outcome = await waitUntil(
          'the repeated job to complete',
          async () => {
            const state = await queue.getJobState(job.id ?? '');
            if (state === 'failed') throw new Error('the repeated job failed');
            return state === 'completed' ? (await queue.getJob(job.id ?? ''))?.returnvalue : undefined;
          },
          15_000,
        );

        expect(outcome).toMatchObject({ result: 'already-saved', leaderboards: 'already-counted' });
        expect((await stack.api.request<Leaderboard>('GET', '/leaderboards/global')).body).toEqual(global);
      } finally {
        await queue.close();
        redis.disconnect();
      }
    });
  });

  describe('the history', () => {
    it("lists the game among a signed-in player's games, with their score and rank", async () => {
      for (const m of signedIn()) {
        const res = await stack.api.request<MyGames>('GET', '/me/games', { token: m.userToken ?? '' });
        const mine = results.players.find((p) => p.playerId === m.playerId);

        expect(res.status).toBe(200);
        expect(res.body.nextCursor).toBeNull();
        expect(res.body.games).toEqual([
          expect.objectContaining({
            gameId,
            roomCode: code,
            hosted: false,
            questionCount: 2,
            playerCount: 3,
            finishedAt: results.game.finishedAt,
            played: { playerId: m.playerId, nickname: m.nickname, score: mine?.score, rank: mine?.rank, correctCount: mine?.correctCount },
          }),
        ]);
      }
    });

    it("lists the game among the host's games, as hosted", async () => {
      const res = await stack.api.request<MyGames>('GET', '/me/games', { token: host.token });

      expect(res.body.games).toEqual([expect.objectContaining({ gameId, hosted: true, played: null })]);
    });

    // A cursor in the api's own format: base64url of the JSON pair [finishedAt, gameId], as in nextCursor.
    const cursorOf = (finishedAt: string, id: string) => Buffer.from(JSON.stringify([finishedAt, id])).toString('base64url');

    it('pages from a cursor in the form it gives out: the page after the game is empty, one from a moment later holds it', async () => {
      const later = new Date(Date.parse(results.game.finishedAt) + 1).toISOString();

      const after = await stack.api.request<MyGames>('GET', `/me/games?cursor=${cursorOf(results.game.finishedAt, gameId)}`, { token: host.token });
      const before = await stack.api.request<MyGames>('GET', `/me/games?cursor=${cursorOf(later, gameId)}`, { token: host.token });

      expect(after.status).toBe(200);
      expect(after.body).toEqual({ games: [], nextCursor: null });
      expect(before.status).toBe(200);
      expect(before.body.games).toEqual([expect.objectContaining({ gameId })]);
    });

    const nil = '00000000-0000-0000-0000-000000000000';
    it.each([
      ['a time Date.parse reads loosely', cursorOf('foo 2020', nil)],
      ['a day past the end of its month', cursorOf('2020-02-30T00:00:00.000Z', nil)],
      ['the year 0, which PostgreSQL lacks', cursorOf('0000-01-01T00:00:00.000Z', nil)],
      ['36 characters that are not a UUID', cursorOf('2020-01-01T00:00:00.000Z', '-'.repeat(36))],
    ])('refuses a hand-edited cursor holding %s with 400 problem+json, not a 500', async (_, cursor) => {
      const res = await stack.api.request<{ code: string; detail: string }>('GET', `/me/games?cursor=${cursor}`, { token: host.token });

      expect(res.status).toBe(400);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body.detail).toContain('cursor is not one this api gave out');
    });
  });

  describe('the results', () => {
    it('break each question down: counts, distribution, and every player’s answer by final rank', () => {
      const byRank = [...results.players].sort((a, b) => a.rank - b.rank).map((p) => p.playerId);
      for (const q of results.questions) {
        const answers = results.answers.filter((a) => a.questionIndex === q.index);

        expect(q.breakdown.answeredCount).toBe(answers.length);
        expect(q.breakdown.correctCount).toBe(answers.filter((a) => a.correct).length);
        expect(q.breakdown.distribution).toEqual(q.choices.map((_, c) => answers.filter((a) => a.choice === c).length));
        expect(q.breakdown.players.map((p) => p.playerId)).toEqual(byRank);
        for (const row of q.breakdown.players) {
          const a = answers.find((x) => x.playerId === row.playerId);
          expect(row).toMatchObject({ choice: a?.choice ?? null, correct: a?.correct ?? false, points: a?.points ?? 0 });
        }
      }
    });

    it('export as CSV: a header row, then one row per player per question', async () => {
      const res = await fetch(`${stack.apiUrl}/games/${gameId}/results.csv`, { headers: { authorization: `Bearer ${host.token}` } });
      const rows: string[][] = parse(await res.text());

      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="?quizloop-${code}-\\d{4}-\\d{2}-\\d{2}\\.csv"?$`));
      expect(rows[0]).toEqual([...RESULTS_CSV_COLUMNS]);
      expect(rows).toHaveLength(1 + 3 * 2);
      const col = (name: (typeof RESULTS_CSV_COLUMNS)[number]) => RESULTS_CSV_COLUMNS.indexOf(name);
      for (const row of rows.slice(1)) {
        const player = results.players.find((p) => p.playerId === row[col('player_id')]);
        const question = results.questions[Number(row[col('question_number')]) - 1];
        const answer = results.answers.find((a) => a.playerId === player?.playerId && a.questionIndex === question?.index);
        expect(row[col('nickname')]).toBe(player?.nickname);
        expect(row[col('score')]).toBe(String(player?.score));
        expect(row[col('question')]).toBe(question?.text.replace(/^[=+\-@]/, "'$&"));
        expect(row[col('answer')]).toBe(answer && answer.choice !== null ? question?.choices[answer.choice] : '');
        expect(row[col('points')]).toBe(String(answer?.points ?? 0));
      }
    });
  });
});
