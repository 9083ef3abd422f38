import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/platform/db';
import { createKeys } from '../../src/store/keys';
import { deleteNamespace, GENEROUS_LIMITS, infra, testNamespace, waitUntil } from '../helpers/infra';
import { testPort } from '../helpers/ports';
import { stackSuite } from '../helpers/stack';

/**
 * `npm run bots` as a user runs it, a process of its own against real servers, with limits set low:
 * an address may register 3 accounts an hour (the file's own host takes one) and join 4 players in 2 s.
 */

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quizloop-bots-'));
const accountsFile = path.join(dataDir, 'bots.json');
/** Every bot host account a run kept, for the clean-up. */
const botHosts = new Set<string>();
const SHORT_GAME = ['--questions', '1', '--seconds', '3', '--reveal', '1'];

const stack = stackSuite('bots', { env: { RATE_LIMIT_REGISTER_ADDRESS: '3/3600', RATE_LIMIT_JOIN_ADDRESS: '4/2' } }, async () => undefined);

/** The bot host accounts kept in the file's DATA_DIR, by api URL; none before a run kept one. */
function keptAccounts(): Record<string, { email: string; password: string }> {
  try {
    return JSON.parse(readFileSync(accountsFile, 'utf8'));
  } catch {
    return {};
  }
}

interface BotsRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bots to their end, as `npm run bots -- <args>` would, with DATA_DIR the file's own. */
function runBots(args: string[], whileRunning?: (child: ChildProcess, stdout: () => string) => Promise<void>): Promise<BotsRun> {
  const child = spawn(process.execPath, [path.join(infra().repoRoot, 'dist/src/bots/main.js'), ...args], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += String(d)));
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 100_000);
  const exited = new Promise<BotsRun>((resolve) =>
    child.once('close', (code) => {
      clearTimeout(killer);
      for (const { email } of Object.values(keptAccounts())) botHosts.add(email);
      resolve({ code, stdout, stderr });
    }),
  );
  return (async () => {
    try {
      await whileRunning?.(child, () => stdout);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
    return exited;
  })();
}

const onStack = () => ['--api', stack().apiUrl, '--socket', stack().socketUrl];

/** The host of the rooms the tests make themselves: one account, within the file's registration limit. */
let roomsHostAccount: ReturnType<ReturnType<typeof stack>['api']['registerHost']> | undefined;
const roomsHost = () => (roomsHostAccount ??= stack().api.registerHost('Rooms host'));

