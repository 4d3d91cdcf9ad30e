// Item "webhooks": a webhook registered for the sales unit (or for all its merchant's sales units),
// and its deliveries answered 2xx. Fail: none registered, or a delivery that gave up or whose latest
// attempt was not answered 2xx. not_seen: registered, but nothing delivered yet.
import type { CheckedDelivery, ChecklistInput, ChecklistItem } from './checklist.ts';
import { firstFew } from './request-kinds.ts';

const lastAttempt = (d: CheckedDelivery) => d.attempts[d.attempts.length - 1];
const is2xx = (code: number | null | undefined) => code !== null && code !== undefined && code >= 200 && code < 300;

/** A delivery the receiver did not answer 2xx: it gave up, or its latest attempt failed. */
export function unanswered(d: CheckedDelivery): boolean {
  if (d.status === 'failed') return true;
  const last = lastAttempt(d);
  return d.status === 'pending' && last !== undefined && !is2xx(last.statusCode);
}

export function judgeWebhooks(input: ChecklistInput): ChecklistItem {
  const title = 'Webhooks registered and answered 2xx';
  const registrations = input.webhooks.map((w) => ({ id: w.id, url: w.url, events: w.events, forAllSalesUnits: w.msn === null }));
  if (input.webhooks.length === 0) {
    return { id: 'webhooks', title, status: 'fail', detail: `No webhook is registered for sales unit ${input.msn} (POST /webhooks/v1/webhooks).`, evidence: { counts: { registrations: 0 } } };
  }
  const delivered = input.deliveries.filter((d) => d.attempts.some((a) => is2xx(a.statusCode)));
  const failing = input.deliveries.filter(unanswered).sort((a, b) => a.id - b.id);
  const counts = { registrations: input.webhooks.length, deliveries: input.deliveries.length, answered2xx: delivered.length, notAnswered2xx: failing.length };
  if (failing.length > 0) {
    const first = failing[0]!;
    const last = lastAttempt(first);
    const answer = last ? (last.statusCode !== null ? `answered ${last.statusCode}` : `got no answer (${last.error ?? 'no response'})`) : 'was never sent';
    return {
      id: 'webhooks',
      title,
      status: 'fail',
      detail: `${failing.length} deliver${failing.length > 1 ? 'ies were' : 'y was'} not answered 2xx; first: ${first.eventType} for ${first.reference} to webhook ${first.webhookId} ${answer}${first.status === 'failed' ? ', given up' : ''}.`,
      evidence: {
        counts,
        registrations,
        firstFailing: { deliveryId: first.id, webhookId: first.webhookId, reference: first.reference, eventType: first.eventType, status: first.status, attempts: first.attempts.length, lastStatusCode: last?.statusCode ?? null, lastError: last?.error ?? null },
        references: { notAnswered2xx: firstFew(failing.map((d) => d.reference)) },
      },
    };
  }
  if (delivered.length === 0) {
    return { id: 'webhooks', title, status: 'not_seen', detail: `${input.webhooks.length} webhook${input.webhooks.length > 1 ? 's' : ''} registered; no delivery answered yet.`, evidence: { counts, registrations } };
  }
  return { id: 'webhooks', title, status: 'pass', detail: `${input.webhooks.length} webhook${input.webhooks.length > 1 ? 's' : ''} registered; ${delivered.length} deliveries answered 2xx, none failing.`, evidence: { counts, registrations } };
}
