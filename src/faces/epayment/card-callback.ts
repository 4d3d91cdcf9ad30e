// ePayment card passthrough (PSPs, preview; PLATFORM-NOTES-ADDENDUM §3): when the shopper approves a
// CARD_PASSTHROUGH payment, the platform POSTs the card, as a network token, to the PSP's
// `cardCallbackUrl`, signed with the webhook HMAC scheme keyed by the PSP's client_secret, and the
// PSP's answer decides: RESERVE or CAPTURE → reserved; FAIL → declined (the shopper may try again,
// with a new authorizationAttemptId); SOFT_DECLINE with `softDeclineUrl` → the shopper authenticates
// there and comes back through `softDeclineCompletedRedirectUrl` (the app's intercept), and the
// callback is sent again with the same authorizationAttemptId, whose answer must then be RESERVE,
// CAPTURE or FAIL. HTTP errors, non-JSON or no answer within 20 s decline. ePayment's ApprovalGate.
import { createHash } from 'node:crypto';
import type { OutboundCaller } from '../../delivery/outbound-call.ts';
import { signWebhook } from '../../delivery/webhook-signature.ts';
import type { Payment } from '../../domain/payment.ts';
import { TEST_CARDS } from '../../domain/test-cards.ts';
import type { ApprovalGate, GateAnswer } from '../../engine/approval-gate.ts';
import type { Directory } from '../../engine/directory.ts';
import { networkTokenFor } from '../../domain/network-tokens.ts';
import { INTERCEPT_SUCCESS, mobileInterceptUrl } from '../links.ts';
import { epaymentTermsOf, type CardPassthrough, type CardPassthroughCardType } from './terms.ts';

export const CARD_CALLBACK_TIMEOUT_MS = 20_000;

/** What the shopper is told when the PSP gave no usable answer (the documented wording). */
export const NO_ANSWER_DETAIL = 'The payment could not be completed: check the payment status at the merchant you came from.';

const passthroughOf = (p: Payment): CardPassthrough | undefined => {
  const terms = epaymentTermsOf(p);
  return terms.paymentMethod.type === 'CARD_PASSTHROUGH' ? terms.cardPassthrough : undefined;
};

/**
 * The attempt's id: the held approval's (engine/approve-payment.ts), so the re-send after a soft
 * decline carries the same one, and a new approval after a FAIL a new one.
 */
export function authorizationAttemptId(p: Payment): string {
  return p.pendingApproval?.attemptId ?? p.id;
}

/** Where the PSP sends the shopper after its soft-decline page: the app intercepts it and the callback is sent again. */
export function softDeclineCompletedRedirectUrl(baseUrl: string, p: Payment, pspReference: string): string {
  return mobileInterceptUrl(baseUrl, p.token, pspReference, INTERCEPT_SUCCESS);
}

/** The callback's `cardType` (hyphenated, unlike the create enum) for the card chosen, or null if none is allowed. */
export function cardTypeFor(brand: 'Visa' | 'Mastercard', allowed: readonly CardPassthroughCardType[]): string | null {
  // The test cards are neither co-branded with Dankort nor marked debit or credit: debit when allowed, else credit.
  const choices: CardPassthroughCardType[] = brand === 'Visa' ? ['VISA_DEBIT', 'VISA_CREDIT'] : ['MC_DEBIT', 'MC_CREDIT'];
  const type = choices.find((c) => allowed.includes(c));
  return type === undefined ? null : type.replace('_', '-');
}

