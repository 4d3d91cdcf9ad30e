// A PSP payment in a real browser: the PSP initiates through the PSP API v3, the shopper goes
// through the landing page or straight into the phone-app simulator, approves, and the PSP's
// makePaymentUrl (a real test PSP) decides: OK returns the shopper to pspRedirectUrl, FAIL shows why
// and lets the shopper try again, SOFT_DECLINE sends the shopper through the PSP's 3-D Secure page
// and back, no answer in time declines.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PHONE, useBrowser } from '../../test-support/browser.ts';
import { MERCHANT_A } from '../../test-support/merchants.ts';
import { useServer } from '../../test-support/server.ts';
import { useShop } from '../../test-support/shop.ts';
import { ADA, openPage, signIn } from '../../test-support/shopper-steps.ts';
import { initRequest, PSP_ONE, PspApi, startMakePaymentEndpoint, type MakePaymentAnswer, type MakePaymentEndpoint } from '../../test-support/test-psp.ts';

describe('a PSP payment in the browser', { timeout: 90_000 }, () => {
  const t = useServer({ merchants: [MERCHANT_A], psps: [PSP_ONE], makePaymentTimeoutMs: 1_500 });
  const shop = useShop();
  const b = useBrowser();
  let psp: MakePaymentEndpoint;
  let api: PspApi;
  before(async () => {
    psp = await startMakePaymentEndpoint();
    api = new PspApi(t.server.url, PSP_ONE);
  });
  after(() => psp.close());

  /** Initiates a payment whose makePayment answers `answers` in turn; returns its ids and vippsRedirectUrl. */
  async function initiated(name: string, answers: MakePaymentAnswer[] = ['OK']) {
    const body = initRequest(psp.url, { pspRedirectUrl: shop.returnUrl(name), amount: 24900 });
    const init = await api.initiated(body);
    psp.answers.set(init.pspTransactionId, answers);
    return init as { pspTransactionId: string; merchantOrderId: string; vippsRedirectUrl: string };
  }

  async function reserved(pspTransactionId: string): Promise<boolean> {
    const details = await api.details(pspTransactionId);
    return details.body.transactionLogHistory.some((e: { operation: string; operationSuccess: boolean }) => e.operation === 'RESERVED' && e.operationSuccess);
  }

  it('desktop: landing page → the app → Pay → the PSP answers OK → the landing page returns to pspRedirectUrl', async () => {
    const init = await initiated('psp-desktop');
    const desktop = await openPage(b.browser);
    await desktop.page.goto(init.vippsRedirectUrl);
    assert.equal(await desktop.page.textContent('[data-testid=description]'), 'One pair of Vipps socks', "the PSP's paymentText");
    await desktop.page.fill('[data-testid=phone]', '123 45 678');
    await desktop.page.click('[data-testid=next]');
    await desktop.page.waitForSelector('[data-testid=waiting]');

    const phone = await openPage(b.browser, PHONE);
    await signIn(phone.page, t.server.url, ADA);
    await phone.page.click(`[data-testid=request][data-reference="${init.merchantOrderId}"]`);
    await phone.page.click('[data-testid=pay]');
    await phone.page.waitForSelector('[data-testid=result][data-state=AUTHORIZED]');
    await desktop.page.waitForURL(`${shop.url}/return**`);
    assert.ok(await reserved(init.pspTransactionId), 'details show RESERVED');
    const [call] = psp.calls.filter((c) => c.body.pspTransactionId === init.pspTransactionId);
    assert.equal(call?.body.paymentState, 'ACCEPTED');
    assert.equal(call?.headers.authorization, 'psp-secret-token');
    await desktop.context.close();
    await phone.context.close();
  });

  it('phone: FAIL shows the PSP\'s reason on the payment screen; Pay again, and the OK returns to pspRedirectUrl', async () => {
    const init = await initiated('psp-fail', ['FAIL', 'OK']);
    const { page, context } = await openPage(b.browser, PHONE);
    await page.goto(init.vippsRedirectUrl);
    await signIn(page, t.server.url, ADA);
    await page.click('[data-testid=pay]');
    await page.waitForSelector('[data-testid=error]:has-text("Card blocked by the test PSP")');
    assert.equal(await reserved(init.pspTransactionId), false);
    await page.click('[data-testid=pay]');
    await page.waitForURL(`${shop.url}/return**`);
    assert.ok(await reserved(init.pspTransactionId));
    await context.close();
  });

  it("phone: SOFT_DECLINE sends the shopper to the PSP's 3-D Secure page; its success link comes back, makePayment is sent again, and OK completes", async () => {
    const init = await initiated('psp-3ds', ['SOFT_DECLINE', 'OK']);
    const { page, context } = await openPage(b.browser, PHONE);
    await page.goto(init.vippsRedirectUrl);
    await signIn(page, t.server.url, ADA);
    await page.click('[data-testid=pay]');
    await page.waitForSelector('[data-testid=challenge]');
    assert.equal(await page.textContent('[data-testid=result-title]'), 'Confirm with your bank');
    await page.click('[data-testid=challenge]');
    await page.waitForSelector('text=Test PSP 3-D Secure');
    await page.click('[data-testid="3dssuccess"]');
    await page.waitForSelector('[data-testid=result][data-state=AUTHORIZED]');
    assert.ok(await reserved(init.pspTransactionId));
    const calls = psp.calls.filter((c) => c.body.pspTransactionId === init.pspTransactionId);
    assert.equal(calls.length, 2, 'makePayment was sent again after 3-D Secure');
    await context.close();
  });

  it('phone: no answer from the PSP in time declines, and the shopper is told', async () => {
    const init = await initiated('psp-timeout', ['hang']);
    const { page, context } = await openPage(b.browser, PHONE);
    await page.goto(init.vippsRedirectUrl);
    await signIn(page, t.server.url, ADA);
    await page.click('[data-testid=pay]');
    await page.waitForSelector('[data-testid=error]:has-text("no usable answer in time")', { timeout: 15_000 });
    assert.equal(await reserved(init.pspTransactionId), false);
    await context.close();
  });
});
