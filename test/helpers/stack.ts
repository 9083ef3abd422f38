import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { testPort } from './ports';
import { createDb } from '../../src/platform/db';
import { ApiClient } from './api-client';
import { GENEROUS_LIMITS, deleteNamespace, infra, sleep, testNamespace, waitUntil } from './infra';

/**
 * `socket2` is a second socket process on a port of its own, for reconnecting to another instance;
 * `worker2` a second worker (its metrics on a port of its own); `api2` a second api on a port of its own.
 */
export type Role = 'api' | 'api2' | 'worker' | 'worker2' | 'socket' | 'socket2';
const ROLES: Role[] = ['api', 'socket', 'worker'];
/** Generous: on a loaded 2-core machine, node alone can take seconds to load a role. */
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

export type ExtraEnv = Record<string, string> | ((stack: Stack) => Record<string, string>);

/** How a process ended: `code` 0 and no `signal` is a clean exit. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Running {
  child: ChildProcess;
  exited: Promise<Exit>;
}

/** Children still alive when the test process goes away are killed with it. */
const everyChild = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of everyChild) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/**
 * The three quizloop processes of one test file, each a real `node dist/src/main.js <role>`
 * on its own ports and namespace. Output is kept (and written under test-artifacts/logs/)
 * so a failing test can show what the processes said.
 */
export class Stack {
  readonly jwtSecret = `jwt-${randomBytes(12).toString('hex')}`;
  readonly webhookSecret = `webhook-${randomBytes(12).toString('hex')}`;
  readonly api: ApiClient;
  private readonly running = new Map<Role, Running>();
  private readonly output: string[] = [];
  private readonly logFile: WriteStream;
  /** Rows this file created in PostgreSQL, removed by `stop()`. */
  private readonly gameIds = new Set<string>();
  private readonly emails = new Set<string>();
  /** The ports of `socket2` and `api2`, chosen when the stack starts. */
  socket2Port = 0;
  api2Port = 0;
  /** The second worker's /metrics, /health and /ready. */
  metrics2Port = 0;
  /** Seed nodes of the Redis Cluster every role uses instead of the test Redis (REDIS_CLUSTER_NODES). */
  clusterNodes: string | null = null;

  private constructor(
    readonly namespace: string,
    readonly apiPort: number,
    readonly socketPort: number,
    /** The worker's /metrics, /health and /ready (METRICS_PORT). */
    readonly metricsPort: number,
    /** Extra environment for every role, e.g. ADMIN_USER; a function when it depends on the stack's ports. */
    private readonly extraEnv: ExtraEnv = {},
    /** Where `api` sends its requests when not straight to the first api (a balancer in front of both). */
    apiFront?: string,
  ) {
    const dir = path.join(infra().repoRoot, 'test-artifacts', 'logs');
    mkdirSync(dir, { recursive: true });
    this.logFile = createWriteStream(path.join(dir, `${namespace}.log`));
    this.api = new ApiClient(apiFront ?? this.apiUrl, { game: (id) => this.gameIds.add(id), email: (e) => this.emails.add(e) });
  }

