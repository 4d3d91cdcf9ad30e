// Where the Stripe face's shopper pages live: the test payment page behind next_action
// (`/stripe/authorize/<account>/<attempt>`), the return from Vipps (`/stripe/return/<attempt>`), and
// hosted and embedded Checkout (`/stripe/checkout/…`).
export const STRIPE_PAGES_PREFIX = '/stripe';

export function stripePageUrl(baseUrl: string, page: string, rest: string): string {
  return `${baseUrl}${STRIPE_PAGES_PREFIX}/${page}/${rest}`;
}
