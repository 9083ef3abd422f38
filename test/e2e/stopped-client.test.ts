import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Game, openGame } from '../helpers/game';
import { infra, waitUntil } from '../helpers/infra';
import { Stack, printLogsOnFailure } from '../helpers/stack';

/**
 * A player's client that stops reading its connection: its process stopped (SIGSTOP), as a phone that
 * sleeps or a client that never reads. The server keeps writing to it, and only the heartbeat tells:
 * a ping every second here, and 5 s to answer it (the least SOCKET_PING_TIMEOUT_MS takes).
 */
const HEARTBEAT = { SOCKET_PING_INTERVAL_MS: '1000', SOCKET_PING_TIMEOUT_MS: '5000' };
/** Long questions, so that a question that closes before its deadline can only have closed early. */
const SETTINGS = { questionCount: 3, questionSeconds: 30, revealSeconds: 1 };

describe('a player whose client stops reading', () => {
  let stack: Stack;
  let game: Game;
  let bot: ChildProcess;
  let botExit: Promise<{ code: number | null; stdout: string; stderr: string }>;

  /** Whether the host's player list (`GET /rooms/:code/players`) shows the bot online: presence as the server counts it. */
  async function botOnline(): Promise<boolean | undefined> {
    const res = await fetch(`${stack.apiUrl}/rooms/${game.code}/players`, { headers: { authorization: `Bearer ${game.hostToken}` } });
    const { players } = (await res.json()) as { players: { nickname: string; online: boolean }[] };
    return players.find((p) => p.nickname.startsWith('Bot-'))?.online;
  }

  beforeAll(async () => {
    stack = await Stack.start('stopped-client', undefined, { env: HEARTBEAT });
    game = await openGame(stack, SETTINGS, 1);
    // The stopped player is `npm run bots`, a process of its own, as a user runs it.
    bot = spawn(
      process.execPath,
      [path.join(infra().repoRoot, 'dist/src/bots/main.js'), '--api', stack.apiUrl, '--socket', stack.socketUrl, '--room', game.code, '--players', '1'],
      { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    bot.stdout?.on('data', (d) => (stdout += String(d)));
    bot.stderr?.on('data', (d) => (stderr += String(d)));
    botExit = new Promise((resolve) => bot.once('close', (code) => resolve({ code, stdout, stderr })));
    await waitUntil('the bot in the lobby, online', async () => ((await botOnline()) === true ? true : undefined), 30_000, 250).catch((err: Error) => {
      throw new Error(`${err.message}\nbots: ${stdout}${stderr}`);
    });
  }, 90_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    if (bot && bot.exitCode === null) {
      bot.kill('SIGCONT');
      bot.kill('SIGKILL');
    }
    game?.closeAll();
    await stack?.stop();
  });

  it('is dropped by the heartbeat, and the game goes on without waiting for them', async () => {
    bot.kill('SIGSTOP');
    // Within the heartbeat (1 s + 5 s) and the waits around it; the connection is still open on the bot's side.
    await waitUntil('the stopped bot offline', async () => ((await botOnline()) === false ? true : undefined), 15_000, 250);

    await stack.api.start(game.code, game.hostToken);
    const player = game.players[0]?.client;
    if (!player) throw new Error('no player');
    for (const index of [0, 1]) {
      const question = await player.waitForQuestion(index);
      expect(await player.submit(index, 0)).toMatchObject({ ok: true });
      // Every player still connected has answered: the question closes at once, not in 30 s.
      const reveal = await player.waitForPhase('reveal', index);
      expect(reveal.serverNow).toBeLessThan(question.deadlineAt ?? 0);
    }
  }, 60_000);

  it('plays on when it runs again: its client reconnects, and the game ends for it as for everyone', async () => {
    bot.kill('SIGCONT');
    await waitUntil('the bot back online', async () => ((await botOnline()) === true ? true : undefined), 20_000, 250);
    const player = game.players[0]?.client;
    if (!player) throw new Error('no player');
    await player.waitForQuestion(2);
    expect(await player.submit(2, 0)).toMatchObject({ ok: true });

    await game.host.waitForPhase('finished', undefined, 45_000);
    const exit = await botExit;
    expect(exit.code, exit.stderr).toBe(0);
    // The bot's final leaderboard, from the saved results, names it: it lost the questions it slept through, nothing else.
    expect(exit.stdout).toContain('final leaderboard');
    expect(exit.stdout).toMatch(/\d+\. Bot-/);
  }, 90_000);
});
