// @ts-check
/**
 * The README's screenshot: the host screen of a running quizloop, during a question, captured by
 * Chromium (playwright-core) to docs/screenshot.png.
 *
 *   npm start                      # in another terminal
 *   npm run screenshot [-- URL]    # URL defaults to QUIZLOOP_URL, else http://localhost:3000
 *
 * It signs up a throwaway host, creates a room of starter questions, lets four players join over
 * Socket.IO (two of them answer) and ends the room after the capture.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { io } from 'socket.io-client';

const BASE = (process.argv[2] ?? process.env.QUIZLOOP_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshot.png');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PLAYERS = ['Ann', 'Bob', 'Cyd', 'Dee'];

/** @param {string} method @param {string} route @param {{ body?: unknown, token?: string }} [options] */
async function api(method, route, { body, token } = {}) {
  const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await fetch(BASE + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${json?.detail ?? ''}`);
  return json;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (set CHROMIUM_PATH, or apt-get install chromium)`);
  await api('GET', '/health').catch(() => {
    throw new Error(`no quizloop at ${BASE}: start it with npm start, or pass its URL`);
  });
  const email = `screenshot-${randomBytes(4).toString('hex')}@example.com`;
  const { token, user } = await api('POST', '/auth/register', { body: { email, password: 'screenshot only, thrown away', displayName: 'Quiz night' } });
  const room = await api('POST', '/rooms', { token, body: { questionCount: 5, questionSeconds: 30, revealSeconds: 5 } });
  for (let i = 0; (await api('GET', `/rooms/${room.code}`)).phase === 'building'; i++) {
    if (i > 50) throw new Error('the room is still picking questions after 10 s');
    await sleep(200);
  }
  const { socketUrl, socketPort } = await api('GET', '/client-config');
  const url = socketUrl ?? (socketPort ? `${new URL(BASE).protocol}//${new URL(BASE).hostname}:${socketPort}` : BASE);
  const sockets = [];
  for (const nickname of PLAYERS) {
    const joined = await api('POST', `/rooms/${room.code}/players`, { body: { nickname } });
    sockets.push(io(url, { auth: { token: joined.token }, transports: ['websocket'] }));
  }

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    // The host page picks up the account and the room from localStorage, as after a reload.
    await context.addInitScript(
      ([account, hostRoom]) => {
        localStorage.setItem('quizloop.host', account);
        localStorage.setItem('quizloop.hostRoom', hostRoom);
      },
      [JSON.stringify({ token, displayName: user.displayName, userId: user.id }), JSON.stringify({ code: room.code, hostToken: room.hostToken })],
    );
    const page = await context.newPage();
    await page.goto(`${BASE}/host.html`);
    await page.locator('#lobby-names li', { hasText: 'Dee' }).waitFor();
    await api('POST', `/rooms/${room.code}/start`, { token: room.hostToken });
    await page.locator('#hq-text').waitFor();
    for (const [i, socket] of sockets.slice(0, 2).entries()) socket.emit('answer:submit', { questionIndex: 0, choice: i }, () => undefined);
    // Long enough for a tick to bring the answered count and for the countdown bar to move.
    await page.getByText('2 of 4 answered').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: OUT });
    console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
  } finally {
    await browser.close();
    for (const socket of sockets) socket.close();
    await api('POST', `/rooms/${room.code}/end`, { token: room.hostToken }).catch(() => undefined);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
