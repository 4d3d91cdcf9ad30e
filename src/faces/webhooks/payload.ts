// The body of an ePayment webhook: the spec's WebhookEvent.
import type { Payment, PaymentEvent } from '../../domain/payment.ts';

export function webhookPayload(event: PaymentEvent, payment: Payment): string {
  const body: Record<string, unknown> = {
    msn: event.msn,
    reference: event.reference,
    pspReference: event.pspReference,
    name: event.name,
    amount: { currency: event.currency, value: event.amount },
    timestamp: new Date(event.timestamp).toISOString(),
    idempotencyKey: event.idempotencyKey,
    success: event.success,
  };
  if (event.name === 'AUTHORIZED') {
    if (payment.sub) body.sub = payment.sub;
    if (payment.userDetails) body.userDetails = payment.userDetails;
    if (payment.shippingDetails) body.shippingDetails = payment.shippingDetails;
  }
  return JSON.stringify(body);
}
