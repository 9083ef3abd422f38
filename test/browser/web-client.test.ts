import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/platform/db';
import { createKeys } from '../../src/store/keys';
import { DESKTOP, type OpenedPage, PHONE, browserSkipReason, launchChromium, openPage, savePlayerSession, screenshot } from '../helpers/browser';
import { infra } from '../helpers/infra';
import { Stack } from '../helpers/stack';

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[web-client] browser tests skipped: ${skipReason}`);

const QUESTIONS = 3;
/** The short game of the starter bank that counts on the leaderboards. */
const BANK_QUESTIONS = 2;
const BANK_CATEGORY = 'Science';

/** The bank's answer to the question on screen: the test plays like someone who knows it. */
async function correctChoice(db: Db, page: Page, textSelector: string): Promise<{ correct: number; choices: number }> {
  const text = (await page.locator(textSelector).textContent()) ?? '';
  const rows: { choices: string[]; correct: number[] }[] = await db('questions').where({ text }).select('choices', 'correct');
  const row = rows[0];
  if (!row) throw new Error(`no question in the bank reads "${text}"`);
  return { correct: row.correct[0] ?? NaN, choices: row.choices.length };
}

/** Ann taps the right answer and sees it locked in; Bob then picks a wrong one with his mouse, which closes the question. */
async function annRightBobWrong(db: Db, ann: Page, bob: Page) {
  const q = await correctChoice(db, ann, '#q-text');
  await ann.locator(`#q-choices [data-choice="${q.correct}"]`).tap();
  await ann.getByText('Answer locked in').waitFor();
  await bob.locator(`#q-choices [data-choice="${(q.correct + 1) % q.choices}"]`).click();
}

