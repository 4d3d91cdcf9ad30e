// Stripe's objects as stripe-node 23 declares them (node_modules/stripe/cjs/resources/*.d.ts):
// every declared field present, nullable ones as null, ids prefixed, times in unix seconds.
// Validated in tests against schemas generated from those declarations (test-support/stripe-validator.ts).
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `pi_3Nx…`: a prefix and 24 random characters, as Stripe's ids look. */
export function newId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i]! % ALPHABET.length];
  return `${prefix}_${out}`;
}

export const unixSeconds = (ms: number) => Math.floor(ms / 1000);

export type Metadata = Record<string, string>;

export interface PaymentIntentObject {
  id: string;
  object: 'payment_intent';
  allowed_payment_method_types: string[] | null;
  amount: number;
  amount_capturable: number;
  amount_details: { tip: Record<string, never> };
  amount_received: number;
  application: null;
  application_fee_amount: null;
  automatic_payment_methods: { allow_redirects?: string; enabled: boolean } | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  capture_method: 'automatic' | 'automatic_async' | 'manual';
  client_secret: string;
  confirmation_method: 'automatic' | 'manual';
  created: number;
  currency: string;
  customer: null;
  customer_account: null;
  description: string | null;
  excluded_payment_method_types: null;
  last_payment_error: LastPaymentError | null;
  latest_charge: string | null;
  livemode: false;
  managed_payments: null;
  metadata: Metadata;
  next_action: { type: 'redirect_to_url'; redirect_to_url: { return_url: string | null; url: string | null } } | null;
  on_behalf_of: null;
  payment_method: string | null;
  payment_method_configuration_details: null;
  payment_method_options: Record<string, unknown> | null;
  payment_method_types: string[];
  payment_record: null;
  processing: null;
  receipt_email: string | null;
  review: null;
  setup_future_usage: null;
  shipping: null;
  source: null;
  statement_descriptor: string | null;
  statement_descriptor_suffix: string | null;
  status: 'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'processing' | 'requires_capture' | 'canceled' | 'succeeded';
  transfer_data: null;
  transfer_group: null;
}

export interface LastPaymentError {
  type: 'card_error' | 'invalid_request_error';
  code: string;
  decline_code?: string;
  message: string;
  doc_url: string;
  payment_method?: PaymentMethodObject;
  payment_method_type?: string;
}

export interface PaymentMethodObject {
  id: string;
  object: 'payment_method';
  allow_redisplay: 'unspecified';
  billing_details: BillingDetails;
  created: number;
  customer: null;
  customer_account: null;
  livemode: false;
  metadata: Metadata;
  type: string;
  vipps?: Record<string, never>;
  card?: CardDetails;
}

export interface BillingDetails {
  address: { city: string | null; country: string | null; line1: string | null; line2: string | null; postal_code: string | null; state: string | null };
  email: string | null;
  name: string | null;
  phone: string | null;
  tax_id: null;
}

export interface CardDetails {
  brand: string;
  checks: { address_line1_check: null; address_postal_code_check: null; cvc_check: 'pass' | null };
  country: string;
  display_brand: string;
  exp_month: number;
  exp_year: number;
  fingerprint: string;
  funding: 'credit' | 'debit';
  generated_from: null;
  last4: string;
  networks: { available: string[]; preferred: null };
  regulated_status: 'unregulated';
  three_d_secure_usage: { supported: boolean };
  wallet: null;
}

export const emptyBillingDetails = (): BillingDetails => ({
  address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
  email: null,
  name: null,
  phone: null,
  tax_id: null,
});

/** `billing_details` as given (name, email, phone, address[…]), the rest null. */
export function billingDetailsOf(given: Record<string, unknown> | undefined): BillingDetails {
  const out = emptyBillingDetails();
  if (!given) return out;
  for (const k of ['email', 'name', 'phone'] as const) if (typeof given[k] === 'string') out[k] = given[k] as string;
  const address = given.address as Record<string, unknown> | undefined;
  if (address) for (const k of Object.keys(out.address) as Array<keyof BillingDetails['address']>) if (typeof address[k] === 'string') out.address[k] = address[k] as string;
  return out;
}

export function paymentMethodObject(id: string, type: string, created: number, metadata: Metadata, card?: CardDetails, billing?: BillingDetails): PaymentMethodObject {
  const pm: PaymentMethodObject = {
    id,
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: billing ?? emptyBillingDetails(),
    created,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata,
    type,
  };
  if (type === 'vipps') pm.vipps = {};
  if (card) pm.card = card;
  return pm;
}

export interface ChargeObject {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  application: null;
  application_fee: null;
  application_fee_amount: null;
  balance_transaction: string | null;
  billing_details: BillingDetails;
  calculated_statement_descriptor: string;
  captured: boolean;
  created: number;
  currency: string;
  customer: null;
  description: string | null;
  disputed: false;
  failure_balance_transaction: null;
  failure_code: string | null;
  failure_message: string | null;
  fraud_details: Record<string, never>;
  livemode: false;
  metadata: Metadata;
  on_behalf_of: null;
  outcome: {
    advice_code: null;
    network_advice_code: null;
    network_decline_code: null;
    network_status: string;
    reason: string | null;
    risk_level: string;
    seller_message: string;
    type: string;
  };
  paid: boolean;
  payment_intent: string;
  payment_method: string | null;
  payment_method_details: Record<string, unknown>;
  receipt_email: string | null;
  receipt_number: null;
  receipt_url: null;
  refunded: boolean;
  review: null;
  shipping: null;
  source: null;
  source_transfer: null;
  statement_descriptor: null;
  statement_descriptor_suffix: null;
  status: 'succeeded' | 'pending' | 'failed';
  transfer_data: null;
  transfer_group: null;
}

export interface RefundObject {
  id: string;
  object: 'refund';
  amount: number;
  balance_transaction: string | null;
  charge: string;
  created: number;
  currency: string;
  customer: null;
  customer_account: null;
  destination_details: { type: string; [k: string]: unknown };
  metadata: Metadata;
  payment_intent: string;
  payment_method: string | null;
  reason: string | null;
  receipt_number: null;
  source_transfer_reversal: null;
  status: 'succeeded' | 'pending' | 'failed';
  transfer_reversal: null;
}

export interface EventObject {
  id: string;
  object: 'event';
  account?: string;
  api_version: string;
  context?: string;
  created: number;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface WebhookEndpointObject {
  id: string;
  object: 'webhook_endpoint';
  api_version: string | null;
  application: null;
  created: number;
  description: string | null;
  enabled_events: string[];
  livemode: false;
  metadata: Metadata;
  secret?: string;
  status: 'enabled' | 'disabled';
  url: string;
}

/** `{ object: 'list', url, has_more, data }`. */
export const listObject = (url: string, data: unknown[], hasMore: boolean) => ({ object: 'list' as const, data, has_more: hasMore, url });
