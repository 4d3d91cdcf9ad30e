// Checkout Sessions as stripe-node 23 declares them (resources/Checkout/Sessions.d.ts, LineItems.d.ts,
// Prices.d.ts; STRIPE-NOTES §1.7, §1.8, §6): the Session object with every declared field, its line
// items with inline Prices, and what only the face keeps beside it (the line items, the
// PaymentIntent of the shopper's attempts, the version it was made under).
import type { Metadata } from './objects.ts';
import type { StoredObject } from './stripe-store.ts';

export const CHECKOUT_KIND = 'checkout.session';

/** Stripe's placeholder in success_url / return_url, replaced with the session's id on redirect. */
export const SESSION_ID_PLACEHOLDER = '{CHECKOUT_SESSION_ID}';

/** ui_mode values by version (STRIPE-NOTES V4): the old vocabulary before 2026-03-25, the new one from then. */
export const UI_MODES_OLD = ['hosted', 'embedded', 'custom'] as const;
export const UI_MODES_NEW = ['hosted_page', 'embedded_page', 'elements', 'form'] as const;

export type UiKind = 'hosted' | 'embedded';

export interface PriceObject {
  id: string;
  object: 'price';
  active: boolean;
  billing_scheme: 'per_unit';
  created: number;
  currency: string;
  custom_unit_amount: null;
  livemode: false;
  lookup_key: null;
  metadata: Metadata;
  nickname: null;
  product: string;
  recurring: null;
  tax_behavior: 'unspecified' | 'inclusive' | 'exclusive';
  tiers_mode: null;
  transform_quantity: null;
  type: 'one_time';
  unit_amount: number;
  /** A decimal string ("2000"): stripe-node 23 coerces it and throws on anything else (STRIPE-NOTES §1.8). */
  unit_amount_decimal: string;
}

export interface LineItemObject {
  id: string;
  object: 'item';
  adjustable_quantity: null;
  amount_discount: number;
  amount_subtotal: number;
  amount_tax: number;
  amount_total: number;
  currency: string;
  description: string | null;
  metadata: Metadata;
  price: PriceObject;
  quantity: number;
}

export interface CustomerDetails {
  address: null;
  business_name: null;
  email: string | null;
  individual_name: null;
  name: null;
  phone: null;
  tax_exempt: 'none';
  tax_ids: [];
}

export interface CheckoutSessionObject {
  id: string;
  object: 'checkout.session';
  adaptive_pricing: null;
  after_expiration: null;
  allow_promotion_codes: null;
  allowed_payment_method_types: string[] | null;
  amount_subtotal: number;
  amount_total: number;
  automatic_tax: { enabled: false; liability: null; provider: null; status: null };
  billing_address_collection: null;
  cancel_url: string | null;
  client_reference_id: string | null;
  client_secret: string | null;
  collected_information: null;
  consent: null;
  consent_collection: null;
  created: number;
  currency: string;
  currency_conversion: null;
  custom_fields: [];
  custom_text: { after_submit: null; shipping_address: null; submit: null; terms_of_service_acceptance: null };
  customer: null;
  customer_account: null;
  customer_creation: 'if_required';
  customer_details: CustomerDetails | null;
  customer_email: string | null;
  discounts: [];
  expires_at: number;
  integration_identifier: null;
  invoice: null;
  invoice_creation: null;
  line_items?: unknown;
  livemode: false;
  locale: string | null;
  managed_payments: null;
  metadata: Metadata;
  mode: 'payment';
  origin_context: null;
  payment_intent: string | null;
  payment_link: null;
  payment_method_collection: 'if_required';
  payment_method_configuration_details: null;
  payment_method_options: Record<string, unknown>;
  payment_method_types: string[];
  payment_status: 'paid' | 'unpaid';
  permissions: null;
  recovered_from: null;
  redirect_on_completion?: 'always' | 'if_required' | 'never';
  return_url?: string;
  saved_payment_method_options: null;
  setup_intent: null;
  shipping_address_collection: null;
  shipping_cost: null;
  shipping_options: [];
  status: 'open' | 'complete' | 'expired';
  submit_type: null;
  subscription: null;
  success_url: string | null;
  total_details: { amount_discount: number; amount_shipping: number; amount_tax: number };
  ui_mode: string;
  url: string | null;
  wallet_options: null;
}

export interface SessionInternal {
  msn: string;
  /** hosted or embedded, whatever the version called it. */
  ui: UiKind;
  /** The session's line items in the order given (listed by GET …/line_items). */
  lineItems: LineItemObject[];
  /** The PaymentIntent made by the shopper's first attempt; later attempts confirm it again. */
  paymentIntent: string | null;
  payment: { captureMethod: string | null; description: string | null; metadata: Metadata };
  /** The Stripe-Version the session was made under. */
  version: string;
}

export type StoredSession = StoredObject<CheckoutSessionObject, SessionInternal>;

/** `cs_test_…_secret_…` → `cs_test_…`. */
export function sessionIdOfSecret(secret: string): string | undefined {
  const at = secret.indexOf('_secret_');
  return at > 0 && secret.startsWith('cs_') ? secret.slice(0, at) : undefined;
}

/** A merchant URL with `{CHECKOUT_SESSION_ID}` (literal or percent-encoded) replaced by the id. */
export function withSessionId(url: string, id: string): string {
  return url.split(SESSION_ID_PLACEHOLDER).join(id).replace(/%7BCHECKOUT_SESSION_ID%7D/gi, id);
}

/** Whether an open session's time is up on the platform clock. */
export const isDue = (s: CheckoutSessionObject, now: number) => s.status === 'open' && now >= s.expires_at * 1000;
