import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import getPort from 'get-port';

const ROOT = path.resolve(__dirname, '..');

/** Starts a built role as its own process and resolves once it answers (api, socket) or has had a moment (worker). */
export function startRole(role: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js'), role], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
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

/**
 * The three roles as separate processes on one Redis and PostgreSQL, and a host account: what every
 * scenario starts from. `stop` ends the processes.
 */
export async function startRoles(redisUrl: string, databaseUrl: string, namespace: string) {
  const [apiPort, socketPort] = [await getPort(), await getPort()];
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
    // Every bench player joins from this one machine, and a bench may hold many rooms of one host.
    RATE_LIMIT_JOIN_ADDRESS: '100000/60',
    RATE_LIMIT_ROOMS_USER: '100000/60',
    ROOM_MAX_PLAYERS: '100000',
    HOST_MAX_OPEN_ROOMS: '100000',
  };
  const children = [await startRole('api', env), await startRole('socket', env), await startRole('worker', env)];
  const api = `http://127.0.0.1:${apiPort}`;
  const { token } = await json<{ token: string }>(`${api}/auth/register`, 'POST', {
    email: `${namespace}-${Date.now()}@bench.invalid`,
    password: 'bench-password',
    displayName: 'Bench host',
  });
  return {
    api,
    socketUrl: `http://127.0.0.1:${socketPort}`,
    hostToken: token,
    stop: () => {
      for (const child of children) child.kill('SIGTERM');
    },
  };
}
