// The Stripe API's conventions through stripe-node and curl-style requests against a real server:
// keys and their errors, Stripe-Version deciding parameters, parameter errors, idempotency, lists and
// auto-pagination, expand, refunds, and webhooks signed so that stripe.webhooks.constructEvent accepts them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type Stripe from 'stripe';
import { useServer } from '../../../test-support/server.ts';
import { decideTestPayment, SEED_VERSION, stripeFor, type Received } from '../../../test-support/stripe-client.ts';
import { validateStripeResponse } from '../../../test-support/stripe-validator.ts';
import { WebhookReceiver } from '../../../test-support/webhook-receiver.ts';

const seedParams = (p: Record<string, unknown>) => p as unknown as Stripe.PaymentIntentCreateParams;
const isError = (check: (e: Stripe.errors.StripeError) => boolean) => (e: Stripe.errors.StripeError) => check(e);

describe('the Stripe API through stripe-node', () => {
  const t = useServer({ webhookRetryDelaysMs: [200] });
  const seed = () => stripeFor(t.server, { apiVersion: SEED_VERSION });

  /** A Vipps payment authorized on the test page (captured at once unless manual). */
  async function paid(stripe: Stripe, amount = 2000, capture: 'automatic' | 'manual' = 'automatic') {
    const pi = await stripe.paymentIntents.create(seedParams({ amount, currency: 'nok', capture_method: capture, payment_method_types: ['vipps'], payment_method_data: { type: 'vipps' } }));
    const c = await stripe.paymentIntents.confirm(pi.id, { return_url: 'https://shop.example/done' });
    await decideTestPayment(c.next_action!.redirect_to_url!.url!, 'authorize');
    return stripe.paymentIntents.retrieve(pi.id);
  }

  /** A raw request, as curl sends it. */
  async function raw(path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
    const res = await fetch(`${t.server.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    const body = (await res.json()) as Record<string, any>;
    validateStripeResponse(body);
    return { status: res.status, headers: res.headers, body };
  }

  describe('keys', () => {
    it("the seed's curl: Basic auth with the secret key and payment_method_types[]=vipps", async () => {
      const r = await raw('/v1/payment_intents', {
        body: 'amount=1000&currency=nok&payment_method_types[]=vipps',
        headers: { authorization: `Basic ${Buffer.from(`${t.server.stripe!.secretKey}:`).toString('base64')}`, 'stripe-version': SEED_VERSION },
      });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.payment_method_types, ['vipps']);
      assert.equal(r.headers.get('stripe-version'), SEED_VERSION);
      assert.match(r.headers.get('request-id') ?? '', /^req_/);
    });

    it('no key, a wrong key and the publishable key on a secret-key call are 401s as Stripe words them', async () => {
      const none = await raw('/v1/payment_intents');
      assert.equal(none.status, 401);
      assert.match(none.body.error.message, /You did not provide an API key/);
      await assert.rejects(stripeFor(t.server, { key: 'sk_test_wrong1234' }).paymentIntents.list(), isError((e) => e.type === 'StripeAuthenticationError' && e.statusCode === 401 && e.message === 'Invalid API Key provided: sk_test_****1234'));
      await assert.rejects(stripeFor(t.server, { key: t.server.stripe!.publishableKey }).paymentIntents.create({ amount: 1000, currency: 'nok' }), isError((e) => e.statusCode === 401 && e.code === 'secret_key_required'));
    });

    it("the publishable key with the client secret reads the intent's Stripe.js subset; without it, or with another's, it is refused", async () => {
      const pi = await seed().paymentIntents.create(seedParams({ amount: 1000, currency: 'nok', payment_method_types: ['vipps'], metadata: { secret: 'merchant-only' } }));
      const pk = t.server.stripe!.publishableKey;
      const ok = await fetch(`${t.server.url}/v1/payment_intents/${pi.id}?client_secret=${encodeURIComponent(pi.client_secret!)}&key=${pk}`);
      const body = (await ok.json()) as Record<string, unknown>;
      assert.equal(ok.status, 200);
      assert.equal(body.status, 'requires_payment_method');
      assert.equal(body.metadata, undefined, 'metadata is hidden from the publishable key');
      const { validateStripeObject } = await import('../../../test-support/stripe-validator.ts');
      validateStripeObject('payment_intent.publishable', body);
      assert.equal((await raw(`/v1/payment_intents/${pi.id}?key=${pk}`)).status, 400);
      const other = await seed().paymentIntents.create(seedParams({ amount: 1000, currency: 'nok', payment_method_types: ['vipps'] }));
      assert.equal((await raw(`/v1/payment_intents/${pi.id}?key=${pk}&client_secret=${encodeURIComponent(other.client_secret!)}`)).status, 400);
    });
  });

  describe('Stripe-Version decides the parameters', () => {
    it("stripe-node's default version (endive) refuses payment_method_types and takes allowed_payment_method_types", async () => {
      const stripe = stripeFor(t.server);
      await assert.rejects(stripe.paymentIntents.create(seedParams({ amount: 1000, currency: 'nok', payment_method_types: ['vipps'] })), isError((e) => e.code === 'payment_method_types_no_longer_supported' && e.param === 'payment_method_types'));
      const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'nok', allowed_payment_method_types: ['vipps', 'card'] } as Stripe.PaymentIntentCreateParams);
      assert.deepEqual(pi.allowed_payment_method_types, ['vipps', 'card']);
      assert.deepEqual(pi.payment_method_types, ['vipps', 'card']);
    });

    it("the seed's version does not know allowed_payment_method_types", async () => {
      await assert.rejects(seed().paymentIntents.create({ amount: 1000, currency: 'nok', allowed_payment_method_types: ['vipps'] } as Stripe.PaymentIntentCreateParams), isError((e) => e.code === 'parameter_unknown' && e.param === 'allowed_payment_method_types'));
    });

    it("vipps in another currency than NOK is refused (the seed's dkk example)", async () => {
      await assert.rejects(seed().paymentIntents.create(seedParams({ amount: 1099, currency: 'dkk', capture_method: 'manual', payment_method_types: ['vipps'], payment_method_data: { type: 'vipps' } })), isError((e) => e.statusCode === 400 && e.param === 'currency' && /only supports the following currencies: nok/.test(e.message)));
    });

    it('vipps without vipps_preview=v1 is accepted with a warning; strictRequests refuses it', async () => {
      const r = await raw('/v1/payment_intents', { body: 'amount=1000&currency=nok&payment_method_types[]=vipps', headers: { authorization: `Bearer ${t.server.stripe!.secretKey}`, 'stripe-version': '2026-02-25.preview' } });
      assert.equal(r.status, 200);
      assert.match(r.headers.get('vipps-local-warning') ?? '', /vipps_preview=v1/);
    });
  });

  describe('parameters', () => {
    it('an unknown parameter is parameter_unknown naming it, nested ones with their brackets', async () => {
      await assert.rejects(seed().paymentIntents.create(seedParams({ amount: 1000, currency: 'nok', colour: 'red' })), isError((e) => e.code === 'parameter_unknown' && e.param === 'colour' && e.message === 'Received unknown parameter: colour'));
      await assert.rejects(seed().paymentIntents.create(seedParams({ amount: 1000, currency: 'nok', payment_method_types: ['vipps'], payment_method_data: { type: 'vipps', colour: 'red' } })), isError((e) => e.param === 'payment_method_data[colour]'));
    });

    it('a missing amount is parameter_missing; a non-integer amount is refused; below kr 3.00 is amount_too_small', async () => {
      await assert.rejects(seed().paymentIntents.create(seedParams({ currency: 'nok' })), isError((e) => e.code === 'parameter_missing' && e.param === 'amount'));
      const bad = await raw('/v1/payment_intents', { body: 'amount=10.5&currency=nok', headers: { authorization: `Bearer ${t.server.stripe!.secretKey}` } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.param, 'amount');
      await assert.rejects(seed().paymentIntents.create(seedParams({ amount: 299, currency: 'nok' })), isError((e) => e.code === 'amount_too_small'));
    });

    it('indexed arrays must be sequential from 0', async () => {
      const r = await raw('/v1/payment_intents', { body: 'amount=1000&currency=nok&payment_method_types[1]=vipps', headers: { authorization: `Bearer ${t.server.stripe!.secretKey}`, 'stripe-version': SEED_VERSION } });
      assert.equal(r.status, 400);
      assert.match(r.body.error.message, /sequential starting from 0/);
    });

    it("an unknown path is Stripe's 404, readable from another origin", async () => {
      const r = await raw('/v1/customers', { headers: { authorization: `Bearer ${t.server.stripe!.secretKey}` } });
      assert.equal(r.status, 404);
      assert.match(r.body.error.message, /^Unrecognized request URL \(GET: \/v1\/customers\)/);
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
    });

    it('an unknown id is a 404 resource_missing', async () => {
      await assert.rejects(seed().paymentIntents.retrieve('pi_doesnotexist'), isError((e) => e.statusCode === 404 && e.code === 'resource_missing' && e.message === "No such payment_intent: 'pi_doesnotexist'"));
    });
  });

  describe('idempotency', () => {
    it('the same key and parameters replay the first answer with Idempotent-Replayed; other parameters are an idempotency_error', async () => {
      const received: Received[] = [];
      const stripe = stripeFor(t.server, { apiVersion: SEED_VERSION, received });
      const key = `order-${Date.now()}`;
      const first = await stripe.paymentIntents.create(seedParams({ amount: 1000, currency: 'nok', payment_method_types: ['vipps'] }), { idempotencyKey: key });
      const again = await stripe.paymentIntents.create(seedParams({ amount: 1000, currency: 'nok', payment_method_types: ['vipps'] }), { idempotencyKey: key });
      assert.equal(again.id, first.id);
      assert.equal(received.at(-1)!.headers.get('idempotent-replayed'), 'true');
      assert.equal(received.at(-1)!.headers.get('idempotency-key'), key);
      await assert.rejects(stripe.paymentIntents.create(seedParams({ amount: 2000, currency: 'nok', payment_method_types: ['vipps'] }), { idempotencyKey: key }), isError((e) => e.type === 'StripeIdempotencyError' && e.statusCode === 400 && e.message.includes(key)));
      const list = await stripe.paymentIntents.list({ limit: 100 });
      assert.equal(list.data.filter((p) => p.id === first.id).length, 1, 'one intent was made');
    });

    it('keys are per account across endpoints: the same key on another endpoint is an idempotency_error', async () => {
      const stripe = seed();
      const key = `shared-${Date.now()}`;
      await stripe.paymentIntents.create(seedParams({ amount: 1000, currency: 'nok', payment_method_types: ['vipps'] }), { idempotencyKey: key });
      await assert.rejects(stripe.paymentMethods.create({ type: 'vipps' } as never, { idempotencyKey: key }), isError((e) => e.type === 'StripeIdempotencyError'));
    });

    it('a key longer than 255 characters is refused', async () => {
      await assert.rejects(seed().paymentIntents.create(seedParams({ amount: 1000, currency: 'nok' }), { idempotencyKey: 'k'.repeat(256) }), isError((e) => e.statusCode === 400 && /255/.test(e.message)));
    });
  });

  describe('lists and expand', () => {
    it('auto-pagination walks every intent newest first; ending_before pages back', async () => {
      const stripe = seed();
      const made: string[] = [];
      for (let i = 0; i < 7; i++) made.push((await stripe.paymentIntents.create(seedParams({ amount: 1000 + i, currency: 'nok', payment_method_types: ['vipps'], metadata: { batch: 'pages' } }))).id);
      const seen: string[] = [];
      for await (const pi of stripe.paymentIntents.list({ limit: 3 })) {
        if (made.includes(pi.id)) seen.push(pi.id);
      }
      assert.deepEqual(seen, [...made].reverse());
      const page = await stripe.paymentIntents.list({ limit: 2, starting_after: made[6] });
      assert.deepEqual(page.data.map((p) => p.id), [made[5], made[4]]);
      assert.equal(page.has_more, true);
      assert.equal(page.url, '/v1/payment_intents');
      const back = await stripe.paymentIntents.list({ limit: 2, ending_before: made[2] });
      assert.deepEqual(back.data.map((p) => p.id), [made[4], made[3]]);
      await assert.rejects(stripe.paymentIntents.list({ limit: 101 }), isError((e) => e.param === 'limit'));
    });

    it('expand[] turns latest_charge and payment_method into objects, also inside lists', async () => {
      const stripe = seed();
      const pi = await paid(stripe);
      const expanded = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge', 'payment_method'] });
      assert.equal((expanded.latest_charge as Stripe.Charge).object, 'charge');
      assert.equal((expanded.payment_method as Stripe.PaymentMethod).type, 'vipps');
      const charges = await stripe.charges.list({ payment_intent: pi.id, expand: ['data.payment_intent'] });
      assert.equal(charges.data.length, 1);
      assert.equal((charges.data[0]!.payment_intent as Stripe.PaymentIntent).id, pi.id);
    });
  });

  describe('concurrency', () => {
    it('ten captures racing on one intent: one succeeds, the others are refused with 400s, and the charge is captured once', async () => {
      const stripe = seed();
      const pi = await paid(stripe, 2000, 'manual');
      const answers = await Promise.allSettled(Array.from({ length: 10 }, () => stripe.paymentIntents.capture(pi.id)));
      assert.equal(answers.filter((a) => a.status === 'fulfilled').length, 1);
      for (const a of answers) if (a.status === 'rejected') assert.equal((a.reason as Stripe.errors.StripeError).statusCode, 400);
      const charge = await stripe.charges.retrieve(pi.latest_charge as string);
      assert.equal(charge.amount_captured, 2000);
      const captured = (await stripe.events.list({ type: 'charge.captured', limit: 100 })).data.filter((e) => (e.data.object as Stripe.Charge).id === charge.id);
      assert.equal(captured.length, 1);
    });
  });

  describe('refunds', () => {
    it('full and partial refunds, several, never above what is left; each a Refund on the charge', async () => {
      const stripe = seed();
      const pi = await paid(stripe, 3000);
      const first = await stripe.refunds.create({ payment_intent: pi.id, amount: 1000, reason: 'requested_by_customer', metadata: { line: 'socks' } });
      assert.deepEqual([first.object, first.status, first.amount, first.charge, first.reason, first.metadata], ['refund', 'succeeded', 1000, pi.latest_charge, 'requested_by_customer', { line: 'socks' }]);
      await assert.rejects(stripe.refunds.create({ payment_intent: pi.id, amount: 2001 }), isError((e) => e.code === 'amount_too_large' && e.param === 'amount'));
      const rest = await stripe.refunds.create({ charge: pi.latest_charge as string });
      assert.equal(rest.amount, 2000);
      const charge = await stripe.charges.retrieve(pi.latest_charge as string);
      assert.deepEqual([charge.amount_refunded, charge.refunded], [3000, true]);
      await assert.rejects(stripe.refunds.create({ payment_intent: pi.id }), isError((e) => e.code === 'charge_already_refunded'));
      const listed = await stripe.refunds.list({ payment_intent: pi.id });
      assert.deepEqual(listed.data.map((r) => r.id), [rest.id, first.id]);
      assert.equal((await stripe.refunds.retrieve(first.id)).amount, 1000);
      const types = (await stripe.events.list({ type: 'refund.created', limit: 10 })).data.map((e) => (e.data.object as Stripe.Refund).id);
      assert.ok(types.includes(first.id) && types.includes(rest.id));
    });

    it('an uncaptured intent cannot be refunded', async () => {
      const stripe = seed();
      const pi = await paid(stripe, 2000, 'manual');
      await assert.rejects(stripe.refunds.create({ payment_intent: pi.id }), isError((e) => e.statusCode === 400 && e.code === 'payment_intent_unexpected_state'));
    });
  });

  describe('webhooks', () => {
    let receiver: WebhookReceiver;
    before(async () => {
      receiver = await WebhookReceiver.start();
    });
    after(() => receiver.close());

    it('an endpoint gets every event signed with Stripe-Signature, which stripe.webhooks.constructEvent accepts; the secret is shown once', async () => {
      const stripe = seed();
      const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url('/stripe'), enabled_events: ['payment_intent.succeeded', 'charge.succeeded'] });
      assert.match(endpoint.secret!, /^whsec_/);
      assert.equal((await stripe.webhookEndpoints.retrieve(endpoint.id)).secret, undefined);
      const pi = await paid(stripe);
      await receiver.waitFor(() => receiver.at('/stripe').filter((a) => a.body?.data?.object?.id === pi.id || a.body?.data?.object?.payment_intent === pi.id).length >= 2, 'two deliveries');
      const mine = receiver.at('/stripe').filter((a) => a.body?.data?.object?.id === pi.id || a.body?.data?.object?.payment_intent === pi.id);
      for (const a of mine) {
        const event = stripe.webhooks.constructEvent(a.raw.toString('utf8'), String(a.headers['stripe-signature']), endpoint.secret!);
        validateStripeResponse(event);
        assert.ok(['payment_intent.succeeded', 'charge.succeeded'].includes(event.type));
      }
      assert.throws(() => stripe.webhooks.constructEvent(mine[0]!.raw.toString('utf8'), String(mine[0]!.headers['stripe-signature']), 'whsec_wrong'), /No signatures found matching/);
      const event = await stripe.events.retrieve(mine[0]!.body.id);
      assert.equal(event.id, mine[0]!.body.id);
      await stripe.webhookEndpoints.del(endpoint.id);
      await assert.rejects(stripe.webhookEndpoints.retrieve(endpoint.id), isError((e) => e.statusCode === 404));
    });

    it('a failing endpoint is retried; a disabled endpoint gets nothing more', async () => {
      const stripe = seed();
      // The first attempt at /flaky fails; the retry succeeds.
      let flakyCalls = 0;
      receiver.answer = (a) => (a.path === '/flaky' && ++flakyCalls === 1 ? 500 : 200);
      const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url('/flaky'), enabled_events: ['payment_intent.created'] });
      const pi = await stripe.paymentIntents.create(seedParams({ amount: 1000, currency: 'nok', payment_method_types: ['vipps'] }));
      await receiver.waitFor(() => receiver.at('/flaky').filter((a) => a.body?.data?.object?.id === pi.id).length >= 2, 'a retry');
      const [firstTry, retry] = receiver.at('/flaky').filter((a) => a.body?.data?.object?.id === pi.id);
      assert.equal(firstTry!.body.id, retry!.body.id, 'the retry is the same event');
      await stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
      const before = receiver.at('/flaky').length;
      await stripe.paymentIntents.create(seedParams({ amount: 1000, currency: 'nok', payment_method_types: ['vipps'] }));
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(receiver.at('/flaky').length, before);
    });
  });
});

describe('strictRequests and the Stripe face', () => {
  const t = useServer({ strictRequests: true });

  it('vipps without vipps_preview=v1 in Stripe-Version is a 400', async () => {
    const stripe = stripeFor(t.server, { apiVersion: '2026-02-25.preview' });
    await assert.rejects(stripe.paymentIntents.create(seedParams({ amount: 1000, currency: 'nok', payment_method_types: ['vipps'] })), isError((e) => e.statusCode === 400 && /vipps_preview=v1/.test(e.message)));
    const withPreview = stripeFor(t.server, { apiVersion: SEED_VERSION });
    assert.equal((await withPreview.paymentIntents.create(seedParams({ amount: 1000, currency: 'nok', payment_method_types: ['vipps'] }))).status, 'requires_payment_method');
  });
});
