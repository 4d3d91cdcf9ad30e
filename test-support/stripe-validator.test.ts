import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  PUBLISHABLE_PAYMENT_INTENT_FIELDS,
  publishableSubsetOf,
  StripeSchemaError,
  stripeViolations,
  validateStripeObject,
  validateStripeResponse,
} from './stripe-validator.ts';

// The Stripe validator is the evidence behind the Stripe face's tests, so it must itself be able to fail.
// Fixtures are written by hand from Stripe's API reference, with every field stripe-node 23 declares.

type Json = Record<string, any>;

const address = () => ({ city: null, country: 'NO', line1: null, line2: null, postal_code: null, state: null });

/** A PaymentIntent waiting for the shopper in the Vipps app, as Stripe returns it (status requires_action). */
function paymentIntent(): Json {
  return {
    id: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: 2000,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: 'pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_YrKJUKribcBjcG8HVhfZluoGH',
    confirmation_method: 'automatic',
    created: 1680800504,
    currency: 'nok',
    customer: null,
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: { order_id: '6735' },
    next_action: {
      type: 'redirect_to_url',
      redirect_to_url: {
        return_url: 'https://shop.example/checkout/return',
        url: 'https://pm-redirects.stripe.com/authorize/acct_1M2JTkLkdIwHu7ix/pa_nonce_NbvN9PqWo0ZcoK2SdQz5CnF6zEyBv8z',
      },
    },
    on_behalf_of: null,
    payment_method: 'pm_1MtwBwLkdIwHu7ixE3Sa9R7x',
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['vipps'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_action',
    transfer_data: null,
    transfer_group: null,
  };
}

/** A succeeded Vipps charge, with the `vipps` details hash vipps-local adds (shaped like `mobilepay`). */
function charge(): Json {
  return {
    id: 'ch_3MtwBwLkdIwHu7ix1Jpa0hPr',
    object: 'charge',
    amount: 2000,
    amount_captured: 2000,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: 'txn_3MtwBwLkdIwHu7ix1tlESSrr',
    billing_details: { address: address(), email: null, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: 'VIPPS LOCAL SHOP',
    captured: true,
    created: 1680800520,
    currency: 'nok',
    customer: null,
    description: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: 'approved_by_network',
      reason: null,
      risk_level: 'normal',
      seller_message: 'Payment complete.',
      type: 'authorized',
    },
    paid: true,
    payment_intent: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
    payment_method: 'pm_1MtwBwLkdIwHu7ixE3Sa9R7x',
    payment_method_details: {
      type: 'vipps',
      vipps: { card: { brand: 'visa', country: 'NO', exp_month: 12, exp_year: 2030, last4: '4242' } },
    },
    receipt_email: null,
    receipt_number: null,
    receipt_url: 'https://pay.stripe.com/receipts/payment/CAcaFwoVYWNjdF8xTTJKVGtMa2RJd0h1N2l4KIiZsqAGMgZ',
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'succeeded',
    transfer_data: null,
    transfer_group: null,
  };
}

function succeededWithCharge(): Json {
  return { ...paymentIntent(), status: 'succeeded', next_action: null, amount_received: 2000, latest_charge: charge() };
}

function event(object: Json, type: string): Json {
  return {
    id: 'evt_3MtwBwLkdIwHu7ix0hC6Xv2U',
    object: 'event',
    api_version: '2026-03-25.dahlia',
    created: 1680800521,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

function price(): Json {
  return {
    id: 'price_1MoBy5LkdIwHu7ixZhnattbh',
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: 1679431181,
    currency: 'nok',
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: 'prod_NZKdYqrwEYx6iK',
    recurring: null,
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: 'one_time',
    unit_amount: 1000,
    unit_amount_decimal: '1000',
  };
}

function product(): Json {
  return {
    id: 'prod_NZKdYqrwEYx6iK',
    object: 'product',
    active: true,
    created: 1679431181,
    default_price: null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name: 'Waffle iron',
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: 1679431181,
    url: null,
  };
}

function lineItem(): Json {
  return {
    id: 'li_1N4BEoLkdIwHu7ixWtXug1yk',
    object: 'item',
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: 2000,
    amount_tax: 0,
    amount_total: 2000,
    currency: 'nok',
    description: 'Waffle iron',
    metadata: {},
    price: price(),
    quantity: 2,
  };
}

function checkoutSession(): Json {
  return {
    id: 'cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u',
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: 2000,
    amount_total: 2000,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: null,
    client_reference_id: null,
    client_secret: 'cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u_secret_fidwbEhqYWAnPydmcHZxd',
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: 1679600215,
    currency: 'nok',
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: null,
    customer_account: null,
    customer_creation: 'if_required',
    customer_details: null,
    customer_email: null,
    discounts: [],
    expires_at: 1679686615,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: {},
    mode: 'payment',
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: 'if_required',
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['vipps'],
    payment_status: 'unpaid',
    permissions: null,
    recovered_from: null,
    return_url: 'https://shop.example/checkout/return?session_id={CHECKOUT_SESSION_ID}',
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: null,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'embedded_page',
    url: null,
    wallet_options: null,
  };
}

function refund(): Json {
  return {
    id: 're_1Nispe2eZvKYlo2Cd31jOCgZ',
    object: 'refund',
    amount: 1000,
    balance_transaction: 'txn_1Nispe2eZvKYlo2CYezqFhEx',
    charge: 'ch_3MtwBwLkdIwHu7ix1Jpa0hPr',
    created: 1692942318,
    currency: 'nok',
    customer: null,
    customer_account: null,
    destination_details: { type: 'vipps' },
    metadata: {},
    payment_intent: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
    payment_method: 'pm_1MtwBwLkdIwHu7ixE3Sa9R7x',
    reason: 'requested_by_customer',
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
}

function vippsPaymentMethod(): Json {
  return {
    id: 'pm_1MtwBwLkdIwHu7ixE3Sa9R7x',
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: address(), email: null, name: null, phone: null, tax_id: null },
    created: 1680800504,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'vipps',
    vipps: {},
  };
}

function webhookEndpoint(): Json {
  return {
    id: 'we_1Mr5jULkdIwHu7ix1ibLTM0x',
    object: 'webhook_endpoint',
    api_version: null,
    application: null,
    created: 1680122196,
    description: null,
    enabled_events: ['payment_intent.succeeded', 'charge.refunded'],
    livemode: false,
    metadata: {},
    secret: 'whsec_wRNftLajMZNeslQOP6vEPm4iVx5NlZ6z',
    status: 'enabled',
    url: 'https://shop.example/stripe/webhooks',
  };
}

function list(data: Json[]): Json {
  return { object: 'list', url: '/v1/payment_intents', has_more: false, data };
}

/** The violations `fn` throws, asserting it throws a StripeSchemaError. */
function violationsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof StripeSchemaError, `expected StripeSchemaError, got ${String(error)}`);
    return error.violations;
  }
  assert.fail('expected a StripeSchemaError');
}

