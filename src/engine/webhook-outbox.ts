// The transactional outbox: every payment event becomes one delivery row per registration that
// listens for it, written in the transaction that records the event. A crash cannot separate them.
import type { Payment, PaymentEvent } from '../domain/payment.ts';
import { eventTypeOf } from '../domain/webhook-events.ts';
import type { StoreTx, WebhookFaults } from '../store/store.ts';
import type { EventSink } from './deps.ts';
import type { Directory } from './directory.ts';

/** The WebhookEvent body of the ePayment spec. */
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
  }
  return JSON.stringify(body);
}

export function webhookOutbox(directory: Directory, serverFaults: () => WebhookFaults): EventSink {
  return async (tx: StoreTx, event: PaymentEvent, payment: Payment) => {
    const merchant = directory.merchantOf(event.msn);
    if (!merchant) return 0;
    const registrations = await tx.webhooksReceiving(merchant.clientId, event.msn);
    if (registrations.length === 0) return 0;
    const type = eventTypeOf(event.name);
    const payload = webhookPayload(event, payment);
    let written = 0;
    for (const r of registrations) {
      if (!r.events.includes(type)) continue;
      written++;
      const delay = Math.max(r.faults.delayMs, serverFaults().delayMs);
      await tx.insertDelivery({
        webhookId: r.id,
        msn: event.msn,
        reference: event.reference,
        eventType: type,
        payload,
        createdAt: event.timestamp,
        nextAttemptAt: event.timestamp + delay,
      });
    }
    return written;
  };
}
