// The token in a payment's shopper URLs (landing page, app, QR). It names the payment it opens (its
// id, so that no index is needed to find it) and carries 256 random bits (so that knowing one
// payment's token does not help to guess another's). Always compared in full with the stored one.
import { timingSafeEqual } from 'node:crypto';
import type { PaymentId } from './payment.ts';

export function makePaymentToken(id: PaymentId, random: string): string {
  return `${id}.${random}`;
}

/** The payment a token claims to open, or null if it is not shaped like a token. */
export function parsePaymentToken(token: string): { id: PaymentId } | null {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 300) return null;
  const id = token.slice(0, dot);
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return null;
  return { id };
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
