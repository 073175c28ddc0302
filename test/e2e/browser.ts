import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (apt package `chromium`), driven by playwright-core; `npx playwright install` does not work here. */
export const CHROMIUM = '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught page errors seen so far (a test expects none). */
  errors: string[];
  /** Saves test-artifacts/<suite>/<nn>-<step>.png (git-ignored) and returns its path. */
  shot(step: string): Promise<string>;
}

/** A new page at the given viewport that records console errors and takes numbered screenshots. */
export async function watchedPage(browser: Browser, suite: string, viewport = { width: 1280, height: 800 }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  const dir = join('test-artifacts', suite);
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return {
    page,
    errors,
    async shot(step: string) {
      const path = join(dir, `${String(++n).padStart(2, '0')}-${step}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
  };
}
