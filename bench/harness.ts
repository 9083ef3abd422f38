import { type ChildProcess, type SpawnOptions, spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import getPort from 'get-port';

const ROOT = path.resolve(__dirname, '..');

/** Every process a bench started: ended when the bench ends, however it ends. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** The socket processes' young generation, MB per semi-space: the Procfile's default (docs/configuration.md). */
const SOCKET_SEMI_SPACE_MB = '16';

/**
 * Node flags of a server under test (a socket process, the raw `ws` server): its young generation (and old
 * space, when SOCKET_OLD_SPACE_MB is set) as the Procfile sets them, then the bench's own
 * (BENCH_SOCKET_NODE_ARGS, e.g. `--trace-gc`), the last of a kind winning.
 */
export function serverNodeArgs(): string[] {
  const extra = (process.env.BENCH_SOCKET_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const oldSpace = process.env.SOCKET_OLD_SPACE_MB ? [`--max-old-space-size=${process.env.SOCKET_OLD_SPACE_MB}`] : [];
  return [`--max-semi-space-size=${process.env.SOCKET_SEMI_SPACE_MB ?? SOCKET_SEMI_SPACE_MB}`, ...oldSpace, ...extra];
}

/** Whether `taskset` can pin processes to a core here (Linux with util-linux). */
const canPin = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** How a bench pins its processes on a 2-core machine: the server under test on one core, the bots on the other. */
export const CORES = { server: '0', bots: '1' } as const;

/** Pins a running process (every thread of it) to `cpu` when taskset is there, e.g. a Redis server started elsewhere. */
export function pinProcess(pid: number, cpu: string): void {
  if (canPin) spawnSync('taskset', ['-a', '-p', '-c', cpu, String(pid)], { stdio: 'ignore' });
}

/**
 * Spawns `node args…`, pinned to `cpu` (a taskset core list) when given and taskset is there,
 * and remembers it so that `stopAll` (or the bench's exit) ends it.
 */
export function spawnNode(args: string[], options: SpawnOptions, cpu?: string): ChildProcess {
  const child = cpu !== undefined && canPin ? spawn('taskset', ['-c', cpu, process.execPath, ...args], options) : spawn(process.execPath, args, options);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Ends a process: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Ends every process the bench started and has not ended yet. */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => stopProcess(child)));
}

/** Starts a built role as its own process and resolves once it answers (api, socket) or has had a moment (worker). */
export function startRole(role: string, env: Record<string, string>, cpu?: string, nodeArgs: string[] = []): Promise<ChildProcess> {
  const child = spawnNode(
    [...nodeArgs, path.join(ROOT, 'dist/src/main.js'), role],
    { env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
    cpu,
  );
  let out = '';
  // Everything a role prints, kept in a file of its own when asked for (its GC trace, its warnings).
  if (process.env.BENCH_LOG_DIR) {
    const file = createWriteStream(path.join(process.env.BENCH_LOG_DIR, `${role}-${child.pid}.log`));
    child.stdout?.pipe(file);
    child.stderr?.pipe(file);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} did not start: ${out}`)), 20_000);
    const onData = (d: Buffer) => {
      out += String(d);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (c) => reject(new Error(`${role} exited with ${c}: ${out}`)));
    const poll = setInterval(async () => {
      const port = env.PORT ?? env.SOCKET_PORT;
      const ok =
        role === 'worker'
          ? true
          : await fetch(`http://127.0.0.1:${role === 'api' ? env.PORT : env.SOCKET_PORT}/${role === 'api' ? 'health' : ''}`)
              .then((r) => r.ok)
              .catch(() => false);
      if (ok && port !== undefined) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(child);
      } else if (role === 'worker') {
        clearInterval(poll);
        clearTimeout(timer);
        setTimeout(() => resolve(child), 1000);
      }
    }, 100);
  });
}

/** Extra Node options for the socket processes, to look inside them under load (e.g. `--trace-gc`, `--cpu-prof`). */
const SOCKET_NODE_ARGS = (process.env.BENCH_SOCKET_NODE_ARGS ?? '').split(' ').filter(Boolean);
/** The same for the api and the worker (BENCH_NODE_ARGS): Node refuses `--cpu-prof` in NODE_OPTIONS. */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** Appends what a process prints to `file` (and says where). */
function keepOutput(child: ChildProcess, file: string): void {
  const out = createWriteStream(file, { flags: 'a' });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  console.log(`bench: socket process ${child.pid} with ${SOCKET_NODE_ARGS.join(' ')}, its output in ${file}`);
}

