// Engine objects → ePayment wire format (GetPaymentResponse, ModificationResponse, PaymentEvent).
import type { CreatedPayment, Payment, PaymentEvent } from '../../domain/payment.ts';
import { redirectUrlOf } from '../links.ts';

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

export function createPaymentResponse(p: CreatedPayment, baseUrl: string) {
  const redirectUrl = redirectUrlOf(baseUrl, p);
  return redirectUrl === undefined ? { reference: p.reference } : { redirectUrl, reference: p.reference };
}

export function getPaymentResponse(p: Payment, baseUrl: string) {
  const body: Record<string, unknown> = {
    aggregate: aggregateOf(p),
    amount: amount(p, p.amount),
    state: p.state,
    paymentMethod: p.cardBin === undefined ? { type: p.terms.paymentMethod.type } : { type: p.terms.paymentMethod.type, cardBin: p.cardBin },
    profile: p.sub ? { sub: p.sub } : {},
    pspReference: p.pspReference,
    reference: p.reference,
  };
  const redirectUrl = redirectUrlOf(baseUrl, p);
  if (redirectUrl !== undefined) body.redirectUrl = redirectUrl;
  if (p.terms.metadata) body.metadata = p.terms.metadata;
  if (p.state === 'AUTHORIZED' && p.userDetails) body.userDetails = p.userDetails;
  return body;
}

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
