import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testPort } from '../helpers/ports';
import { ApiClient } from '../helpers/api-client';
import { openGame } from '../helpers/game';
import { infra, sleep, waitUntil } from '../helpers/infra';
import { processesMentioning } from '../helpers/processes';

/**
 * Ctrl-C at the terminal: SIGINT reaches every process of the foreground process group at once.
 * `npm start` (the `all` role, with its own local Redis and PostgreSQL) runs as a group leader here,
 * a game is in play and a client keeps an HTTP connection busy, and the whole group gets SIGINT.
 */

const scratch = mkdtempSync(path.join(os.tmpdir(), 'quizloop-ctrl-c-'));
// Reachable by the `postgres` user, so a root start keeps its cluster in the data folder given.
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Processes still in process group `pgid`. */
function groupMembers(pgid: number): string[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        // Field 5 of /proc/<pid>/stat is the process group; the command name (field 2) may hold spaces.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid;
      } catch {
        return false;
      }
    });
}

describe('when Ctrl-C stops npm start during a game', () => {
  it('exits with code 0 within 3 s, says a handful of lines, and leaves no process behind', async () => {
    const dataDir = mkdtempSync(path.join(scratch, 'data-'));
    const port = await testPort();
    const env = { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: String(port), METRICS_PORT: String(await testPort()) };
    const child: ChildProcess = spawn(process.execPath, [path.join(infra().repoRoot, 'dist/src/main.js'), 'all'], {
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d) => (output += String(d)));
    child.stderr?.on('data', (d) => (output += String(d)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const pgid = child.pid ?? 0;
    try {
      const api = new ApiClient(`http://127.0.0.1:${port}`, { game: () => undefined, email: () => undefined });
      await waitUntil(
        'npm start to be ready',
        async () => ((await fetch(`${api.baseUrl}/ready`).catch(() => null))?.status === 200 ? true : undefined),
        90_000,
        250,
      );
      // Socket.IO on the api's own port: one URL for everything.
      const game = await openGame({ api, socketUrl: api.baseUrl }, { questionCount: 3, questionSeconds: 5, revealSeconds: 2 }, 2);
      await api.start(game.code, game.hostToken);
      await game.host.waitForPhase('question');
      // A client that keeps its kept-alive connection busy (a host tab polling, a fetch pool).
      let polling = true;
      const poller = (async () => {
        while (polling)
          await fetch(`${api.baseUrl}/rooms/${game.code}`)
            .then((r) => r.text())
            .catch(() => undefined);
      })();
      await sleep(300);
      const before = output.length;

      const sentAt = Date.now();
      process.kill(-pgid, 'SIGINT');
      const code = await Promise.race([exited, sleep(10_000).then(() => 'still running')]);
      const tookMs = Date.now() - sentAt;
      polling = false;
      await poller;
      game.closeAll();

      expect(code).toBe(0);
      expect(tookMs).toBeLessThanOrEqual(3000);
      const said = output
        .slice(before)
        .split('\n')
        .filter((l) => l.trim() && !l.includes(' GET /rooms/'));
      expect(said.length, said.join('\n')).toBeLessThanOrEqual(12);
      expect(output).not.toMatch(/ECONNREFUSED|Unhandled error event|shutdown took/);
      await waitUntil('the group to be empty', () => (groupMembers(pgid).length === 0 ? true : undefined), 3000);
      expect(processesMentioning(dataDir)).toEqual([]);
    } finally {
      if (groupMembers(pgid).length) process.kill(-pgid, 'SIGKILL');
    }
  }, 150_000);
});
