// Express checkout over real HTTP: fixed and dynamic shipping options, the merchant's shipping
// callback (its body, its Authorization header, its failures), the amount that includes shipping,
// and shippingDetails in GetPayment and in the AUTHORIZED webhook. The shopper's side is driven by
// the operator's test helper here (the simulator's own steps are in pages/express-flow.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorCode, paymentRequest } from '../../../test-support/api-client.ts';
import { useServer } from '../../../test-support/server.ts';
import { specValidator } from '../../../test-support/spec-validator.ts';
import { operatorPost, WebhookReceiver } from '../../../test-support/webhook-receiver.ts';

const EXPRESS_SCOPE = 'name address email phoneNumber';
const ADA = '4712345678';
const WOO_TOKEN = 'a3f1c9e2'.repeat(8); // WooCommerce sends 64 hex digits

const fixedOptions = [
  { type: 'PICKUP_POINT', brand: 'POSTEN', options: [{ id: 'pickup-1', name: 'Pick up at the post office', amount: { currency: 'NOK', value: 4900 } }] },
  {
    type: 'HOME_DELIVERY',
    brand: 'BRING',
    isDefault: true,
    options: [
      { id: 'home-evening', name: 'Evening delivery', amount: { currency: 'NOK', value: 14900 }, priority: 2 },
      { id: 'home-day', name: 'Day delivery', amount: { currency: 'NOK', value: 9900 }, priority: 1, isDefault: true },
    ],
  },
];

const groupsAnswer = {
  groups: [
    { type: 'HOME_DELIVERY', brand: 'POSTNORD', options: [{ id: 'dyn-1', name: 'To your door', amount: { currency: 'NOK', value: 12900 }, isDefault: true }] },
    { type: 'MAILBOX', brand: 'POSTEN', options: [{ id: 'dyn-2', name: 'In the mailbox', amount: { currency: 'NOK', value: 3900 } }] },
  ],
};

