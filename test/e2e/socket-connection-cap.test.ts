import { connect as tcpConnect } from 'node:net';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Game, openGame } from '../helpers/game';
import { scrape, metricValue } from '../helpers/prometheus';
import { RecordingClient } from '../helpers/recording-client';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const CAP = 4;
const MESSAGE = /Too many connections from your address: at most 4 at once \(SOCKET_CONNECTIONS_PER_ADDRESS\)/;

/** An Engine.IO long-polling handshake with no token, never followed by CONNECT: the status, the body, the session id. */
async function pollingHandshake(url: string, eio = 4): Promise<{ status: number; body: string; sid: string | null }> {
  const res = await fetch(`${url}/socket.io/?EIO=${eio}&transport=polling`);
  const body = await res.text();
  return { status: res.status, body, sid: /"sid":"([^"]+)"/.exec(body)?.[1] ?? null };
}

/** Ends a long-polling session as a client does: an Engine.IO close packet. */
async function closePolling(url: string, sid: string): Promise<void> {
  const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '1' });
  await res.text();
}

/** A raw Engine.IO WebSocket that never sends CONNECT: open once the server's OPEN packet came, else how it was refused. */
function rawWebSocket(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; refused: null } | { ws: null; refused: { status: number; body: string } }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers });
  return new Promise((resolve, reject) => {
    ws.once('message', () => resolve({ ws, refused: null }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.once('end', () => resolve({ ws: null, refused: { status: res.statusCode ?? 0, body } }));
    });
    ws.once('error', reject);
  });
}

function closed(ws: WebSocket): Promise<number> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve(Date.now());
  return new Promise((resolve) => ws.once('close', () => resolve(Date.now())));
}

