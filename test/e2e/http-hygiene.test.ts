import { request } from 'node:http';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const METRICS_TOKEN = 'metrics-token-of-sixteen-plus';

describe('HTTP hygiene', () => {
  let stack: Stack;
  let playerToken: string;
  let roomCode: string;

  beforeAll(async () => {
    stack = await Stack.start('http-hygiene', undefined, { env: { METRICS_TOKEN, CORS_ORIGINS: 'https://quiz.example.com' } });
    const { token } = await stack.api.registerHost('Hygiene');
    const room = await stack.api.createRoom(token, { questionCount: 1, questionSeconds: 5, revealSeconds: 1 });
    await stack.api.waitForLobby(room.code);
    roomCode = room.code;
    playerToken = (await stack.api.join(room.code, 'Pat')).token;
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    await stack?.stop();
  });

  it('serves /metrics on every process only with METRICS_TOKEN, refusing without it as a 401 problem', async () => {
    for (const base of [stack.apiUrl, stack.socketUrl, stack.workerUrl]) {
      const anonymous = await fetch(`${base}/metrics`);
      const wrong = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer not-the-token' } });
      const right = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });

      expect([anonymous.status, wrong.status, right.status], base).toEqual([401, 401, 200]);
      expect(anonymous.headers.get('content-type'), base).toMatch(/^application\/problem\+json/);
      expect(await right.text(), base).toContain('quizloop_');
    }
  });

  /** A GET with a Host header fetch would not send. */
  const getWithHost = (url: string, host: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, { agent: false, headers: { host } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.once('error', reject);
      req.end();
    });

  it('makes join links for a Host header that names no host, rather than failing with a 500', async () => {
    for (const host of ['a b', 'quiz.example.com:99999', '[', `${'q'.repeat(3000)}.example.com`]) {
      const config = await getWithHost(`${stack.apiUrl}/client-config`, host);
      const qr = await getWithHost(`${stack.apiUrl}/rooms/${roomCode}/qr.svg`, host);

      const named = host.slice(0, 40);
      expect([config.status, qr.status], named).toEqual([200, 200]);
      expect(() => new URL(JSON.parse(config.body).joinUrl), named).not.toThrow();
      expect(qr.body, named).toContain('<svg');
    }
  });

  /** Resolves 'connected' or the refusal's message. */
  const handshake = async (origin: string) => {
    const socket = io(stack.socketUrl, {
      auth: { token: playerToken },
      transports: ['polling'],
      extraHeaders: { origin },
      forceNew: true,
      reconnection: false,
    });
    try {
      return await new Promise<string>((resolve) => {
        socket.once('connect', () => resolve('connected'));
        socket.once('connect_error', (err) => resolve(err.message));
      });
    } finally {
      socket.close();
    }
  };

  it('lets Socket.IO handshakes in from the same host and CORS_ORIGINS, and refuses other sites', async () => {
    const sameHost = await handshake(`http://127.0.0.1:${stack.apiPort}`);
    const listed = await handshake('https://quiz.example.com');
    const other = await handshake('https://evil.example.net');

    expect(sameHost).toBe('connected');
    expect(listed).toBe('connected');
    expect(other).not.toBe('connected');
  });

  it('sends security headers, and the web client a content security policy that lets it reach only its own origin', async () => {
    const page = await fetch(`${stack.apiUrl}/`);
    const api = await fetch(`${stack.apiUrl}/health`);
    const csp = page.headers.get('content-security-policy') ?? '';

    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    // Socket.IO is served on the api's own port (SOCKETS_ON_API, the default): the page needs nothing but itself.
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('x-powered-by')).toBeNull();
  });

  it('answers REST CORS for CORS_ORIGINS only', async () => {
    const listed = await fetch(`${stack.apiUrl}/health`, { headers: { origin: 'https://quiz.example.com' } });
    const other = await fetch(`${stack.apiUrl}/health`, { headers: { origin: 'https://evil.example.net' } });

    expect(listed.headers.get('access-control-allow-origin')).toBe('https://quiz.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
