// Checkout Sessions driven by the official stripe-node 23, unmodified: the seed's hosted and
// embedded creates under its Stripe-Version, the same under stripe-node's default (endive) version,
// the version rules, retrieve / list / expire / line_items, expiry on the platform clock, and
// checkout.session.completed once the shopper pays on the hosted page.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Stripe from 'stripe';
import { useServer } from '../../../test-support/server.ts';
import { validateStripeResponse } from '../../../test-support/stripe-validator.ts';

/** The seed's header (STRIPE-NOTES V5): payment_method_types and ui_mode=embedded are valid under it. */
const SEED_VERSION = '2026-02-25.preview; vipps_preview=v1';
const SEED = { apiVersion: SEED_VERSION };

/** Every field stripe-node 23 declares on Checkout.Session without `?` (resources/Checkout/Sessions.d.ts). */
const SESSION_FIELDS = [
  'id', 'object', 'adaptive_pricing', 'after_expiration', 'allow_promotion_codes', 'allowed_payment_method_types', 'amount_subtotal', 'amount_total',
  'automatic_tax', 'billing_address_collection', 'cancel_url', 'client_reference_id', 'client_secret', 'collected_information', 'consent',
  'consent_collection', 'created', 'currency', 'currency_conversion', 'custom_fields', 'custom_text', 'customer', 'customer_account',
  'customer_creation', 'customer_details', 'customer_email', 'discounts', 'expires_at', 'integration_identifier', 'invoice', 'invoice_creation',
  'livemode', 'locale', 'managed_payments', 'metadata', 'mode', 'origin_context', 'payment_intent', 'payment_link', 'payment_method_collection',
  'payment_method_configuration_details', 'payment_method_options', 'payment_method_types', 'payment_status', 'permissions', 'recovered_from',
  'saved_payment_method_options', 'setup_intent', 'shipping_address_collection', 'shipping_cost', 'shipping_options', 'status', 'submit_type',
  'subscription', 'success_url', 'total_details', 'ui_mode', 'url', 'wallet_options',
];

/** The seed's T-shirt: `line_items[0][price_data][currency]=nok … [unit_amount]=2000`, quantity 1. */
const TSHIRT = [{ price_data: { currency: 'nok', product_data: { name: 'T-shirt' }, unit_amount: 2000 }, quantity: 1 }];

