// Steps a shopper takes in the browser, shared by the shopper-page tests.
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { Api } from './api-client.ts';
import { DESKTOP } from './browser.ts';

export const ADA = '4712345678';

/** A new page in a fresh context (its own cookies), with short timeouts: nothing here should take long. */
export async function openPage(browser: Browser, options: BrowserContextOptions = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.setDefaultNavigationTimeout(10_000);
  return { context, page };
}

/** Logs in to the phone-app simulator as `phone` (from the log-in screen the page is on, or from /app). */
export async function signIn(page: Page, baseUrl: string, phone: string = ADA): Promise<void> {
  if (!(await page.locator('[data-testid=sign-in]').count())) await page.goto(`${baseUrl}/app`);
  await page.fill('[data-testid=sign-in] input[name=phone]', `+${phone}`);
  await page.click('[data-testid=log-in]');
}

export function tokenOf(redirectUrl: string): string {
  const token = new URL(redirectUrl).searchParams.get('token');
  assert.ok(token, `redirectUrl has a token: ${redirectUrl}`);
  return token;
}

/** Creates a payment and returns its reference and redirectUrl. */
export async function createPayment(api: Api, overrides: Record<string, unknown> = {}): Promise<{ reference: string; redirectUrl: string }> {
  const res = await api.createPayment(overrides);
  assert.equal(res.status, 201, res.text);
  return { reference: res.body.reference, redirectUrl: res.body.redirectUrl };
}

export async function stateOf(api: Api, reference: string): Promise<string> {
  const res = await api.getPayment(reference);
  assert.equal(res.status, 200, res.text);
  return res.body.state;
}
