// Stripe Events (STRIPE-NOTES §1.5, §4): every change writes an Event object, listable and
// retrievable, and one outbox row per enabled webhook endpoint of the account that listens for its
// type, in the same transaction. The worker signs rows of this format with `Stripe-Signature`.
import type { StoreTx } from '../../store/store.ts';
import { NO_FAULTS } from '../../store/store.ts';
import { newId, unixSeconds, type EventObject, type WebhookEndpointObject } from './objects.ts';
import type { StripeRepository } from './stripe-store.ts';
import { ACCOUNT_DEFAULT_VERSION } from './stripe-version.ts';

/** The outbox format of Stripe webhooks (delivery/formats.ts). */
export const STRIPE_WEBHOOK_FORMAT = 'stripe-webhook';

export interface WebhookEndpointInternal {
  secret: string;
  msn: string;
}

/** The request that caused an event; both null for an automatic one (an expiry, the end of a hold). */
export interface EventRequest {
  id: string | null;
  idempotency_key: string | null;
}

export const AUTOMATIC: EventRequest = { id: null, idempotency_key: null };

export interface NewEvent {
  account: string;
  msn: string;
  type: string;
  object: { id: string };
  previous?: Record<string, unknown>;
  request: EventRequest;
  now: number;
}

/** Writes the event and its outbox rows; returns how many rows were written (the worker wakes on them). */
export async function emitEvent(tx: StoreTx, repo: StripeRepository, e: NewEvent): Promise<number> {
  const endpoints = (await repo.all<WebhookEndpointObject, WebhookEndpointInternal>(e.account, 'webhook_endpoint')).filter(
    (w) => w.data.status === 'enabled' && (w.data.enabled_events.includes('*') || w.data.enabled_events.includes(e.type)),
  );
  const event: EventObject = {
    id: newId('evt'),
    object: 'event',
    api_version: ACCOUNT_DEFAULT_VERSION,
    created: unixSeconds(e.now),
    data: e.previous ? { object: e.object, previous_attributes: e.previous } : { object: e.object },
    livemode: false,
    pending_webhooks: endpoints.length,
    request: e.request,
    type: e.type,
  };
  await repo.insert({ id: event.id, account: e.account, kind: 'event', parent: e.object.id, tag: e.type, data: event, internal: {} });
  const payload = JSON.stringify(event);
  for (const w of endpoints) {
    await tx.insertDelivery({
      format: STRIPE_WEBHOOK_FORMAT,
      targetId: w.id,
      url: w.data.url,
      secret: w.internal.secret,
      faults: NO_FAULTS,
      subject: e.object.id,
      msn: e.msn,
      reference: e.object.id,
      eventType: e.type,
      payload,
      createdAt: e.now,
      nextAttemptAt: e.now,
    });
  }
  return endpoints.length;
}

/** The fields of `after` that differ from `before`, with their values before: `previous_attributes`. */
export function previousAttributes(before: object, after: object): Record<string, unknown> {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(a)) {
    if (JSON.stringify(b[key]) !== JSON.stringify(a[key])) out[key] = b[key] ?? null;
  }
  return out;
}
