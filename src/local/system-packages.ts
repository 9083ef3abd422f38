import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One line to the person at the terminal, said before a step that takes a while. */
export type Say = (line: string) => void;

export const AUTO_INSTALL_SETTING = 'QUIZLOOP_AUTO_INSTALL';

/**
 * Whether local development may fetch a missing tool (redis-server, chromium) by itself.
 * On by default; never in production; `QUIZLOOP_AUTO_INSTALL=0` turns it off.
 */
export function autoInstallRefusal(env: NodeJS.ProcessEnv): string | null {
  if (env.NODE_ENV === 'production') return 'NODE_ENV=production installs nothing';
  const setting = (env[AUTO_INSTALL_SETTING] ?? '').trim().toLowerCase();
  if (['0', 'false', 'no', 'off'].includes(setting)) return `${AUTO_INSTALL_SETTING}=${env[AUTO_INSTALL_SETTING]} turns installing off`;
  return null;
}

export function findOnPath(binary: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command found on PATH to its end, output captured (an installer's progress is noise here). */
export function run(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  const env = opts.env ?? process.env;
  const binary = findOnPath(command, env);
  if (!binary) return Promise.resolve({ code: 127, stdout: '', stderr: `${command}: not found on PATH` });
  return new Promise((resolve) => {
    const child = spawn(binary, args, { cwd: opts.cwd, env: { ...env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', (err) => resolve({ code: 126, stdout, stderr: stderr + err.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** How this process may change the system: as root, through `sudo` without a password, or not at all. */
async function systemAccess(env: NodeJS.ProcessEnv): Promise<'root' | 'sudo' | null> {
  if (process.getuid?.() === 0) return 'root';
  if (findOnPath('sudo', env) && (await run('sudo', ['-n', 'true'], { env })).code === 0) return 'sudo';
  return null;
}

async function asAdmin(access: 'root' | 'sudo', command: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return access === 'root' ? run(command, args, { env }) : run('sudo', ['-n', command, ...args], { env });
}

function lastLines(text: string, n = 5): string {
  return text.trim().split('\n').slice(-n).join('\n');
}

export class InstallError extends Error {
  override name = 'InstallError';
}

export function isDebianLike(env: NodeJS.ProcessEnv): boolean {
  return os.platform() === 'linux' && findOnPath('apt-get', env) !== null && findOnPath('dpkg-deb', env) !== null;
}

/** The packages `apt-get install` would add for `packages` (dependencies included), read from a simulation. */
async function packagesToAdd(packages: string[], env: NodeJS.ProcessEnv): Promise<string[] | null> {
  const sim = await run('apt-get', ['-s', 'install', '--no-install-recommends', ...packages], { env });
  if (sim.code !== 0) return null;
  return [...sim.stdout.matchAll(/^Inst (\S+)/gm)].map((m) => m[1] as string);
}

/** Refreshes apt's package lists when they do not know `packages` yet (a fresh image has none). */
async function ensureAptLists(packages: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const known = await packagesToAdd(packages, env);
  if (known) return known;
  const access = await systemAccess(env);
  if (!access) throw new InstallError(`apt's package lists do not know ${packages.join(' ')}, and refreshing them needs root or sudo`);
  const update = await asAdmin(access, 'apt-get', ['update', '-qq'], env);
  if (update.code !== 0) throw new InstallError(`apt-get update failed:\n${lastLines(update.stderr)}`);
  const after = await packagesToAdd(packages, env);
  if (!after) throw new InstallError(`apt cannot find ${packages.join(' ')}`);
  return after;
}

/**
 * Places Debian packages (with whatever dependencies the system lacks) under `targetDir`, without
 * installing them: `apt-get download`, then `dpkg-deb -x`. Returns the tree they were unpacked into.
 */
export async function aptUnpack(packages: string[], targetDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const wanted = await ensureAptLists(packages, env);
  const list = wanted.length ? wanted : packages;
  const downloads = path.join(targetDir, 'downloads');
  rmSync(targetDir, { recursive: true, force: true });
  mkdirSync(downloads, { recursive: true });
  const fetched = await run('apt-get', ['download', ...list], { cwd: downloads, env });
  if (fetched.code !== 0) throw new InstallError(`apt-get download ${list.join(' ')} failed:\n${lastLines(fetched.stderr)}`);
  const root = path.join(targetDir, 'root');
  for (const deb of readdirSync(downloads).filter((f) => f.endsWith('.deb'))) {
    const unpacked = await run('dpkg-deb', ['-x', path.join(downloads, deb), root], { env });
    if (unpacked.code !== 0) throw new InstallError(`dpkg-deb -x ${deb} failed:\n${lastLines(unpacked.stderr)}`);
  }
  rmSync(downloads, { recursive: true, force: true });
  return root;
}

/** `apt-get install` (as root, or through passwordless sudo). */
export async function aptInstall(packages: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const access = await systemAccess(env);
  if (!access) throw new InstallError(`installing ${packages.join(' ')} needs root or passwordless sudo`);
  await ensureAptLists(packages, env);
  const result = await asAdmin(access, 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], env);
  if (result.code !== 0) throw new InstallError(`apt-get install ${packages.join(' ')} failed:\n${lastLines(result.stderr)}`);
}

/** `brew install` on macOS; Homebrew installs into its own prefix, as the user. */
export async function brewInstall(formula: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const result = await run('brew', ['install', formula], { env });
  if (result.code !== 0) throw new InstallError(`brew install ${formula} failed:\n${lastLines(result.stderr)}`);
  const prefix = await run('brew', ['--prefix'], { env });
  return prefix.stdout.trim();
}
