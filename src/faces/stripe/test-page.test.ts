// The test payment page behind next_action in Chromium: "Authorize test payment" and "Fail test
// payment" return the shopper to the shop's return_url with Stripe's parameters; "Go through the
// Vipps journey instead" runs the landing page and the phone-app simulator, as live mode does.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type Stripe from 'stripe';
import { PHONE, saveScreenshot, useBrowser } from '../../../test-support/browser.ts';
import { useServer } from '../../../test-support/server.ts';
import { useShop } from '../../../test-support/shop.ts';
import { ADA, openPage, signIn } from '../../../test-support/shopper-steps.ts';
import { SEED_VERSION, stripeFor } from '../../../test-support/stripe-client.ts';

describe('the Stripe test payment page in a browser', { timeout: 90_000 }, () => {
  const t = useServer();
  const shop = useShop();
  const b = useBrowser();

  async function requiringAction(order: string, capture: 'automatic' | 'manual' = 'automatic') {
    const stripe = stripeFor(t.server, { apiVersion: SEED_VERSION });
    const pi = await stripe.paymentIntents.create({ amount: 1099, currency: 'nok', capture_method: capture, payment_method_types: ['vipps'], payment_method_data: { type: 'vipps' }, description: 'T-shirt' } as unknown as Stripe.PaymentIntentCreateParams);
    const confirmed = await stripe.paymentIntents.confirm(pi.id, { return_url: shop.returnUrl(order) });
    return { stripe, pi: confirmed, url: confirmed.next_action!.redirect_to_url!.url! };
  }

  it('"Authorize test payment" returns to the return_url with redirect_status=succeeded and the intent succeeded', async () => {
    const { stripe, pi, url } = await requiringAction('authorize');
    const { context, page } = await openPage(b.browser);
    await page.goto(url);
    assert.match((await page.textContent('[data-testid=amount]')) ?? '', /10,99/);
    const shot = await saveScreenshot(page, 'stripe-test-page-desktop');
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') copyFileSync(shot, join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots', 'stripe-test-page.png'));
    await page.click('[data-testid=authorize]');
    await page.waitForURL(`${shop.url}/return**`);
    const back = new URL(page.url());
    assert.equal(back.searchParams.get('order'), 'authorize');
    assert.equal(back.searchParams.get('payment_intent'), pi.id);
    assert.equal(back.searchParams.get('redirect_status'), 'succeeded');
    assert.equal((await stripe.paymentIntents.retrieve(pi.id)).status, 'succeeded');
    await context.close();
  });

  it('"Fail test payment" returns with redirect_status=failed and the intent requires a payment method', async () => {
    const { stripe, pi, url } = await requiringAction('fail');
    const { context, page } = await openPage(b.browser, PHONE);
    await page.goto(url);
    await page.click('[data-testid=fail]');
    await page.waitForURL(`${shop.url}/return**`);
    assert.equal(new URL(page.url()).searchParams.get('redirect_status'), 'failed');
    const after = await stripe.paymentIntents.retrieve(pi.id);
    assert.equal(after.status, 'requires_payment_method');
    assert.equal(after.last_payment_error?.code, 'payment_intent_authentication_failure');
    await context.close();
  });

  it('the Vipps journey instead: landing page, approval in the phone-app simulator, back to the shop with the authorization held', async () => {
    const { stripe, pi, url } = await requiringAction('journey', 'manual');
    const desktop = await openPage(b.browser);
    await desktop.page.goto(url);
    await desktop.page.click('[data-testid=journey]');
    await desktop.page.fill('[data-testid=phone]', '123 45 678');
    await desktop.page.click('[data-testid=next]');
    await desktop.page.waitForSelector('[data-testid=waiting]');
    const phone = await openPage(b.browser, PHONE);
    await signIn(phone.page, t.server.url, ADA);
    await phone.page.click('[data-testid=request]');
    await phone.page.click('[data-testid=pay]');
    await phone.page.waitForSelector('[data-testid=result][data-state=AUTHORIZED]');
    await desktop.page.waitForURL(`${shop.url}/return**`);
    const back = new URL(desktop.page.url());
    assert.equal(back.searchParams.get('payment_intent'), pi.id);
    assert.equal(back.searchParams.get('redirect_status'), 'succeeded');
    const held = await stripe.paymentIntents.retrieve(pi.id);
    assert.equal(held.status, 'requires_capture');
    assert.equal(held.amount_capturable, 1099);
    await desktop.context.close();
    await phone.context.close();
  });
});