/** An upgrade `ws` turns down after `allowRequest` admitted it (no Sec-WebSocket-Key): the server hangs up. */
function badUpgrade(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const tcp = tcpConnect(port, '127.0.0.1', () => {
      tcp.write(
        `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    let answer = '';
    tcp.setEncoding('utf8');
    tcp.on('data', (chunk: string) => (answer += chunk));
    tcp.once('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    tcp.once('error', reject);
  });
}

describe('when one address opens Engine.IO connections and never joins', () => {
  let stack: Stack;
  let game: Game;
  const opened: WebSocket[] = [];
  /** Long-polling session ids still open. */
  const sessions: string[] = [];

  beforeAll(async () => {
    stack = await Stack.start('socket-connection-cap', ['api', 'socket', 'worker'], {
      env: { SOCKET_CONNECTIONS_PER_ADDRESS: String(CAP), SOCKET_CONNECT_TIMEOUT_MS: '60000' },
    });
    // The host's screen on the api's own Socket.IO, so that every connection counted on the socket process is the test's.
    game = await openGame({ api: stack.api, socketUrl: stack.apiUrl }, { questionCount: 1, questionSeconds: 10, revealSeconds: 1 }, 0);
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    for (const ws of opened) ws.terminate();
    game?.closeAll();
    await stack?.stop();
  });

  it('admits the cap, refuses the next with a message naming the limit, and admits again once some close', async () => {
    const url = stack.socketUrl;
    const polling = [await pollingHandshake(url), await pollingHandshake(url)];
    for (let i = 0; i < CAP - polling.length; i++) {
      const { ws } = await rawWebSocket(url);
      if (ws) opened.push(ws);
    }
    sessions.push(...polling.map((p) => p.sid ?? ''));
    expect(polling.map((p) => p.status)).toEqual([200, 200]);
    expect(opened).toHaveLength(CAP - polling.length);

    const refusedPolling = await pollingHandshake(url);
    const refusedWebSocket = await rawWebSocket(url);
    const player = await stack.api.join(game.code, 'Pat');
    const client = io(url, { auth: { token: player.token }, forceNew: true, reconnection: false });
    // Read in the handler: once it returns, Engine.IO's client aborts the request, which empties `responseText`.
    const connectError = await new Promise<{ description: unknown; responseText: unknown }>((resolve) => {
      client.once('connect_error', (err: Error & { description?: unknown; context?: { responseText?: unknown } }) =>
        resolve({ description: err.description, responseText: err.context?.responseText }),
      );
    });
    client.close();

    expect(refusedPolling.status).toBe(403);
    expect(JSON.parse(refusedPolling.body)).toMatchObject({ message: expect.stringMatching(MESSAGE) });
    expect(refusedWebSocket.refused).toMatchObject({ status: 400, body: expect.stringMatching(MESSAGE) });
    expect(connectError).toEqual({ description: 403, responseText: expect.stringMatching(MESSAGE) });

    // One of each kind closed: a WebSocket, and a long-polling session by its close packet.
    const ws = opened.pop();
    ws?.close();
    if (ws) await closed(ws);
    await closePolling(url, sessions.shift() ?? '');
    const admitted = await pollingHandshake(url);
    sessions.push(admitted.sid ?? '');
    const again = await rawWebSocket(url);
    if (again.ws) opened.push(again.ws);

    expect(admitted.status).toBe(200);
    expect(again.refused).toBeNull();
    expect((await pollingHandshake(url)).status).toBe(403);
  });

  it('counts no handshake that fails after being admitted, and lets a player in once the flood is gone', async () => {
    const url = stack.socketUrl;
    for (const ws of opened.splice(0)) {
      ws.close();
      await closed(ws);
    }
    for (const sid of sessions.splice(0)) await closePolling(url, sid);
    // Past the cap again once the counts are given back: to Engine.IO's own refusal of protocol 3 (400), not ours (403).
    await expect.poll(async () => (await pollingHandshake(url, 3)).status).toBe(400);

    // Each admitted by allowRequest, then turned down: Engine.IO refuses protocol 3, `ws` an upgrade without a key.
    const failures: string[] = [];
    for (let i = 0; i < CAP + 2; i++) failures.push((await pollingHandshake(url, 3)).body, await badUpgrade(stack.socketPort));
    const flood: Awaited<ReturnType<typeof rawWebSocket>>[] = [];
    for (let i = 0; i < CAP + 1; i++) flood.push(await rawWebSocket(url));
    for (const { ws } of flood) {
      ws?.close();
      if (ws) await closed(ws);
    }
    const player = await stack.api.join(game.code, 'Robin');
    const client = await RecordingClient.connect(url, player.token, 'Robin');
    game.players.push({ index: 0, nickname: 'Robin', playerId: player.playerId, token: player.token, client });

    expect(failures.filter((f) => /Unsupported protocol version|400 Bad Request/.test(f))).toHaveLength(2 * (CAP + 2));
    expect(flood.map((f) => (f.ws ? 'admitted' : f.refused.status))).toEqual([...Array(CAP).fill('admitted'), 400]);
    await expect(client.waitForPhase('lobby')).resolves.toMatchObject({ code: game.code });
  });
});

describe('when a connection never sends CONNECT', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start('socket-connect-timeout', ['socket'], {
      env: { SOCKET_CONNECT_TIMEOUT_MS: '1000', SOCKET_CONNECTIONS_PER_ADDRESS: '1' },
    });
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    await stack?.stop();
  });

  it('closes it after SOCKET_CONNECT_TIMEOUT_MS, and its address may connect again', async () => {
    const first = await rawWebSocket(stack.socketUrl);
    const openedAt = Date.now();
    const refused = await rawWebSocket(stack.socketUrl);

    const closedAt = first.ws ? await closed(first.ws) : 0;
    const next = await rawWebSocket(stack.socketUrl);
    next.ws?.terminate();

    expect(refused.refused?.status).toBe(400);
    expect(closedAt - openedAt).toBeGreaterThanOrEqual(900);
    expect(closedAt - openedAt).toBeLessThan(5000);
    expect(next.refused).toBeNull();
  });
});

describe('when one client opens connections from many addresses of its IPv6 /64 (behind a trusted proxy)', () => {
  let stack: Stack;
  const opened: WebSocket[] = [];
  /** As the proxy in front says the client is: X-Forwarded-For, believed from loopback (TRUST_PROXY). */
  const from = (address: string) => ({ 'x-forwarded-for': address });
  const open = async (address: string) => {
    const result = await rawWebSocket(stack.socketUrl, from(address));
    if (result.ws) opened.push(result.ws);
    return result.ws ? 'admitted' : result.refused.status;
  };

  beforeAll(async () => {
    stack = await Stack.start('socket-connection-cap-ipv6', ['socket'], {
      env: { TRUST_PROXY: 'loopback', SOCKET_CONNECTIONS_PER_ADDRESS: '2', SOCKET_CONNECT_TIMEOUT_MS: '60000' },
    });
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    for (const ws of opened) ws.terminate();
    await stack?.stop();
  });

  it('counts every address of one /64 as one, another /64 apart, and an IPv4-mapped address as its IPv4 one', async () => {
    const oneHome = [await open('2001:db8:5:6::1'), await open('2001:db8:5:6:ffff:ffff:ffff:ffff'), await open('2001:db8:5:6:1234:5678:9abc:def0')];
    const nextHome = await open('2001:db8:5:7::1');
    const ipv4 = [await open('192.0.2.10'), await open('::ffff:192.0.2.10'), await open('192.0.2.10')];
    const metrics = await scrape(`${stack.socketUrl}/metrics`);

    expect(oneHome).toEqual(['admitted', 'admitted', 400]);
    expect(nextHome).toBe('admitted');
    expect(ipv4).toEqual(['admitted', 'admitted', 400]);
    expect(metricValue(metrics, 'quizloop_socket_handshakes_refused_total', { reason: 'connection_cap' })).toBe(2);
  });
});
