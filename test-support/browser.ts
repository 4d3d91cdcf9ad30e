// Debian's Chromium driven by playwright-core, for the shopper-page tests and the README screenshots.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** Where every browser test saves the screenshot of its final screen (gitignored). */
export const SCREENSHOT_DIR = join(import.meta.dirname, '..', 'test-results', 'screenshots');

/** A headless Chromium with a fresh temporary profile (playwright makes one per launch). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** One browser for the enclosing test file: launched before its tests, closed after them. */
export function useBrowser(): { browser: Browser } {
  const ctx = {} as { browser: Browser };
  before(async () => {
    ctx.browser = await launchBrowser();
  });
  after(async () => {
    await ctx.browser?.close();
  });
  return ctx;
}

export const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/**
 * A 375 px phone: mobile User-Agent, touch, 2× pixels. English (`locale`, so Accept-Language: en-GB):
 * the shopper pages speak the browser's language, Norwegian by default, and the tests read English.
 */
export const PHONE: BrowserContextOptions = { viewport: { width: 375, height: 812 }, userAgent: IPHONE_UA, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-GB' };
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, locale: 'en-GB' };

/** Saves the page as test-results/screenshots/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