describe.skipIf(skipReason !== null)('the web client in a real browser (chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let db: Db;
  const hostEmail = `web-host-${randomBytes(5).toString('hex')}@quizloop.test`;
  /** The two players sign in on their devices, so the game counts on the leaderboards. */
  const playerEmails = ['ann', 'bob'].map((name) => `web-${name}-${randomBytes(5).toString('hex')}@quizloop.test`);
  const gameIds: string[] = [];
  /** Marks what the host writes, so the bank lookups find it and the clean-up removes it. */
  const quizTag = `t${Date.now().toString(36)}`;
  const quizName = `Quiz ${quizTag}`;
  const pages: OpenedPage[] = [];
  const open = async (options: Parameters<typeof openPage>[1]) => {
    const opened = await openPage(browser, options);
    pages.push(opened);
    return opened;
  };

  beforeAll(async () => {
    // The page learns where the socket process is from the api, as it would in production.
    stack = await Stack.start('web-client', undefined, { env: (s) => ({ PUBLIC_SOCKET_URL: s.socketUrl }) });
    browser = await launchChromium();
    db = createDb(infra().databaseUrl);
  }, 90_000);

  beforeEach(({ onTestFailed }) =>
    onTestFailed(async () => {
      for (const [i, { page, console: lines }] of pages.entries()) {
        console.error(`page ${i} ${page.url()} console:\n${lines.join('\n')}`);
        await screenshot(page, `failed-page-${i}`).catch(() => undefined);
      }
      console.error(`process output (${stack.namespace}):\n${stack.logs()}`);
    }),
  );

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (db) {
      // Rows the browser made, which the stack does not know of.
      if (gameIds.length) await db('games').whereIn('id', gameIds).delete();
      // The quiz the host wrote, then the host.
      await db('questions').where('text', 'like', `%${quizTag}%`).delete();
      await db('categories')
        .whereIn('name', [quizName, `Spare ${quizTag}`])
        .delete();
      await db('users')
        .whereIn('email', [hostEmail, ...playerEmails])
        .delete();
      await db.destroy();
    }
  });

  /** Creates an account on this device through the host page: the player page then joins under it. */
  async function signUp(page: Page, name: string, email: string) {
    await page.goto(`${stack.apiUrl}/host.html`);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.locator('#register-name').fill(name);
    await page.locator('#register-email').fill(email);
    await page.locator('#register-password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'New game' }).waitFor();
  }

  it('tells the page where the socket server is', async () => {
    const res = await fetch(`${stack.apiUrl}/client-config`);

    // PUBLIC_SOCKET_URL names the separate socket process; the api serves Socket.IO too, so no port of its own.
    expect(await res.json()).toMatchObject({ socketUrl: stack.socketUrl, socketPort: null });
  });

  it('lets a host run a whole game that two players join and play by tapping, and a reload rejoins the same player', async () => {
    const { page: host, errors: hostErrors } = await open(DESKTOP);
    const { page: ann, errors: annErrors } = await open(PHONE);
    const { page: bob, errors: bobErrors } = await open(DESKTOP);

    // The host registers and creates a room.
    await host.goto(`${stack.apiUrl}/host.html`);
    await host.getByRole('button', { name: 'Create an account' }).click();
    // Without a name, the form says so beside the field, in plain words.
    await host.locator('#register-email').fill(hostEmail);
    await host.locator('#register-password').fill('correct horse battery');
    await host.getByRole('button', { name: 'Create account' }).click();
    await host.locator('#register-name-error', { hasText: 'Your name must not be empty.' }).waitFor();
    expect(await host.locator('body').textContent()).not.toMatch(/Too small|expected string|displayName/);
    await host.locator('#register-name').fill('Quizmaster');
    await host.locator('#register-email').fill(hostEmail);
    await host.locator('#register-password').fill('correct horse battery');
    await host.getByRole('button', { name: 'Create account' }).click();
    await host.getByRole('heading', { name: 'New game' }).waitFor();

    // The host writes a quiz of three questions, two of them multiple choice and one true-or-false.
    await host.getByRole('button', { name: 'write your own questions' }).click();
    await host.getByRole('heading', { name: 'Your questions' }).waitFor();
    await host.locator('#qe-category').fill(quizName);
    await host.getByRole('button', { name: 'Save question' }).click();
    await host.locator('#qe-text-error', { hasText: 'Question must not be empty.' }).waitFor();
    const multiple = async (text: string, choices: string[], correct: number) => {
      await host.locator('#qe-type').selectOption('multiple');
      await host.locator('#qe-text').fill(`${text} (${quizTag})`);
      await host.locator('#qe-choices').fill(choices.join('\n'));
      await host.locator('#qe-correct').selectOption(String(correct));
      // The preview shows the tiles as players will see them, the right one marked.
      await host.locator('#qe-preview .choice.is-correct', { hasText: choices[correct] }).waitFor();
      await host.getByRole('button', { name: 'Save question' }).click();
      await host.locator('#qe-list').getByText(`${text} (${quizTag})`).waitFor();
    };
    await multiple('Which planet is the largest?', ['Mars', 'Jupiter', 'Venus', 'Mercury'], 1);
    await multiple('Which metal is liquid at room temperature?', ['Iron', 'Gold', 'Mercury'], 2);
    await host.locator('#qe-type').selectOption('boolean');
    await host.locator('#qe-text').fill(`The Pacific is the largest ocean (${quizTag})`);
    await host.locator('#qe-correct').selectOption('0');
    await host.locator('#qe-preview .choice.is-correct', { hasText: 'True' }).waitFor();
    await host.getByRole('button', { name: 'Save question' }).click();
    await host.locator('#qe-count', { hasText: '3' }).waitFor();
    await screenshot(host, 'host-0-question-editor');

    // A CSV import with one good row and one bad imports nothing (all or nothing) and names the bad row;
    // the same file without it imports the good one.
    const goodRow = `Spare ${quizTag},easy,boolean,Water boils at 100 C at sea level (${quizTag}),,,true\r\n`;
    const header = 'category,difficulty,type,text,choice1,choice2,correct\r\n';
    await host.locator('#qi-format').selectOption('csv');
    await host.locator('#qi-file').setInputFiles({
      name: 'more.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}${goodRow}Spare ${quizTag},easy,multiple,A lone choice (${quizTag}),Only,,1\r\n`),
    });
    await host.getByRole('button', { name: 'Import', exact: true }).click();
    await host.locator('#qi-report', { hasText: 'Nothing was imported.' }).waitFor();
    expect(await host.locator('#qi-report li').first().textContent()).toMatch(/^Row 3/);
    await host.locator('#qe-count', { hasText: '3' }).waitFor();
    await host.locator('#qi-file').setInputFiles({ name: 'fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}${goodRow}`) });
    await host.getByRole('button', { name: 'Import', exact: true }).click();
    await host.locator('#qi-report', { hasText: 'Imported 1 question.' }).waitFor();
    await host.locator('#qe-count', { hasText: '4' }).waitFor();
    await host.getByRole('button', { name: 'Back to the new game' }).click();

    // A game of that quiz.
    await host.locator('#create-category').selectOption(quizName);
    await host.locator('#create-count').fill(String(QUESTIONS));
    await host.locator('#create-seconds').fill('20');
    await host.locator('#create-reveal').fill('3');
    await host.locator('#create-streak').check();
    const created = host.waitForResponse((r) => r.url().endsWith('/rooms') && r.request().method() === 'POST');
    await host.getByRole('button', { name: 'Create room' }).click();
    const createdResponse = await created;
    // Every game setting of the form reaches POST /rooms.
    expect(createdResponse.request().postDataJSON()).toMatchObject({ mode: 'timed', pointsPerQuestion: 1000, streakBonus: true });
    const createdRoom = (await createdResponse.json()) as { gameId: string; hostToken: string };
    gameIds.push(createdRoom.gameId);

    // The lobby shows the code, huge, and a QR code of the join link.
    const codeText = host.locator('#lobby-code');
    await codeText.waitFor();
    const code = ((await codeText.textContent()) ?? '').trim();
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
    await host.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#qr');
      return Boolean(img?.complete && img.naturalWidth > 0);
    });
    expect(await host.getByRole('button', { name: 'Start game' }).isDisabled()).toBe(true);

    // Ann and Bob have accounts, signed in on their devices: the join form says they play under them.
    await signUp(ann, 'Ann', playerEmails[0] ?? '');
    await signUp(bob, 'Bob', playerEmails[1] ?? '');

    // Ann follows the join link on her phone: the code is filled in.
    await ann.goto(`${stack.apiUrl}/?code=${code}`);
    expect(await ann.locator('#join-code').inputValue()).toBe(code);
    await ann.locator('#join-account', { hasText: 'Playing as Ann: your points count on the leaderboards.' }).waitFor();
    await ann.locator('#join-nickname').fill('Ann');
    await screenshot(ann, 'player-1-join-phone');
    await ann.getByRole('button', { name: 'Join', exact: true }).tap();
    await ann.getByRole('heading', { name: "You're in!" }).waitFor();
    await screenshot(ann, 'player-2-lobby-phone');

    // Bob types the code, picks a taken nickname, reads why it failed, and picks another.
    await bob.goto(stack.apiUrl);
    await bob.locator('#join-code').fill(code.toLowerCase());
    await bob.locator('#join-nickname').fill('ann');
    await bob.getByRole('button', { name: 'Join', exact: true }).click();
    await bob.getByRole('alert').getByText('The nickname "ann" is taken in this room; pick another.').waitFor();
    await bob.locator('#join-nickname').fill('Bob');
    await bob.getByRole('button', { name: 'Join', exact: true }).click();
    await bob.getByRole('heading', { name: "You're in!" }).waitFor();

    // Someone the host does not want joins; the host removes them with the × on their name chip.
    const guestJoins = (nickname: string) =>
      fetch(`${stack.apiUrl}/rooms/${code}/players`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nickname }) });
    expect((await guestJoins('Cyd')).status).toBe(201);
    await host.locator('#lobby-count', { hasText: '3' }).waitFor();
    await host.getByRole('button', { name: 'Remove Cyd' }).click();
    await host.locator('#lobby-names').getByText('Cyd', { exact: true }).waitFor({ state: 'detached' });

    // The lobby fills up; the host starts.
    await host.locator('#lobby-count', { hasText: '2' }).waitFor();
    await host.locator('#lobby-names').getByText('Ann', { exact: true }).waitFor();
    await host.locator('#lobby-names').getByText('Bob', { exact: true }).waitFor();
    await screenshot(host, 'host-1-lobby');
    // Dee joins too, and will be removed during the game.
    expect((await guestJoins('Dee')).status).toBe(201);
    await host.locator('#lobby-count', { hasText: '3' }).waitFor();
    await host.getByRole('button', { name: 'Start game' }).click();

    // Question 1: everyone sees it; the host's countdown runs.
    await host.locator('#hq-meta', { hasText: `Question 1 of ${QUESTIONS}` }).waitFor();
    await ann.locator('#q-meta', { hasText: `Question 1 of ${QUESTIONS}` }).waitFor();
    await bob.locator('#q-meta', { hasText: `Question 1 of ${QUESTIONS}` }).waitFor();
    const seconds = Number(await host.locator('#hq-countdown .countdown-seconds').textContent());
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(20);
    const q1 = await correctChoice(db, host, '#hq-text');
    await screenshot(host, 'host-2-question');

    // During the question, the host opens the player list and removes Dee; the confirm comes first.
    await host.getByText('Players (3)').click();
    await host.locator('#players-list').getByText(/Dee/).waitFor();
    const asked: string[] = [];
    host.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await host.getByRole('button', { name: 'Remove Dee' }).click();
    expect(asked[0]).toMatch(/^Remove Dee from the game\?/);
    await host.locator('#players-list').getByText(/Dee/).waitFor();
    host.once('dialog', (d) => void d.accept());
    await host.getByRole('button', { name: 'Remove Dee' }).click();
    await host.locator('#players-list').getByText(/Dee/).waitFor({ state: 'detached' });
    await host.locator('#players-count', { hasText: '2' }).waitFor();
    await screenshot(host, 'host-2b-player-list');
    await host.getByText('Players (2)').click();
    await screenshot(ann, 'player-3-question-phone');

    // Ann taps the right answer and it is locked in; the host sees one of two answers in.
    await ann.locator(`#q-choices [data-choice="${q1.correct}"]`).tap();
    await ann.getByText('Answer locked in').waitFor();
    expect(await ann.locator('#q-choices button').first().isDisabled()).toBe(true);
    await screenshot(ann, 'player-4-locked-in-phone');
    await host.getByText('1 of 2 answered').waitFor();

    // No rank before the first reveal: everyone is tied at 0.
    expect(await ann.locator('#you-rank').textContent()).toBe('');

    // Bob answers wrong with his keyboard (keys 1–n pick a choice); with everyone in, the question closes early and the reveal shows.
    await bob.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await bob.keyboard.press(String(((q1.correct + 1) % q1.choices) + 1));
    await host.locator('#hr-distribution .bar-row.is-correct').waitFor();
    const correctRow = host.locator('#hr-distribution .bar-row.is-correct');
    expect(await correctRow.getAttribute('data-choice')).toBe(String(q1.correct));
    expect(await correctRow.locator('.bar-count').textContent()).toBe('1');
    await host.locator('#hr-board').getByText('Ann').waitFor();
    await screenshot(host, 'host-3-reveal');

    await ann.locator('#q-result', { hasText: 'Correct!' }).waitFor();
    expect(await ann.locator('#q-result').textContent()).toMatch(/\+\d[\d,]* points/);
    await ann.locator('#q-result .result-streak', { hasText: 'Streak started' }).waitFor();
    await ann.locator('#you-rank', { hasText: '#1' }).waitFor();
    await bob.locator('#q-result', { hasText: 'Wrong' }).waitFor();
    await screenshot(ann, 'player-5-result-phone');
    await screenshot(bob, 'player-5-result-wrong-desktop');
    const annScore = (await ann.locator('#you-score').textContent()) ?? '';
    expect(annScore).not.toBe('0 pts');

    // Question 2: Ann reloads her page and is the same player, with the same score.
    await ann.locator('#q-meta', { hasText: `Question 2 of ${QUESTIONS}` }).waitFor({ timeout: 20_000 });
    await ann.reload();
    await ann.locator('#q-meta', { hasText: `Question 2 of ${QUESTIONS}` }).waitFor();
    // Her own state (room:you) may come a moment after the question's view.
    await ann.locator('#you-name', { hasText: /^Ann$/ }).waitFor({ state: 'attached' });
    await ann.locator('#you-score', { hasText: new RegExp(`^${annScore}$`) }).waitFor();
    expect(await ann.locator('#join-nickname').isVisible()).toBe(false);

    // The host pauses: the players see it and cannot answer; the host resumes and play goes on.
    await host.getByRole('button', { name: 'Pause' }).click();
    await ann.getByText('The host paused the game').waitFor();
    expect(await ann.locator('#q-choices button').first().isDisabled()).toBe(true);
    await host.getByRole('button', { name: 'Resume' }).waitFor();
    await screenshot(host, 'host-3b-paused');
    await screenshot(ann, 'player-5b-paused-phone');
    await host.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => ann.locator('#q-choices button').first().isDisabled()).toBe(false);

    await annRightBobWrong(db, ann, bob);
    await ann.locator('#q-result', { hasText: 'Correct!' }).waitFor();
    await ann.locator('#q-result .result-streak', { hasText: '2 correct in a row' }).waitFor();

    // Question 3, the last of the quiz.
    await ann.locator('#q-meta', { hasText: `Question 3 of ${QUESTIONS}` }).waitFor({ timeout: 20_000 });
    await annRightBobWrong(db, ann, bob);
    await ann.locator('#q-result .result-streak', { hasText: '3 correct in a row' }).waitFor();

    // The end: the podium on the host screen, the final standing on each phone.
    await host.getByRole('heading', { name: 'Final results' }).waitFor({ timeout: 20_000 });
    await host.locator('.podium-1', { hasText: 'Ann' }).waitFor();
    await host.locator('.podium-2', { hasText: 'Bob' }).waitFor();
    // Under the podium, once the results are saved: how answers were timed.
    await host.locator('#timing-rule', { hasText: 'timed from when the question was sent' }).waitFor({ timeout: 20_000 });
    await screenshot(host, 'host-4-podium');
    // The podium links the results as CSV, per question and per player.
    const csvHref = await host.locator('#results-csv').getAttribute('href');
    expect(csvHref).toBe(`/games/${gameIds[0]}/results.csv`);
    // Results are private to the host and players: the link answers the host's token, nobody without one.
    const asHost = { headers: { authorization: `Bearer ${createdRoom.hostToken}` } };
    await expect.poll(async () => (await host.request.get(`${stack.apiUrl}${csvHref}`, asHost)).status(), { timeout: 15_000 }).toBe(200);
    expect((await (await host.request.get(`${stack.apiUrl}${csvHref}`, asHost)).text()).split('\n')[0]).toMatch(/question/i);
    expect((await host.request.get(`${stack.apiUrl}${csvHref}`)).status()).toBe(403);

    await ann.getByText('You finished #1').waitFor();
    await bob.getByText('You finished #2').waitFor();
    await screenshot(ann, 'player-6-finished-phone');
    expect(await host.getByRole('button', { name: 'See the results' }).isVisible()).toBe(true);

    // The host plays again with the same players: a new room with the same settings, and both phones follow into its lobby.
    const replayed = host.waitForResponse((r) => r.url().endsWith(`/rooms/${code}/again`));
    await host.getByRole('button', { name: 'Play again with the same players' }).click();
    const replayedResponse = await replayed;
    expect(replayedResponse.status()).toBe(201);
    const next = (await replayedResponse.json()) as { code: string; gameId: string; movedPlayers: number };
    gameIds.push(next.gameId);
    expect(next.movedPlayers).toBe(2);
    await host.locator('#lobby-code', { hasText: next.code }).waitFor();
    await host.locator('#lobby-names').getByText('Ann', { exact: true }).waitFor();
    await host.locator('#lobby-names').getByText('Bob', { exact: true }).waitFor();
    await host.locator('#lobby-count', { hasText: '2' }).waitFor();
    for (const phone of [ann, bob]) {
      await phone.getByRole('heading', { name: "You're in!" }).waitFor();
      expect(await phone.evaluate(() => JSON.parse(localStorage.getItem('quizloop.player') ?? 'null')?.code)).toBe(next.code);
    }
    await screenshot(bob, 'player-7-played-again-desktop');
    // The host ends the new room after all (with a confirm); the phones are told.
    host.once('dialog', (d) => void d.accept());
    await host.getByRole('button', { name: 'End game' }).click();
    await host.getByRole('heading', { name: 'New game' }).waitFor();
    await bob.getByText('The host ended the game.').waitFor();
    await ann.getByText('The host ended the game.').waitFor();

    // The host finds the first game in their history, and its results from there: per player and per question, as CSV too.
    await host.getByRole('button', { name: 'Your games and their results' }).click();
    await host.getByRole('button', { name: `Room ${code}` }).click();
    await host.locator('#results-players tr').first().getByText('Ann').waitFor();
    expect(await host.locator('#results-players tr').nth(1).textContent()).toContain('Bob');
    expect(await host.locator('#results-players').textContent()).not.toContain('Dee');
    expect(await host.locator('#results-questions li').count()).toBe(QUESTIONS);
    expect(await host.locator('#results-questions').textContent()).toContain(quizTag);
    // The host wrote the quiz, so knew its answers: the results say the game did not count on the leaderboards, and why.
    await host.locator('#results-boards', { hasText: "This game did not count on the leaderboards: it asked the host's own questions" }).waitFor();
    await screenshot(host, 'host-5-results');
    const downloading = host.waitForEvent('download');
    await host.getByRole('link', { name: 'Download as CSV' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(new RegExp(`^quizloop-${code}-.*\\.csv$`));
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + 2 * QUESTIONS);

    // A game of the starter bank (public, written by nobody here) counts: the host runs a short one that Ann and Bob,
    // signed in (two players besides the host, LEADERBOARD_MIN_PLAYERS), join and play; Ann answers right, Bob wrong.
    await host.getByRole('button', { name: 'New game' }).click();
    await host.locator('#create-category').selectOption(BANK_CATEGORY);
    await host.locator('#create-count').fill(String(BANK_QUESTIONS));
    await host.locator('#create-seconds').fill('10');
    await host.locator('#create-reveal').fill('1');
    const bankCreated = host.waitForResponse((r) => r.url().endsWith('/rooms') && r.request().method() === 'POST');
    await host.getByRole('button', { name: 'Create room' }).click();
    const bankRoom = (await (await bankCreated).json()) as { code: string; gameId: string };
    gameIds.push(bankRoom.gameId);
    await host.locator('#lobby-code', { hasText: bankRoom.code }).waitFor();
    for (const [phone, nickname] of [
      [ann, 'Ann'],
      [bob, 'Bob'],
    ] as const) {
      await phone.goto(`${stack.apiUrl}/?code=${bankRoom.code}`);
      await phone.locator('#join-account', { hasText: `Playing as ${nickname}` }).waitFor();
      await phone.locator('#join-nickname').fill(nickname);
      await phone.getByRole('button', { name: 'Join', exact: true }).click();
      await phone.getByRole('heading', { name: "You're in!" }).waitFor();
    }
    await host.locator('#lobby-count', { hasText: '2' }).waitFor();
    await host.getByRole('button', { name: 'Start game' }).click();
    for (let i = 1; i <= BANK_QUESTIONS; i++) {
      await ann.locator('#q-meta', { hasText: `Question ${i} of ${BANK_QUESTIONS}` }).waitFor({ timeout: 20_000 });
      await bob.locator('#q-meta', { hasText: `Question ${i} of ${BANK_QUESTIONS}` }).waitFor();
      await annRightBobWrong(db, ann, bob);
      await ann.locator('#q-result', { hasText: 'Correct!' }).waitFor();
    }
    await host.locator('.podium-1', { hasText: 'Ann' }).waitFor({ timeout: 20_000 });
    await host.locator('.podium-2', { hasText: 'Bob' }).waitFor();
    // Its results say it counted, once saved; the boards get it in the same job, just after.
    await host.getByRole('button', { name: 'See the results' }).click();
    await host.locator('#results-boards', { hasText: 'This game counted on the leaderboards.' }).waitFor({ timeout: 20_000 });
    await expect
      .poll(async () => ((await (await fetch(`${stack.apiUrl}/leaderboards/global`)).json()) as { total: number }).total, { timeout: 15_000 })
      .toBe(2);
    await host.getByRole('button', { name: 'New game' }).click();
    await host.getByRole('button', { name: 'Leaderboards' }).click();
    await host.locator('#board-global-title', { hasText: 'All time (2 players)' }).waitFor();
    await host.locator('#board-weekly-title', { hasText: /^Week \d{4}-W\d{2} \(2 players\)$/ }).waitFor();
    const boardRows = async (board: string) => (await host.locator(`#board-${board} li`).allTextContents()).map((t) => t.split(' · ')[0]);
    expect(await boardRows('global')).toEqual(['#1 Ann', '#2 Bob']);
    expect(await boardRows('weekly')).toEqual(['#1 Ann', '#2 Bob']);
    await screenshot(host, 'host-6-leaderboards');

    // Ann, signed in on her phone, sees her own row marked on the boards, and the game in her history with her rank.
    await ann.goto(`${stack.apiUrl}/host.html`);
    await ann.getByRole('button', { name: 'Leaderboards' }).click();
    await ann.locator('#board-global li.is-you', { hasText: /^#1 Ann \(you\) · [\d,]+ points · 1 game$/ }).waitFor();
    await ann.locator('#board-weekly li.is-you', { hasText: /^#1 Ann \(you\) · / }).waitFor();
    expect(await ann.locator('li.is-you').count()).toBe(2);
    await screenshot(ann, 'player-8-leaderboards-phone');
    await ann.getByRole('button', { name: 'New game' }).click();
    await ann.getByRole('button', { name: 'Your games and their results' }).click();
    await ann
      .locator('#history-list li', { hasText: `Room ${code}` })
      .getByText('you were #1')
      .waitFor();

    expect([...hostErrors, ...annErrors, ...bobErrors]).toEqual([]);

    // Bob's device loses its network: the page says so at once.
    await bob.context().setOffline(true);
    await bob.locator('#notice', { hasText: 'You are offline' }).waitFor();
    await bob.context().setOffline(false);
  }, 180_000);

  it('lets a host see their account, change its password (keeping the room on screen) and delete it, confirming first', async () => {
    const email = `web-leaver-${randomBytes(5).toString('hex')}@quizloop.test`;
    const { page, errors } = await open(DESKTOP);
    await signUp(page, 'Leaver', email);
    // A room of this account on the host's screen, as a reload finds it.
    const signedIn = (await page.evaluate(() => JSON.parse(localStorage.getItem('quizloop.host') ?? 'null'))) as { token: string };
    const room = await stack.api.createRoom(signedIn.token, { questionCount: 1, questionSeconds: 5, revealSeconds: 1 });
    await stack.api.waitForLobby(room.code);
    await page.evaluate((saved) => localStorage.setItem('quizloop.hostRoom', JSON.stringify(saved)), { code: room.code, hostToken: room.hostToken });
    await page.reload();
    await page.locator('#bar-code', { hasText: room.code }).waitFor();
    // The room's first view shows its lobby: open the account after it, or the view would cover the account.
    await page.locator('[data-screen="lobby"]').waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'Account' }).click();
    await page.locator('#account-email', { hasText: email }).waitFor();

    await page.locator('#password-current').fill('not my password');
    await page.locator('#password-new').fill('a brand new secret');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').getByText("That is not this account's password").waitFor();
    await page.locator('#password-current').fill('correct horse battery');
    await page.locator('#password-new').fill('a brand new secret');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor();
    // The change refuses the room's older host token; the page got a new one and keeps the room's controls.
    const renewed = await page.waitForFunction((old) => {
      const saved = JSON.parse(localStorage.getItem('quizloop.hostRoom') ?? 'null');
      return saved?.hostToken && saved.hostToken !== old ? saved.hostToken : null;
    }, room.hostToken);
    const hostToken = (await renewed.jsonValue()) as string;
    expect((await stack.api.request('POST', `/rooms/${room.code}/lock`, { token: hostToken })).status).toBe(200);
    expect((await stack.api.request('POST', `/rooms/${room.code}/lock`, { token: room.hostToken })).status).toBe(401);
    // The lock's view is drawn behind the account, which stays in front until the host goes back to the room.
    await page.getByRole('button', { name: 'Unlock joining' }).waitFor();
    expect(await page.locator('[data-screen="account"]').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Back to the room' }).click();
    await page.locator('[data-screen="lobby"]').waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'Account' }).click();

    await page.locator('#delete-password').fill('a brand new secret');
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.getByRole('button', { name: 'Delete my account' }).click();
    expect(await page.locator('#delete-password').inputValue()).toBe('a brand new secret');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByText('Your account was deleted.').waitFor();
    await page.locator('[data-screen="auth"]').waitFor();

    expect(await db('users').where({ email }).first()).toBeUndefined();
    expect(errors).toEqual([]);
  }, 60_000);

  it('sends a player whose stored token is refused back to the join form, saying why', async () => {
    const { page, errors } = await open(PHONE);
    await savePlayerSession(page, stack.apiUrl, { code: 'ABC234', token: 'not-a-token', nickname: 'Eve' });

    await page.reload();

    await page.getByRole('alert').getByText('The token is invalid or has expired.').waitFor();
    await page.getByRole('heading', { name: 'Join a game' }).waitFor();
    expect(await page.locator('#join-code').inputValue()).toBe('ABC234');
    expect(await page.evaluate(() => localStorage.getItem('quizloop.player'))).toBeNull();
    await screenshot(page, 'player-7-refused-token-phone');
    expect(errors).toEqual([]);
  }, 30_000);

  it('sends a player the host removed while their page was away back to the join form, saying why', async () => {
    const host = await stack.api.registerHost('Kicker');
    const room = await stack.api.createRoom(host.token, { questionCount: 1, questionSeconds: 5, revealSeconds: 1 });
    await stack.api.waitForLobby(room.code);
    const player = await stack.api.join(room.code, 'Gone');
    await stack.api.kick(room.code, player.playerId, room.hostToken);
    const { page, errors } = await open(PHONE);
    await savePlayerSession(page, stack.apiUrl, { code: room.code, token: player.token, nickname: 'Gone' });

    await page.reload();

    await page.getByRole('alert').getByText('The host removed this player from the room.').waitFor();
    await page.getByRole('heading', { name: 'Join a game' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('quizloop.player'))).toBeNull();
    expect(errors).toEqual([]);
  }, 30_000);

  /** A player page with a stored session of a player joined by the api, connected to the room's lobby. */
  async function playerInLobby(code: string, nickname: string) {
    const player = await stack.api.join(code, nickname);
    const opened = await open(PHONE);
    await savePlayerSession(opened.page, stack.apiUrl, { code, token: player.token, nickname });
    await opened.page.reload();
    await opened.page.getByRole('heading', { name: "You're in!" }).waitFor();
    return { ...opened, playerId: player.playerId };
  }

  it('keeps a player the host removes on the screen that says so, rather than the join form', async () => {
    const host = await stack.api.registerHost('Remover');
    const room = await stack.api.createRoom(host.token, { questionCount: 1, questionSeconds: 5, revealSeconds: 1 });
    await stack.api.waitForLobby(room.code);
    const { page, errors, playerId } = await playerInLobby(room.code, 'Ousted');

    await stack.api.kick(room.code, playerId, room.hostToken);
    await page.getByText('The host removed you from this game.').waitFor();
    // Long enough for the reconnection the server's hang-up used to start, and the refusal that replaced this screen.
    await new Promise((resolve) => setTimeout(resolve, 2000));

    expect(await page.getByText('The host removed you from this game.').isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Join a game' }).isVisible()).toBe(false);
    expect(errors).toEqual([]);
  }, 30_000);

  it("shows a player moved by 'play again' the new game's first question, answerable, after a game ended at its first", async () => {
    const host = await stack.api.registerHost('Replayer');
    const room = await stack.api.createRoom(host.token, { questionCount: 2, questionSeconds: 30, revealSeconds: 5 });
    await stack.api.waitForLobby(room.code);
    const { page, errors } = await playerInLobby(room.code, 'Again');
    // The only player: their answer closes the question at once, so 'Answer locked in' may last only until the reveal shows the result.
    const taken = () =>
      page
        .locator('#q-status:visible', { hasText: 'Answer locked in' })
        .or(page.locator('#q-result:visible', { hasText: /Correct!|Wrong/ }))
        .first();
    await stack.api.start(room.code, room.hostToken);
    await page.locator('#q-choices [data-choice="0"]').click();
    await taken().waitFor();

    await stack.api.control(room.code, 'end', room.hostToken);
    const again = await stack.api.request<{ code: string; hostToken: string }>('POST', `/rooms/${room.code}/again`, { token: room.hostToken });
    expect(again.status).toBe(201);
    await stack.api.waitForLobby(again.body.code);
    await page.getByRole('heading', { name: "You're in!" }).waitFor();
    const opened = await stack.api.start(again.body.code, again.body.hostToken);

    await page.locator('#q-text', { hasText: opened.question?.text ?? '' }).waitFor();
    expect(await page.getByText('Answer locked in').isVisible()).toBe(false);
    await page.locator('#q-choices [data-choice="1"]').click();
    await taken().waitFor();
    expect(errors).toEqual([]);
  }, 45_000);

  it('clears the pause notice when the host ends a paused game, and tells a player of a deleted room why', async () => {
    const host = await stack.api.registerHost('Pauser');
    const paused = await stack.api.createRoom(host.token, { questionCount: 2, questionSeconds: 30, revealSeconds: 1 });
    const deleted = await stack.api.createRoom(host.token, { questionCount: 1, questionSeconds: 30, revealSeconds: 1 });
    await stack.api.waitForLobby(paused.code);
    await stack.api.waitForLobby(deleted.code);
    const first = await playerInLobby(paused.code, 'Held');
    const second = await playerInLobby(deleted.code, 'Left');

    await stack.api.start(paused.code, paused.hostToken);
    await first.page.locator('#q-text').waitFor();
    await stack.api.control(paused.code, 'pause', paused.hostToken);
    await first.page.locator('#notice', { hasText: 'The host paused the game' }).waitFor();
    await stack.api.control(paused.code, 'end', paused.hostToken);
    await first.page.locator('[data-screen="finished"]').waitFor();
    expect((await stack.api.request('DELETE', `/rooms/${deleted.code}`, { token: deleted.hostToken })).status).toBe(204);
    await second.page.getByText('The host deleted this room.').waitFor();

    expect(await first.page.locator('#notice').isVisible()).toBe(false);
    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);
  }, 45_000);

  it('lists an author with more than a page of questions a page at a time, and asks before deleting one', async () => {
    const { page, errors } = await open(DESKTOP);
    const email = `web-many-${randomBytes(5).toString('hex')}@quizloop.test`;
    await signUp(page, 'Prolific', email);
    const { token } = (await page.evaluate(() => JSON.parse(localStorage.getItem('quizloop.host') ?? 'null'))) as { token: string };
    const rows = Array.from({ length: 101 }, (_, i) => `Many ${quizTag},easy,boolean,Statement number ${i} (${quizTag}),,,true`);
    const imported = await fetch(`${stack.apiUrl}/questions/import?format=csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: ['category,difficulty,type,text,choice1,choice2,correct', ...rows].join('\n'),
    });
    expect(imported.status).toBe(200);

    await page.getByRole('button', { name: 'write your own questions' }).click();
    await page.locator('#qe-count', { hasText: '101' }).waitFor();
    const listedFirst = await page.locator('#qe-list li').count();
    await page.getByRole('button', { name: 'Show 1 more' }).click();
    await page.locator('#qe-list li').nth(100).waitFor();
    // Dismissed, the question stays; accepted, it goes.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.locator('#qe-list li').first().getByRole('button', { name: 'Delete' }).click();
    await page.waitForTimeout(300);
    const keptCount = await page.locator('#qe-count').textContent();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('#qe-list li').first().getByRole('button', { name: 'Delete' }).click();
    await page.locator('#qe-count', { hasText: '100' }).waitFor();

    expect(listedFirst).toBe(100);
    expect(keptCount).toBe('101');
    expect(await page.getByRole('button', { name: /^Show \d+ more$/ }).isVisible()).toBe(false);
    await db('questions')
      .where('text', 'like', `%${quizTag}%`)
      .where({ category: `Many ${quizTag}` })
      .delete();
    await db('categories')
      .where({ name: `Many ${quizTag}` })
      .delete();
    await db('users').where({ email }).delete();
    expect(errors).toEqual([]);
  }, 60_000);

  it("tells the host and a player, when the server lost their room's live state, that the game cannot go on", async () => {
    const author = await stack.api.registerHost('Unlucky');
    const room = await stack.api.createRoom(author.token, { questionCount: 1, questionSeconds: 5, revealSeconds: 1 });
    await stack.api.waitForLobby(room.code);
    const player = await stack.api.join(room.code, 'Stranded');
    const { page: host, errors: hostErrors } = await open(DESKTOP);
    const { page, errors } = await open(PHONE);
    await host.goto(`${stack.apiUrl}/host.html`);
    await host.evaluate(
      ([account, hostRoom]) => {
        localStorage.setItem('quizloop.host', JSON.stringify(account));
        localStorage.setItem('quizloop.hostRoom', JSON.stringify(hostRoom));
      },
      [
        { token: author.token, displayName: 'Unlucky' },
        { code: room.code, hostToken: room.hostToken },
      ],
    );
    await savePlayerSession(page, stack.apiUrl, { code: room.code, token: player.token, nickname: 'Stranded' });
    await Promise.all([host.reload(), page.reload()]);
    await page.getByText('Stranded').first().waitFor();
    await host.locator('#bar-code', { hasText: room.code }).waitFor();

    // The room's record gone, as Redis losing its data leaves it (FLUSHALL itself is in fault-redis-flush.test.ts).
    const redis = new Redis(infra().redisUrl);
    await redis.del(createKeys(stack.namespace).room(room.code)).finally(() => redis.disconnect());

    await page.getByText('The game server lost this game').waitFor({ timeout: 10_000 });
    expect(await page.locator('#closed-text').textContent()).toMatch(/cannot go on and its results were not saved/);
    expect(await page.evaluate(() => localStorage.getItem('quizloop.player'))).toBeNull();
    await host.getByRole('alert').getByText(`Room ${room.code}: The game server lost this game`).waitFor({ timeout: 10_000 });
    await host.getByRole('heading', { name: 'New game' }).waitFor();
    expect(await host.evaluate(() => localStorage.getItem('quizloop.hostRoom'))).toBeNull();
    // Not connecting again: the closed screen stays, with no refusal written over it.
    await page.waitForTimeout(1500);
    expect(await page.locator('#closed-text').textContent()).toMatch(/The game server lost this game/);
    await screenshot(page, 'player-8-room-lost-phone');
    expect(errors).toEqual([]);
    expect(hostErrors).toEqual([]);
  }, 40_000);

  it('keeps a player on the one answer they tapped while the server is slow to confirm it, and counts it once', async () => {
    const author = await stack.api.registerHost('Patient');
    // A starter category: choice questions only, so the test can tap the right one.
    const room = await stack.api.createRoom(author.token, { category: BANK_CATEGORY, questionCount: 1, questionSeconds: 20, revealSeconds: 1 });
    await stack.api.waitForLobby(room.code);
    const player = await stack.api.join(room.code, 'Waiting');
    const { page, errors } = await open(PHONE);
    // A slow server, seen from the page: once the answer is sent, the server's messages (its ack and the
    // views) reach the page only after ACK_HELD_MS, past the page's 5 s wait for an ack. Heartbeats pass.
    const ACK_HELD_MS = 8000;
    let heldUntil = 0;
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      const held: (string | Buffer)[] = [];
      ws.onMessage((message) => {
        if (heldUntil === 0 && typeof message === 'string' && message.includes('"answer:submit"')) {
          heldUntil = Date.now() + ACK_HELD_MS;
          setTimeout(() => {
            for (const m of held.splice(0)) ws.send(m);
          }, ACK_HELD_MS);
        }
        server.send(message);
      });
      server.onMessage((message) => {
        const isMessage = typeof message === 'string' && message.startsWith('4');
        if (isMessage && Date.now() < heldUntil) held.push(message);
        else ws.send(message);
      });
    });
    await savePlayerSession(page, stack.apiUrl, { code: room.code, token: player.token, nickname: 'Waiting' });
    await page.reload();
    await page.getByText('Waiting').first().waitFor();
    await stack.api.start(room.code, room.hostToken);
    await page.locator('#q-text').waitFor();
    const q = await correctChoice(db, page, '#q-text');

    await page.locator(`#q-choices [data-choice="${q.correct}"]`).tap();

    // Past the page's wait for an ack, it still shows the one answer, sending, and offers no other.
    await page.getByText('Still sending your answer').waitFor({ timeout: 7000 });
    expect(await page.locator('#q-choices button:not([disabled])').count()).toBe(0);
    expect(await page.locator('#q-choices .is-chosen').getAttribute('data-choice')).toBe(String(q.correct));
    expect(await page.locator('body').textContent()).not.toMatch(/try again/);

    // Once the server's messages come through, the answer is the one tapped, scored (the reveal, then the
    // game's end, come together: one question, early closed).
    await page.locator('.result-headline', { hasText: 'Correct!' }).waitFor({ state: 'attached', timeout: 15_000 });
    await page.locator('#final-rank', { hasText: 'You finished #1' }).waitFor({ timeout: 15_000 });
    const standings = await stack.api.allStandings(room.code);
    expect(standings).toHaveLength(1);
    expect(standings[0]?.score).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  }, 60_000);

  it('turns motion off for a system that asks for reduced motion, and lets the player switch sound and motion, remembered', async () => {
    const { page, errors } = await open(PHONE);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(stack.apiUrl);
    const motion = () => page.evaluate(() => document.documentElement.dataset.motion);

    expect(await motion()).toBe('off');
    await page.getByRole('button', { name: 'Motion: off' }).click();
    await page.getByRole('button', { name: 'Sound: on' }).click();
    expect(await motion()).toBe('on');
    await page.reload();

    expect(await motion()).toBe('on');
    await page.getByRole('button', { name: 'Sound: off' }).waitFor();
    expect(errors).toEqual([]);
  }, 30_000);
});
