import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContextOptions, type Page, chromium } from 'playwright-core';
import { afterAll } from 'vitest';
import { infra } from './infra';
import { type ExtraEnv, type Role, type Stack, stackSuite } from './stack';

/** Debian's chromium (`apt-get install chromium`); playwright-core drives it, no bundled browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Skipped only on a machine without chromium outside CI; in CI a missing browser is a failure. */
export function browserSkipReason(): string | null {
  if (existsSync(CHROMIUM_PATH) || process.env.CI === 'true') return null;
  return `${CHROMIUM_PATH} is missing; install it with: sudo apt-get install -y --no-install-recommends chromium fonts-liberation`;
}

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing, and CI=true requires the browser tests: apt-get install -y --no-install-recommends chromium fonts-liberation`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

export interface OpenedPage {
  page: Page;
  /** Uncaught exceptions in the page: a test checks the client never threw. */
  errors: string[];
  /** The page's console, for a failure message. */
  console: string[];
}

/** A page in a context of its own (its own localStorage, like a separate device). */
export async function openPage(browser: Browser, options: BrowserContextOptions): Promise<OpenedPage> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const opened: OpenedPage = { page, errors: [], console: [] };
  page.on('pageerror', (err) => {
    opened.errors.push(err.message);
    opened.console.push(`uncaught: ${err.stack ?? err.message}`);
  });
  page.on('console', (m) => opened.console.push(`${m.type()}: ${m.text()}`));
  return opened;
}

/** Saves a full-page screenshot under test-artifacts/screenshots/, for people to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.join(infra().repoRoot, 'test-artifacts', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/**
 * A browser test file's set-up: a stack (stackSuite) and chromium with one phone page, started before the file's
 * tests and stopped after. Returns their getters.
 */
export function phoneSuite(label: string, options: { roles?: Role[]; env?: ExtraEnv }): { stack: () => Stack; phone: () => OpenedPage } {
  let browser: Browser | undefined;
  let phone: OpenedPage | undefined;
  const stack = stackSuite(label, options, async () => {
    browser = await launchChromium();
    phone = await openPage(browser, PHONE);
  });
  afterAll(() => browser?.close());
  return {
    stack,
    phone: () => {
      if (!phone) throw new Error(`the phone page of ${label} did not open`);
      return phone;
    },
  };
}

/** Opens the web client at `url` with a player's session saved, as the page keeps one after a join; a reload uses it. */
export async function savePlayerSession(page: Page, url: string, session: { code: string; token: string; nickname: string }): Promise<void> {
  await page.goto(url);
  await page.evaluate((saved) => localStorage.setItem('quizloop.player', JSON.stringify(saved)), session);
}
