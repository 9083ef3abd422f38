import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Game, openGame } from '../helpers/game';
import { infra, waitUntil } from '../helpers/infra';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const HEADING = '## A client in 15 lines';

/** The README's client example, as a newcomer would copy it: the first js block under its heading. */
function readmeClient(): string {
  const readme = readFileSync(path.join(infra().repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(HEADING));
  const block = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!readme.includes(HEADING) || !block) throw new Error(`README.md has no js block under "${HEADING}"`);
  return block;
}

describe("the README's client in 15 lines, run with node against the api, worker and socket processes", () => {
  let stack: Stack;
  let game: Game;
  let child: ChildProcess;
  let output = '';
  let exit: Promise<number | null>;
  const source = readmeClient();

  beforeAll(async () => {
    stack = await Stack.start('readme-client');
    game = await openGame(stack, { questionCount: 2, questionSeconds: 5, revealSeconds: 1 }, 0);
    // Inside the repository, so `socket.io-client` resolves from its node_modules as it would in a project that installed it.
    const dir = path.join(infra().repoRoot, 'test-artifacts', 'readme-client');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'player.mjs');
    // The one change a reader makes: the address of their server (the api serves Socket.IO on the same port).
    writeFileSync(file, source.replace("'http://localhost:3000'", `'${stack.apiUrl}'`));
    child = spawn(process.execPath, [file, game.code], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (output += d));
    child.stderr?.on('data', (d: Buffer) => (output += d));
    exit = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    await waitUntil('the client in the lobby', () => (output.includes('lobby') ? true : undefined), 15_000);
    await stack.api.start(game.code, game.hostToken);
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    child?.kill();
    game?.closeAll();
    await stack?.stop();
  });

  it('is at most 15 lines', () => {
    expect(source.trimEnd().split('\n').length).toBeLessThanOrEqual(15);
  });

  it('joins, answers every question, hears its score, and exits by itself with code 0 when the game ends', async () => {
    expect(await exit).toBe(0);
    const lines = output.trim().split('\n');
    expect(lines[0]).toMatch(/^(building|lobby)/);
    // Each question answered once, and accepted: no ALREADY_ANSWERED for a view that came twice.
    expect(lines.filter((l) => l.startsWith('answer '))).toEqual([
      expect.stringMatching(/^answer \{ ok: true, questionIndex: 0/),
      expect.stringMatching(/^answer \{ ok: true, questionIndex: 1/),
    ]);
    expect(lines.map((l) => l.trim())).toContain('finished');
    expect(lines.some((l) => /^score \d+, streak \d+$/.test(l))).toBe(true);
    const results = await stack.api.waitForResults(game.gameId);
    expect(results.players.map((p) => p.nickname)).toEqual(['Ada']);
  }, 60_000);
});
