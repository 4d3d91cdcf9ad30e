// The PSP API's makePayment (Vipps → PSP): when the shopper approves a PSP payment, the platform
// POSTs the card, as a network token, to the PSP's `makePaymentUrl` with `Authorization:
// <makePaymentToken>` as given, and the PSP's answer decides (PLATFORM-NOTES §6, ADDENDUM §8):
// `OK` → reserved; `FAIL` → declined; `SOFT_DECLINE` with `url3dSecure` → the shopper authenticates
// there (3-D Secure) and comes back through one of `operations[].url`, and makePayment is sent again,
// whose answer must then be OK or FAIL. No valid answer within 15 s → declined (the documented
// "known issue"). One attempt, no retries. A payment that ends without approval is told with
// `paymentState: TIMEOUT` (its 10 minutes passed) or `USER_CANCEL`. The PSP face's ApprovalGate.
import type { OutboundCaller } from '../../delivery/outbound-call.ts';
import type { Payment } from '../../domain/payment.ts';
import type { ApprovalGate, GateAnswer, GateEnding } from '../../engine/approval-gate.ts';
import { networkTokenFor } from '../../domain/network-tokens.ts';
import { INTERCEPT_SUCCESS, mobileInterceptUrl } from '../links.ts';
import { pspAttachmentOf } from './new-psp-payment.ts';

export const MAKE_PAYMENT_TIMEOUT_MS = 15_000;


/** Amount 3100: "card not eligible" (the guide); declined before makePayment is sent. */
export const CARD_NOT_ELIGIBLE_AMOUNT = 3100;

export type ChallengeOperation = '3dssuccess' | '3dscancel' | '3dsfailure';
const RESPONSE_CODE: Record<ChallengeOperation, string> = { '3dssuccess': INTERCEPT_SUCCESS, '3dscancel': 'CANCEL', '3dsfailure': 'FAILURE' };

/** Where the PSP's 3-D Secure page sends the shopper back: the app intercepts it (pages/app-pages.ts). */
export function challengeReturnUrl(baseUrl: string, p: Payment, operation: ChallengeOperation): string {
  return mobileInterceptUrl(baseUrl, p.token, pspAttachmentOf(p)!.pspTransactionId, RESPONSE_CODE[operation]);
}

export function makePaymentBody(p: Payment, paymentState: 'ACCEPTED' | GateEnding, baseUrl: string): Record<string, unknown> {
  const psp = pspAttachmentOf(p)!;
  const body: Record<string, unknown> = { pspTransactionId: psp.pspTransactionId, merchantSerialNumber: p.msn, paymentState };
  if (paymentState !== 'ACCEPTED') return body; // no card was chosen: nothing to hand over
  const bin = p.pendingApproval?.cardBin ?? p.cardBin;
  const token = networkTokenFor(p.amount, bin);
  body.binNumber = bin ?? token.number.slice(0, 6);
  body.operations = (['3dssuccess', '3dscancel', '3dsfailure'] as const).map((operation) => ({ url: challengeReturnUrl(baseUrl, p, operation), operation }));
  body.paymentInstrument = 'TOKEN';
  body.networkToken = token;
  return body;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The gate's reading of the PSP's MakePaymentResponse. */
export function readMakePaymentAnswer(status: number | null, contentType: string | undefined, text: string, error: string | null, attempt: 'first' | 'after-challenge'): GateAnswer {
  if (status === null) return { outcome: 'declined', detail: `The payment provider gave no usable answer in time (${error ?? 'no answer'}).` };
  if (status !== 200) return { outcome: 'declined', detail: `The payment provider answered HTTP ${status}; only 200 with paymentInfo.status OK reserves the payment.` };
  if (contentType !== undefined && !/json/i.test(contentType)) return { outcome: 'declined', detail: `The payment provider answered ${contentType}; the answer must be application/json.` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { outcome: 'declined', detail: 'The payment provider answered with something that is not JSON.' };
  }
  const info = isObject(json) && isObject(json.paymentInfo) ? json.paymentInfo : undefined;
  const message = isObject(json) && isObject(json.errorMessage) ? json.errorMessage : undefined;
  const why = message ? ` (errorId ${String(message.errorId ?? '?')}: ${String(message.errorText ?? '')})` : '';
  switch (info?.status) {
    case 'OK':
      return { outcome: 'approved' };
    case 'FAIL':
      return { outcome: 'declined', detail: `The payment provider declined the payment${why}.` };
    case 'SOFT_DECLINE':
      if (attempt === 'after-challenge') return { outcome: 'declined', detail: `The payment provider answered SOFT_DECLINE again after 3-D Secure; after a challenge only OK or FAIL is allowed${why}.` };
      if (typeof info.url3dSecure !== 'string' || !/^https?:\/\//i.test(info.url3dSecure)) return { outcome: 'declined', detail: `The payment provider answered SOFT_DECLINE without an http(s) url3dSecure${why}.` };
      return { outcome: 'challenge', url: info.url3dSecure };
    default:
      return { outcome: 'declined', detail: 'The payment provider answered without paymentInfo.status OK, FAIL or SOFT_DECLINE.' };
  }
}

export function makePaymentGate(call: OutboundCaller, baseUrl: () => string, timeoutMs = MAKE_PAYMENT_TIMEOUT_MS): ApprovalGate {
  const send = (p: Payment, paymentState: 'ACCEPTED' | GateEnding) => {
    const psp = pspAttachmentOf(p)!;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (psp.makePaymentToken !== undefined) headers.authorization = psp.makePaymentToken;
    return call({ purpose: `psp makePayment ${paymentState}`, url: psp.makePaymentUrl, headers, body: JSON.stringify(makePaymentBody(p, paymentState, baseUrl())), timeoutMs, subject: { msn: p.msn, reference: p.reference } });
  };
  return {
    applies: (p) => pspAttachmentOf(p) !== undefined,
    async ask(p, attempt) {
      if (p.amount === CARD_NOT_ELIGIBLE_AMOUNT) return { outcome: 'declined', detail: `The card is not eligible for this payment provider (test amount ${CARD_NOT_ELIGIBLE_AMOUNT}).` };
      const result = await send(p, 'ACCEPTED');
      return readMakePaymentAnswer(result.status, result.contentType, result.body, result.error, attempt);
    },
    async tell(p, ending) {
      await send(p, ending);
    },
  };
}
