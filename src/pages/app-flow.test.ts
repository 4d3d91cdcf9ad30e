// The phone-app simulator in a real browser: push requests arriving live, Pay and Reject, test
// cards that decline, NATIVE_REDIRECT, and the simulator and force approve deciding once between them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCode } from '../../test-support/api-client.ts';
import { DESKTOP, PHONE, saveScreenshot, useBrowser } from '../../test-support/browser.ts';
import { useServer } from '../../test-support/server.ts';
import { useShop } from '../../test-support/shop.ts';
import { ADA, createPayment, openPage, signIn, stateOf, tokenOf } from '../../test-support/shopper-steps.ts';

const BOB = '4798765432';

describe('the phone-app simulator in the browser', { timeout: 60_000 }, () => {
  const t = useServer();
  const shop = useShop();
  const b = useBrowser();

  it('PUSH_MESSAGE: the request appears in the simulator of customer.phoneNumber without a reload, and Pay authorizes it', async () => {
    const { page, context } = await openPage(b.browser, PHONE);
    await signIn(page, t.server.url, ADA);
    await page.waitForSelector('[data-testid=greeting]');
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    const { reference, redirectUrl } = await createPayment(t.api, { userFlow: 'PUSH_MESSAGE', customer: { phoneNumber: ADA }, returnUrl: undefined, paymentDescription: 'Pushed to Ada' });
    assert.equal(redirectUrl, undefined);
    await page.waitForSelector(`[data-testid=request][data-reference="${reference}"]`);
    assert.equal(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), true, 'the list updated in place, the page was not reloaded');

    await page.click(`[data-testid=request][data-reference="${reference}"]`);
    assert.equal(await page.textContent('[data-testid=description]'), 'Pushed to Ada');
    await page.click('[data-testid=pay]');
    await page.waitForSelector('[data-testid=result][data-state=AUTHORIZED]');
    assert.equal(await stateOf(t.api, reference), 'AUTHORIZED');
    await page.click('[data-testid=done]');
    await page.waitForSelector(`[data-testid=history-item][data-reference="${reference}"][data-state=AUTHORIZED]`);
    await saveScreenshot(page, 'app-push-paid');
    await context.close();
  });

  it('Reject aborts the payment and the history says Rejected', async () => {
    const { reference } = await createPayment(t.api, { userFlow: 'PUSH_MESSAGE', customer: { phoneNumber: ADA }, returnUrl: undefined });
    const { page, context } = await openPage(b.browser, PHONE);
    await signIn(page, t.server.url, ADA);
    await page.click(`[data-testid=request][data-reference="${reference}"]`);
    await page.click('[data-testid=reject]');
    await page.waitForSelector('[data-testid=result][data-state=ABORTED]');
    assert.equal(await stateOf(t.api, reference), 'ABORTED');
    const events = await t.api.events(reference);
    assert.deepEqual(events.body.map((e: { name: string }) => e.name), ['CREATED', 'ABORTED']);
    await page.click('[data-testid=done]');
    await page.waitForSelector(`[data-testid=history-item][data-reference="${reference}"][data-state=ABORTED]`);
    await saveScreenshot(page, 'app-rejected');
    await context.close();
  });

  it('a declining test card leaves the payment CREATED with the reason shown; another card then pays', async () => {
    const { reference } = await createPayment(t.api, { userFlow: 'PUSH_MESSAGE', customer: { phoneNumber: ADA }, returnUrl: undefined });
    const { page, context } = await openPage(b.browser, PHONE);
    await signIn(page, t.server.url, ADA);
    await page.click(`[data-testid=request][data-reference="${reference}"]`);
    await page.click('[data-testid=failing-cards]');
    await page.check('[data-testid=card-visa-0151] input');
    await page.click('[data-testid=pay]');
    assert.match((await page.textContent('[data-testid=error]')) ?? '', /insufficient funds/);
    assert.equal(await stateOf(t.api, reference), 'CREATED');
    assert.equal(await page.isChecked('[data-testid=card-visa-0151] input'), true, 'the chosen card stays chosen');

    await page.check('[data-testid=card-mastercard-0202] input');
    await page.click('[data-testid=pay]');
    assert.match((await page.textContent('[data-testid=error]')) ?? '', /strong customer authentication/);

    await page.check('[data-testid=card-mastercard-4444] input');
    await page.click('[data-testid=pay]');
    await page.waitForSelector('[data-testid=result][data-state=AUTHORIZED]');
    assert.equal(await stateOf(t.api, reference), 'AUTHORIZED');
    await saveScreenshot(page, 'app-declined-then-paid');
    await context.close();
  });

  it('NATIVE_REDIRECT: redirectUrl opens the payment in the simulator, which returns to returnUrl after Pay', async () => {
    const { reference, redirectUrl } = await createPayment(t.api, { userFlow: 'NATIVE_REDIRECT', returnUrl: shop.returnUrl('native-1') });
    assert.equal(new URL(redirectUrl).pathname, '/app/payment');
    const { page, context } = await openPage(b.browser, PHONE);
    await page.goto(redirectUrl);
    await signIn(page, t.server.url, BOB);
    await page.click('[data-testid=pay]');
    await page.waitForURL(`${shop.url}/return**`);
    assert.equal(await stateOf(t.api, reference), 'AUTHORIZED');
    await saveScreenshot(page, 'app-native-redirect-returned');
    await context.close();
  });

  it('a request sent to another user cannot be paid by whoever holds the link', async () => {
    const { reference } = await createPayment(t.api, { userFlow: 'PUSH_MESSAGE', customer: { phoneNumber: ADA }, returnUrl: undefined });
    const ada = await openPage(b.browser, PHONE);
    await signIn(ada.page, t.server.url, ADA);
    await ada.page.click(`[data-testid=request][data-reference="${reference}"]`);
    const link = ada.page.url();

    const bob = await openPage(b.browser, PHONE);
    await signIn(bob.page, t.server.url, BOB);
    await bob.page.goto(link);
    await bob.page.waitForSelector('[data-testid=other-user]');
    assert.equal(await bob.page.locator('[data-testid=pay]').count(), 0);
    assert.equal(await stateOf(t.api, reference), 'CREATED');
    await saveScreenshot(bob.page, 'app-other-user');
    await ada.context.close();
    await bob.context.close();
  });

  it('force approve and the simulator drive one operation: whichever comes second is refused', async () => {
    // Without JavaScript the payment screen does not update live, so its Pay button is pressed after the force approve.
    const first = await createPayment(t.api, { userFlow: 'PUSH_MESSAGE', customer: { phoneNumber: ADA }, returnUrl: undefined });
    const { page, context } = await openPage(b.browser, { ...DESKTOP, javaScriptEnabled: false });
    await signIn(page, t.server.url, ADA);
    await page.goto(`${t.server.url}/app/payment?token=${encodeURIComponent(await tokenFor(first.reference))}`);
    assert.equal((await t.api.approve(first.reference)).status, 200);
    await page.click('[data-testid=pay]');
    assert.match((await page.textContent('[data-testid=error]')) ?? '', /already been authorized/);
    await page.waitForSelector('[data-testid=result][data-state=AUTHORIZED]');
    await page.goto(`${t.server.url}/app/payment?token=${encodeURIComponent(await tokenFor(first.reference))}`);
    assert.equal(await page.locator('[data-testid=reject]').count(), 0, 'an approved payment offers no Reject');

    const second = await createPayment(t.api, { userFlow: 'PUSH_MESSAGE', customer: { phoneNumber: ADA }, returnUrl: undefined });
    await page.goto(`${t.server.url}/app/payment?token=${encodeURIComponent(await tokenFor(second.reference))}`);
    await page.click('[data-testid=pay]');
    await page.waitForSelector('[data-testid=result][data-state=AUTHORIZED]');
    const again = await t.api.approve(second.reference);
    assert.equal(again.status, 400, again.text);
    assert.equal(errorCode(again), '6230');
    const events = await t.api.events(second.reference);
    assert.deepEqual(events.body.map((e: { name: string }) => e.name), ['CREATED', 'AUTHORIZED'], 'one authorization');
    await saveScreenshot(page, 'app-force-approve-conflict');
    await context.close();
  });

  /** A PUSH_MESSAGE payment has no redirectUrl; the simulator's own lists know its token. */
  async function tokenFor(reference: string): Promise<string> {
    const { page, context } = await openPage(b.browser);
    await signIn(page, t.server.url, ADA);
    const href = await page.getAttribute(`a[data-reference="${reference}"]`, 'href');
    await context.close();
    assert.ok(href);
    return tokenOf(new URL(href, t.server.url).toString());
  }
});