  /** Starts api, socket and worker (or the given roles) and waits until each is ready. */
  static async start(label: string, roles: Role[] = ROLES, options: { env?: ExtraEnv; clusterNodes?: string; apiFront?: string } = {}): Promise<Stack> {
    const stack = new Stack(testNamespace(label), await testPort(), await testPort(), await testPort(), options.env, options.apiFront);
    stack.socket2Port = await testPort();
    stack.api2Port = await testPort();
    stack.metrics2Port = await testPort();
    stack.clusterNodes = options.clusterNodes ?? null;
    try {
      await Promise.all(roles.map((r) => stack.startRole(r)));
    } catch (err) {
      await stack.stop();
      throw err;
    }
    return stack;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  get api2Url(): string {
    return `http://127.0.0.1:${this.api2Port}`;
  }

  get socketUrl(): string {
    return `http://127.0.0.1:${this.socketPort}`;
  }

  get socket2Url(): string {
    return `http://127.0.0.1:${this.socket2Port}`;
  }

  get workerUrl(): string {
    return `http://127.0.0.1:${this.metricsPort}`;
  }

  get worker2Url(): string {
    return `http://127.0.0.1:${this.metrics2Port}`;
  }

  env(): NodeJS.ProcessEnv {
    const { redisUrl, databaseUrl } = infra();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      REDIS_URL: redisUrl,
      DATABASE_URL: databaseUrl,
      PORT: String(this.apiPort),
      SOCKET_PORT: String(this.socketPort),
      API_INTERNAL_URL: this.apiUrl,
      JWT_SECRET: this.jwtSecret,
      WEBHOOK_SECRET: this.webhookSecret,
      QUIZLOOP_NAMESPACE: this.namespace,
      LOG_LEVEL: 'info',
      METRICS_PORT: String(this.metricsPort),
      ...GENEROUS_LIMITS,
      ...(typeof this.extraEnv === 'function' ? this.extraEnv(this) : this.extraEnv),
    };
    if (this.clusterNodes) {
      env.REDIS_CLUSTER_NODES = this.clusterNodes;
      delete env.REDIS_URL;
    }
    // Nothing of the test runner's own loaders, and a fresh consumer name for every worker process.
    delete env.NODE_OPTIONS;
    delete env.DYNO;
    return env;
  }

