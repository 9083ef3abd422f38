import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { releaseHandshake, releaseUpgradeRequests } from '../../src/socket/upgrade-request';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects until `ref` is gone or a few rounds have passed: finalization can take more than one collection. */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let round = 0; round < 10 && ref.deref(); round++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  return ref.deref() === undefined;
}

async function connectedRequest(release: boolean) {
  const http = createServer();
  let request: WeakRef<IncomingMessage> | null = null;
  const io = new Server(http, {
    perMessageDeflate: false,
    allowRequest: (req, callback) => {
      request = new WeakRef(req);
      callback(null, true);
    },
  });
  if (release) releaseUpgradeRequests(io.engine);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const client = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'] });
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  const stop = async () => {
    client.close();
    await io.close();
  };
  return { request: request as unknown as WeakRef<IncomingMessage>, io, client, stop };
}

describe('a connection once it is up', () => {
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await stop?.();
    stop = null;
  });

  it('keeps no HTTP upgrade request in memory', async () => {
    const c = await connectedRequest(true);
    stop = c.stop;
    expect(await collected(c.request)).toBe(true);
    // Still a working connection: what the server sends reaches the client.
    const received = new Promise<string>((resolve) => c.client.once('hello', (text: string) => resolve(text)));
    for (const socket of c.io.of('/').sockets.values()) socket.emit('hello', 'still here');
    await expect(received).resolves.toBe('still here');
  });

  it('would keep it without the release (what the test above guards against)', async () => {
    const c = await connectedRequest(false);
    stop = c.stop;
    expect(await collected(c.request)).toBe(false);
  });
});

describe('a connection once it is admitted', () => {
  it('keeps neither the headers, the query, the URL, the time as text nor the token of its handshake', async () => {
    const http = createServer();
    const io = new Server(http, { perMessageDeflate: false });
    releaseUpgradeRequests(io.engine);
    let headers: WeakRef<object> | null = null;
    let token: unknown = null;
    io.use((socket, next) => {
      headers = new WeakRef(socket.handshake.headers);
      token = socket.handshake.auth.token;
      releaseHandshake(socket.handshake);
      next();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const client = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
      transports: ['websocket'],
      auth: { token: 'secret-token' },
      extraHeaders: { 'x-big': 'x'.repeat(2000) },
    });
    try {
      await new Promise<void>((resolve) => client.once('connect', () => resolve()));
      expect(token).toBe('secret-token');
      const [socket] = io.of('/').sockets.values();
      expect(socket?.handshake.auth).toEqual({});
      expect(socket?.handshake.query).toEqual({});
      expect(socket?.handshake.url).toBe('');
      expect(socket?.handshake.time).toBe('');
      expect(await collected(headers as unknown as WeakRef<object>)).toBe(true);
    } finally {
      client.close();
      await io.close();
    }
  });
});