export async function json<T>(url: string, method: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const SECRET = 'bench-secret-0123456789abcdef';

/** Starts a room's game as its host would: naming the version of the lobby on screen (a control without one is refused). */
export async function startGame(api: string, code: string, hostToken: string): Promise<void> {
  const { version } = await json<{ version: number }>(`${api}/rooms/${code}`, 'GET');
  await json(`${api}/rooms/${code}/start`, 'POST', { version }, hostToken);
}

export interface RolesOptions {
  /** Socket processes (default 1), each on its own port. */
  sockets?: number;
  /** A core to pin the socket processes to (taskset), so that they do not share it with the bots. */
  socketCpu?: string;
  /** A core to pin the api and the worker to (taskset); unpinned when not given. */
  otherCpu?: string;
  /** Socket processes open the inspector on 127.0.0.1 (`socketInspectPorts`), for `collectGarbage`. */
  inspectSockets?: boolean;
}

/**
 * The three roles as separate processes on one Redis and PostgreSQL, and a host account: what every
 * scenario starts from. `stop` ends the processes (and resolves once they are gone).
 */
export async function startRoles(redisUrl: string, databaseUrl: string, namespace: string, options: RolesOptions = {}) {
  const apiPort = await getPort();
  const socketPorts: number[] = [];
  for (let i = 0; i < (options.sockets ?? 1); i++) socketPorts.push(await getPort());
  const socketInspectPorts: number[] = [];
  if (options.inspectSockets) for (const _ of socketPorts) socketInspectPorts.push(await getPort());
  const socketPort = socketPorts[0] as number;
  const env = {
    REDIS_URL: redisUrl,
    DATABASE_URL: databaseUrl,
    JWT_SECRET: SECRET,
    WEBHOOK_SECRET: SECRET,
    QUIZLOOP_NAMESPACE: namespace,
    REDIS_HZ: '0',
    PORT: String(apiPort),
    SOCKET_PORT: String(socketPort),
    API_INTERNAL_URL: `http://127.0.0.1:${apiPort}`,
    METRICS_PORT: '0',
    // Every bench player joins and connects from this one machine, and a bench may hold many rooms of one host.
    RATE_LIMIT_JOIN_ADDRESS: '100000/60',
    SOCKET_CONNECTIONS_PER_ADDRESS: '100000',
    RATE_LIMIT_ROOMS_USER: '100000/60',
    ROOM_MAX_PLAYERS: '100000',
    HOST_MAX_OPEN_ROOMS: '100000',
  };
  const roles = [await startRole('api', env, options.otherCpu, NODE_ARGS)];
  const socketPids: number[] = [];
  for (const [i, port] of socketPorts.entries()) {
    const inspect = socketInspectPorts[i] === undefined ? [] : [`--inspect=127.0.0.1:${socketInspectPorts[i]}`];
    const socket = await startRole('socket', { ...env, SOCKET_PORT: String(port) }, options.socketCpu, [...serverNodeArgs(), ...inspect]);
    if (SOCKET_NODE_ARGS.length && !process.env.BENCH_LOG_DIR) keepOutput(socket, path.join(tmpdir(), `quizloop-bench-socket-${port}.log`));
    roles.push(socket);
    if (socket.pid !== undefined) socketPids.push(socket.pid);
  }
  roles.push(await startRole('worker', env, options.otherCpu, NODE_ARGS));
  const [apiPid, workerPid] = [roles[0]?.pid, roles.at(-1)?.pid];
  const api = `http://127.0.0.1:${apiPort}`;
  const { token } = await json<{ token: string }>(`${api}/auth/register`, 'POST', {
    email: `${namespace}-${Date.now()}@bench.invalid`,
    password: 'bench-password',
    displayName: 'Bench host',
  });
  return {
    api,
    socketUrl: `http://127.0.0.1:${socketPort}`,
    socketUrls: socketPorts.map((port) => `http://127.0.0.1:${port}`),
    socketInspectPorts,
    /** The socket processes' ids (taskset execs node, so these are node's own). */
    socketPids,
    /** The api's and the worker's process ids, to read their CPU time. */
    apiPid,
    workerPid,
    hostToken: token,
    stop: () => Promise.all(roles.map((child) => stopProcess(child))),
  };
}
