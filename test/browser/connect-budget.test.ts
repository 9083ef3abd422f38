import { describe, expect, it } from 'vitest';
import { browserSkipReason, phoneSuite, savePlayerSession } from '../helpers/browser';
import { metricValue, scrape } from '../helpers/prometheus';
import { RecordingClient } from '../helpers/recording-client';

const skip = browserSkipReason();
const BUDGET = 3;
const WINDOW_SECONDS = 8;

describe.skipIf(skip !== null)('the web client when its token has spent its connect budget (chromium)', () => {
  // The api serves Socket.IO itself (SOCKETS_ON_API), so its /metrics counts the refused handshakes.
  const suite = phoneSuite('connect-budget-web', { roles: ['api', 'worker'], env: { SOCKET_CONNECTS_PER_PLAYER: `${BUDGET}/${WINDOW_SECONDS}` } });

  it('shows why it waits, connects once retryAfter has passed, and is refused only once meanwhile', async () => {
    const stack = suite.stack();
    const host = await stack.api.registerHost('Budget Host');
    const room = await stack.api.createRoom(host.token, { questionCount: 1, questionSeconds: 20, revealSeconds: 1 });
    await stack.api.waitForLobby(room.code);
    const player = await stack.api.join(room.code, 'Wobbly');
    for (let i = 0; i < BUDGET; i++) {
      const client = await RecordingClient.connect(stack.apiUrl, player.token, `spent ${i}`);
      await client.waitForPhase('lobby');
      client.close();
    }
    const { page, errors } = suite.phone();
    await savePlayerSession(page, stack.apiUrl, { code: room.code, token: player.token, nickname: 'Wobbly' });

    await page.reload();
    await page.locator('#notice', { hasText: /Too many connects with this token.*Connect again in \d+ s/ }).waitFor();
    await page.locator('[data-screen="lobby"]').waitFor({ state: 'visible', timeout: (WINDOW_SECONDS + 5) * 1000 });
    const refused = metricValue(await scrape(`${stack.apiUrl}/metrics`), 'quizloop_socket_handshakes_refused_total', { reason: 'rate_limited' });

    expect(await page.locator('#lobby-name').textContent()).toContain('Wobbly');
    expect(await page.locator('#notice').isHidden()).toBe(true);
    // Waited as told: one refusal, not one every 2 s until the window ended.
    expect(refused).toBe(1);
    expect(errors).toEqual([]);
  }, 60_000);
});
