// WEB_REDIRECT in a real browser: the desktop landing page with the simulator in a second page,
// the mobile redirect straight into the app, and the two ways to cancel on the landing page.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { saveScreenshot, PHONE, useBrowser } from '../../test-support/browser.ts';
import { useServer } from '../../test-support/server.ts';
import { useShop } from '../../test-support/shop.ts';
import { ADA, createPayment, openPage, signIn, stateOf } from '../../test-support/shopper-steps.ts';

describe('WEB_REDIRECT in the browser', { timeout: 60_000 }, () => {
  const t = useServer();
  const shop = useShop();
  const b = useBrowser();

  it('desktop: the number goes to the app, the payment is approved in the simulator, and the landing page returns to returnUrl', async () => {
    const { reference, redirectUrl } = await createPayment(t.api, { returnUrl: shop.returnUrl('desktop-1'), profile: { scope: 'name email' } });
    const desktop = await openPage(b.browser);
    const { page } = desktop;
    await page.goto(redirectUrl);
    assert.equal(await page.textContent('[data-testid=amount]'), '499,00\u00a0kr');
    assert.equal(await page.textContent('[data-testid=description]'), 'Two pairs of socks');
    assert.equal(await page.inputValue('[data-testid=prefix]'), '47');
    await page.fill('[data-testid=phone]', '123 45 678');
    await page.click('[data-testid=next]');
    await page.waitForSelector('[data-testid=waiting]');
    assert.equal(await page.textContent('[data-testid=sent-to]'), '+47 123 45 678');
    assert.match((await page.textContent('[data-testid=countdown]')) ?? '', /^(10:00|9:\d\d)$/);

    // The phone: a second page, logged in as that user; the request is already in its list.
    const phone = await openPage(b.browser, PHONE);
    await signIn(phone.page, t.server.url, ADA);
    await phone.page.click(`[data-testid=request][data-reference="${reference}"]`);
    assert.equal(await phone.page.textContent('[data-testid=amount]'), '499,00\u00a0kr');
    await phone.page.waitForSelector('[data-testid=consent]');
    await phone.page.click('[data-testid=pay]');
    await phone.page.waitForSelector('[data-testid=result][data-state=AUTHORIZED]');
    await phone.page.waitForSelector('[data-testid=back-to-browser]');

    // The desktop browser hears about it and goes back to the shop.
    await page.waitForURL(`${shop.url}/return**`);
    assert.equal(await page.textContent('#thanks'), 'Thank you for your order');
    const payment = await t.api.getPayment(reference);
    assert.equal(payment.body.state, 'AUTHORIZED');
    assert.equal(payment.body.userDetails.firstName, 'Ada');
    assert.match(payment.body.profile.sub, /^[0-9a-f-]{36}$/);
    await saveScreenshot(phone.page, 'landing-desktop-approved-phone');
    await saveScreenshot(page, 'landing-desktop-approved');
    await desktop.context.close();
    await phone.context.close();
  });

  it('mobile: the landing page opens the app screen at once; after Pay the phone goes back to returnUrl', async () => {
    const { reference, redirectUrl } = await createPayment(t.api, { returnUrl: shop.returnUrl('mobile-1') });
    const { page, context } = await openPage(b.browser, PHONE);
    await page.goto(redirectUrl);
    assert.equal(new URL(page.url()).pathname, '/app/payment');
    await signIn(page, t.server.url, '4798765432');
    await page.click('[data-testid=pay]');
    await page.waitForURL(`${shop.url}/return**`);
    assert.equal(await stateOf(t.api, reference), 'AUTHORIZED');
    await saveScreenshot(page, 'landing-mobile-returned');
    await context.close();
  });

  it('?mobile=1 switches a desktop browser to the app screen', async () => {
    const { redirectUrl } = await createPayment(t.api);
    const { page, context } = await openPage(b.browser);
    await page.goto(`${redirectUrl}&mobile=1`);
    assert.equal(new URL(page.url()).pathname, '/app/payment');
    await page.waitForSelector('[data-testid=sign-in]');
    await saveScreenshot(page, 'landing-mobile-switch');
    await context.close();
  });

  it('Cancel on the landing page aborts the payment and returns to the shop', async () => {
    const { reference, redirectUrl } = await createPayment(t.api, { returnUrl: shop.returnUrl('cancel-1') });
    const { page, context } = await openPage(b.browser);
    await page.goto(redirectUrl);
    await page.click('[data-testid=cancel]');
    await page.waitForSelector('[data-testid=result][data-state=ABORTED]');
    await page.waitForURL(`${shop.url}/return**`);
    assert.equal(await stateOf(t.api, reference), 'ABORTED');
    const events = await t.api.events(reference);
    assert.deepEqual(events.body.map((e: { name: string }) => e.name), ['CREATED', 'ABORTED']);
    await saveScreenshot(page, 'landing-cancel');
    await context.close();
  });

  it('with test amount 201 the landing page says the result is not known yet, and returns to the shop once it resolves', async () => {
    const { reference, redirectUrl } = await createPayment(t.api, { amount: { currency: 'NOK', value: 201 }, returnUrl: shop.returnUrl('pending-1') });
    const { page, context } = await openPage(b.browser);
    await page.goto(redirectUrl);
    await page.fill('[data-testid=phone]', '123 45 678');
    await page.click('[data-testid=next]');
    await page.waitForSelector('[data-testid=waiting]');
    assert.equal((await t.api.approve(reference)).status, 200);
    await page.waitForSelector('[data-testid=result][data-state=PENDING]');
    assert.equal(await page.textContent('[data-testid=result-title]'), 'Waiting for your bank');
    assert.equal(await page.locator('[data-testid=cancel]').count(), 0, 'nothing to cancel while the result is unknown');
    assert.equal(await stateOf(t.api, reference), 'CREATED');
    await saveScreenshot(page, 'landing-pending');
    await t.server.advanceClock(60 * 60_000);
    t.api.forgetToken(); // an hour on, the test's access token has expired
    await page.waitForURL(`${shop.url}/return**`);
    assert.equal(await stateOf(t.api, reference), 'AUTHORIZED');
    await context.close();
  });

  it('going back after entering the number cancels the payment, as on the real platform', async () => {
    const { reference, redirectUrl } = await createPayment(t.api);
    const { page, context } = await openPage(b.browser);
    await page.goto(redirectUrl);
    await page.fill('[data-testid=phone]', '12345678');
    await page.click('[data-testid=next]');
    await page.waitForSelector('[data-testid=waiting]');
    await page.goBack();
    await page.waitForSelector('[data-testid=result][data-state=ABORTED]');
    assert.equal(await stateOf(t.api, reference), 'ABORTED');
    await saveScreenshot(page, 'landing-back-cancels');
    await context.close();
  });

  it('"Remember my number" fills the number in next time; a mistyped number is explained', async () => {
    const first = await createPayment(t.api);
    const { page, context } = await openPage(b.browser);
    await page.goto(first.redirectUrl);
    await page.selectOption('[data-testid=prefix]', '45');
    await page.fill('[data-testid=phone]', '1234');
    await page.click('[data-testid=next]');
    assert.match((await page.textContent('[data-testid=error]')) ?? '', /Denmark number has 8 digits/);
    await page.fill('[data-testid=phone]', '12 34 56 78');
    await page.check('[data-testid=remember]');
    await page.click('[data-testid=next]');
    await page.waitForSelector('[data-testid=waiting]');

    const second = await createPayment(t.api);
    await page.goto(second.redirectUrl);
    assert.equal(await page.inputValue('[data-testid=prefix]'), '45');
    assert.equal(await page.inputValue('[data-testid=phone]'), '12345678');
    assert.equal(await page.isChecked('[data-testid=remember]'), true);
    await saveScreenshot(page, 'landing-remembered-number');
    await context.close();
  });
});
