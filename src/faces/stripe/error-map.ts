// The engine's reasons in Stripe's words. The face checks Stripe's own rules first (status, amounts,
// currency) with Stripe's messages, so most reasons reach a client only through a race or a rule
// only the engine knows; each still gets Stripe's shape and a fitting status and code.
import type { Reason } from '../../domain/reasons.ts';
import { DomainError } from '../../domain/reasons.ts';
import { StripeError } from './stripe-error.ts';

interface Entry {
  status: number;
  code?: string;
  type?: 'card_error' | 'invalid_request_error' | 'api_error';
}

const bad = (code?: string): Entry => ({ status: 400, ...(code ? { code } : {}) });
const state: Entry = bad('payment_intent_unexpected_state');

const STRIPE_REASONS: Record<Reason, Entry> = {
  PAYMENT_NOT_FOUND: { status: 404, code: 'resource_missing' },
  REFERENCE_EXISTS: bad('idempotency_key_in_use'),
  UNKNOWN_SALES_UNIT: { status: 500, type: 'api_error' },
  PAYMENT_BUSY: { status: 409, code: 'lock_timeout' },
  INVALID_AMOUNT: bad('parameter_invalid_integer'),
  AMOUNT_TOO_SMALL: bad('amount_too_small'),
  CURRENCY_NOT_ACCEPTED: bad('payment_intent_invalid_parameter'),
  PUSH_NOT_ALLOWED: bad(),
  LONG_LIVING_NOT_ALLOWED: bad(),
  EXPRESS_NOT_ALLOWED: bad(),
  SCOPE_NOT_ALLOWED: bad(),
  UNKNOWN_SCOPE: bad(),
  EXPIRY_TOO_SOON: bad(),
  EXPIRY_TOO_LATE: bad(),
  INVALID_PHONE_NUMBER: bad(),
  USER_NOT_FOUND: { status: 402, type: 'card_error', code: 'payment_method_customer_decline' },
  APPROVAL_DECLINED: { status: 402, type: 'card_error', code: 'card_declined' },
  APPROVAL_NOT_ALLOWED: state,
  IDENTIFICATION_REQUIRED: { status: 402, type: 'card_error', code: 'authentication_required' },
  INVALID_PAYMENT_SOURCE: { status: 402, type: 'card_error', code: 'card_declined' },
  NOT_SUPPORTED: bad(),
  ALREADY_AUTHORIZED: state,
  SHIPPING_REQUIRED: bad(),
  SHIPPING_OPTION_UNKNOWN: bad(),
  SHIPPING_UNAVAILABLE: bad(),
  CAPTURE_BEFORE_AUTHORIZATION: state,
  CAPTURE_AFTER_CANCEL: state,
  CANNOT_CAPTURE: state,
  CAPTURE_TOO_HIGH: bad('amount_too_large'),
  CAPTURE_PERIOD_EXPIRED: bad('charge_expired_for_capture'),
  ALREADY_CAPTURED: bad('charge_already_captured'),
  FUNDS_UNAVAILABLE: { status: 402, type: 'card_error', code: 'card_declined' },
  CAPTURE_FAILED: { status: 500, type: 'api_error' },
  CANCEL_AFTER_AUTHORIZATION: state,
  CANCEL_AFTER_CAPTURE: state,
  CANCEL_PERIOD_EXPIRED: state,
  CANCEL_WHILE_PROCESSING: state,
  CANNOT_CANCEL: state,
  REFUND_BEFORE_AUTHORIZATION: bad('charge_not_refundable'),
  CANNOT_REFUND: bad('charge_not_refundable'),
  REFUND_TOO_HIGH: bad('amount_too_large'),
  ALREADY_REFUNDED: bad('charge_already_refunded'),
  REFUND_PERIOD_EXPIRED: bad('charge_not_refundable'),
  REFUND_NOT_POSSIBLE: bad('charge_not_refundable'),
};

export function stripeErrorOf(error: DomainError): StripeError {
  const e = STRIPE_REASONS[error.reason];
  return new StripeError(e.status, { type: e.type ?? 'invalid_request_error', message: error.detail, ...(e.code ? { code: e.code } : {}) });
}
