// How each outbox format is sent: its signature headers and its retry schedule. The worker picks the
// format by the row's `format` (faces write rows; the worker joins none of their tables).
import { GIVE_UP_AFTER_MS, platformRetryDelayMs } from './retry-schedule.ts';
import { signWebhook } from './webhook-signature.ts';

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

export const DELIVERY_FORMATS: Readonly<Record<string, DeliveryFormat>> = {
  'vipps-webhook': VIPPS_WEBHOOK,
};
