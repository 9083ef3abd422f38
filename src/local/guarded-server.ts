import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** The guard's name in `ps`: a server whose parent carries it belongs to a running quizloop. */
const GUARD_NAME = 'quizloop-guard';

/**
 * The guard, run by `sh`: starts the server, then waits for the end of its stdin, a pipe whose only
 * writer is the quizloop process. That end comes when quizloop stops the server, and also when
 * quizloop dies in a way that runs none of its code (SIGKILL, the OOM killer): the guard then sends
 * the server its stop signal and waits for it. It exits with the server, whichever goes first.
 * (Background jobs of a script read /dev/null, so the pipe is kept on fd 3 for the watcher.)
 */
const GUARD_SCRIPT = `sig=$1; shift
exec 3<&0
"$@" 3<&- </dev/null &
server=$!
(while read -r _ <&3; do :; done; kill -s "$sig" "$server" 2>/dev/null) &
watcher=$!
wait "$server"; status=$?
kill "$watcher" 2>/dev/null
exit "$status"`;

/**
 * Spawns a local server (redis-server, postgres) under the guard, in a process group of its own, so
 * that a Ctrl-C at the terminal reaches quizloop only, which stops the server last. `stop` is the
 * server's own stop signal (a clean shutdown: Redis writes its append-only file, PostgreSQL its
 * checkpoint). The child's stderr is the server's.
 */
export function spawnGuarded(command: string, args: string[], options: { stop: NodeJS.Signals } & Pick<SpawnOptions, 'env' | 'uid' | 'gid'>): ChildProcess {
  const { stop, ...rest } = options;
  // sh by its full path (PATH may be anything the user set); `kill -s` takes the name without SIG.
  return spawn('/bin/sh', ['-c', GUARD_SCRIPT, GUARD_NAME, stop.replace(/^SIG/, ''), command, ...args], {
    ...rest,
    detached: true,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
}

/** Stops a guarded server cleanly and resolves once it has exited. */
export function stopGuarded(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.stdin?.end();
  });
}

function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return null;
  }
}

/** Fields 3 on of /proc/<pid>/stat (state, parent, ...): the command name, field 2, may hold spaces. */
function statOf(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  const fields = statOf(pid);
  return fields ? Number(fields[1]) : null;
}

/** Running, not a zombie waiting for a parent that does not reap it. */
function alive(pid: number): boolean {
  const state = statOf(pid)?.[0];
  return state !== undefined && state !== 'Z';
}

/** The process a pid file names, when its command line still holds every one of `marks` (not a reused pid). */
export function pidFromFile(pidFile: string, marks: string[]): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  } catch {
    return null;
  }
  const line = Number.isInteger(pid) && pid > 1 ? commandLine(pid) : null;
  return line && marks.every((mark) => line.includes(mark)) ? pid : null;
}

/** The process running in folder `dir` (a server moves into its data folder) whose command line holds `mark`. */
export function pidWorkingIn(dir: string, mark: string): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const wanted = path.resolve(dir);
  for (const entry of entries) {
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === wanted && commandLine(Number(entry))?.includes(mark)) return Number(entry);
    } catch {
      // Gone meanwhile, or not ours to look at.
    }
  }
  return null;
}

/** Whether a running quizloop owns the server: its parent is a quizloop guard, or a quizloop process itself (before guards). */
function owned(pid: number): boolean {
  const parent = parentOf(pid);
  const owner = parent === null || parent <= 1 ? null : commandLine(parent);
  return owner !== null && (owner.includes(GUARD_NAME) || /\bnode\b/.test(owner));
}

/** Stops a server nobody owns (its signal, then SIGKILL after `graceMs`); resolves once it is gone. */
async function stopLeftover(pid: number, signal: NodeJS.Signals, graceMs = 15_000): Promise<void> {
  process.kill(pid, signal);
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
}

/** A data folder that a running quizloop's server holds: starting a second server on it would corrupt it. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
  constructor(server: string, pid: number, dir: string) {
    super(`another quizloop is running on ${dir}: its ${server} has PID ${pid}`);
  }
}

/**
 * Before a server starts on `dir`, given the one already there (`pid`, if any): refuses when a running
 * quizloop owns it, and stops it cleanly when nobody does any more (an earlier start was killed before
 * its servers were guarded).
 */
export async function clearLeftover(
  opts: { server: string; pid: number | null; dir: string; stop: NodeJS.Signals },
  say?: (line: string) => void,
): Promise<void> {
  if (opts.pid === null) return;
  if (owned(opts.pid)) throw new DataDirInUseError(opts.server, opts.pid, opts.dir);
  say?.(`stopping the ${opts.server} (PID ${opts.pid}) that an earlier start left running on ${opts.dir}`);
  await stopLeftover(opts.pid, opts.stop);
}
