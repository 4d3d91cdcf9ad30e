// How each outbox format is sent: its signature headers and its retry schedule. The worker picks the
// format by the row's `format` (faces write rows; the worker joins none of their tables).
import { GIVE_UP_AFTER_MS, platformRetryDelayMs } from './retry-schedule.ts';
import { signWebhook } from './webhook-signature.ts';
import { signStripeWebhook } from './stripe-signature.ts';

export interface DeliveryFormat {
  /** Headers that authenticate the body to the receiver. `at` is the wall time of the attempt. */
  sign(delivery: { url: string; payload: string; secret: string }, at: Date): Record<string, string>;
  userAgent: string;
  /** The platform's delay after `failedAttempts` failures (the config may replace it for tests). */
  retryDelayMs(failedAttempts: number): number;
  /** A delivery still failing this long after its event is given up. */
  giveUpAfterMs: number;
}

/** ePayment webhooks: HMAC-SHA256 with the registration's secret, the Webhooks API's retry schedule. */
export const VIPPS_WEBHOOK: DeliveryFormat = {
  sign: (d, at) => ({ ...signWebhook(d.url, d.payload, at, d.secret) }),
  userAgent: 'vipps-local-webhooks',
  retryDelayMs: platformRetryDelayMs,
  giveUpAfterMs: GIVE_UP_AFTER_MS,
};

/**
 * Stripe webhooks: `Stripe-Signature: t=…,v1=…` (delivery/stripe-signature.ts). Stripe retries a
 * test-mode event three times over a few hours (STRIPE-NOTES §4): after 5 minutes, 30 minutes and 2 hours.
 */
export const STRIPE_WEBHOOK: DeliveryFormat = {
  sign: (d, at) => ({ 'stripe-signature': signStripeWebhook(d.payload, d.secret, at) }),
  userAgent: 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
  retryDelayMs: (failed) => [5 * 60_000, 30 * 60_000, 2 * 3600_000][Math.min(failed, 3) - 1]!,
  // The fourth attempt (2 h 35 min after the event) is the last.
  giveUpAfterMs: 2.5 * 3600_000,
};

export const DELIVERY_FORMATS: Readonly<Record<string, DeliveryFormat>> = {
  'vipps-webhook': VIPPS_WEBHOOK,
  'stripe-webhook': STRIPE_WEBHOOK,
};