export function cardCallbackBody(p: Payment, details: CardPassthrough, cardType: string, attempt: 'first' | 'after-challenge', baseUrl: string): Record<string, unknown> {
  const bin = p.pendingApproval?.cardBin ?? p.cardBin ?? '411111';
  const card = TEST_CARDS.find((c) => c.bin === bin);
  const token = networkTokenFor(p.amount, bin);
  // A fresh cryptogram for the re-send after a soft decline, as the platform's is.
  const cryptogram = attempt === 'first' ? token.cryptogram : createHash('sha256').update(`${token.cryptogram}:${p.id}:again`).digest('base64').slice(0, 28);
  const par = `5001${createHash('sha256').update(`par:${bin}`).digest('hex').toUpperCase().slice(0, 25)}`;
  return {
    pspReference: details.pspReference,
    authorizationAttemptId: authorizationAttemptId(p),
    merchantSerialNumber: p.msn,
    amount: { currency: p.currency, value: p.amount },
    softDeclineCompletedRedirectUrl: softDeclineCompletedRedirectUrl(baseUrl, p, details.pspReference),
    cardInfo: {
      maskedCardNumber: `${bin}XXXXXX${card?.last4 ?? '0000'}`,
      cardType,
      cardIssuedInCountryCode: 'NO',
      cardDataType: 'TOKEN',
      networkToken: {
        number: token.number,
        cryptogram,
        expiryMonth: token.expiryMonth,
        expiryYear: `20${token.expiryYear}`,
        tokenType: token.tokenType,
        eci: token.eci,
        paymentAccountReference: par,
      },
    },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The gate's reading of the PSP's answer to the card callback. */
export function readCardCallbackAnswer(status: number | null, text: string, error: string | null, attempt: 'first' | 'after-challenge'): GateAnswer {
  const noAnswer = (why: string): GateAnswer => ({ outcome: 'declined', detail: `${NO_ANSWER_DETAIL} (${why})` });
  if (status === null) return noAnswer(`the payment provider gave no usable answer in time: ${error ?? 'no answer'}`);
  if (status < 200 || status > 299) return noAnswer(`the payment provider answered HTTP ${status}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return noAnswer('the payment provider answered with something that is not JSON');
  }
  const answer = isObject(json) ? json : {};
  switch (answer.status) {
    case 'RESERVE':
    case 'CAPTURE':
      return { outcome: 'approved' };
    case 'FAIL': {
      const why = [answer.errorCode, answer.errorMessage].filter((v) => v !== undefined && v !== null).map(String).join(': ');
      return { outcome: 'declined', detail: `The payment provider declined the payment${why ? ` (${why})` : ''}. Try again, or choose another card.` };
    }
    case 'SOFT_DECLINE':
      if (attempt === 'after-challenge') return noAnswer('the payment provider answered SOFT_DECLINE again; after a soft decline only RESERVE, CAPTURE or FAIL is allowed');
      if (typeof answer.softDeclineUrl !== 'string' || !/^https?:\/\//i.test(answer.softDeclineUrl)) return noAnswer('the payment provider answered SOFT_DECLINE without an http(s) softDeclineUrl');
      return { outcome: 'challenge', url: answer.softDeclineUrl };
    default:
      return noAnswer('the payment provider answered without status RESERVE, CAPTURE, FAIL or SOFT_DECLINE');
  }
}

export interface CardCallbackOptions {
  call: OutboundCaller;
  directory: Directory;
  baseUrl: () => string;
  timeoutMs?: number;
  /** The signature's x-ms-date. */
  now?: () => Date;
}

export function cardCallbackGate({ call, directory, baseUrl, timeoutMs = CARD_CALLBACK_TIMEOUT_MS, now = () => new Date() }: CardCallbackOptions): ApprovalGate {
  return {
    applies: (p) => passthroughOf(p) !== undefined,
    async ask(p, attempt) {
      const details = passthroughOf(p)!;
      const bin = p.pendingApproval?.cardBin ?? p.cardBin;
      const brand = TEST_CARDS.find((c) => c.bin === bin)?.brand ?? 'Visa';
      const cardType = cardTypeFor(brand, details.allowedCardTypes);
      if (cardType === null) return { outcome: 'declined', detail: `A ${brand} card cannot pay this payment (allowed: ${details.allowedCardTypes.join(', ')}). Choose another card.` };
      const client = directory.clientById(epaymentTermsOf(p).psp?.clientId ?? '');
      if (client?.kind !== 'psp') return { outcome: 'declined', detail: `${NO_ANSWER_DETAIL} (the PSP that created the payment is no longer configured)` };
      const body = JSON.stringify(cardCallbackBody(p, details, cardType, attempt, baseUrl()));
      // The outbound caller sends it as application/json; the signature is the webhooks' scheme.
      const headers: Record<string, string> = { ...signWebhook(details.cardCallbackUrl, body, now(), client.psp.clientSecret) };
      const result = await call({ purpose: `epayment card callback (${attempt})`, url: details.cardCallbackUrl, headers, body, timeoutMs, subject: { msn: p.msn, reference: p.reference } });
      return readCardCallbackAnswer(result.status, result.body, result.error, attempt);
    },
    // Nothing is documented for a payment that ends without approval: the PSP is sent nothing.
    async tell() {},
  };
}
