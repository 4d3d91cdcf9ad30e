// Stripe's webhook signature (STRIPE-NOTES §4): `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
// keyed with the whole secret, `whsec_` included; stripe-node's constructEvent checks exactly this.
import { createHmac } from 'node:crypto';

export function signStripeWebhook(payload: string, secret: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${payload}`, 'utf8').digest('hex');
  return `t=${t},v1=${v1}`;
}
