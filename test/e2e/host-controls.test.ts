import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import { type Game, openGame, questionsShown } from '../helpers/game';
import { sleep } from '../helpers/infra';
import { RecordingClient } from '../helpers/recording-client';
import { Stack } from '../helpers/stack';

const SETTINGS = { questionCount: 3, questionSeconds: 10, revealSeconds: 2 };
/** Longer than the 2 s between ticks: a tick would have fired in it. */
const PAUSE_MS = 3000;

describe('host controls, through separate api, worker and socket processes', () => {
  let stack: Stack;
  const games: Game[] = [];

  beforeAll(async () => {
    stack = await Stack.start('host-controls', undefined, { env: { NICKNAME_BLOCKLIST: 'darn,heck' } });
  }, 60_000);

  beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(`process output (${stack.namespace}):\n${stack.logs()}`)));

  afterAll(async () => {
    for (const g of games) g.closeAll();
    await stack?.stop();
  });

  async function newGame(players: number): Promise<Game> {
    const game = await openGame(stack, SETTINGS, players);
    games.push(game);
    return game;
  }

  describe('when the host pauses a question, then resumes it', () => {
    let game: Game;
    let paused: RoomView;
    let resumed: RoomView;
    let resumeSentAt = 0;
    let resumeDoneAt = 0;
    let countdownsWhilePaused = -1;
    let answerWhilePaused: unknown;
    let skipWhilePaused: { status: number; body: unknown };
    let openSeenAt = 0;
    let pauseDoneAt = 0;
    let answeredAt = 0;

    beforeAll(async () => {
      // A third player never answers: the resumed question stays open past its first tick (2 s after resuming).
      game = await newGame(3);
      const [first, second] = game.players;
      if (!first || !second) throw new Error('three players expected');
      await stack.api.start(game.code, game.hostToken);
      await game.host.waitForQuestion(0);
      openSeenAt = Date.now();
      expect(await first.client.submit(0, 0)).toMatchObject({ ok: true });
      // The answered count reaches the host with the next tick.
      await game.host.waitFor('a countdown counting one answer', (f) => f.event === 'room:countdown' && f.payload.answeredCount === 1);

      paused = await stack.api.control(game.code, 'pause', game.hostToken);
      pauseDoneAt = Date.now();
      const before = game.host.countdowns().length;
      answerWhilePaused = await second.client.submit(0, 1);
      skipWhilePaused = await stack.api.request('POST', `/rooms/${game.code}/skip`, { token: game.hostToken, body: { version: paused.version } });
      await sleep(PAUSE_MS);
      countdownsWhilePaused = game.host.countdowns().length - before;

      resumeSentAt = Date.now();
      resumed = await stack.api.control(game.code, 'resume', game.hostToken);
      resumeDoneAt = Date.now();
      expect(await second.client.submit(0, 1)).toMatchObject({ ok: true });
      answeredAt = Date.now();
    }, 60_000);

    it('shows the paused question with the time it had left, and its players see it', async () => {
      expect(paused).toMatchObject({ phase: 'paused', questionIndex: 0, deadlineAt: null, paused: { phase: 'question' } });
      expect(paused.paused?.remainingMs).toBeGreaterThan(0);
      expect(paused.paused?.remainingMs).toBeLessThanOrEqual(SETTINGS.questionSeconds * 1000);
      expect(paused.question).not.toHaveProperty('answer');
      const seen = await game.players[0]?.client.waitForPhase('paused');
      expect(seen?.question?.index).toBe(0);
    });

    it('fires no tick while paused', () => {
      expect(countdownsWhilePaused).toBe(0);
    });

    it('takes no answer while paused, and cannot skip a paused question', () => {
      expect(answerWhilePaused).toMatchObject({ ok: false, error: { code: 'NOT_ACCEPTING_ANSWERS' } });
      expect(skipWhilePaused.status).toBe(409);
      expect(skipWhilePaused.body).toMatchObject({ code: 'INVALID_TRANSITION' });
    });

    it('resumes with the time that was left, from the moment of resuming, and ticks again', async () => {
      const remaining = paused.paused?.remainingMs ?? NaN;
      expect(resumed).toMatchObject({ phase: 'question', questionIndex: 0, paused: null });
      expect(resumed.deadlineAt! - remaining).toBeGreaterThanOrEqual(resumeSentAt);
      expect(resumed.deadlineAt! - remaining).toBeLessThanOrEqual(resumeDoneAt);
      await game.host.waitFor('a tick after resuming', (f) => f.event === 'room:countdown' && f.payload.deadlineAt === resumed.deadlineAt);
    });

    it('does not count the pause against the answer speed', async () => {
      await stack.api.control(game.code, 'end', game.hostToken);
      const results = await stack.api.waitForResults(game.gameId);
      const second = results.answers.find((a) => a.playerId === game.players[1]?.playerId);
      // Open time before the pause plus the time after resuming; the pause itself (3 s) is left out.
      const unpausedMs = pauseDoneAt - openSeenAt + (answeredAt - resumeSentAt);
      expect(second?.elapsedMs).toBeLessThanOrEqual(unpausedMs + 250);
      expect(second?.elapsedMs).toBeLessThan(answeredAt - openSeenAt - PAUSE_MS + 250);
    });
  });

  describe('when the host skips and then ends the game early', () => {
    let game: Game;
    let skipped: RoomView;
    let ended: RoomView;

    beforeAll(async () => {
      game = await newGame(2);
      await stack.api.start(game.code, game.hostToken);
      await game.host.waitForQuestion(0);
      expect(await game.players[0]?.client.submit(0, 0)).toMatchObject({ ok: true });
      skipped = await stack.api.control(game.code, 'skip', game.hostToken);
      await game.host.waitForPhase('reveal', 0);
      await stack.api.control(game.code, 'skip', game.hostToken);
      await game.host.waitForQuestion(1);
      expect(await game.players[1]?.client.submit(1, 0)).toMatchObject({ ok: true });
      ended = await stack.api.control(game.code, 'end', game.hostToken);
      await game.host.waitForPhase('finished');
    }, 60_000);

    it('reveals the question at once, and shows every question once, in order', () => {
      expect(skipped).toMatchObject({ phase: 'reveal', questionIndex: 0 });
      expect(skipped.reveal).not.toBeNull();
      for (const client of [game.host, ...game.players.map((p) => p.client)]) expect(questionsShown(client.frames), client.label).toEqual([0, 1]);
    });

    it('finishes with a podium and full standings, counting the answers to the question it ended in', async () => {
      expect(ended.phase).toBe('finished');
      const standings = await stack.api.allStandings(game.code);
      expect(standings.map((s) => s.nickname).sort()).toEqual(game.players.map((p) => p.nickname).sort());
      expect(ended.podium).toEqual(standings.slice(0, 3));
      const results = await stack.api.waitForResults(game.gameId);
      expect(results.questions.map((q) => q.index)).toEqual([0, 1]);
      expect(results.answers.map((a) => [a.questionIndex, a.playerId]).sort()).toEqual(
        [
          [0, game.players[0]?.playerId],
          [1, game.players[1]?.playerId],
        ].sort(),
      );
      const byId = new Map(results.players.map((p) => [p.playerId, p.score]));
      for (const s of standings) {
        const player = game.players.find((p) => p.nickname === s.nickname);
        expect(byId.get(player?.playerId ?? '')).toBe(s.score);
      }
    });

    it('refuses controls once the game has ended', async () => {
      const { version } = await stack.api.room(game.code);
      const res = await stack.api.request('POST', `/rooms/${game.code}/pause`, { token: game.hostToken, body: { version } });
      expect(res.status).toBe(409);
      expect(res.contentType).toMatch(/application\/problem\+json/);
    });
  });

  describe('when the host locks the room, unlocks it, and kicks a player', () => {
    let game: Game;
    let lockedJoin: { status: number; contentType: string; body: unknown };
    let late: RecordingClient;
    let lateId = '';
    let yousBeforeLock: number[] = [];
    let yousAfterLock: number[] = [];

    beforeAll(async () => {
      game = await newGame(2);
      // Every push of the joins has arrived (a view, then its room:you right behind it on the same socket).
      await Promise.all(game.players.map((p) => p.client.waitForView('both players', (v) => v.playerCount === 2)));
      await new Promise((resolve) => setTimeout(resolve, 300));
      yousBeforeLock = game.players.map((p) => p.client.yous().length);
      await stack.api.control(game.code, 'lock', game.hostToken);
      lockedJoin = await stack.api.request('POST', `/rooms/${game.code}/players`, { body: { nickname: 'Too Early' } });
      await game.host.waitForView('the locked room', (v) => v.locked);
      await Promise.all(game.players.map((p) => p.client.waitForView('the locked room', (v) => v.locked)));
      await new Promise((resolve) => setTimeout(resolve, 300));
      yousAfterLock = game.players.map((p) => p.client.yous().length);
      await stack.api.control(game.code, 'unlock', game.hostToken);
      await stack.api.start(game.code, game.hostToken);
      await game.host.waitForQuestion(0);
      const joined = await stack.api.join(game.code, 'Latecomer');
      lateId = joined.playerId;
      late = await RecordingClient.connect(stack.socketUrl, joined.token, 'latecomer');
      game.players.push({ index: 2, nickname: 'Latecomer', playerId: joined.playerId, token: joined.token, client: late });
    }, 60_000);

    it('sends the players the locked view but no room:you, as the lock leaves their own state as it was', () => {
      expect(yousBeforeLock.every((n) => n >= 1)).toBe(true);
      expect(yousAfterLock).toEqual(yousBeforeLock);
    });

    it('refuses to let anyone join while locked, with a clear problem', () => {
      expect(lockedJoin.status).toBe(409);
      expect(lockedJoin.contentType).toMatch(/application\/problem\+json/);
      expect(lockedJoin.body).toMatchObject({ code: 'ROOM_LOCKED' });
    });

    it('lets a late player join an unlocked room mid-question, see the open question at once and answer it', async () => {
      const view = await late.waitForQuestion(0);
      expect(view.question?.index).toBe(0);
      expect(await late.submit(0, 1)).toMatchObject({ ok: true });
      const host = await game.host.waitForView('three players', (v) => v.playerCount === 3);
      expect(host.playerCount).toBe(3);
    });

    it('answers an unknown player with 404', async () => {
      const res = await stack.api.request('DELETE', `/rooms/${game.code}/players/p_AAAAAAAAAAAA`, { token: game.hostToken });
      expect(res.status).toBe(404);
    });

    it('kicks a player: their connection closes, their token is refused, their answer and score are gone', async () => {
      const kicked = game.players[0];
      if (!kicked) throw new Error('no player');
      expect(await kicked.client.submit(0, 0)).toMatchObject({ ok: true });
      // The host finds the id a kick needs in the host-only player list.
      const listed = await stack.api.request<{ players: { playerId: string; nickname: string; online: boolean }[] }>('GET', `/rooms/${game.code}/players`, {
        token: game.hostToken,
      });
      const id = listed.body.players.find((p) => p.nickname === kicked.nickname)?.playerId ?? '';
      expect(listed.body.players.every((p) => p.online)).toBe(true);

      const after = await stack.api.kick(game.code, id, game.hostToken);

      expect(id).toBe(kicked.playerId);
      expect(after).toMatchObject({ playerCount: 2, phase: 'question', answeredCount: 1 });
      await kicked.client.waitFor('room:closed', (f) => f.event === 'room:closed' && f.payload.reason === 'kicked');
      expect(await RecordingClient.refusal(stack.socketUrl, kicked.token)).toMatchObject({ data: { code: 'KICKED' } });
      const rejoin = await stack.api.request('POST', `/rooms/${game.code}/players`, { body: { nickname: kicked.nickname } });
      expect(rejoin.body).toMatchObject({ code: 'NICKNAME_TAKEN' });
    });

    it('closes the question when the one player everyone waited for is kicked, and keeps the others in the results', async () => {
      const waitedFor = game.players[1];
      if (!waitedFor) throw new Error('no player');

      const after = await stack.api.kick(game.code, waitedFor.playerId, game.hostToken);
      // The kick script sent the close on with the kick; the worker moves the room, as for a last answer.
      const reveal = await game.host.waitForPhase('reveal', 0);

      expect(after).toMatchObject({ playerCount: 1 });
      expect(reveal).toMatchObject({ phase: 'reveal', questionIndex: 0, playerCount: 1 });
      expect(reveal.reveal?.distribution.reduce((a, b) => a + b, 0)).toBe(1);
      await stack.api.control(game.code, 'end', game.hostToken);
      const results = await stack.api.waitForResults(game.gameId);
      expect(results.players.map((p) => p.playerId)).toEqual([lateId]);
      expect(results.answers.map((a) => a.playerId)).toEqual([lateId]);
    });
  });

  describe('with a nickname word list (NICKNAME_BLOCKLIST)', () => {
    it('refuses a nickname on the word list however it is spelled, and lets a look-alike word through', async () => {
      const room = await newGame(0);
      const refused = await stack.api.request('POST', `/rooms/${room.code}/players`, { body: { nickname: 'D4-r.n' } });
      expect(refused.status).toBe(400);
      expect(refused.contentType).toMatch(/application\/problem\+json/);
      expect(refused.body).toMatchObject({ code: 'NICKNAME_REJECTED' });
      expect((await stack.api.request('POST', `/rooms/${room.code}/players`, { body: { nickname: 'Checkmate' } })).status).toBe(201);
    });
  });

  describe('when someone other than the host tries a control', () => {
    it("refuses a player token, the host account token and another room's host token with 403, changing nothing", async () => {
      const game = await newGame(1);
      const other = await newGame(0);
      const player = game.players[0];
      if (!player) throw new Error('no player');
      for (const token of [player.token, game.userToken, other.hostToken]) {
        for (const action of ['start', 'pause', 'end', 'lock']) {
          const res = await stack.api.request('POST', `/rooms/${game.code}/${action}`, { token });
          expect(res.status, `${action}`).toBe(403);
        }
        const kick = await stack.api.request('DELETE', `/rooms/${game.code}/players/${player.playerId}`, { token });
        expect(kick.status).toBe(403);
      }
      expect(await stack.api.room(game.code)).toMatchObject({ phase: 'lobby', locked: false, playerCount: 1 });
    });
  });
});
