// Engine objects → ePayment wire format (CreatePaymentResponse, GetPaymentResponse,
// ModificationResponse, PaymentEvent).
import type { Payment, PaymentEvent } from '../../domain/payment.ts';
import { redirectUrlOf, type RedirectTarget } from '../links.ts';
import { epaymentTermsOf } from './terms.ts';

function amount(p: { currency: Payment['currency'] }, value: number) {
  return { currency: p.currency, value };
}

export function aggregateOf(p: Payment) {
  return {
    authorizedAmount: amount(p, p.authorized),
    cancelledAmount: amount(p, p.cancelled),
    capturedAmount: amount(p, p.captured),
    refundedAmount: amount(p, p.refunded),
  };
}

/**
 * What a create answers, as its idempotency record keeps it: the payment's reference and where to
 * send the shopper, without the base URL (a property of the listening server, added when sent).
 */
export interface CreatedPayment extends RedirectTarget {
  msn: string;
  reference: string;
}

export function createdSnapshot(p: Payment): CreatedPayment {
  const terms: CreatedPayment['terms'] = { userFlow: p.terms.userFlow };
  if (p.terms.qrFormat) terms.qrFormat = p.terms.qrFormat;
  return { msn: p.msn, reference: p.reference, token: p.token, terms };
}

export function createPaymentResponse(p: CreatedPayment, baseUrl: string) {
  const redirectUrl = redirectUrlOf(baseUrl, p);
  return redirectUrl === undefined ? { reference: p.reference } : { redirectUrl, reference: p.reference };
}

export function getPaymentResponse(p: Payment, baseUrl: string) {
  const { paymentMethod, ...epayment } = epaymentTermsOf(p);
  const body: Record<string, unknown> = {
    aggregate: aggregateOf(p),
    amount: amount(p, p.amount),
    state: p.state,
    paymentMethod: p.cardBin === undefined ? { type: paymentMethod.type } : { type: paymentMethod.type, cardBin: p.cardBin },
    profile: p.sub ? { sub: p.sub } : {},
    pspReference: p.pspReference,
    reference: p.reference,
  };
  const redirectUrl = redirectUrlOf(baseUrl, p);
  if (redirectUrl !== undefined) body.redirectUrl = redirectUrl;
  if (epayment.metadata) body.metadata = epayment.metadata;
  if (p.shippingDetails) body.shippingDetails = p.shippingDetails;
  if (p.state === 'AUTHORIZED' && p.userDetails) body.userDetails = p.userDetails;
  return body;
}

export type ModificationResponse = ReturnType<typeof modificationResponse>;

export function modificationResponse(p: Payment) {
  return {
    amount: amount(p, p.amount),
    state: p.state,
    aggregate: aggregateOf(p),
    pspReference: p.pspReference,
    reference: p.reference,
  };
}

export function paymentEventResponse(e: PaymentEvent) {
  return {
    reference: e.reference,
    pspReference: e.pspReference,
    name: e.name,
    amount: amount(e, e.amount),
    timestamp: new Date(e.timestamp).toISOString(),
    idempotencyKey: e.idempotencyKey,
    success: e.success,
  };
}
