// The Webhooks face's projector: every payment event becomes one outbox row per registration that
// listens for it, written in the transaction that records the event (a crash cannot separate them).
// Rows of one registration and payment are sent in order (subject: the payment).
import type { Projector } from '../../engine/deps.ts';
import type { Directory } from '../../engine/directory.ts';
import type { WebhookFaults } from '../../store/store.ts';
import { eventTypeOf } from './event-types.ts';
import { webhookPayload } from './payload.ts';
import type { WebhookStore } from './webhook-store.ts';

/** The outbox format of ePayment webhooks: signed with the registration's secret (delivery/formats.ts). */
export const VIPPS_WEBHOOK_FORMAT = 'vipps-webhook';

export function webhookProjector(webhooks: WebhookStore, directory: Directory, serverFaults: () => WebhookFaults): Projector {
  return async (tx, event, payment) => {
    const merchant = directory.merchantOf(event.msn);
    if (!merchant) return 0;
    const registrations = await webhooks.in(tx.sql).receiving(merchant.clientId, event.msn);
    if (registrations.length === 0) return 0;
    const type = eventTypeOf(event.name);
    let payload: string | undefined;
    let written = 0;
    for (const r of registrations) {
      if (!r.events.includes(type)) continue;
      written++;
      payload ??= webhookPayload(event, payment);
      const delay = Math.max(r.faults.delayMs, serverFaults().delayMs);
      await tx.insertDelivery({
        format: VIPPS_WEBHOOK_FORMAT,
        targetId: r.id,
        url: r.url,
        secret: r.secret,
        faults: r.faults,
        subject: payment.id,
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
