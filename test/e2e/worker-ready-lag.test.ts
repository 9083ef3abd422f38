import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import { infra, sleep, waitUntil } from '../helpers/infra';
import { type Stack, stackSuite } from '../helpers/stack';
import { TcpProxy } from '../helpers/tcp-proxy';
import { report } from './support/faults';

/** The bound (EVENTS_READY_LAG_SECONDS), and how long the worker's read of new events is held back: well past it. */
const LAG_SECONDS = 1;
const HELD_MS = 6000;
/** What the worker's blocking read of new events carries, and nothing else it sends (RESP of the BLOCK argument). */
const BLOCKING_READ = '$5\r\nBLOCK\r\n';

interface Readiness {
  status: number;
  body: { detail?: string; checks?: Record<string, string> };
  at: number;
}

describe("a worker's /ready while room events wait unread longer than EVENTS_READY_LAG_SECONDS", () => {
  let proxied: { proxy: TcpProxy; url: string };
  let heldAt = 0;
  let red: Readiness;
  let green: Readiness;
  let room: RoomView;

  const ready = async (stack: Stack): Promise<Readiness> => {
    const res = await fetch(`${stack.workerUrl}/ready`);
    return { status: res.status, body: (await res.json()) as Readiness['body'], at: Date.now() };
  };

  // Before the stack starts, and stopped after it.
  beforeAll(async () => {
    proxied = await TcpProxy.inFrontOf(infra().redisUrl, 6379);
  });

  afterAll(() => proxied?.proxy.stop());

  // Every process reaches Redis through the proxy, which holds back only the worker's blocking read of new events.
  stackSuite('ready-lag', { env: () => ({ REDIS_URL: proxied.url, EVENTS_READY_LAG_SECONDS: String(LAG_SECONDS) }) }, async (stack) => {
    const host = await stack.api.registerHost('Quizmaster');
    expect((await ready(stack)).status).toBe(200);
    const held = proxied.proxy.holdWhenSent(BLOCKING_READ, HELD_MS);
    // The read in hand returns within its block (1 s); the next one is held, and the room's creation waits unread.
    await sleep(1500);
    heldAt = Date.now();
    const { code } = await stack.api.createRoom(host.token, { questionCount: 2, questionSeconds: 5, revealSeconds: 1 });
    red = await waitUntil('/ready to fail', async () => ((await ready(stack)).status === 503 ? ready(stack) : undefined), HELD_MS, 200);
    await held;
    green = await waitUntil('/ready to pass again', async () => ((await ready(stack)).status === 200 ? ready(stack) : undefined), 10_000, 200);
    room = await stack.api.waitForLobby(code, 10_000);
  });

  it('fails, as problem+json naming the unread events, once the oldest has waited past the bound', () => {
    report(`events held unread → worker /ready failed (EVENTS_READY_LAG_SECONDS=${LAG_SECONDS})`, red.at - heldAt);

    expect(red.status).toBe(503);
    expect(red.body.detail ?? JSON.stringify(red.body)).toMatch(/room event\(s\) unread, the oldest for \d+ s/);
    expect(red.at - heldAt).toBeGreaterThanOrEqual(LAG_SECONDS * 1000);
  });

  it('passes again once the worker has read them, and the room they held back is prepared', () => {
    report('events read again → worker /ready passed', green.at - red.at);

    expect(green.status).toBe(200);
    expect(green.body.checks).toMatchObject({ events: 'ok' });
    expect(room.phase).toBe('lobby');
  });
});
