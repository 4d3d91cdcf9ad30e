// What an init becomes in the engine: a NOK payment of the sales unit with reference =
// merchantOrderId (so the engine's (msn, reference) uniqueness is the API's "OrderId already exists"),
// the PSP's paymentText as its description, and the PSP's own fields in `attachments.psp`, which the
// engine's makePayment gate reads by exactly these names.
import type { NewPaymentBuilder } from '../../engine/create-payment.ts';
import type { Payment, PaymentTerms, UserFlow } from '../../domain/payment.ts';
import { PSP_CODES, PspError } from './error-map.ts';
import type { InitiatePaymentRequest } from './init-rules.ts';

/** `payment.attachments.psp`. */
export interface PspAttachment {
  pspId: string;
  pspTransactionId: string;
  makePaymentUrl: string;
  makePaymentToken?: string;
  pspRedirectUrl: string;
  paymentText?: string;
  isApp?: boolean;
}

export function pspAttachmentOf(p: Payment): PspAttachment | undefined {
  return p.attachments?.psp as PspAttachment | undefined;
}

/** The Norwegian MSISDN of an eight-digit mobile number. */
export const msisdnOf = (eightDigits: string) => `47${eightDigits}`;

/** Landing page on the web; the app when the PSP says the shopper is on a phone; a push for a whitelisted skipLandingPage. */
function userFlowOf(r: InitiatePaymentRequest): UserFlow {
  if (r.skipLandingPage) return 'PUSH_MESSAGE';
  return r.isApp ? 'NATIVE_REDIRECT' : 'WEB_REDIRECT';
}

export function newPspPaymentOf(pspId: string, r: InitiatePaymentRequest): NewPaymentBuilder {
  return ({ salesUnit }) => {
    if (r.skipLandingPage && !salesUnit.allowSkipLandingPage) {
      throw new PspError(400, PSP_CODES.INVALID_PAYMENT_MODEL, `Skip landing page not allowed: sales unit ${salesUnit.msn} is not whitelisted for skipLandingPage.`);
    }
    const terms: PaymentTerms = { userFlow: userFlowOf(r), longLiving: false };
    if (r.customerMobileNumber !== undefined) terms.customerPhone = msisdnOf(r.customerMobileNumber);
    // With skipLandingPage there is no redirect afterwards (PSP guide): pspRedirectUrl is not used.
    if (!r.skipLandingPage) terms.returnUrl = r.pspRedirectUrl;
    if (r.paymentText !== undefined) terms.paymentDescription = r.paymentText;
    const psp: PspAttachment = { pspId, pspTransactionId: r.pspTransactionId, makePaymentUrl: r.makePaymentUrl, pspRedirectUrl: r.pspRedirectUrl };
    if (r.makePaymentToken !== undefined) psp.makePaymentToken = r.makePaymentToken;
    if (r.paymentText !== undefined) psp.paymentText = r.paymentText;
    if (r.isApp !== undefined) psp.isApp = r.isApp;
    return { amount: r.amount, currency: 'NOK', terms, attachments: { psp } };
  };
}
