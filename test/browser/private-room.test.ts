import { describe, expect, it } from 'vitest';
import { browserSkipReason, phoneSuite } from '../helpers/browser';

const skip = browserSkipReason();

describe.skipIf(skip !== null)('joining a private room from the web client (chromium)', () => {
  const suite = phoneSuite('private-room-web', { env: (s) => ({ PUBLIC_SOCKET_URL: s.socketUrl }) });

  it('asks for the passphrase once the server says the room needs one, refuses a wrong one, and joins with the right one', async () => {
    const [stack, phone] = [suite.stack(), suite.phone()];
    const host = await stack.api.registerHost('Private Web Host');
    const room = await stack.api.createRoom(host.token, { questionCount: 1, questionSeconds: 20, revealSeconds: 1, passphrase: 'blue whale' });
    await stack.api.waitForLobby(room.code);
    const { page } = phone;
    await page.goto(`${stack.apiUrl}/?code=${room.code}`);
    expect(await page.locator('#join-passphrase').isVisible()).toBe(false);

    await page.locator('#join-nickname').fill('Quinn');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.locator('#join-passphrase').waitFor({ state: 'visible' });
    await page.getByText(/is private: joining takes the passphrase/).waitFor();

    await page.locator('#join-passphrase').fill('red whale');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByText(/not the passphrase of room/).waitFor();

    await page.locator('#join-passphrase').fill('blue whale');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { name: "You're in!" }).waitFor();
    expect((await stack.api.room(room.code)).playerCount).toBe(1);
    expect(phone.errors).toEqual([]);
  }, 60_000);
});
