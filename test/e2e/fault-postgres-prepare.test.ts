import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import { report, roomWhen } from '../helpers/faults';
import { infra } from '../helpers/infra';
import { Stack, printLogsOnFailure } from '../helpers/stack';
import { TcpProxy } from '../helpers/tcp-proxy';

const BUILDING_SECONDS = 4;
const SETTINGS = { questionCount: 3, questionSeconds: 5, revealSeconds: 1 };

describe('when PostgreSQL is unreachable while a room prepares its questions', () => {
  let proxy: TcpProxy;
  let stack: Stack;
  let failed: { view: RoomView; at: number };
  let createdAt = 0;
  let later: RoomView;
  let afterwards: RoomView;

  beforeAll(async () => {
    const proxied = await TcpProxy.inFrontOf(infra().databaseUrl, 5432);
    proxy = proxied.proxy;
    stack = await Stack.start('pg-prepare', undefined, {
      env: { DATABASE_URL: proxied.url, ROOM_BUILDING_SECONDS: String(BUILDING_SECONDS), RECONCILE_EVERY_MS: '1000' },
    });
    try {
      const host = await stack.api.registerHost('Quizmaster');
      await proxy.stop();
      const { code } = await stack.api.createRoom(host.token, SETTINGS);
      createdAt = Date.now();
      failed = await roomWhen(stack, code, 'the room to fail', (v) => v.phase !== 'building', 30_000);
      report(`PostgreSQL down while preparing → room failed (ROOM_BUILDING_SECONDS=${BUILDING_SECONDS})`, failed.at - createdAt);

      await proxy.resume();
      later = await stack.api.room(code);
      const again = await stack.api.createRoom(host.token, SETTINGS);
      afterwards = await stack.api.waitForLobby(again.code, 30_000);
    } catch (err) {
      throw stack.setUpFailed(err);
    }
  }, 120_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    await stack?.stop();
    await proxy?.stop();
  });

  it('fails the room, past the building limit, with a reason the host is shown', () => {
    expect(failed.view.phase).toBe('failed');
    expect(failed.view.failureReason).toMatch(/could not be prepared within 4 s|could not be read/);
    expect(failed.at - createdAt).toBeGreaterThanOrEqual(BUILDING_SECONDS * 1000 - 500);
    expect(failed.at - createdAt).toBeLessThan((BUILDING_SECONDS + 4) * 1000);
  });

  it('refuses a category no query could take (a NUL) at the door, 400, before any job sees it', async () => {
    const host = await stack.api.registerHost('Poison');
    const res = await stack.api.request('POST', '/rooms', { token: host.token, body: { ...SETTINGS, category: 'Art\u0000' } });

    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/category.*control/);
  });

  it('leaves the failed room failed when PostgreSQL is back, and prepares new rooms', () => {
    expect(later.phase).toBe('failed');
    expect(afterwards.phase).toBe('lobby');
  });
});
