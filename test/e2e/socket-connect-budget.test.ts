import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bot } from '../../src/bots/bot';
import { signToken } from '../../src/shared/tokens';
import { createKeys } from '../../src/store/keys';
import { type Game, openGame } from '../helpers/game';
import { infra, sleep, waitUntil } from '../helpers/infra';
import { metricValue, scrape } from '../helpers/prometheus';
import { RecordingClient } from '../helpers/recording-client';
import { Stack, printLogsOnFailure } from '../helpers/stack';

/** Four connects in ten seconds per player (or host) of a room, over both socket processes. */
const BUDGET = 4;
const WINDOW_SECONDS = 10;
const REFUSED = 'quizloop_socket_handshakes_refused_total';

describe('when a client reconnects in a loop with one valid token (SOCKET_CONNECTS_PER_PLAYER)', () => {
  let stack: Stack;
  let game: Game;
  let redis: Redis;
  const extra: { close(): void }[] = [];

  beforeAll(async () => {
    stack = await Stack.start('socket-connect-budget', ['api', 'socket', 'socket2', 'worker'], {
      env: { SOCKET_CONNECTS_PER_PLAYER: `${BUDGET}/${WINDOW_SECONDS}` },
    });
    game = await openGame(stack, { questionCount: 1, questionSeconds: 20, revealSeconds: 1 }, 1);
    redis = new Redis(infra().redisUrl);
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    for (const c of extra) c.close();
    game?.closeAll();
    redis?.disconnect();
    await stack?.stop();
  });

  it('refuses the connect past the budget on every socket process, with RATE_LIMITED and retryAfter, and changes nothing', async () => {
    const [player] = game.players;
    if (!player) throw new Error('no player');
    // The player is connected (one connect spent); three more, each replacing the last, alternating processes.
    const urls = [stack.socket2Url, stack.socketUrl, stack.socket2Url];
    let last = player.client;
    for (const [i, url] of urls.entries()) {
      const next = await RecordingClient.connect(url, player.token, `again ${i}`);
      extra.push(next);
      await next.waitForPhase('lobby');
      await last.waitFor('the older connection replaced', (f) => f.event === 'client:disconnect');
      last = next;
    }
    const online = createKeys(stack.namespace).online(game.code);
    const fieldsOf = async () => Object.entries(await redis.hgetall(online)).filter(([field]) => field.startsWith(`${player.playerId}|`));
    // Once the replaced connections are uncounted: the player on one process, once.
    const presenceBefore = await waitUntil('one connection of the player counted', async () => {
      const fields = await fieldsOf();
      return fields.length === 1 ? fields : undefined;
    });

    const refused = [await RecordingClient.refusal(stack.socketUrl, player.token), await RecordingClient.refusal(stack.socket2Url, player.token)];
    await sleep(300);
    const presenceAfter = await fieldsOf();
    const other = await stack.api.join(game.code, 'Quinn');
    const quinn = await RecordingClient.connect(stack.socketUrl, other.token, 'Quinn');
    extra.push(quinn);
    await quinn.waitForPhase('lobby');

    for (const r of refused) {
      expect(r).toEqual({
        message: expect.stringMatching(/SOCKET_CONNECTS_PER_PLAYER/),
        data: {
          code: 'RATE_LIMITED',
          message: expect.stringMatching(new RegExp(`at most ${BUDGET} in ${WINDOW_SECONDS} s \\(SOCKET_CONNECTS_PER_PLAYER\\)\\. Connect again in \\d+ s\\.`)),
          retryAfter: expect.any(Number),
        },
      });
      const retryAfter = r === 'connected' ? 0 : (r.data?.retryAfter ?? 0);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    }
    // Not replaced, and presence as it was: one connection of the player, on the process that admitted the last one.
    expect(last.frames.filter((f) => f.event === 'client:disconnect' || f.event === 'room:closed')).toEqual([]);
    expect(last.socket.connected).toBe(true);
    expect(presenceAfter).toEqual(presenceBefore);
    expect((await last.sync()).ok).toBe(true);
    // Each process refused one, and said so in its metrics.
    for (const url of [stack.socketUrl, stack.socket2Url]) {
      expect(metricValue(await scrape(`${url}/metrics`), REFUSED, { reason: 'rate_limited' })).toBe(1);
    }
  });

  it('counts every refused handshake by its reason', async () => {
    const nowhere = signToken(stack.jwtSecret, { kind: 'player', sub: 'p-nobody', name: 'Nobody', room: 'ZZZZZZ' });
    const stranger = signToken(stack.jwtSecret, { kind: 'player', sub: 'p-stranger', name: 'Stranger', room: game.code });
    const before = await scrape(`${stack.socketUrl}/metrics`);

    const refusals = [
      await RecordingClient.refusal(stack.socketUrl, 'not-a-token'),
      await RecordingClient.refusal(stack.socketUrl, stranger),
      await RecordingClient.refusal(stack.socketUrl, nowhere),
    ];
    const after = await scrape(`${stack.socketUrl}/metrics`);
    const added = (reason: string) => (metricValue(after, REFUSED, { reason }) ?? NaN) - (metricValue(before, REFUSED, { reason }) ?? NaN);

    expect(refusals.map((r) => (r === 'connected' ? r : r.data?.code))).toEqual(['UNAUTHORIZED', 'NOT_A_PLAYER', 'ROOM_NOT_FOUND']);
    expect({ bad_token: added('bad_token'), room_gone: added('room_gone'), rate_limited: added('rate_limited'), kicked: added('kicked') }).toEqual({
      bad_token: 2,
      room_gone: 1,
      rate_limited: 0,
      kicked: 0,
    });
  });

  it('a bot whose budget is spent waits the retryAfter it is told, then connects', async () => {
    const { token } = await stack.api.join(game.code, 'Looper');
    for (let i = 0; i < BUDGET; i++) {
      const c = await RecordingClient.connect(stack.socketUrl, token, `loop ${i}`);
      await c.waitForPhase('lobby');
      c.close();
    }
    const refusal = await RecordingClient.refusal(stack.socketUrl, token);
    const retryAfter = refusal === 'connected' ? 0 : (refusal.data?.retryAfter ?? 0);
    const startedAt = Date.now();

    const errors: string[] = [];
    const bot = new Bot('Looper', stack.socketUrl, token, 1, () => {
      if (bot?.stats.lastError && errors.at(-1) !== bot.stats.lastError) errors.push(bot.stats.lastError);
    });
    extra.push(bot);
    const view = await waitUntil('the bot in the lobby', () => bot.view ?? undefined, (WINDOW_SECONDS + 5) * 1000);
    const waitedMs = Date.now() - startedAt;

    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([expect.stringMatching(/^RATE_LIMITED: Too many connects with this token/)]);
    expect(view.code).toBe(game.code);
    // It came back once the window it was refused in had ended, not before (which would have been refused again).
    expect(waitedMs).toBeGreaterThanOrEqual((retryAfter - 1) * 1000);
  }, 40_000);
});