describe('Checkout Sessions through stripe-node', { timeout: 60_000 }, () => {
  const t = useServer();
  const client = (key?: string) => new Stripe(key ?? t.server.stripe!.secretKey, { host: '127.0.0.1', port: t.server.port, protocol: 'http', maxNetworkRetries: 0 });

  async function refused(p: Promise<unknown>): Promise<{ statusCode: number; code?: string; param?: string; message: string }> {
    const err = await p.then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e as { statusCode: number; code?: string; param?: string; message: string },
    );
    return err;
  }

  /** What the shopper does on the hosted page with a test card: load it, send the form (no browser). */
  async function payByCard(url: string, number = '4242424242424242') {
    const page = await fetch(url);
    const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    assert.ok(csrf, 'the hosted page carries a CSRF token');
    return fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ csrf, method: 'card', number, exp: '12 / 34', cvc: '123' }),
    });
  }

  it("the seed's hosted create: an open session with every declared field, its url on vipps-local, no PaymentIntent yet", async () => {
    const stripe = client();
    const s = await stripe.checkout.sessions.create(
      { line_items: TSHIRT, mode: 'payment', payment_method_types: ['card', 'vipps'], success_url: 'https://example.com/success' } as unknown as Stripe.Checkout.SessionCreateParams,
      SEED,
    );
    assert.deepEqual(SESSION_FIELDS.filter((f) => !(f in s)), [], 'no declared field is missing');
    assert.match(s.id, /^cs_test_[A-Za-z0-9]{20,}$/);
    assert.equal(s.object, 'checkout.session');
    assert.equal(s.url, `${t.server.url}/stripe/checkout/pay/${s.id}`);
    assert.equal(s.status, 'open');
    assert.equal(s.payment_status, 'unpaid');
    assert.equal(s.payment_intent, null);
    assert.equal(s.amount_subtotal, 2000);
    assert.equal(s.amount_total, 2000);
    assert.equal(s.currency, 'nok');
    assert.deepEqual(s.payment_method_types, ['card', 'vipps']);
    assert.equal(s.allowed_payment_method_types, null);
    assert.equal(s.ui_mode, 'hosted', "echoed in the seed version's vocabulary");
    assert.equal(s.client_secret, null);
    assert.equal(s.success_url, 'https://example.com/success');
    assert.equal(s.expires_at - s.created, 24 * 3600, 'expires in 24 hours by default');
    assert.equal(s.lastResponse.apiVersion, SEED_VERSION);
  });

  it("the seed's embedded create (ui_mode=embedded): a client secret, a return_url, no url", async () => {
    const s = await client().checkout.sessions.create(
      { line_items: TSHIRT, mode: 'payment', payment_method_types: ['card', 'vipps'], return_url: 'https://example.com/return', ui_mode: 'embedded' } as unknown as Stripe.Checkout.SessionCreateParams,
      SEED,
    );
    assert.equal(s.ui_mode, 'embedded');
    assert.match(s.client_secret!, new RegExp(`^${s.id}_secret_[A-Za-z0-9]+$`));
    assert.equal(s.url, null);
    assert.equal(s.return_url, 'https://example.com/return');
    assert.equal(s.redirect_on_completion, 'always');
    assert.equal(s.success_url, null);
  });

  it("under stripe-node's default endive version: allowed_payment_method_types and ui_mode=embedded_page", async () => {
    const s = await client().checkout.sessions.create({
      line_items: TSHIRT,
      mode: 'payment',
      allowed_payment_method_types: ['card', 'vipps'],
      ui_mode: 'embedded_page',
      return_url: 'https://example.com/return?session_id={CHECKOUT_SESSION_ID}',
    } as Stripe.Checkout.SessionCreateParams);
    assert.equal(s.lastResponse.apiVersion, '2026-10-28.endive');
    assert.equal(s.ui_mode, 'embedded_page');
    assert.deepEqual(s.allowed_payment_method_types, ['card', 'vipps']);
    assert.deepEqual(s.payment_method_types, ['card', 'vipps']);
    assert.ok(s.client_secret);
    const hosted = await client().checkout.sessions.create({ line_items: TSHIRT, mode: 'payment', success_url: 'https://example.com/ok' });
    assert.equal(hosted.ui_mode, 'hosted_page', 'the default ui_mode in the new vocabulary');
    assert.deepEqual(hosted.payment_method_types, ['card', 'vipps'], 'none given: card and vipps for NOK');
  });

  it('refuses what the version does not allow: payment_method_types under endive, old ui_mode values under endive and new ones before dahlia', async () => {
    const stripe = client();
    const removed = await refused(stripe.checkout.sessions.create({ line_items: TSHIRT, mode: 'payment', payment_method_types: ['vipps'], success_url: 'https://example.com/ok' } as unknown as Stripe.Checkout.SessionCreateParams));
    assert.equal(removed.statusCode, 400);
    assert.equal(removed.code, 'payment_method_types_no_longer_supported');
    const oldMode = await refused(stripe.checkout.sessions.create({ line_items: TSHIRT, mode: 'payment', ui_mode: 'embedded', return_url: 'https://example.com/r' } as unknown as Stripe.Checkout.SessionCreateParams));
    assert.equal(oldMode.param, 'ui_mode');
    const newMode = await refused(stripe.checkout.sessions.create({ line_items: TSHIRT, mode: 'payment', ui_mode: 'embedded_page', return_url: 'https://example.com/r' } as Stripe.Checkout.SessionCreateParams, SEED));
    assert.equal(newMode.param, 'ui_mode');
    const tooEarly = await refused(stripe.checkout.sessions.create({ line_items: TSHIRT, mode: 'payment', allowed_payment_method_types: ['vipps'], success_url: 'https://example.com/ok' } as Stripe.Checkout.SessionCreateParams, SEED));
    assert.equal(tooEarly.code, 'parameter_unknown');
    assert.equal(tooEarly.param, 'allowed_payment_method_types');
  });

  it("refuses Stripe's combinations: success_url with embedded, return_url with hosted, embedded without return_url, modes other than payment, custom ui", async () => {
    const stripe = client();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ui_mode: 'embedded_page', success_url: 'https://example.com/ok', return_url: 'https://example.com/r' }, 'success_url'],
      [{ ui_mode: 'hosted_page', return_url: 'https://example.com/r' }, 'return_url'],
      [{ ui_mode: 'embedded_page' }, 'return_url'],
      [{ ui_mode: 'elements' }, 'ui_mode'],
      [{ mode: 'subscription', success_url: 'https://example.com/ok' }, 'mode'],
      [{ expires_at: Math.floor(Date.now() / 1000) + 600, success_url: 'https://example.com/ok' }, 'expires_at'],
    ];
    for (const [params, param] of cases) {
      const err = await refused(stripe.checkout.sessions.create({ line_items: TSHIRT, mode: 'payment', ...params } as Stripe.Checkout.SessionCreateParams));
      assert.equal(err.statusCode, 400, JSON.stringify(params));
      assert.equal(err.param, param, JSON.stringify(params));
    }
  });

  it('refuses vipps with a DKK price (Vipps is NOK only)', async () => {
    const err = await refused(
      client().checkout.sessions.create(
        {
          line_items: [{ price_data: { currency: 'dkk', product_data: { name: 'T-shirt' }, unit_amount: 2000 }, quantity: 1 }],
          mode: 'payment',
          payment_method_types: ['card', 'vipps'],
          success_url: 'https://example.com/success',
        } as unknown as Stripe.Checkout.SessionCreateParams,
        SEED,
      ),
    );
    assert.equal(err.statusCode, 400);
    assert.equal(err.param, 'payment_method_types');
    assert.match(err.message, /vipps only supports the following currencies: nok/);
  });

  it('retrieves (also with the publishable key and the client secret), lists newest first, lists line items with a decimal string, expands line_items', async () => {
    const stripe = client();
    const a = await stripe.checkout.sessions.create({ line_items: TSHIRT, mode: 'payment', success_url: 'https://example.com/ok', metadata: { order: 'a' }, client_reference_id: 'order-a' });
    const b = await stripe.checkout.sessions.create({
      line_items: [
        { price_data: { currency: 'nok', product_data: { name: 'Socks', description: 'Wool' }, unit_amount: 9900 }, quantity: 2 },
        { price_data: { currency: 'nok', product_data: { name: 'Cap' }, unit_amount: 14900 }, quantity: 1 },
      ],
      mode: 'payment',
      ui_mode: 'embedded_page',
      return_url: 'https://example.com/r',
    });
    const got = await stripe.checkout.sessions.retrieve(a.id);
    assert.deepEqual(got.metadata, { order: 'a' });
    assert.equal(got.client_reference_id, 'order-a');

    const withPk = await client(t.server.stripe!.publishableKey).checkout.sessions.retrieve(b.id, { client_secret: b.client_secret } as Stripe.Checkout.SessionRetrieveParams);
    assert.equal(withPk.id, b.id);
    const wrong = await refused(client(t.server.stripe!.publishableKey).checkout.sessions.retrieve(b.id, { client_secret: `${b.id}_secret_nope` } as Stripe.Checkout.SessionRetrieveParams));
    assert.equal(wrong.param, 'client_secret');
    const noSecret = await refused(client(t.server.stripe!.publishableKey).checkout.sessions.list());
    assert.equal(noSecret.statusCode, 401, 'listing needs the secret key');

    const list = await stripe.checkout.sessions.list({ limit: 2 });
    assert.deepEqual(list.data.map((s) => s.id), [b.id, a.id]);

    const items = await stripe.checkout.sessions.listLineItems(b.id);
    assert.equal(b.amount_total, 2 * 9900 + 14900);
    assert.deepEqual(items.data.map((li) => [li.description, li.quantity, li.amount_total]), [['Socks', 2, 19800], ['Cap', 1, 14900]]);
    const price = items.data[0]!.price!;
    assert.match(items.data[0]!.id, /^li_/);
    assert.match(price.id, /^price_/);
    assert.match(price.product as string, /^prod_/);
    assert.equal(price.unit_amount, 9900);
    assert.equal(String(price.unit_amount_decimal), '9900');
    const wire = await fetch(`${t.server.url}/v1/checkout/sessions/${b.id}/line_items`, { headers: { authorization: `Bearer ${t.server.stripe!.secretKey}` } }).then((r) => r.json());
    assert.equal(wire.data[0].price.unit_amount_decimal, '9900', 'a decimal string on the wire');
    const page = await stripe.checkout.sessions.listLineItems(b.id, { limit: 1, starting_after: items.data[0]!.id });
    assert.deepEqual(page.data.map((li) => li.description), ['Cap']);
    assert.equal(page.has_more, false);

    const expanded = await stripe.checkout.sessions.retrieve(b.id, { expand: ['line_items'] });
    assert.equal(expanded.line_items?.data.length, 2);
    assert.equal(got.line_items, undefined, 'line_items only when expanded');
  });

  it('expires an open session (url gone, checkout.session.expired), and refuses to expire it again', async () => {
    const stripe = client();
    const s = await stripe.checkout.sessions.create({ line_items: TSHIRT, mode: 'payment', success_url: 'https://example.com/ok' });
    const expired = await stripe.checkout.sessions.expire(s.id);
    assert.equal(expired.status, 'expired');
    assert.equal(expired.url, null);
    const again = await refused(stripe.checkout.sessions.expire(s.id));
    assert.equal(again.statusCode, 400);
    const events = await stripe.events.list({ type: 'checkout.session.expired' });
    const event = events.data.find((e) => (e.data.object as { id: string }).id === s.id);
    assert.ok(event, 'checkout.session.expired listed');
    assert.equal((event.data.object as Stripe.Checkout.Session).status, 'expired');
    assert.ok(event.request?.id, 'caused by the expire request');
    const page = await fetch(s.url!);
    assert.match(await page.text(), /has expired/);
  });

  it('paying on the hosted page completes the session: success_url with the id, payment_intent set, paid, checkout.session.completed', async () => {
    const stripe = client();
    const s = await stripe.checkout.sessions.create(
      { line_items: TSHIRT, mode: 'payment', payment_method_types: ['card', 'vipps'], success_url: 'https://example.com/success?session_id={CHECKOUT_SESSION_ID}', payment_intent_data: { description: 'Order 17', metadata: { order: '17' } } } as unknown as Stripe.Checkout.SessionCreateParams,
      SEED,
    );
    const res = await payByCard(s.url!);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `https://example.com/success?session_id=${s.id}`);
    const done = await stripe.checkout.sessions.retrieve(s.id, { expand: ['payment_intent'] });
    assert.equal(done.status, 'complete');
    assert.equal(done.payment_status, 'paid');
    assert.equal(done.url, null);
    const pi = done.payment_intent as Stripe.PaymentIntent;
    assert.equal(pi.status, 'succeeded');
    assert.equal(pi.amount, 2000);
    assert.equal(pi.description, 'Order 17');
    assert.deepEqual(pi.metadata, { order: '17' });
    const events = await stripe.events.list({ type: 'checkout.session.completed' });
    const event = events.data.find((e) => (e.data.object as { id: string }).id === s.id);
    assert.ok(event, 'checkout.session.completed listed');
    const object = event.data.object as Stripe.Checkout.Session;
    assert.equal(object.status, 'complete');
    assert.equal(object.payment_status, 'paid');
    assert.equal(object.payment_intent, pi.id);
    const byIntent = await stripe.checkout.sessions.list({ payment_intent: pi.id });
    assert.deepEqual(byIntent.data.map((x) => x.id), [s.id]);
  });

  it('manual capture: the session completes unpaid with its PaymentIntent in requires_capture; a declined card leaves it open', async () => {
    const stripe = client();
    const s = await stripe.checkout.sessions.create(
      { line_items: TSHIRT, mode: 'payment', payment_intent_data: { capture_method: 'manual' }, payment_method_types: ['card', 'vipps'], success_url: 'https://example.com/success.html' } as unknown as Stripe.Checkout.SessionCreateParams,
      SEED,
    );
    const declined = await payByCard(s.url!, '4000000000000002');
    assert.equal(declined.status, 402);
    assert.match(await declined.text(), /Your card was declined\./);
    const open = await stripe.checkout.sessions.retrieve(s.id);
    assert.equal(open.status, 'open');
    assert.ok(open.payment_intent, 'the PaymentIntent exists from the first attempt');
    const res = await payByCard(s.url!);
    assert.equal(res.headers.get('location'), 'https://example.com/success.html');
    const done = await stripe.checkout.sessions.retrieve(s.id);
    assert.equal(done.status, 'complete');
    assert.equal(done.payment_status, 'unpaid');
    assert.equal(done.payment_intent, open.payment_intent);
    const pi = await stripe.paymentIntents.retrieve(done.payment_intent as string);
    assert.equal(pi.status, 'requires_capture');
  });

  it("every answer on the wire matches stripe-node's types: sessions (hosted, embedded, complete with expanded line_items, expired), lists, line items, Checkout events", async () => {
    const key = t.server.stripe!.secretKey;
    async function wire(method: string, path: string, body?: string, version = SEED_VERSION) {
      const res = await fetch(`${t.server.url}/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'stripe-version': version, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(body ? { body } : {}),
      });
      const json = await res.json();
      assert.equal(res.status, 200, JSON.stringify(json));
      return json;
    }
    const seedBody = 'line_items[0][price_data][currency]=nok&line_items[0][price_data][product_data][name]=T-shirt&line_items[0][price_data][unit_amount]=2000&line_items[0][quantity]=1&mode=payment&payment_method_types[0]=card&payment_method_types[1]=vipps';
    const hosted = await wire('POST', '/checkout/sessions', `${seedBody}&success_url=${encodeURIComponent('https://example.com/success')}`);
    assert.equal(validateStripeResponse(hosted), 'checkout.session');
    const embedded = await wire('POST', '/checkout/sessions', `${seedBody}&return_url=${encodeURIComponent('https://example.com/return')}&ui_mode=embedded`);
    assert.equal(validateStripeResponse(embedded), 'checkout.session');
    assert.equal((await payByCard(hosted.url)).status, 303);
    const complete = await wire('GET', `/checkout/sessions/${hosted.id}?expand[0]=line_items`);
    assert.equal(complete.line_items.data[0].object, 'item');
    assert.equal(validateStripeResponse(complete), 'checkout.session');
    // The PaymentIntent's own shape is the PaymentIntent tests' business (its payment_method_options.vipps
    // comes from the private-preview SDK, which stripe-node 23's schema does not declare).
    const withIntent = await wire('GET', `/checkout/sessions/${hosted.id}?expand[0]=payment_intent`);
    assert.equal(withIntent.payment_intent.object, 'payment_intent');
    assert.equal(withIntent.payment_intent.id, complete.payment_intent);
    assert.equal(validateStripeResponse(await wire('GET', `/checkout/sessions/${hosted.id}/line_items`)), 'list');
    assert.equal(validateStripeResponse(await wire('POST', `/checkout/sessions/${embedded.id}/expire`)), 'checkout.session');
    assert.equal(validateStripeResponse(await wire('GET', '/checkout/sessions?limit=3&expand[0]=data.line_items', undefined, '2026-10-28.endive')), 'list');
    const events = await wire('GET', '/events?limit=20');
    const types = new Set(events.data.map((e: { type: string }) => e.type));
    assert.ok(types.has('checkout.session.completed') && types.has('checkout.session.expired'), [...types].join(', '));
    // Each Checkout event on its own (the validator's list schema does not take events as items).
    for (const event of events.data.filter((e: { type: string }) => e.type.startsWith('checkout.session.'))) assert.equal(validateStripeResponse(event), 'event');
  });

  it('an open session past expires_at on the platform clock is expired when read and listed (checkout.session.expired, automatic)', async () => {
    const stripe = client();
    const s = await stripe.checkout.sessions.create({ line_items: TSHIRT, mode: 'payment', success_url: 'https://example.com/ok', expires_at: Math.floor(Date.now() / 1000) + 3600 });
    const before = await stripe.checkout.sessions.retrieve(s.id);
    assert.equal(before.status, 'open');
    await t.server.advanceClock(3600_000 + 1000);
    const listed = await stripe.checkout.sessions.list({ status: 'expired' });
    assert.ok(listed.data.some((x) => x.id === s.id), 'listed as expired');
    const after = await stripe.checkout.sessions.retrieve(s.id);
    assert.equal(after.status, 'expired');
    assert.equal(after.url, null);
    const events = await stripe.events.list({ type: 'checkout.session.expired' });
    const event = events.data.find((e) => (e.data.object as { id: string }).id === s.id);
    assert.ok(event);
    assert.equal(event.request?.id, null, 'an automatic event');
  });
});
