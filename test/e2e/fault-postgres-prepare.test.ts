import { describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import { faultSuite, report, roomWhen } from './support/faults';

const BUILDING_SECONDS = 4;
const SETTINGS = { questionCount: 3, questionSeconds: 5, revealSeconds: 1 };

describe('when PostgreSQL is unreachable while a room prepares its questions', () => {
  let failed: { view: RoomView; at: number };
  let createdAt = 0;
  let later: RoomView;
  let afterwards: RoomView;

  const rig = faultSuite(
    'pg-prepare',
    { postgresProxy: true, env: { ROOM_BUILDING_SECONDS: String(BUILDING_SECONDS), RECONCILE_EVERY_MS: '1000' } },
    async (rig) => {
      const host = await rig.api.registerHost('Quizmaster');
      await rig.postgres?.stop();
      const { code } = await rig.api.createRoom(host.token, SETTINGS);
      createdAt = Date.now();
      failed = await roomWhen(rig.stack, code, 'the room to fail', (v) => v.phase !== 'building', 30_000);
      report(`PostgreSQL down while preparing → room failed (ROOM_BUILDING_SECONDS=${BUILDING_SECONDS})`, failed.at - createdAt);

      await rig.postgres?.resume();
      later = await rig.api.room(code);
      const again = await rig.api.createRoom(host.token, SETTINGS);
      afterwards = await rig.api.waitForLobby(again.code, 30_000);
    },
  );

  it('fails the room, past the building limit, with a reason the host is shown', () => {
    expect(failed.view.phase).toBe('failed');
    expect(failed.view.failureReason).toMatch(/could not be prepared within 4 s|could not be read/);
    expect(failed.at - createdAt).toBeGreaterThanOrEqual(BUILDING_SECONDS * 1000 - 500);
    expect(failed.at - createdAt).toBeLessThan((BUILDING_SECONDS + 4) * 1000);
  });

  it('refuses a category no query could take (a NUL) at the door, 400, before any job sees it', async () => {
    const host = await rig().api.registerHost('Poison');
    const res = await rig().api.request('POST', '/rooms', { token: host.token, body: { ...SETTINGS, category: 'Art\u0000' } });

    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/category.*control/);
  });

  it('leaves the failed room failed when PostgreSQL is back, and prepares new rooms', () => {
    expect(later.phase).toBe('failed');
    expect(afterwards.phase).toBe('lobby');
  });
});