function assertViolation(violations: readonly string[], pattern: RegExp): void {
  assert.ok(violations.some((v) => pattern.test(v)), `no violation matches ${pattern}:\n  ${violations.join('\n  ')}`);
}

describe('Stripe validator: PaymentIntent', () => {
  it('accepts a requires_action PaymentIntent with next_action.redirect_to_url carrying every field stripe-node declares', () => {
    validateStripeObject('payment_intent', paymentIntent());
    assert.equal(validateStripeResponse(paymentIntent()), 'payment_intent');
  });

  it('rejects a PaymentIntent without a nullable field (canceled_at), naming the field', () => {
    const { canceled_at: _omitted, ...pi } = paymentIntent();
    const violations = violationsOf(() => validateStripeObject('payment_intent', pi));
    assert.deepEqual(violations, ["(root): must have required property 'canceled_at' [PaymentIntent]"]);
  });

  it('rejects a field stripe-node does not declare, at the top and deep inside, naming each', () => {
    const pi = paymentIntent();
    pi.vipps_reference = 'order-6735';
    pi.next_action.redirect_to_url.method = 'GET';
    const violations = violationsOf(() => validateStripeObject('payment_intent', pi));
    assertViolation(violations, /^\/vipps_reference: is not declared by stripe-node/);
    assertViolation(violations, /^\/next_action\/redirect_to_url\/method: is not declared by stripe-node/);
    assert.equal(violations.length, 2);
  });

  it('rejects wrong types: a string amount, a numeric metadata value, a null where null is not allowed', () => {
    const pi = paymentIntent();
    pi.amount = '2000';
    pi.metadata = { order_id: 6735 };
    pi.livemode = null;
    const violations = violationsOf(() => validateStripeObject('payment_intent', pi));
    assertViolation(violations, /^\/amount: must be number/);
    assertViolation(violations, /^\/metadata\/order_id: must be string/);
    assertViolation(violations, /^\/livemode: must be boolean/);
  });

  it('keeps status closed (a misspelt status fails) while open enums such as cancellation_reason take new values', () => {
    assertViolation(violationsOf(() => validateStripeObject('payment_intent', { ...paymentIntent(), status: 'requires_capturing' })), /^\/status: must be one of "canceled"/);
    validateStripeObject('payment_intent', { ...paymentIntent(), status: 'canceled', next_action: null, canceled_at: 1680800600, cancellation_reason: 'some_future_reason' });
  });

  it('accepts an expanded latest_charge (a Charge) as well as its id', () => {
    validateStripeObject('payment_intent', succeededWithCharge());
    validateStripeObject('payment_intent', { ...succeededWithCharge(), latest_charge: 'ch_3MtwBwLkdIwHu7ix1Jpa0hPr' });
  });

  it('validates an expanded latest_charge as a Charge and reports only the Charge errors', () => {
    const pi = succeededWithCharge();
    delete pi.latest_charge.amount_captured;
    pi.latest_charge.paid = 'yes';
    pi.latest_charge.payment_method_details.vipps.card.last4 = 4242;
    const violations = violationsOf(() => validateStripeObject('payment_intent', pi));
    assert.deepEqual([...violations].sort(), [
      '/latest_charge/paid: must be boolean [Charge]',
      '/latest_charge/payment_method_details/vipps/card/last4: must be string,null [Charge.PaymentMethodDetails.Vipps.Card]',
      "/latest_charge: must have required property 'amount_captured' [Charge]",
    ]);
  });

  it('rejects a latest_charge of the wrong JSON type', () => {
    assertViolation(violationsOf(() => validateStripeObject('payment_intent', { ...paymentIntent(), latest_charge: 42 })), /^\/latest_charge: must be string,object,null/);
  });

  it('requires an expanded out-of-scope object (customer) to carry at least its id and object', () => {
    validateStripeObject('payment_intent', { ...paymentIntent(), customer: { id: 'cus_NffrFeUfNV2Hib', object: 'customer', email: 'a@example.com' } });
    assertViolation(violationsOf(() => validateStripeObject('payment_intent', { ...paymentIntent(), customer: { id: 'cus_NffrFeUfNV2Hib', object: 'account' } })), /^\/customer\/object: must be "customer"/);
  });
});

