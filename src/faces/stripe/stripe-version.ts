// Stripe-Version, read per request (STRIPE-NOTES §0, §3.4): `<date>[.<train>][; <beta>=<v>…]`. The
// version decides which parameters and values a request may use: the seed pins
// `2026-02-25.preview; vipps_preview=v1` (payment_method_types, ui_mode=embedded), stripe-node 23
// sends `2026-10-28.endive` (allowed_payment_method_types, ui_mode=embedded_page).

/** What a request without Stripe-Version gets: the version stripe-node 23 pins (docs/decisions.md). */
export const ACCOUNT_DEFAULT_VERSION = '2026-10-28.endive';

export interface StripeVersion {
  /** As sent (or the account default), echoed in the `Stripe-Version` response header. */
  raw: string;
  /** `YYYY-MM-DD`, compared as text. */
  date: string;
  betas: Record<string, string>;
}

const DATE = /^(\d{4}-\d{2}-\d{2})(\.[a-z]+)?$/;

/** The version of a request, or a message for a header that names none. */
export function parseStripeVersion(header: string | undefined): StripeVersion | string {
  const raw = (header ?? '').trim() || ACCOUNT_DEFAULT_VERSION;
  const [first, ...rest] = raw.split(';').map((s) => s.trim());
  const m = DATE.exec(first ?? '');
  if (!m) return `Invalid Stripe API version: ${raw}. Send a version such as ${ACCOUNT_DEFAULT_VERSION}.`;
  const betas: Record<string, string> = {};
  for (const part of rest) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if (!k || !v) return `Invalid Stripe API version: ${raw}. Betas are written as name=version, e.g. vipps_preview=v1.`;
    betas[k] = v;
  }
  return { raw, date: m[1]!, betas };
}

/** Changes of the API that decide what a request may send (STRIPE-NOTES V2–V4). */
export const VERSION_CHANGES = {
  /** dahlia: `allowed_payment_method_types` exists on PaymentIntents and Checkout Sessions. */
  allowedPaymentMethodTypes: '2026-07-29',
  /** endive: `payment_method_types` can no longer be written. */
  paymentMethodTypesRemoved: '2026-09-30',
  /** dahlia: ui_mode is hosted_page | embedded_page | elements | form. */
  pageUiModes: '2026-03-25',
} as const;

export function isAtLeast(v: StripeVersion, change: keyof typeof VERSION_CHANGES): boolean {
  return v.date >= VERSION_CHANGES[change];
}

export const hasVippsPreview = (v: StripeVersion) => v.betas.vipps_preview === 'v1';
