// The URLs vipps-local hands out for a payment. The pages behind them are served by this server.
import type { Payment } from '../domain/payment.ts';

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
export function redirectUrlOf(baseUrl: string, p: Payment): string | undefined {
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