describe('Stripe validator: publishable-key PaymentIntent', () => {
  it('lists exactly the fields @stripe/stripe-js declares', () => {
    assert.deepEqual([...PUBLISHABLE_PAYMENT_INTENT_FIELDS].sort(), [
      'amount', 'canceled_at', 'cancellation_reason', 'capture_method', 'client_secret', 'confirmation_method', 'created', 'currency',
      'description', 'id', 'last_payment_error', 'livemode', 'next_action', 'object', 'payment_method', 'payment_method_types',
      'receipt_email', 'setup_future_usage', 'shipping', 'status',
    ]);
  });

  it('accepts the publishable subset of a PaymentIntent and rejects the full object, naming the secret-only fields', () => {
    validateStripeObject('payment_intent.publishable', publishableSubsetOf(paymentIntent()));
    const violations = violationsOf(() => validateStripeObject('payment_intent.publishable', paymentIntent()));
    assertViolation(violations, /^\/amount_capturable: is not declared/);
    assertViolation(violations, /^\/metadata: is not declared/);
  });

  it('requires every publishable field, nullable ones included', () => {
    const { client_secret: _omitted, ...subset } = publishableSubsetOf(paymentIntent());
    assert.deepEqual(stripeViolations('payment_intent.publishable', subset), ["(root): must have required property 'client_secret' [PaymentIntent.Publishable]"]);
  });
});

