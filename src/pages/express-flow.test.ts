// Express in the phone-app simulator, in a real browser: the shopper picks an address, the shop's
// dynamic shipping callback (a real HTTP server here) answers options for it, the shopper picks one
// and pays; GetPayment and the AUTHORIZED webhook then carry shippingDetails.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PHONE, saveScreenshot, useBrowser } from '../../test-support/browser.ts';
import { useServer } from '../../test-support/server.ts';
import { ADA, createPayment, openPage, signIn } from '../../test-support/shopper-steps.ts';
import { WebhookReceiver } from '../../test-support/webhook-receiver.ts';

const TOKEN = 'f00dfeed'.repeat(8);

describe('Express in the phone-app simulator', { timeout: 60_000 }, () => {
  const t = useServer({ webhookRetryDelaysMs: [50] });
  const b = useBrowser();
  let shippingServer: WebhookReceiver;
  let hooks: WebhookReceiver;
  before(async () => {
    shippingServer = await WebhookReceiver.start();
    shippingServer.answer = (arrival) => ({
      status: 200,
      json: {
        groups: [
          { type: 'HOME_DELIVERY', brand: 'POSTNORD', isDefault: true, options: [{ id: 'door', name: `To ${arrival.body?.city ?? 'you'}, at the door`, amount: { currency: 'NOK', value: 12900 }, isDefault: true, estimatedDelivery: '1-2 days' }] },
          { type: 'PICKUP_POINT', brand: 'POSTEN', options: [{ id: 'pickup', name: 'Pick up at the post office', amount: { currency: 'NOK', value: 4900 }, meta: 'Open 08-20' }] },
        ],
      },
    });
    hooks = await WebhookReceiver.start();
    await t.api.registeredWebhook(hooks.url('/vipps'), ['epayments.payment.authorized.v1']);
  });
  after(async () => {
    await shippingServer.close();
    await hooks.close();
  });

  it('the shopper picks an address and a shipping option from the shop\'s callback, pays the total, and shippingDetails follow', async () => {
    const { reference } = await createPayment(t.api, {
      userFlow: 'PUSH_MESSAGE',
      customer: { phoneNumber: ADA },
      returnUrl: undefined,
      amount: { currency: 'NOK', value: 50000 },
      profile: { scope: 'name address email phoneNumber' },
      shipping: { dynamicOptions: { callbackUrl: shippingServer.url('/shipping'), callbackAuthorizationToken: TOKEN } },
    });
    const { page, context } = await openPage(b.browser, PHONE);
    await signIn(page, t.server.url, ADA);
    await page.click(`[data-testid=request][data-reference="${reference}"]`);
    assert.equal(await page.isDisabled('[data-testid=pay]'), true, 'nothing to pay before a delivery is chosen');

    await page.check('[data-testid=address-0] input');
    await page.click('[data-testid=show-shipping]');
    await page.waitForSelector('[data-testid=shipping-options]');
    assert.equal(shippingServer.arrivals.length, 1, 'the shop was asked once');
    assert.equal(shippingServer.arrivals[0]!.headers.authorization, TOKEN);
    assert.deepEqual(shippingServer.arrivals[0]!.body, { reference, addressLine1: 'Robert Levins gate 5', city: 'Oslo', postCode: '0154', country: 'NO' });
    assert.match((await page.textContent('[data-testid=shipping-to]')) ?? '', /Robert Levins gate 5/);
    assert.equal(await page.isChecked('[data-testid=shipping-door] input'), true, 'the default option is preselected');
    assert.match((await page.textContent('[data-testid=pay]')) ?? '', /629,00/, 'the total includes the preselected shipping');

    await page.check('[data-testid=shipping-pickup] input');
    assert.match((await page.textContent('[data-testid=pay]')) ?? '', /549,00/, 'the total follows the chosen delivery');
    await saveScreenshot(page, 'app-express-options');
    await page.click('[data-testid=pay]');
    await page.waitForSelector('[data-testid=result][data-state=AUTHORIZED]');
    await saveScreenshot(page, 'app-express-paid');

    const payment = (await t.api.getPayment(reference)).body;
    assert.equal(payment.state, 'AUTHORIZED');
    assert.deepEqual(payment.shippingDetails, {
      address: { addressLine1: 'Robert Levins gate 5', city: 'Oslo', country: 'NO', postCode: '0154' },
      shippingCost: 4900,
      shippingOptionId: 'pickup',
      shippingOptionName: 'Pick up at the post office',
    });
    assert.equal(payment.amount.value, 54900);
    await hooks.waitFor(() => hooks.arrivals.some((a) => a.body?.reference === reference), 'the AUTHORIZED webhook');
    const event = hooks.arrivals.find((a) => a.body?.reference === reference)!.body;
    assert.deepEqual(event.shippingDetails, payment.shippingDetails);
    assert.equal(event.amount.value, 54900);
    await context.close();
  });

  it('another address typed in the app is sent to the shop; a shop that cannot deliver there leaves Pay disabled', async () => {
    const { reference } = await createPayment(t.api, {
      userFlow: 'PUSH_MESSAGE',
      customer: { phoneNumber: ADA },
      returnUrl: undefined,
      profile: { scope: 'name address email phoneNumber' },
      shipping: { dynamicOptions: { callbackUrl: shippingServer.url('/shipping-refusing') } },
    });
    const before = shippingServer.answer;
    shippingServer.answer = () => 400;
    try {
      const { page, context } = await openPage(b.browser, PHONE);
      await signIn(page, t.server.url, ADA);
      await page.click(`[data-testid=request][data-reference="${reference}"]`);
      await page.check('[data-testid=address-other] input');
      await page.click('[data-testid=shipping-address] summary');
      await page.fill('[data-testid=shipping-address] input[name=addressLine1]', 'Strandgaten 1');
      await page.fill('[data-testid=shipping-address] input[name=postCode]', '5013');
      await page.fill('[data-testid=shipping-address] input[name=city]', 'Bergen');
      await page.click('[data-testid=show-shipping]');
      await page.waitForSelector('[data-testid=shipping-unavailable]');
      assert.match((await page.textContent('[data-testid=shipping-unavailable]')) ?? '', /cannot deliver/);
      assert.equal(shippingServer.arrivals.at(-1)!.body.city, 'Bergen');
      assert.equal(await page.isDisabled('[data-testid=pay]'), true);
      assert.equal((await t.api.getPayment(reference)).body.state, 'CREATED');
      await context.close();
    } finally {
      shippingServer.answer = before;
    }
  });
});
