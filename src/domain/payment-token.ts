// The token in a payment's shopper URLs (landing page, app, QR). It names the payment it opens
// (so that no index is needed to find it) and carries 256 random bits (so that knowing one
// payment's token does not help to guess another's). Always compared in full with the stored one.
import { timingSafeEqual } from 'node:crypto';

export function makePaymentToken(msn: string, reference: string, random: string): string {
  return `${Buffer.from(`${msn}:${reference}`, 'utf8').toString('base64url')}.${random}`;
}

/** The payment a token claims to open, or null if it is not shaped like a token. */
export function parsePaymentToken(token: string): { msn: string; reference: string } | null {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 300) return null;
  const [msn, reference, extra] = Buffer.from(token.slice(0, dot), 'base64url').toString('utf8').split(':');
  if (!msn || !reference || extra !== undefined) return null;
  return { msn, reference };
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