describe('Stripe validator: events and lists', () => {
  it('accepts an Event wrapping a PaymentIntent and validates the wrapped object by its own schema', () => {
    validateStripeObject('event', event(paymentIntent(), 'payment_intent.requires_action'));
    const inner = paymentIntent();
    delete inner.client_secret;
    inner.amount = 'many';
    const violations = violationsOf(() => validateStripeResponse(event(inner, 'payment_intent.requires_action')));
    assertViolation(violations, /^\/data\/object: must have required property 'client_secret' \[PaymentIntent\]/);
    assertViolation(violations, /^\/data\/object\/amount: must be number/);
  });

  it('rejects an Event whose type does not belong to its data.object, and previous_attributes naming unknown fields', () => {
    assertViolation(violationsOf(() => validateStripeObject('event', event(paymentIntent(), 'charge.succeeded'))), /^\/type: must be one of "payment_intent\.amount_capturable_updated"/);
    const updated = event(paymentIntent(), 'payment_intent.requires_action');
    updated.data.previous_attributes = { status: 'requires_confirmation', vipps_state: 'CREATED' };
    assertViolation(violationsOf(() => validateStripeObject('event', updated)), /^\/data\/previous_attributes: property name must be valid/);
  });

  it('rejects an Event wrapping an object this file has no schema for', () => {
    assertViolation(violationsOf(() => validateStripeObject('event', event({ id: 'cus_1', object: 'customer' }, 'customer.created'))), /^\/data\/object\/object: must be one of/);
  });

  it('validates every item of a list by its own object, naming the index', () => {
    validateStripeResponse(list([paymentIntent(), succeededWithCharge(), charge(), refund()]));
    const bad = paymentIntent();
    bad.status = 'CREATED';
    const violations = violationsOf(() => validateStripeResponse(list([paymentIntent(), bad])));
    assert.deepEqual(violations, ['/data/1/status: must be one of "canceled", "processing", "requires_action", "requires_capture", "requires_confirmation", "requires_payment_method", "succeeded" [PaymentIntent.Status]']);
  });

  it('rejects a list envelope without has_more or with an invented total_count', () => {
    const { has_more: _omitted, ...noHasMore } = list([]);
    assertViolation(violationsOf(() => validateStripeObject('list', noHasMore)), /must have required property 'has_more'/);
    assertViolation(violationsOf(() => validateStripeObject('list', { ...list([]), total_count: 0 })), /^\/total_count: is not declared/);
  });
});

describe('Stripe validator: error bodies', () => {
  const declined = () => ({
    error: {
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
      doc_url: 'https://docs.stripe.com/error-codes/card-declined',
      request_log_url: 'https://dashboard.stripe.com/test/logs/req_xyz',
      charge: 'ch_3MtwBwLkdIwHu7ix1Jpa0hPr',
      payment_intent: { ...paymentIntent(), status: 'requires_payment_method', next_action: null },
    },
  });

  it('accepts a card_error body with an expanded payment_intent, and a minimal invalid_request_error', () => {
    assert.equal(validateStripeResponse(declined()), 'error');
    validateStripeObject('error', { error: { type: 'invalid_request_error', message: 'No such payment_intent: pi_123', param: 'intent', code: 'resource_missing' } });
  });

  it('rejects an error without type, with an unknown type, with an invented field, or with a field beside error', () => {
    assertViolation(violationsOf(() => validateStripeObject('error', { error: { message: 'Nope' } })), /^\/error: must have required property 'type'/);
    assertViolation(violationsOf(() => validateStripeObject('error', { error: { type: 'vipps_error' } })), /^\/error\/type: must be one of "card_error"/);
    assertViolation(violationsOf(() => validateStripeObject('error', { error: { type: 'api_error', status: 500 } })), /^\/error\/status: is not declared/);
    assertViolation(violationsOf(() => validateStripeObject('error', { ...declined(), status: 402 })), /^\/status: is not declared/);
  });

  it('validates the PaymentIntent inside an error body', () => {
    const body = declined();
    (body.error.payment_intent as Json).status = 'declined';
    assertViolation(violationsOf(() => validateStripeResponse(body)), /^\/error\/payment_intent\/status: must be one of/);
  });
});

