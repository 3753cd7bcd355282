import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/**
 * Headless Chromium from Debian's package, driven by playwright-core (no browser download).
 * The flags keep it off the network it cannot reach here and out of any earlier profile;
 * Playwright gives every launch a fresh --user-data-dir of its own.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve('tests/artifacts');

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does), or set CHROMIUM_PATH.`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/** A page acting as `user`, sized like a laptop screen. */
export async function openAs(browser: Browser, url: string, user: string, channel = 'fugitive-recovery'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  // Waits are on conditions; this only bounds how long a missing one is waited for.
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  (page as Page & { problems: string[] }).problems = problems;
  await page.goto(`${url}/?as=${user}&channel=${channel}`);
  await page.locator('body[data-ready]').waitFor({ state: 'attached' });
  return page;
}

/** Errors the page's own scripts raised: a test ends by checking there were none. */
export function pageProblems(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

/** Keeps a screenshot of the page as a test artifact (tests/artifacts, not committed). */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Types into the composer and sends, as a person would; resolves once the page took it. */
export async function type(page: Page, text: string): Promise<void> {
  const input = page.locator('#input');
  await input.fill(text);
  await input.press('Enter');
  // Runs in the page (a string, since this file is compiled without the DOM's types).
  await page.waitForFunction("document.getElementById('input').value === '' || document.getElementById('composer-error').textContent !== ''");
}

/** The newest message in the open channel that contains `text` (waits until there is one). */
export async function message(page: Page, text: string | RegExp): Promise<Locator> {
  const found = page.locator('article.msg').filter({ hasText: text }).last();
  await found.waitFor();
  return found;
}

/** The open modal, once it shows. */
export async function modal(page: Page, title?: string): Promise<Locator> {
  const m = page.locator('form.modal');
  if (title) await m.locator('#modal-title', { hasText: title }).waitFor();
  else await m.waitFor();
  return m;
}

/** An input block of the open modal, by its block id. */
export function field(page: Page, blockId: string): Locator {
  return page.locator(`form.modal [data-block-id="${blockId}"]`);
}
