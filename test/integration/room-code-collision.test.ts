import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CreatedRoom } from '../helpers/api-client';
import { startInProcessApi } from '../helpers/in-process-api';

// Every new room draws the same code, so the second finds it taken on every try.
vi.mock('../../src/game/room-code', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/game/room-code')>()),
  generateRoomCode: () => 'QZ2QZ2',
}));

let running: Awaited<ReturnType<typeof startInProcessApi>>;

beforeAll(async () => {
  running = await startInProcessApi('room-code-collision');
});

afterAll(async () => {
  await running?.stop();
});

describe('when no free room code is found', () => {
  it('refuses the new room with 503 NO_FREE_ROOM_CODE and Retry-After, as problem+json', async () => {
    const { token } = await running.client.registerHost('Collider');
    const first = await running.client.request<CreatedRoom>('POST', '/rooms', { token, body: { questionCount: 1 } });

    const second = await fetch(`${running.client.baseUrl}/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ questionCount: 1 }),
    });

    expect(first.status).toBe(201);
    expect(first.body.code).toBe('QZ2QZ2');
    expect(second.status).toBe(503);
    expect(second.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(second.headers.get('retry-after')).toBe('5');
    expect(await second.json()).toMatchObject({ status: 503, code: 'NO_FREE_ROOM_CODE' });
  });
});
