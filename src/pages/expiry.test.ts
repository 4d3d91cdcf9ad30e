// Time runs out, on the test clock: 5 minutes for the landing page, 10 in all. The pages show it
// clearly instead of a dead button, and without being reloaded by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PHONE, saveScreenshot, useBrowser } from '../../test-support/browser.ts';
import { useServer } from '../../test-support/server.ts';
import { ADA, createPayment, openPage, signIn, stateOf } from '../../test-support/shopper-steps.ts';

const MINUTE = 60_000;

describe('expiry in the browser, with the test clock', { timeout: 60_000 }, () => {
  const t = useServer();
  const b = useBrowser();

  it('the waiting screen turns into "expired" when the payment expires, and GetPayment says EXPIRED', async () => {
    const { reference, redirectUrl } = await createPayment(t.api);
    const { page, context } = await openPage(b.browser);
    await page.goto(redirectUrl);
    await page.fill('[data-testid=phone]', '12345678');
    await page.click('[data-testid=next]');
    await page.waitForSelector('[data-testid=waiting]');
    await t.server.advanceClock(10 * MINUTE);
    await page.waitForSelector('[data-testid=result][data-state=EXPIRED]');
    assert.equal(await page.textContent('[data-testid=result-title]'), 'Payment request expired');
    assert.equal(await page.locator('[data-testid=open-vipps]').count(), 0);
    assert.equal(await stateOf(t.api, reference), 'EXPIRED');
    await saveScreenshot(page, 'expiry-waiting-expired');
    await context.close();
  });

  it('after 5 minutes the landing page no longer takes a number (the payment is still CREATED until 10)', async () => {
    const { reference, redirectUrl } = await createPayment(t.api);
    const { page, context } = await openPage(b.browser);
    await page.goto(redirectUrl);
    await page.waitForSelector('[data-testid=next]');
    await t.server.advanceClock(5 * MINUTE);
    await page.waitForSelector('[data-testid=result][data-state=LANDING_EXPIRED]');
    assert.equal(await page.locator('[data-testid=next]').count(), 0);
    assert.equal(await stateOf(t.api, reference), 'CREATED');
    await saveScreenshot(page, 'expiry-landing-5-minutes');
    await context.close();
  });

  it('the app\'s payment screen shows the expiry, and the request leaves the incoming list', async () => {
    const { reference } = await createPayment(t.api, { userFlow: 'PUSH_MESSAGE', customer: { phoneNumber: ADA }, returnUrl: undefined });
    const { page, context } = await openPage(b.browser, PHONE);
    await signIn(page, t.server.url, ADA);
    await page.click(`[data-testid=request][data-reference="${reference}"]`);
    await page.waitForSelector('[data-testid=pay]');
    await t.server.advanceClock(11 * MINUTE);
    await page.waitForSelector('[data-testid=result][data-state=EXPIRED]');
    assert.equal(await page.locator('[data-testid=pay]').count(), 0);
    assert.equal(await stateOf(t.api, reference), 'EXPIRED');
    await page.click('[data-testid=done]');
    await page.waitForSelector(`[data-testid=history-item][data-reference="${reference}"][data-state=EXPIRED]`);
    assert.equal(await page.locator(`[data-testid=request][data-reference="${reference}"]`).count(), 0);
    await saveScreenshot(page, 'expiry-app-expired');
    await context.close();
  });

  it('POST /vipps-local/v1/clock/advance moves the pages too', async () => {
    const { reference, redirectUrl } = await createPayment(t.api, { userFlow: 'NATIVE_REDIRECT', returnUrl: 'https://example.com/return' });
    const { page, context } = await openPage(b.browser, PHONE);
    await page.goto(redirectUrl);
    await signIn(page, t.server.url, ADA);
    await page.waitForSelector('[data-testid=pay]');
    const res = await fetch(`${t.server.url}/vipps-local/v1/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ minutes: 11 }) });
    assert.equal(res.status, 200);
    await page.waitForSelector('[data-testid=result][data-state=EXPIRED]');
    assert.equal(await stateOf(t.api, reference), 'EXPIRED');
    await saveScreenshot(page, 'expiry-clock-endpoint');
    await context.close();
  });
});
