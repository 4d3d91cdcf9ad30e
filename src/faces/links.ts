// The URLs vipps-local hands out for a payment. The pages behind them are served by this server.
import type { Payment } from '../domain/payment.ts';

/** What a payment's shopper URLs are made from. */
export interface RedirectTarget {
  token: string;
  terms: Pick<Payment['terms'], 'userFlow' | 'qrFormat'>;
}

export function landingUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/landing?token=${encodeURIComponent(token)}`;
}

/** Opens the payment in the phone-app simulator (the http stand-in for the app's deep link). */
export function appUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/app/payment?token=${encodeURIComponent(token)}`;
}

export function qrImageUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/qr/v1?token=${encodeURIComponent(token)}`;
}

/** The redirectUrl of CreatePaymentResponse / GetPaymentResponse; none for PUSH_MESSAGE. */
export function redirectUrlOf(baseUrl: string, p: RedirectTarget): string | undefined {
  switch (p.terms.userFlow) {
    case 'WEB_REDIRECT':
      return landingUrl(baseUrl, p.token);
    case 'NATIVE_REDIRECT':
      return appUrl(baseUrl, p.token);
    case 'QR':
      return p.terms.qrFormat?.format === 'TEXT/TARGETURL' ? appUrl(baseUrl, p.token) : qrImageUrl(baseUrl, p.token);
    case 'PUSH_MESSAGE':
      return undefined;
  }
}

/** The app-style deep link for a payment; the simulator's "open a link" field accepts it (no OS has a handler for it). */
export const DEEP_LINK_SCHEME = 'vipps-local:';

export function deepLinkUrl(token: string): string {
  return `${DEEP_LINK_SCHEME}//payment?token=${encodeURIComponent(token)}`;
}

/** The payment token in anything a shopper might paste into the simulator: a target URL, a deep link, or the token itself. */
export function tokenFromLink(link: string): string | null {
  const text = link.trim();
  if (/^[\w-]+\.[\w-]+$/.test(text)) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const token = url.searchParams.get('token');
  if (!token) return null;
  if (url.protocol === DEEP_LINK_SCHEME) return token;
  if ((url.protocol === 'http:' || url.protocol === 'https:') && ['/app/payment', '/landing', '/qr/v1'].includes(url.pathname)) return token;
  return null;
}

/** The `responsecode` of a completed challenge (3-D Secure) in the app's intercept URL. */
export const INTERCEPT_SUCCESS = 'OK';

/**
 * Where a PSP's challenge page (3-D Secure) sends the shopper back: the phone-app simulator's
 * stand-in for the real app's `https://vipps.no/mobileintercept`, found by the payment's token.
 */
export function mobileInterceptUrl(baseUrl: string, token: string, transactionId: string, responsecode: string): string {
  return `${baseUrl}/app/mobileintercept?${new URLSearchParams({ transactionId, responsecode, token })}`;
}
