// The dashboard in Chromium: the list updates live when a payment is created, a payment opens, and
// Approve (with a chosen card) changes its state; the layout holds on a phone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DESKTOP, PHONE, saveScreenshot, useBrowser } from '../../../test-support/browser.ts';
import { useServer } from '../../../test-support/server.ts';
import { openPage } from '../../../test-support/shopper-steps.ts';

describe('the dashboard in the browser', { timeout: 60_000 }, () => {
  const t = useServer();
  const b = useBrowser();

  it('a new payment appears in the list without a reload; opening it and clicking Approve makes it AUTHORIZED', async () => {
    const { page, context } = await openPage(b.browser, DESKTOP);
    await page.goto(`${t.server.url}/`);
    await page.waitForSelector('h1:has-text("Payments")');
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    const reference = await t.api.created({ paymentDescription: 'Dashboard test <b>bold</b>' });
    const row = `[data-testid=payment-row][data-reference="${reference}"]`;
    await page.waitForSelector(row);
    assert.equal(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), true, 'the list updated in place');
    assert.equal(await page.getAttribute(row, 'data-state'), 'CREATED');
    assert.match((await page.textContent(row)) ?? '', /Dashboard test <b>bold<\/b>/, 'the description is text');

    await page.click(`${row} a`);
    await page.waitForSelector('[data-testid=state][data-state=CREATED]');
    assert.equal(await page.textContent('[data-testid=reference]'), reference);
    await page.selectOption('[data-testid=approve-card]', 'mastercard-4444');
    await page.click('[data-testid=approve]');
    await page.waitForSelector('[data-testid=state][data-state=AUTHORIZED]');
    assert.match((await page.textContent('[data-testid=notice]')) ?? '', /Approved/);
    assert.match((await page.textContent('[data-testid=timeline]')) ?? '', /AUTHORIZED/);
    const api = await t.api.getPayment(reference);
    assert.equal(api.body.state, 'AUTHORIZED');
    assert.equal(api.body.paymentMethod.cardBin, '555555');
    await saveScreenshot(page, 'dashboard-payment');

    // A change made elsewhere (the merchant captures) reaches the open payment page without a reload.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    assert.equal((await t.api.capture(reference, 1000)).status, 200);
    await page.waitForFunction(() => /CAPTURED/.test(document.querySelector('[data-testid=timeline]')?.textContent ?? ''));
    assert.equal(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), true);

    await page.goto(`${t.server.url}/`);
    await saveScreenshot(page, 'dashboard-payments');
    await context.close();
  });

  it('on a phone the list is readable without sideways scrolling', async () => {
    await t.api.created();
    const { page, context } = await openPage(b.browser, PHONE);
    await page.goto(`${t.server.url}/`);
    await page.waitForSelector('[data-testid=payment-row]');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `no horizontal scroll (overflow ${overflow}px)`);
    await saveScreenshot(page, 'dashboard-payments-phone');
    await context.close();
  });
});