describe('Stripe validator: Checkout Session, Price, Product, line items', () => {
  it("accepts ui_mode 'embedded_page' and the older 'embedded' (UiMode is an open enum in stripe-node 23)", () => {
    validateStripeObject('checkout.session', checkoutSession());
    validateStripeObject('checkout.session', { ...checkoutSession(), ui_mode: 'embedded' });
  });

  it("rejects 'embedded' only when asked for the values stripe-node lists", () => {
    validateStripeObject('checkout.session', checkoutSession(), { knownEnumValuesOnly: true });
    assertViolation(
      violationsOf(() => validateStripeObject('checkout.session', { ...checkoutSession(), ui_mode: 'embedded' }, { knownEnumValuesOnly: true })),
      /^\/ui_mode: is not a value stripe-node lists \("elements", "embedded_page", "form", "hosted_page"\)/,
    );
  });

  it('keeps Checkout Session status and payment_status closed', () => {
    const violations = violationsOf(() => validateStripeObject('checkout.session', { ...checkoutSession(), status: 'paid', payment_status: 'complete' }));
    assertViolation(violations, /^\/status: must be one of "complete", "expired", "open"/);
    assertViolation(violations, /^\/payment_status: must be one of "no_payment_required", "paid", "unpaid"/);
  });

  it('requires unit_amount_decimal to be a decimal string: a number or a non-decimal string fails', () => {
    validateStripeObject('price', price());
    validateStripeObject('price', { ...price(), unit_amount_decimal: '1000.125' });
    assertViolation(violationsOf(() => validateStripeObject('price', { ...price(), unit_amount_decimal: 1000 })), /^\/unit_amount_decimal: must be string,null/);
    assertViolation(violationsOf(() => validateStripeObject('price', { ...price(), unit_amount_decimal: '10,00' })), /^\/unit_amount_decimal: must match pattern/);
  });

  it('validates an expanded price inside a line item, and an expanded product inside a price', () => {
    validateStripeObject('item', lineItem());
    validateStripeObject('price', { ...price(), product: product() });
    const item = lineItem();
    item.price.unit_amount_decimal = 1000;
    assertViolation(violationsOf(() => validateStripeResponse(item)), /^\/price\/unit_amount_decimal: must be string,null/);
  });

  it('accepts a product, and a deleted product only in its deleted shape', () => {
    validateStripeResponse(product());
    assert.equal(validateStripeResponse({ id: 'prod_NZKdYqrwEYx6iK', object: 'product', deleted: true }), 'product.deleted');
    assertViolation(violationsOf(() => validateStripeObject('product', { ...product(), deleted: false })), /^\/deleted: is not declared/);
  });
});

describe('Stripe validator: Vipps corrections and the other objects', () => {
  it("accepts a PaymentMethod of type 'vipps' with an empty vipps hash, and nothing inside that hash", () => {
    validateStripeResponse(vippsPaymentMethod());
    validateStripeObject('payment_method', vippsPaymentMethod(), { knownEnumValuesOnly: true });
    assertViolation(violationsOf(() => validateStripeObject('payment_method', { ...vippsPaymentMethod(), vipps: { phone_number: '4791234567' } })), /^\/vipps\/phone_number: is not declared/);
  });

  it('accepts a Vipps charge whose details card is null, and rejects an invented field in the vipps details', () => {
    const c = charge();
    c.payment_method_details.vipps.card = null;
    validateStripeResponse(c);
    c.payment_method_details.vipps.psp_reference = '123';
    assertViolation(violationsOf(() => validateStripeResponse(c)), /^\/payment_method_details\/vipps\/psp_reference: is not declared/);
  });

  it('accepts a refund and a webhook endpoint (with and without its secret), and a deleted webhook endpoint', () => {
    validateStripeResponse(refund());
    validateStripeResponse(webhookEndpoint());
    const { secret: _secret, ...listed } = webhookEndpoint();
    validateStripeResponse(listed);
    assert.equal(validateStripeResponse({ id: 'we_1Mr5jULkdIwHu7ix1ibLTM0x', object: 'webhook_endpoint', deleted: true }), 'webhook_endpoint.deleted');
  });

  it('refuses a body with no schema: an unknown object, or neither object nor error', () => {
    assertViolation(violationsOf(() => validateStripeResponse({ id: 'cus_1', object: 'customer' })), /no schema for object 'customer'/);
    assertViolation(violationsOf(() => validateStripeResponse({ id: 'pi_1' })), /neither a string 'object' nor an 'error'/);
  });

  it('puts every violation in the thrown message, one line each with its path', () => {
    const pi = paymentIntent();
    delete pi.currency;
    pi.created = 'yesterday';
    assert.throws(
      () => validateStripeObject('payment_intent', pi),
      (error: Error) => /2 violations/.test(error.message) && /\/created: must be number/.test(error.message) && /required property 'currency'/.test(error.message),
    );
  });
});

describe('Stripe schemas file', () => {
  it('is what the generator makes from the installed stripe-node and @stripe/stripe-js', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate-stripe-schemas.ts', '--check'], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr + run.stdout);
  });
});