  async startRole(role: Role): Promise<void> {
    if (this.running.has(role)) throw new Error(`${role} is already running`);
    const main = path.join(infra().repoRoot, 'dist/src/main.js');
    const second: Partial<Record<Role, NodeJS.ProcessEnv>> = {
      socket2: { SOCKET_PORT: String(this.socket2Port) },
      worker2: { METRICS_PORT: String(this.metrics2Port) },
      api2: { PORT: String(this.api2Port) },
    };
    const env = { ...this.env(), ...second[role] };
    const process_ = role === 'socket2' ? 'socket' : role === 'worker2' ? 'worker' : role === 'api2' ? 'api' : role;
    const child = spawn(process.execPath, [main, process_], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    everyChild.add(child);
    let stdout = '';
    const capture = (stream: NodeJS.ReadableStream | null, name: string, onLine?: (line: string) => void) => {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          this.note(`${role}[${child.pid}] ${name}: ${line}`);
          onLine?.(line);
        }
      });
    };
    capture(child.stdout, 'out', (line) => (stdout += `${line}\n`));
    capture(child.stderr, 'err');
    const exited = new Promise<Exit>((resolve) =>
      child.once('close', (code, signal) => {
        everyChild.delete(child);
        this.note(`${role}[${child.pid}] exited code=${code} signal=${signal}`);
        resolve({ code, signal });
      }),
    );
    this.running.set(role, { child, exited });

    const isReady: Record<Role, () => Promise<boolean>> = {
      api: async () => (await fetch(`${this.apiUrl}/health`)).ok,
      api2: async () => (await fetch(`${this.api2Url}/health`)).ok,
      socket: async () => (await fetch(`${this.socketUrl}/`)).status === 200,
      socket2: async () => (await fetch(`${this.socket2Url}/`)).status === 200,
      worker: async () => stdout.includes('worker ready'),
      worker2: async () => stdout.includes('worker ready'),
    };
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${role} exited before it was ready:\n${this.logs(role)}`);
      }
      if (await isReady[role]().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`${role} was not ready after ${READY_TIMEOUT_MS} ms:\n${this.logs(role)}`);
      await sleep(50);
    }
  }

  /**
   * Stops a role and tells how it exited: SIGTERM lets it shut down cleanly, SIGKILL is a crash.
   * A process still running after `graceMs` is killed (SIGKILL). Null when the role was not running.
   */
  async kill(role: Role, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM', { graceMs = STOP_TIMEOUT_MS } = {}): Promise<Exit | null> {
    const r = this.running.get(role);
    if (!r) return null;
    this.running.delete(role);
    if (r.child.exitCode === null && r.child.signalCode === null) {
      r.child.kill(signal);
      // A paused process (see `pause`) acts on the signal only once it runs again.
      r.child.kill('SIGCONT');
      const timer = setTimeout(() => r.child.kill('SIGKILL'), graceMs);
      const exit = await r.exited;
      clearTimeout(timer);
      return exit;
    }
    return r.exited;
  }

  /** Freezes a running role (SIGSTOP): it holds its connections and answers nothing until `resume`. */
  pause(role: Role): void {
    this.running.get(role)?.child.kill('SIGSTOP');
  }

  resume(role: Role): void {
    this.running.get(role)?.child.kill('SIGCONT');
  }

  /** Waits until the running process of `role` has written a line that matches, and returns it. */
  waitForLog(role: Role, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const pid = this.running.get(role)?.child.pid;
    if (pid === undefined) throw new Error(`${role} is not running`);
    const prefix = `${role}[${pid}] `;
    return waitUntil(`${role} to log ${pattern}`, () => this.output.find((l) => l.startsWith(prefix) && pattern.test(l)), timeoutMs, 20);
  }

  /** Stops a role, starts it again on the same ports, and tells how the old process exited. */
  async restart(role: Role, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM', options?: { graceMs?: number }): Promise<Exit | null> {
    const exit = await this.kill(role, signal, options);
    await this.startRole(role);
    return exit;
  }

  private note(line: string): void {
    this.output.push(line);
    if (this.logFile.writable) this.logFile.write(`${line}\n`);
  }

  /** The captured output of one role, or of all, for a failure message. */
  /** Runs the operator's `grant-admin <email>` as its own process, as an operator would; its output, or a throw. */
  async grantAdmin(email: string): Promise<string> {
    const main = path.join(infra().repoRoot, 'dist/src/main.js');
    const child = spawn(process.execPath, [main, 'grant-admin', email], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`grant-admin ${email} exited ${code}: ${output}`);
    return output;
  }

  /** Whether a role's process is still running (a crash ends it). */
  alive(role: Role): boolean {
    const child = this.running.get(role)?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  logs(role?: Role, lastLines = 200): string {
    const lines = role ? this.output.filter((l) => l.startsWith(`${role}[`)) : this.output;
    return lines.slice(-lastLines).join('\n');
  }

  /** Prints what the processes said when a file's set-up failed, and gives back the error to throw. */
  setUpFailed(err: unknown): unknown {
    console.error(`set-up failed; process output (${this.namespace}):\n${this.logs()}`);
    return err;
  }

  /** Stops every process, then removes this file's Redis keys and PostgreSQL rows. */
  async stop(): Promise<void> {
    await Promise.all([...this.running.keys()].map((r) => this.kill(r)));
    const { redisUrl, databaseUrl } = infra();
    // A cluster is the test's own and goes away with it.
    if (!this.clusterNodes) await deleteNamespace(redisUrl, this.namespace);
    if (this.gameIds.size || this.emails.size) {
      const db = createDb(databaseUrl);
      try {
        if (this.gameIds.size)
          await db('games')
            .whereIn('id', [...this.gameIds])
            .delete();
        if (this.emails.size)
          await db('users')
            .whereIn('email', [...this.emails])
            .delete();
      } finally {
        await db.destroy();
      }
    }
    await new Promise<void>((resolve) => this.logFile.end(resolve));
  }
}

/** Makes every failing test of the file print the stack's process output; a getter, as the stack starts in beforeAll. */
export function printLogsOnFailure(stack: () => Stack | undefined): void {
  beforeEach(({ onTestFailed }) =>
    onTestFailed(() => {
      const s = stack();
      if (s) console.error(`process output (${s.namespace}):\n${s.logs()}`);
    }),
  );
}

/**
 * Starts a stack before the file's tests and runs `setUp` on it (printing the processes' output if
 * either fails), prints it for any failing test, and stops it after. Returns the stack's getter.
 */
export function stackSuite(
  label: string,
  options: { roles?: Role[]; env?: ExtraEnv },
  setUp: (stack: Stack) => Promise<void>,
  timeoutMs = 90_000,
): () => Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await Stack.start(label, options.roles, { env: options.env });
    try {
      await setUp(stack);
    } catch (err) {
      throw stack.setUpFailed(err);
    }
  }, timeoutMs);
  printLogsOnFailure(() => stack);
  afterAll(() => stack?.stop());
  return () => {
    if (!stack) throw new Error(`the stack of ${label} did not start`);
    return stack;
  };
}