afterAll(async () => {
  const db = createDb(infra().databaseUrl);
  try {
    const ids = (
      await db('users')
        .whereIn('email', [...botHosts])
        .select('id')
    ).map((u: { id: string }) => u.id);
    await db('games').whereIn('host_id', ids).delete();
    await db('users').whereIn('id', ids).delete();
  } finally {
    await db.destroy();
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('when the bots host game after game', () => {
  it('sign in to the one bot host account they keep, for more games than the address may register accounts', async () => {
    const runs: BotsRun[] = [];
    for (let i = 0; i < 4; i++) runs.push(await runBots([...onStack(), '--host', '--players', '2', ...SHORT_GAME]));

    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('final leaderboard');
      expect(run.code).toBe(0);
    }
    expect(Object.keys(keptAccounts())).toEqual([stack().apiUrl]);
    expect(statSync(accountsFile).mode & 0o777).toBe(0o600);
    expect(botHosts.size).toBe(1);
  }, 150_000);

  it('register a new one when the kept account no longer signs in, as after the server lost its data', async () => {
    const before = keptAccounts()[stack().apiUrl];
    writeFileSync(accountsFile, JSON.stringify({ [stack().apiUrl]: { email: 'bot-host-gone@bots.quizloop.invalid', password: 'not any more' } }));

    const run = await runBots([...onStack(), '--host', '--players', '1', ...SHORT_GAME]);

    expect(run.stdout).toContain('final leaderboard');
    expect(run.code).toBe(0);
    const after = keptAccounts()[stack().apiUrl];
    expect(after?.email).toMatch(/^bot-host-[0-9a-f]+@bots\.quizloop\.invalid$/);
    expect(after?.email).not.toBe(before?.email);
  }, 60_000);
});

describe('when more bots join than the address may join at once', () => {
  it('wait out the limit, say so once, and play the game with every bot', async () => {
    const run = await runBots([...onStack(), '--host', '--players', '10', ...SHORT_GAME]);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.match(/RATE_LIMIT_JOIN_ADDRESS/g)).toHaveLength(1);
    expect(run.stdout).toMatch(/players 10/);
    expect(run.stdout.match(/^ +\d+\. Bot-/gm)).toHaveLength(10);
  }, 90_000);
});

describe('when the room is private', () => {
  it('join it with --passphrase and play the game its host starts', async () => {
    const { api } = stack();
    const host = await roomsHost();
    const created = await api.createRoom(host.token, { questionCount: 1, questionSeconds: 3, revealSeconds: 1, passphrase: 'open sesame' });
    await api.waitForLobby(created.code);

    const run = await runBots([...onStack(), '--room', created.code, '--players', '3', '--passphrase', 'open sesame'], async (child, stdout) => {
      const joined = () => (stdout().includes('3 bots joined') ? true : child.exitCode !== null ? false : undefined);
      if (await waitUntil('the bots to join or exit', joined, 30_000)) await api.start(created.code, created.hostToken);
    });

    expect(run.stdout).toContain('final leaderboard');
    expect(run.code).toBe(0);
    expect((await api.allStandings(created.code)).map((s) => s.nickname)).toHaveLength(3);
  }, 60_000);
});

describe('when the server loses the room mid-game', () => {
  it('stop and say so, instead of waiting for an end that never comes', async () => {
    const { api } = stack();
    const host = await roomsHost();
    const created = await api.createRoom(host.token, { questionCount: 2, questionSeconds: 20, revealSeconds: 1 });
    await api.waitForLobby(created.code);

    const run = await runBots([...onStack(), '--room', created.code, '--players', '2'], async (child, stdout) => {
      const joined = () => (stdout().includes('2 bots joined') ? true : child.exitCode !== null ? false : undefined);
      if (!(await waitUntil('the bots to join or exit', joined, 30_000))) return;
      await api.start(created.code, created.hostToken);
      // The room's record gone, as Redis losing its data leaves it (FLUSHALL itself is in fault-redis-flush.test.ts).
      const redis = new Redis(infra().redisUrl);
      await redis.del(createKeys(stack().namespace).room(created.code)).finally(() => redis.disconnect());
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`room ${created.code} was closed to the bots (lost)`);
    expect(run.stdout).not.toContain('final leaderboard');
  }, 60_000);
});

describe('when npm start runs on a port other than 3000', () => {
  it('prints a bots command that plays on this server', async () => {
    const port = await testPort();
    const namespace = testNamespace('bots-banner');
    const serverData = mkdtempSync(path.join(dataDir, 'server-'));
    const server = spawn(process.execPath, [path.join(infra().repoRoot, 'dist/src/main.js'), 'all'], {
      env: {
        PATH: process.env.PATH,
        ...GENEROUS_LIMITS,
        REDIS_URL: infra().redisUrl,
        DATABASE_URL: infra().databaseUrl,
        QUIZLOOP_NAMESPACE: namespace,
        DATA_DIR: serverData,
        PORT: String(port),
        METRICS_PORT: String(await testPort()),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stdout?.on('data', (d) => (output += String(d)));
    server.stderr?.on('data', (d) => (output += String(d)));
    const stopped = new Promise((resolve) => server.once('close', resolve));
    try {
      const command = await waitUntil('the start banner', () => output.match(/^ +npm run bots -- (.*)$/m)?.[1], 60_000, 100);
      expect(command).toContain(`--api http://localhost:${port}`);

      const run = await runBots([...command.trim().split(/ +/), '--players', '2', ...SHORT_GAME]);

      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('final leaderboard');
      expect(run.code).toBe(0);
    } finally {
      server.kill('SIGTERM');
      await stopped;
      await deleteNamespace(infra().redisUrl, namespace);
    }
  }, 120_000);
});
