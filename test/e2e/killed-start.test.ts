import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ApiClient } from '../helpers/api-client';
import { openGame } from '../helpers/game';
import { infra, waitUntil } from '../helpers/infra';
import { testPort } from '../helpers/ports';
import { processesMentioning } from '../helpers/processes';

/**
 * `npm start` killed outright (SIGKILL: `kill -9`, the OOM killer, a container stopped hard) runs none
 * of its own code, so its local Redis and PostgreSQL must stop by themselves, cleanly, and the next
 * start on the same DATA_DIR must come up with the data.
 */

const scratch = mkdtempSync(path.join(os.tmpdir(), 'quizloop-killed-'));
// Reachable by the `postgres` user, so a root start keeps its cluster in the data folder given.
chmodSync(scratch, 0o755);
const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

async function npmStart(dataDir: string): Promise<{ child: ChildProcess; api: ApiClient; output: () => string }> {
  const port = await testPort();
  const env = { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: String(port), METRICS_PORT: String(await testPort()) };
  const child = spawn(process.execPath, [path.join(infra().repoRoot, 'dist/src/main.js'), 'all'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const api = new ApiClient(`http://127.0.0.1:${port}`, { game: () => undefined, email: () => undefined });
  await waitUntil(
    'npm start to be ready',
    async () => {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
      return (await fetch(`${api.baseUrl}/ready`).catch(() => null))?.status === 200 ? true : undefined;
    },
    90_000,
    250,
  );
  return { child, api, output: () => output };
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('when npm start is killed with SIGKILL', () => {
  it('its Redis and PostgreSQL stop by themselves, and the next start has the rooms and the accounts', async () => {
    const dataDir = mkdtempSync(path.join(scratch, 'data-'));
    const first = await npmStart(dataDir);
    const game = await openGame({ api: first.api, socketUrl: first.api.baseUrl }, { questionCount: 2, questionSeconds: 5, revealSeconds: 2 }, 1);
    game.closeAll();
    const host = await first.api.registerHost('Kept');

    first.child.kill('SIGKILL');
    await exited(first.child);
    await waitUntil('its servers to stop', () => (processesMentioning(dataDir).length === 0 ? true : undefined), 20_000, 100);

    const second = await npmStart(dataDir);
    expect((await second.api.room(game.code)).phase).toBe('lobby');
    const login = await fetch(`${second.api.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: host.email, password: 'correct horse battery' }),
    });
    expect(login.status).toBe(200);
    second.child.kill('SIGINT');
    await exited(second.child);
  }, 150_000);
});

describe('when a start finds servers on its DATA_DIR', () => {
  it('refuses while another quizloop runs on it, and leaves that one running', async () => {
    const dataDir = mkdtempSync(path.join(scratch, 'data-'));
    const first = await npmStart(dataDir);
    const env = { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: String(await testPort()), METRICS_PORT: '0' };
    const second = spawnSync(process.execPath, [path.join(infra().repoRoot, 'dist/src/main.js'), 'all'], { env, encoding: 'utf8', timeout: 60_000 });

    expect(second.status).not.toBe(0);
    expect(second.stderr).toMatch(/another quizloop is running on .*: its redis-server has PID \d+/);
    expect(second.stderr).toContain('Fix: stop that quizloop first');
    expect(second.stderr).not.toMatch(/remove .* to start from a fresh database/);
    expect((await fetch(`${first.api.baseUrl}/ready`)).status).toBe(200);
    first.child.kill('SIGINT');
    await exited(first.child);
  }, 150_000);

  it('stops a redis-server nobody owns any more before it starts its own', async () => {
    const dataDir = mkdtempSync(path.join(scratch, 'data-'));
    const redisDir = path.join(dataDir, 'redis');
    mkdirSync(redisDir, { recursive: true });
    // As an earlier quizloop killed before its servers were guarded left it: its parent gone.
    const redisServer = inject('redisServer');
    const orphan = spawn(
      'sh',
      [
        '-c',
        `"$0" --port "$2" --bind 127.0.0.1 --dir "$1" --appendonly yes </dev/null >/dev/null 2>&1 &`,
        redisServer?.path ?? 'redis-server',
        redisDir,
        String(await testPort()),
      ],
      { env: { ...process.env, ...redisServer?.env }, stdio: 'ignore' },
    );
    await exited(orphan);
    await waitUntil('the orphaned redis-server', () => (processesMentioning(redisDir).length === 1 ? true : undefined), 10_000, 50);

    const start = await npmStart(dataDir);

    expect(start.output()).toMatch(/stopping the redis-server \(PID \d+\) that an earlier start left running on /);
    // Its own server only (the guard's shells name the folder too).
    expect(processesMentioning(redisDir).filter((p) => /^\d+: \S*redis-server /.test(p))).toHaveLength(1);
    start.child.kill('SIGINT');
    await exited(start.child);
    await waitUntil('no server left', () => (processesMentioning(dataDir).length === 0 ? true : undefined), 10_000, 100);
  }, 150_000);
});
