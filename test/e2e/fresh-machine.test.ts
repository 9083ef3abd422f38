import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import getPort from 'get-port';
import { infra, testNamespace, waitUntil } from '../helpers/infra';
import { processesMentioning } from '../helpers/processes';

/**
 * `npm start` (the `all` role) on machines like a newcomer's: no redis-server on PATH, a checkout in
 * root's private home, a start that fails half-way. Each start is the real entry point as a child.
 */

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const SECRET = 'fresh-machine-secret-0123456789';
/** Every start of this file, stopped after each test even when an assertion failed half-way. */
const runs: Run[] = [];
const scratch = mkdtempSync(path.join(os.tmpdir(), 'quizloop-fresh-'));
// Reachable by the `postgres` user, so a root start keeps its cluster in the data folder given.
chmodSync(scratch, 0o755);

function startAll(env: NodeJS.ProcessEnv, main = path.join(infra().repoRoot, 'dist/src/main.js'), cwd?: string): Run {
  const child = spawn(process.execPath, [main, 'all'], { cwd, env: { LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (err += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const run = { child, stdout: () => out, stderr: () => err, exited };
  runs.push(run);
  return run;
}

afterEach(async () => {
  for (const run of runs.splice(0)) {
    if (run.child.exitCode !== null || run.child.signalCode !== null) continue;
    run.child.kill('SIGTERM');
    const gone = await Promise.race([run.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000))]);
    if (!gone) run.child.kill('SIGKILL');
  }
});

async function ports() {
  return { PORT: String(await getPort()), SOCKET_PORT: String(await getPort()), METRICS_PORT: String(await getPort()) };
}

async function ready(port: string): Promise<true | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/ready`);
  return res.status === 200 ? true : undefined;
}

async function stopAndExpectClean(run: Run, needle: string) {
  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(0);
  expect(processesMentioning(needle)).toEqual([]);
}

/** An `apt-get` and `dpkg-deb` that record what they are asked and "unpack" a redis-server wrapping the real one. */
function fakeInstaller(dir: string, realRedis: { path: string; env: Record<string, string> }): { bin: string; calls: () => string[] } {
  const bin = path.join(dir, 'bin');
  const log = path.join(dir, 'calls.log');
  mkdirSync(bin, { recursive: true });
  writeFileSync(log, '');
  const libraryPath = realRedis.env.LD_LIBRARY_PATH ?? '';
  const script = (body: string) => `#!/bin/sh\necho "$(/usr/bin/basename "$0") $*" >> '${log}'\n${body}\n`;
  writeFileSync(
    path.join(bin, 'apt-get'),
    script(`case "$1" in
  -s) printf 'Inst redis-tools (5:7.0.15 Debian:12)\\nInst redis-server (5:7.0.15 Debian:12)\\n' ;;
  download) shift; for p in "$@"; do : > "\${p}_7.0.15_amd64.deb"; done ;;
  *) exit 100 ;;
esac`),
    { mode: 0o755 },
  );
  writeFileSync(
    path.join(bin, 'dpkg-deb'),
    script(`/bin/mkdir -p "$3/usr/bin"
printf '#!/bin/sh\\nLD_LIBRARY_PATH=%s exec %s "$@"\\n' '${libraryPath}' '${realRedis.path}' > "$3/usr/bin/redis-server"
/bin/chmod 755 "$3/usr/bin/redis-server"`),
    { mode: 0o755 },
  );
  return { bin, calls: () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const realRedis = inject('redisServer');

describe.skipIf(!realRedis)('when no redis-server is on PATH', () => {
  it("fetches Debian's redis-server into the data folder, says so in one line, runs, and stops it on Ctrl-C", async () => {
    const dir = mkdtempSync(path.join(scratch, 'fetch-'));
    const installer = fakeInstaller(dir, realRedis!);
    const dataDir = path.join(dir, 'data');
    const p = await ports();
    const run = startAll({ PATH: installer.bin, DATA_DIR: dataDir, DATABASE_URL: infra().databaseUrl, QUIZLOOP_NAMESPACE: testNamespace('fresh'), ...p });

    await waitUntil('the api to be ready', () => ready(p.PORT), 45_000, 200);
    const said = run
      .stderr()
      .split('\n')
      .filter((l) => l.includes('redis-server'));
    expect(said).toEqual([
      expect.stringMatching(
        /^quizloop: no redis-server on PATH: fetching Debian's redis-server into .*tools\/redis \(QUIZLOOP_AUTO_INSTALL=0 turns this off\)$/,
      ),
    ]);
    expect(installer.calls()).toEqual([
      'apt-get -s install --no-install-recommends redis-server redis-tools',
      'apt-get download redis-tools redis-server',
      expect.stringMatching(/^dpkg-deb -x .*redis-(tools|server)_7\.0\.15_amd64\.deb .*tools\/redis\/root$/),
      expect.stringMatching(/^dpkg-deb -x .*redis-(tools|server)_7\.0\.15_amd64\.deb .*tools\/redis\/root$/),
    ]);
    expect(processesMentioning(dataDir).length).toBeGreaterThan(0);

    await stopAndExpectClean(run, dataDir);
  }, 90_000);

  it.each([
    ['NODE_ENV=production', { NODE_ENV: 'production', JWT_SECRET: SECRET, WEBHOOK_SECRET: SECRET }, /NODE_ENV=production installs nothing/],
    ['QUIZLOOP_AUTO_INSTALL=0', { QUIZLOOP_AUTO_INSTALL: '0' }, /QUIZLOOP_AUTO_INSTALL=0 turns installing off/],
  ])(
    'installs nothing with %s and says how to get Redis',
    async (_name, env, reason) => {
      const dir = mkdtempSync(path.join(scratch, 'refuse-'));
      const installer = fakeInstaller(dir, realRedis!);
      const run = startAll({ PATH: installer.bin, DATA_DIR: path.join(dir, 'data'), DATABASE_URL: infra().databaseUrl, ...(await ports()), ...env });
      expect(await run.exited).toBe(1);
      expect(run.stderr()).toMatch(reason);
      expect(run.stderr()).toMatch(/apt-get install -y redis-server/);
      expect(installer.calls()).toEqual([]);
    },
    30_000,
  );
});

describe('when a start fails half-way', () => {
  let occupied: ReturnType<typeof createServer>;
  let occupiedPort: number;

  beforeAll(async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '0.0.0.0', resolve));
    occupiedPort = (occupied.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => occupied.close(() => resolve())));

  it('stops the Redis and PostgreSQL it spawned when the api port is taken, and says which port', async () => {
    const dataDir = mkdtempSync(path.join(scratch, 'port-'));
    const run = startAll({ PATH: process.env.PATH, DATA_DIR: dataDir, ...(await ports()), PORT: String(occupiedPort) });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain(`port ${occupiedPort} is already in use`);
    // Both servers had started: the failure came after them.
    expect(existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(existsSync(path.join(dataDir, 'redis'))).toBe(true);
    expect(processesMentioning(dataDir)).toEqual([]);
  }, 90_000);

  it('stops the Redis it spawned when the migrations fail', async () => {
    const dataDir = mkdtempSync(path.join(scratch, 'migrate-'));
    const closed = await getPort();
    const run = startAll({ PATH: process.env.PATH, DATA_DIR: dataDir, ...(await ports()), DATABASE_URL: `postgres://nobody:nothing@127.0.0.1:${closed}/none` });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toMatch(/the database migrations failed: .*ECONNREFUSED/);
    expect(processesMentioning(dataDir)).toEqual([]);
  }, 90_000);
});

const asRoot = process.getuid?.() === 0;

describe.skipIf(!asRoot)('as root, from a checkout in a private (0700) folder', () => {
  it('runs the embedded PostgreSQL, serves requests, grants admin without DATABASE_URL, and leaves nothing running after Ctrl-C', async () => {
    mkdirSync(path.join(infra().repoRoot, 'test-artifacts'), { recursive: true });
    const home = mkdtempSync(path.join(infra().repoRoot, 'test-artifacts', 'private-home-'));
    chmodSync(home, 0o700);
    const checkout = path.join(home, 'quizloop');
    mkdirSync(checkout);
    // Hard links: a copy of the checkout in seconds, whose only difference is where it lies.
    for (const entry of ['dist', 'node_modules', 'package.json', 'web']) execFileSync('cp', ['-al', path.join(infra().repoRoot, entry), checkout]);
    const p = await ports();
    const env = { PATH: process.env.PATH, REDIS_URL: infra().redisUrl, QUIZLOOP_NAMESPACE: testNamespace('private') };
    const main = path.join(checkout, 'dist/src/main.js');
    const run = startAll({ ...env, ...p }, main, checkout);
    // What an operator types beside npm start, in the checkout, with no DATABASE_URL. Not run synchronously: a loop
    // blocked for seconds would not see the api close an idle keep-alive connection, and the next fetch would reuse it.
    const setRole = async (command: string, email: string) =>
      (await promisify(execFile)(process.execPath, [main, command, email], { cwd: checkout, env, encoding: 'utf8', timeout: 60_000 })).stdout;
    const roleAtSignIn = async (email: string) => {
      const res = await fetch(`http://127.0.0.1:${p.PORT}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'correct horse battery' }),
      });
      return ((await res.json()) as { user: { role: string } }).user.role;
    };
    const cluster = path.join(
      '/var/lib/quizloop',
      `data-${createHash('sha256')
        .update(path.join(checkout, '.data', 'postgres'))
        .digest('hex')
        .slice(0, 16)}`,
    );
    try {
      await waitUntil('the api to be ready', () => ready(p.PORT), 60_000, 250);
      const categories = await fetch(`http://127.0.0.1:${p.PORT}/categories`);
      expect(categories.status).toBe(200);
      const email = 'owner@quizloop.test';
      const registered = await fetch(`http://127.0.0.1:${p.PORT}/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'correct horse battery', displayName: 'Owner' }),
      });
      expect(registered.status).toBe(201);

      expect(await setRole('grant-admin', email)).toMatch(/is now an admin/);
      expect(await roleAtSignIn(email)).toBe('admin');
      await stopAndExpectClean(run, cluster);
      expect(run.stderr()).not.toMatch(/EACCES/);
      // With npm start stopped, the command starts the database for itself and stops it again.
      expect(await setRole('revoke-admin', email)).toMatch(/is now a player/);
      expect(processesMentioning(cluster)).toEqual([]);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
      rmSync(home, { recursive: true, force: true });
      rmSync(cluster, { recursive: true, force: true });
    }
  }, 120_000);
});