describe('Express checkout', () => {
  const t = useServer({ expressCallbackTimeoutMs: 300, webhookRetryDelaysMs: [50] });
  let shop: WebhookReceiver;
  let hooks: WebhookReceiver;
  before(async () => {
    shop = await WebhookReceiver.start();
    hooks = await WebhookReceiver.start();
    await t.api.registeredWebhook(hooks.url('/vipps'), ['epayments.payment.authorized.v1']);
  });
  after(async () => {
    await shop.close();
    await hooks.close();
  });

  const express = async (shipping: Record<string, unknown>, amount = 100000) => {
    const res = await t.api.createPayment(paymentRequest({ amount: { currency: 'NOK', value: amount }, profile: { scope: EXPRESS_SCOPE }, shipping }));
    assert.equal(res.status, 201, res.text);
    return res.body.reference as string;
  };
  /** The request log's entries for the calls made to the shop about this payment. */
  const outboundCalls = async (reference: string) => {
    const res = await fetch(`${t.server.url}/vipps-local/v1/requests?reference=${encodeURIComponent(reference)}`);
    const { requests } = (await res.json()) as { requests: Array<Record<string, unknown>> };
    return requests.filter((r) => r.api === 'outbound');
  };
  const approveExpress = (reference: string, body: Record<string, unknown> = {}) => operatorPost(t.server.url, '/express/approve', { reference, phoneNumber: ADA, ...body });

  it('force approve of an Express payment answers 10060 Operation not supported, and changes nothing', async () => {
    const reference = await express({ fixedOptions });
    const res = await t.api.approve(reference, { customer: { phoneNumber: ADA } });
    assert.equal(res.status, 400, res.text);
    assert.equal(errorCode(res), '10060');
    assert.match(res.body.detail, /Express/);
    assert.equal((await t.api.getPayment(reference)).body.state, 'CREATED');
  });

  it('fixed options: the preselected option (the default group\'s default option) is chosen, and its cost is added to what is reserved', async () => {
    const reference = await express({ fixedOptions });
    const approved = await approveExpress(reference);
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const payment = (await t.api.getPayment(reference)).body;
    assert.equal(payment.state, 'AUTHORIZED');
    assert.deepEqual(payment.amount, { currency: 'NOK', value: 109900 }, 'the total the customer confirmed: 1000.00 + 99.00 shipping');
    assert.equal(payment.aggregate.authorizedAmount.value, 109900);
    assert.deepEqual(payment.shippingDetails, {
      address: { addressLine1: 'Robert Levins gate 5', city: 'Oslo', country: 'NO', postCode: '0154' },
      shippingCost: 9900,
      shippingOptionId: 'home-day',
      shippingOptionName: 'Day delivery',
    });
    assert.equal(payment.userDetails.firstName, 'Ada');
    const capture = await t.api.capture(reference, 109900);
    assert.equal(capture.status, 200, 'the whole total, shipping included, can be captured');
  });

  it('fixed options: the shopper may pick another option; one that was not offered is refused', async () => {
    const reference = await express({ fixedOptions });
    const unknown = await approveExpress(reference, { shippingOptionId: 'teleport' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.reason, 'SHIPPING_OPTION_UNKNOWN');
    const picked = await approveExpress(reference, { shippingOptionId: 'pickup-1' });
    assert.equal(picked.status, 200);
    assert.equal((await t.api.getPayment(reference)).body.shippingDetails.shippingCost, 4900);
  });

  it('dynamic options: the shop\'s callback gets the address (camelCase) and the token as Authorization, verbatim; its options are offered', async () => {
    shop.answer = () => ({ status: 200, json: groupsAnswer });
    const reference = await express({ dynamicOptions: { callbackUrl: shop.url('/shipping?order=1'), callbackAuthorizationToken: WOO_TOKEN } });
    const approved = await approveExpress(reference, { shippingOptionId: 'dyn-2' });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const call = shop.arrivals.at(-1)!;
    assert.equal(call.method, 'POST');
    assert.equal(call.path, '/shipping?order=1');
    assert.equal(call.headers.authorization, WOO_TOKEN, 'the token as given, no "Bearer"');
    assert.match(String(call.headers['content-type']), /^application\/json/);
    assert.deepEqual(call.body, { reference, addressLine1: 'Robert Levins gate 5', city: 'Oslo', postCode: '0154', country: 'NO' });
    const payment = (await t.api.getPayment(reference)).body;
    assert.deepEqual([payment.shippingDetails.shippingOptionId, payment.shippingDetails.shippingCost, payment.amount.value], ['dyn-2', 3900, 103900]);
    const [logged] = await outboundCalls(reference);
    assert.deepEqual(
      logged && [logged.method, logged.route, logged.status, logged.msn, logged.path],
      ['POST', 'express shipping callback', 200, t.server.credentials.msn, shop.url('/shipping')],
      'the callback is in the request log, under the payment, without its query string',
    );
  });

  it('the AUTHORIZED webhook carries shippingDetails and the total with shipping', async () => {
    const reference = await express({ fixedOptions });
    await approveExpress(reference);
    await hooks.waitFor(() => hooks.arrivals.some((x) => x.body?.reference === reference), 'the AUTHORIZED webhook');
    const event = hooks.arrivals.find((x) => x.body?.reference === reference)!.body;
    assert.equal(event.name, 'AUTHORIZED');
    assert.equal(event.amount.value, 109900);
    assert.equal(event.shippingDetails.shippingOptionId, 'home-day');
    assert.deepEqual(specValidator().checkSchema('epayment', 'WebhookEvent', event), []);
  });

  it('a shop that cannot ship to the address (400), fails (500), times out, or answers no options leaves the payment CREATED', async () => {
    for (const [answer, expected] of [
      [400, /cannot deliver/],
      [500, /answered 500/],
      ['hang', /did not answer: no answer within 300 ms/],
      [{ status: 200, json: { groups: [] } }, /no shipping option/],
      [{ status: 200, json: { groups: [{ type: 'MAILBOX', brand: 'POSTEN', options: [{ id: 'x', name: 'x', amount: { currency: 'DKK', value: 1 } }] }] } }, /currency/],
    ] as const) {
      shop.answer = () => answer;
      const reference = await express({ dynamicOptions: { callbackUrl: shop.url('/shipping') } });
      const refused = await approveExpress(reference);
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.equal(refused.body.reason, 'SHIPPING_UNAVAILABLE');
      assert.match(refused.body.message, expected);
      assert.equal((await t.api.getPayment(reference)).body.state, 'CREATED');
      const [logged] = await outboundCalls(reference);
      const status = answer === 'hang' ? 0 : typeof answer === 'number' ? answer : 200;
      assert.equal(logged?.status, status, `the request log has the callback's status (0: no answer) for ${JSON.stringify(answer)}`);
      if (answer === 'hang') assert.match(String(logged?.errorDetail), /no answer within 300 ms/);
    }
  });

  it('Express needs the four scopes, WALLET, and one kind of options', async () => {
    const noScope = await t.api.createPayment(paymentRequest({ shipping: { fixedOptions } }));
    assert.equal(errorCode(noScope), '4140');
    const both = await t.api.createPayment(paymentRequest({ profile: { scope: EXPRESS_SCOPE }, shipping: { fixedOptions, dynamicOptions: { callbackUrl: shop.url() } } }));
    assert.equal(both.status, 400);
    const wrongCurrency = await t.api.createPayment(
      paymentRequest({ profile: { scope: EXPRESS_SCOPE }, shipping: { fixedOptions: [{ type: 'MAILBOX', brand: 'POSTEN', options: [{ id: 'a', name: 'A', amount: { currency: 'EUR', value: 100 } }] }] } }),
    );
    assert.equal(errorCode(wrongCurrency), '4040');
  });
});

describe('Express checkout with the spec\'s PascalCase callback body', () => {
  const t = useServer({ expressCallbackCase: 'PascalCase' });
  let shop: WebhookReceiver;
  before(async () => {
    shop = await WebhookReceiver.start();
    shop.answer = () => ({ status: 200, json: groupsAnswer });
  });
  after(() => shop.close());

  it('the callback body is the spec\'s DynamicShippingGroupsRequest', async () => {
    const res = await t.api.createPayment(paymentRequest({ profile: { scope: EXPRESS_SCOPE }, shipping: { dynamicOptions: { callbackUrl: shop.url('/shipping') } } }));
    assert.equal(res.status, 201, res.text);
    const approved = await operatorPost(t.server.url, '/express/approve', { reference: res.body.reference, phoneNumber: ADA });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const call = shop.arrivals.at(-1)!;
    assert.deepEqual(call.body, { reference: res.body.reference, AddressLine1: 'Robert Levins gate 5', City: 'Oslo', PostCode: '0154', Country: 'NO' });
    assert.equal(call.headers.authorization, undefined, 'no token, no Authorization header');
    assert.deepEqual(specValidator().checkSchema('epayment', 'DynamicShippingGroupsRequest', call.body), []);
  });
});
