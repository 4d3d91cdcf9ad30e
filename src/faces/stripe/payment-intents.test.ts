// The seed's PaymentIntent lifecycle, driven by the official stripe package unmodified against a real
// server (every response validated against stripe-node's own types): create, confirm, the test
// payment page, automatic and manual capture, failures, the 5-minute and 7-day deadlines, cancel.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type Stripe from 'stripe';
import { useServer } from '../../../test-support/server.ts';
import { decideTestPayment, SEED_VERSION, stripeFor } from '../../../test-support/stripe-client.ts';

const RETURN_URL = 'https://shop.example/checkout/complete?order=123';

/** The seed's parameters (payment_method_types, payment_method_data[type]=vipps) are valid under its Stripe-Version, not in stripe-node 23's types. */
const seedParams = (p: Record<string, unknown>) => p as unknown as Stripe.PaymentIntentCreateParams;

describe('PaymentIntents with Vipps through stripe-node', () => {
  const t = useServer();
  const seed = () => stripeFor(t.server, { apiVersion: SEED_VERSION });

  async function confirmed(stripe: Stripe, params: Partial<Stripe.PaymentIntentCreateParams> = {}) {
    const pi = await stripe.paymentIntents.create(seedParams({ amount: 1099, currency: 'nok', payment_method_types: ['vipps'], payment_method_data: { type: 'vipps' }, ...params }));
    return stripe.paymentIntents.confirm(pi.id, { return_url: RETURN_URL });
  }

  const typesOf = async (stripe: Stripe, id: string) => (await stripe.events.list({ limit: 100 })).data.filter((e) => (e.data.object as { id: string }).id === id || (e.data.object as { payment_intent?: string }).payment_intent === id).map((e) => e.type).reverse();

  it('create with payment_method_data is requires_confirmation with a pm_ attached, as the seed shows', async () => {
    const stripe = seed();
    const pi = await stripe.paymentIntents.create(seedParams({ amount: 1099, currency: 'nok', payment_method_types: ['vipps'], payment_method_data: { type: 'vipps' } }));
    assert.equal(pi.status, 'requires_confirmation');
    assert.match(pi.id, /^pi_/);
    assert.match(String(pi.payment_method), /^pm_/);
    assert.equal(pi.client_secret, `${pi.client_secret!.split('_secret_')[0]}_secret_${pi.client_secret!.split('_secret_')[1]}`);
    assert.ok(pi.client_secret!.startsWith(`${pi.id}_secret_`));
    assert.deepEqual(pi.payment_method_types, ['vipps']);
    assert.equal(pi.livemode, false);
    const pm = await stripe.paymentMethods.retrieve(pi.payment_method as string);
    assert.equal(pm.type, 'vipps');
  });

  it('create without a payment method is requires_payment_method; confirm with return_url is requires_action with the test page', async () => {
    const stripe = seed();
    const pi = await stripe.paymentIntents.create(seedParams({ amount: 1000, currency: 'nok', payment_method_types: ['vipps'] }));
    assert.equal(pi.status, 'requires_payment_method');
    const c = await stripe.paymentIntents.confirm(pi.id, { return_url: RETURN_URL, payment_method_data: { type: 'vipps' } as never });
    assert.equal(c.status, 'requires_action');
    assert.equal(c.next_action?.type, 'redirect_to_url');
    assert.equal(c.next_action?.redirect_to_url?.return_url, RETURN_URL);
    assert.ok(c.next_action?.redirect_to_url?.url?.startsWith(`${t.server.url}/stripe/authorize/${t.server.stripe!.account}/pa_`));
  });

  it('authorizing on the test page succeeds with automatic capture: a captured Charge, and the return_url gets Stripe\'s parameters', async () => {
    const stripe = seed();
    const c = await confirmed(stripe);
    const back = await decideTestPayment(c.next_action!.redirect_to_url!.url!, 'authorize');
    assert.equal(back.origin + back.pathname, 'https://shop.example/checkout/complete');
    assert.equal(back.searchParams.get('order'), '123', "the return_url's own query is kept");
    assert.equal(back.searchParams.get('payment_intent'), c.id);
    assert.equal(back.searchParams.get('payment_intent_client_secret'), c.client_secret);
    assert.equal(back.searchParams.get('redirect_status'), 'succeeded');
    assert.equal(back.searchParams.get('redirect_pm_type'), 'vipps');
    const pi = await stripe.paymentIntents.retrieve(c.id, { expand: ['latest_charge'] });
    assert.equal(pi.status, 'succeeded');
    assert.equal(pi.amount_received, 1099);
    const charge = pi.latest_charge as Stripe.Charge;
    assert.equal(charge.captured, true);
    assert.equal(charge.amount_captured, 1099);
    assert.equal(charge.status, 'succeeded');
    assert.equal(charge.payment_method_details?.type, 'vipps');
    assert.deepEqual(await typesOf(stripe, c.id), ['payment_intent.created', 'payment_intent.requires_action', 'charge.succeeded', 'payment_intent.succeeded']);
  });

  it('manual capture: the authorization is requires_capture with amount_capturable; a partial capture is refused; the full capture succeeds', async () => {
    const stripe = seed();
    const c = await confirmed(stripe, { capture_method: 'manual' });
    await decideTestPayment(c.next_action!.redirect_to_url!.url!, 'authorize');
    const held = await stripe.paymentIntents.retrieve(c.id);
    assert.equal(held.status, 'requires_capture');
    assert.equal(held.amount_capturable, 1099);
    const charge = await stripe.charges.retrieve(held.latest_charge as string);
    assert.deepEqual([charge.captured, charge.paid, charge.amount_captured, charge.status], [false, true, 0, 'succeeded']);
    await assert.rejects(stripe.paymentIntents.capture(c.id, { amount_to_capture: 1000 }), (e: Stripe.errors.StripeError) => e.type === 'StripeInvalidRequestError' && e.param === 'amount_to_capture' && /only be captured in full/.test(e.message));
    const captured = await stripe.paymentIntents.capture(c.id, { amount_to_capture: 1099 });
    assert.equal(captured.status, 'succeeded');
    assert.equal(captured.amount_received, 1099);
    assert.equal(captured.amount_capturable, 0);
    assert.equal((await stripe.charges.retrieve(held.latest_charge as string)).captured, true);
    assert.deepEqual(await typesOf(stripe, c.id), [
      'payment_intent.created',
      'payment_intent.requires_action',
      'charge.succeeded',
      'payment_intent.amount_capturable_updated',
      'charge.captured',
      'payment_intent.succeeded',
    ]);
    await assert.rejects(stripe.paymentIntents.capture(c.id), (e: Stripe.errors.StripeError) => e.code === 'payment_intent_unexpected_state' && /status of succeeded/.test(e.message));
  });

  it('"Fail test payment" detaches the payment method: requires_payment_method with last_payment_error; a new confirm can still succeed', async () => {
    const stripe = seed();
    const c = await confirmed(stripe);
    const back = await decideTestPayment(c.next_action!.redirect_to_url!.url!, 'fail');
    assert.equal(back.searchParams.get('redirect_status'), 'failed');
    const failed = await stripe.paymentIntents.retrieve(c.id);
    assert.equal(failed.status, 'requires_payment_method');
    assert.equal(failed.payment_method, null);
    assert.equal(failed.next_action, null);
    assert.equal(failed.last_payment_error?.code, 'payment_intent_authentication_failure');
    assert.equal(failed.last_payment_error?.payment_method?.type, 'vipps');
    const again = await stripe.paymentIntents.confirm(c.id, { return_url: RETURN_URL, payment_method_data: { type: 'vipps' } as never });
    assert.equal(again.status, 'requires_action');
    assert.notEqual(again.next_action!.redirect_to_url!.url, c.next_action!.redirect_to_url!.url, 'a new attempt has its own page');
    await decideTestPayment(again.next_action!.redirect_to_url!.url!, 'authorize');
    assert.equal((await stripe.paymentIntents.retrieve(c.id)).status, 'succeeded');
    assert.ok((await typesOf(stripe, c.id)).includes('payment_intent.payment_failed'));
  });

  it('requires_action not completed within 5 minutes becomes requires_payment_method (test clock)', async () => {
    const stripe = seed();
    const c = await confirmed(stripe);
    await t.server.advanceClock(4 * 60_000);
    assert.equal((await stripe.paymentIntents.retrieve(c.id)).status, 'requires_action');
    await t.server.advanceClock(60_000);
    const expired = await stripe.paymentIntents.retrieve(c.id);
    assert.equal(expired.status, 'requires_payment_method');
    assert.equal(expired.last_payment_error?.code, 'payment_intent_payment_attempt_expired');
    assert.equal(expired.payment_method, null);
    const page = await fetch(c.next_action!.redirect_to_url!.url!, { redirect: 'manual' });
    assert.equal(page.status, 303, 'the expired attempt\'s page sends the shopper back to the shop');
  });

  it('an uncaptured authorization is canceled after the 7-day hold, with payment_intent.canceled and charge.expired', async () => {
    const stripe = seed();
    const c = await confirmed(stripe, { capture_method: 'manual' });
    await decideTestPayment(c.next_action!.redirect_to_url!.url!, 'authorize');
    await t.server.advanceClock(7 * 24 * 3600_000 - 60_000);
    assert.equal((await stripe.paymentIntents.retrieve(c.id)).status, 'requires_capture');
    await t.server.advanceClock(60_000);
    const canceled = await stripe.paymentIntents.retrieve(c.id);
    assert.equal(canceled.status, 'canceled');
    assert.equal(canceled.cancellation_reason, 'automatic');
    assert.equal(canceled.amount_capturable, 0);
    const types = await typesOf(stripe, c.id);
    assert.deepEqual(types.slice(-2), ['charge.expired', 'payment_intent.canceled']);
    const charge = await stripe.charges.retrieve(canceled.latest_charge as string);
    assert.equal(charge.refunded, true);
    assert.equal(charge.amount_refunded, 1099);
  });

  it('cancel works from requires_payment_method, requires_action and requires_capture, and is refused once succeeded', async () => {
    const stripe = seed();
    const fresh = await stripe.paymentIntents.create(seedParams({ amount: 500, currency: 'nok', payment_method_types: ['vipps'] }));
    const a = await stripe.paymentIntents.cancel(fresh.id, { cancellation_reason: 'abandoned' });
    assert.deepEqual([a.status, a.cancellation_reason], ['canceled', 'abandoned']);
    assert.equal(typeof a.canceled_at, 'number');

    const acting = await confirmed(stripe);
    const b = await stripe.paymentIntents.cancel(acting.id);
    assert.deepEqual([b.status, b.cancellation_reason, b.next_action], ['canceled', null, null]);
    const page = await fetch(acting.next_action!.redirect_to_url!.url!, { redirect: 'manual' });
    assert.equal(page.status, 303, 'the canceled attempt can no longer be authorized');

    const held = await confirmed(stripe, { capture_method: 'manual' });
    await decideTestPayment(held.next_action!.redirect_to_url!.url!, 'authorize');
    const c = await stripe.paymentIntents.cancel(held.id, { cancellation_reason: 'requested_by_customer' });
    assert.deepEqual([c.status, c.cancellation_reason, c.amount_capturable], ['canceled', 'requested_by_customer', 0]);
    assert.deepEqual((await typesOf(stripe, held.id)).slice(-2), ['charge.refunded', 'payment_intent.canceled']);

    const done = await confirmed(stripe);
    await decideTestPayment(done.next_action!.redirect_to_url!.url!, 'authorize');
    await assert.rejects(stripe.paymentIntents.cancel(done.id), (e: Stripe.errors.StripeError) => e.statusCode === 400 && e.code === 'payment_intent_unexpected_state');
  });

  it('a test card confirms at once; a declined test card is a 402 card_error and the intent waits for another method', async () => {
    const stripe = stripeFor(t.server);
    const ok = await stripe.paymentIntents.create({ amount: 2000, currency: 'nok', payment_method: 'pm_card_visa', confirm: true });
    assert.equal(ok.status, 'succeeded');
    const charge = await stripe.charges.retrieve(ok.latest_charge as string);
    assert.equal(charge.payment_method_details?.card?.last4, '4242');
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 2000, currency: 'nok', payment_method: 'pm_card_chargeDeclined', confirm: true }),
      (e: Stripe.errors.StripeCardError) => {
        assert.equal(e.type, 'StripeCardError');
        assert.equal(e.statusCode, 402);
        assert.equal(e.code, 'card_declined');
        assert.equal(e.decline_code, 'generic_decline');
        assert.equal(e.payment_intent?.status, 'requires_payment_method');
        return true;
      },
    );
  });

  it('update changes amount and metadata before confirmation; an empty metadata value removes the key', async () => {
    const stripe = seed();
    const pi = await stripe.paymentIntents.create(seedParams({ amount: 1000, currency: 'nok', payment_method_types: ['vipps'], metadata: { order: 'A-1', note: 'x' } }));
    const u = await stripe.paymentIntents.update(pi.id, { amount: 1500, metadata: { note: '' } });
    assert.equal(u.amount, 1500);
    assert.deepEqual(u.metadata, { order: 'A-1' });
  });

  it('payment_method_options[vipps][capture_method]=manual holds only the Vipps authorization; billing_details stay on the payment method', async () => {
    const stripe = seed();
    const pi = await stripe.paymentIntents.create(
      seedParams({ amount: 1500, currency: 'nok', payment_method_types: ['vipps'], payment_method_options: { vipps: { capture_method: 'manual' } }, payment_method_data: { type: 'vipps', billing_details: { name: 'Ada Lovelace', email: 'ada@example.com' } } }),
    );
    assert.equal(pi.capture_method, 'automatic_async');
    const c = await stripe.paymentIntents.confirm(pi.id, { return_url: RETURN_URL });
    await decideTestPayment(c.next_action!.redirect_to_url!.url!, 'authorize');
    const held = await stripe.paymentIntents.retrieve(pi.id, { expand: ['payment_method'] });
    assert.equal(held.status, 'requires_capture');
    assert.equal((held.payment_method as Stripe.PaymentMethod).billing_details.name, 'Ada Lovelace');
    assert.equal((held.payment_method as Stripe.PaymentMethod).billing_details.email, 'ada@example.com');
  });

  it('a parameter Stripe has and vipps-local does not apply is a clear 400, not ignored', async () => {
    await assert.rejects(seed().paymentIntents.list({ created: { gte: 1 } }), (e: Stripe.errors.StripeError) => e.statusCode === 400 && e.param === 'created' && /does not support/.test(e.message));
  });
});
