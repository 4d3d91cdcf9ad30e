// Charges: one per authorization attempt that reached the card rails (STRIPE-NOTES §1.3). Vipps is a
// card wallet: its details mirror MobilePay's, the card Vipps paid with (inference, see decisions).
import type { Payment } from '../../domain/payment.ts';
import { cardById, TEST_CARDS } from '../../domain/test-cards.ts';
import { emptyBillingDetails, newId, unixSeconds, type ChargeObject, type PaymentIntentObject, type PaymentMethodObject } from './objects.ts';

export interface NewCharge {
  pi: PaymentIntentObject;
  amount: number;
  captured: boolean;
  now: number;
  paymentMethod: PaymentMethodObject | null;
  details: Record<string, unknown>;
}

export function newCharge(c: NewCharge): ChargeObject {
  return {
    id: newId('ch'),
    object: 'charge',
    amount: c.amount,
    amount_captured: c.captured ? c.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: c.captured ? newId('txn') : null,
    billing_details: c.paymentMethod?.billing_details ?? emptyBillingDetails(),
    calculated_statement_descriptor: 'VIPPS-LOCAL',
    captured: c.captured,
    created: unixSeconds(c.now),
    currency: c.pi.currency,
    customer: null,
    description: c.pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: c.pi.metadata,
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
    payment_intent: c.pi.id,
    payment_method: c.paymentMethod?.id ?? null,
    payment_method_details: c.details,
    receipt_email: c.pi.receipt_email,
    receipt_number: null,
    receipt_url: null,
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

/** The card of a Vipps payment: the test card its user paid with in the app (by BIN), else the default. */
function vippsCard(payment: Payment) {
  const card = TEST_CARDS.find((c) => c.bin === payment.cardBin) ?? cardById('visa-1111')!;
  return { brand: card.brand.toLowerCase(), country: 'NO', exp_month: 12, exp_year: 2034, last4: card.last4 };
}

export function paymentMethodDetailsOf(pm: PaymentMethodObject | null, payment: Payment): Record<string, unknown> {
  if (pm?.type === 'card' && pm.card) {
    const c = pm.card;
    return {
      type: 'card',
      card: {
        amount_authorized: payment.amount,
        authorization_code: '123456',
        brand: c.brand,
        checks: c.checks,
        country: c.country,
        exp_month: c.exp_month,
        exp_year: c.exp_year,
        extended_authorization: { status: 'disabled' },
        fingerprint: c.fingerprint,
        funding: c.funding,
        incremental_authorization: { status: 'unavailable' },
        installments: null,
        last4: c.last4,
        mandate: null,
        multicapture: { status: 'unavailable' },
        network: c.brand,
        network_token: { used: false },
        network_transaction_id: '000000000000000',
        overcapture: { maximum_amount_capturable: payment.amount, status: 'unavailable' },
        regulated_status: 'unregulated',
        three_d_secure: null,
        transaction_link_id: null,
        wallet: null,
        electronic_commerce_indicator: null,
      },
    };
  }
  return { type: 'vipps', vipps: { card: payment.state === 'AUTHORIZED' ? vippsCard(payment) : null } };
}
