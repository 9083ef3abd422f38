import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/local/free-port';
import { createDb } from '../../src/store/db';
import { ApiClient } from './api-client';
import { deleteNamespace, infra, sleep, testNamespace } from './infra';

export type Role = 'api' | 'worker' | 'socket';
const ROLES: Role[] = ['api', 'socket', 'worker'];
/** Generous: on a loaded 2-core machine, node alone can take seconds to load a role. */
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

type ExtraEnv = Record<string, string> | ((stack: Stack) => Record<string, string>);

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
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

  private constructor(
    readonly namespace: string,
    readonly apiPort: number,
    readonly socketPort: number,
    /** The worker's /metrics, /health and /ready (METRICS_PORT). */
    readonly metricsPort: number,
    /** Extra environment for every role, e.g. ADMIN_USER; a function when it depends on the stack's ports. */
    private readonly extraEnv: ExtraEnv = {},
  ) {
    const dir = path.join(infra().repoRoot, 'test-artifacts', 'logs');
    mkdirSync(dir, { recursive: true });
    this.logFile = createWriteStream(path.join(dir, `${namespace}.log`));
    this.api = new ApiClient(this.apiUrl, { game: (id) => this.gameIds.add(id), email: (e) => this.emails.add(e) });
  }

  /** Starts api, socket and worker (or the given roles) and waits until each is ready. */
  static async start(label: string, roles: Role[] = ROLES, options: { env?: ExtraEnv } = {}): Promise<Stack> {
    const stack = new Stack(testNamespace(label), await freePort(), await freePort(), await freePort(), options.env);
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

  get socketUrl(): string {
    return `http://127.0.0.1:${this.socketPort}`;
  }

  get workerUrl(): string {
    return `http://127.0.0.1:${this.metricsPort}`;
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
      ...(typeof this.extraEnv === 'function' ? this.extraEnv(this) : this.extraEnv),
    };
    // Nothing of the test runner's own loaders, and a fresh consumer name for every worker process.
    delete env.NODE_OPTIONS;
    delete env.DYNO;
    return env;
  }

  async startRole(role: Role): Promise<void> {
    if (this.running.has(role)) throw new Error(`${role} is already running`);
    const main = path.join(infra().repoRoot, 'dist/src/main.js');
    const child = spawn(process.execPath, [main, role], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
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
    capture(child.stdout, 'out', (line) => (stdout += line + '\n'));
    capture(child.stderr, 'err');
    const exited = new Promise<void>((resolve) =>
      child.once('close', (code, signal) => {
        everyChild.delete(child);
        this.note(`${role}[${child.pid}] exited code=${code} signal=${signal}`);
        resolve();
      }),
    );
    this.running.set(role, { child, exited });

    const isReady: Record<Role, () => Promise<boolean>> = {
      api: async () => (await fetch(`${this.apiUrl}/health`)).ok,
      socket: async () => (await fetch(`${this.socketUrl}/`)).status === 200,
      worker: async () => stdout.includes('worker ready'),
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

  /** Stops a role: SIGTERM lets it shut down cleanly, SIGKILL is a crash. */
  async kill(role: Role, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const r = this.running.get(role);
    if (!r) return;
    this.running.delete(role);
    if (r.child.exitCode === null && r.child.signalCode === null) {
      r.child.kill(signal);
      const timer = setTimeout(() => r.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await r.exited;
      clearTimeout(timer);
    }
  }

  async restart(role: Role, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    await this.kill(role, signal);
    await this.startRole(role);
  }

  private note(line: string): void {
    this.output.push(line);
    if (this.logFile.writable) this.logFile.write(line + '\n');
  }

  /** The captured output of one role, or of all, for a failure message. */
  logs(role?: Role, lastLines = 200): string {
    const lines = role ? this.output.filter((l) => l.startsWith(`${role}[`)) : this.output;
    return lines.slice(-lastLines).join('\n');
  }

  /** Stops every process, then removes this file's Redis keys and PostgreSQL rows. */
  async stop(): Promise<void> {
    await Promise.all([...this.running.keys()].map((r) => this.kill(r)));
    const { redisUrl, databaseUrl } = infra();
    await deleteNamespace(redisUrl, this.namespace);
    if (this.gameIds.size || this.emails.size) {
      const db = createDb(databaseUrl);
      try {
        if (this.gameIds.size) await db('games').whereIn('id', [...this.gameIds]).delete();
        if (this.emails.size) await db('users').whereIn('email', [...this.emails]).delete();
      } finally {
        await db.destroy();
      }
    }
    await new Promise<void>((resolve) => this.logFile.end(resolve));
  }
}
