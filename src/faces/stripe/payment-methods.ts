// PaymentMethods: `vipps` (no details: the shopper chooses in the app) and `card` with Stripe's test
// numbers (STRIPE-NOTES §1.2). Created by `payment_method_data` on a PaymentIntent or by
// POST /v1/payment_methods.
import { createHash } from 'node:crypto';
import { invalidRequest, parameterMissing, StripeError } from './stripe-error.ts';
import { billingDetailsOf, newId, paymentMethodObject, unixSeconds, type CardDetails, type Metadata, type PaymentMethodObject } from './objects.ts';
import type { Decline } from './intent-model.ts';
import type { ParamSpec } from './params.ts';

export const PAYMENT_METHOD_TYPES = ['card', 'vipps'] as const;

export const CardParams: ParamSpec = { number: 'string', exp_month: 'integer', exp_year: 'integer', cvc: 'string', token: 'string' };

export const PaymentMethodData: ParamSpec = {
  type: 'string',
  billing_details: {
    object: {
      name: 'string',
      email: 'string',
      phone: 'string',
      tax_id: 'unsupported',
      address: { object: { city: 'string', country: 'string', line1: 'string', line2: 'string', postal_code: 'string', state: 'string' } },
    },
  },
  metadata: 'map',
  allow_redisplay: 'string',
  vipps: 'any',
  card: { object: CardParams },
};

interface TestCard {
  brand: string;
  funding: 'credit' | 'debit';
  decline?: Decline;
}

/** Stripe's documented test numbers (docs.stripe.com/testing): one that works, and declines by reason. */
const TEST_NUMBERS: Record<string, TestCard> = {
  '4242424242424242': { brand: 'visa', funding: 'credit' },
  '5555555555554444': { brand: 'mastercard', funding: 'credit' },
  '4000056655665556': { brand: 'visa', funding: 'debit' },
  '4000000000000002': { brand: 'visa', funding: 'credit', decline: { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' } },
  '4000000000009995': { brand: 'visa', funding: 'credit', decline: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' } },
  '4000000000000069': { brand: 'visa', funding: 'credit', decline: { code: 'expired_card', decline_code: 'expired_card', message: 'Your card has expired.' } },
  '4000000000000127': { brand: 'visa', funding: 'credit', decline: { code: 'incorrect_cvc', decline_code: 'incorrect_cvc', message: "Your card's security code is incorrect." } },
};

/** Test tokens Stripe documents (`pm_card_visa`, …): usable as a payment method id. */
const TEST_TOKENS: Record<string, string> = {
  pm_card_visa: '4242424242424242',
  pm_card_mastercard: '5555555555554444',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  tok_visa: '4242424242424242',
};

export const testNumberOfToken = (id: string): string | undefined => TEST_TOKENS[id];

export interface NewPaymentMethod {
  pm: PaymentMethodObject;
  /** Set for a test card that declines: confirming with it fails with this. */
  decline?: Decline;
}

export function newPaymentMethod(data: Record<string, unknown>, now: number, param = 'payment_method_data'): NewPaymentMethod {
  const type = data.type as string | undefined;
  if (!type) throw parameterMissing(`${param}[type]`);
  if (!(PAYMENT_METHOD_TYPES as readonly string[]).includes(type)) {
    throw invalidRequest(`Invalid ${param}[type]: vipps-local supports the payment method types ${PAYMENT_METHOD_TYPES.join(', ')}.`, { param: `${param}[type]`, code: 'parameter_invalid_empty' });
  }
  const metadata = (data.metadata as Metadata | undefined) ?? {};
  const billing = billingDetailsOf(data.billing_details as Record<string, unknown> | undefined);
  if (type === 'vipps') return { pm: paymentMethodObject(newId('pm'), 'vipps', unixSeconds(now), metadata, undefined, billing) };
  const card = data.card as Record<string, unknown> | undefined;
  if (!card) throw parameterMissing(`${param}[card]`);
  const number = String(card.number ?? '').replace(/\s+/g, '');
  if (!number) throw parameterMissing(`${param}[card][number]`);
  const test = TEST_NUMBERS[number];
  if (!test) {
    throw cardError('incorrect_number', 'Your card number is incorrect. Use a Stripe test card number such as 4242 4242 4242 4242.', `${param}[card][number]`);
  }
  const expMonth = card.exp_month as number | undefined;
  const expYear = card.exp_year as number | undefined;
  if (expMonth === undefined) throw parameterMissing(`${param}[card][exp_month]`);
  if (expYear === undefined) throw parameterMissing(`${param}[card][exp_year]`);
  if (expMonth < 1 || expMonth > 12) throw cardError('invalid_expiry_month', "Your card's expiration month is invalid.", `${param}[card][exp_month]`);
  const year = expYear < 100 ? 2000 + expYear : expYear;
  const details: CardDetails = {
    brand: test.brand,
    checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: card.cvc ? 'pass' : null },
    country: 'US',
    display_brand: test.brand,
    exp_month: expMonth,
    exp_year: year,
    fingerprint: createHash('sha256').update(number).digest('base64url').slice(0, 16),
    funding: test.funding,
    generated_from: null,
    last4: number.slice(-4),
    networks: { available: [test.brand], preferred: null },
    regulated_status: 'unregulated',
    three_d_secure_usage: { supported: true },
    wallet: null,
  };
  return { pm: paymentMethodObject(newId('pm'), 'card', unixSeconds(now), metadata, details, billing), ...(test.decline ? { decline: test.decline } : {}) };
}


function cardError(code: string, message: string, param: string): StripeError {
  return new StripeError(402, { type: 'card_error', code, message, param });
}
