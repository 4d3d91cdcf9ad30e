// The go-live check's data: what a sales unit's integration did, read from the request log, the
// store (its payments and their events, named by the references its requests carried) and the
// Webhooks face (its registrations and their deliveries). Judging is judge-checklist.ts's.
import type { Directory } from '../engine/directory.ts';
import { VIPPS_WEBHOOK_FORMAT } from '../faces/webhooks/projector.ts';
import { STRIPE_PREFIX } from '../faces/stripe/routes.ts';
import type { WebhookStore } from '../faces/webhooks/webhook-store.ts';
import type { Clock } from '../platform/clock.ts';
import { REQUEST_LOG_MAX_ENTRIES, type RequestLog } from '../platform/request-log/request-log.ts';
import type { Store } from '../store/store.ts';
import type { CheckedDelivery, CheckedPayment, CheckedRequest, Checklist, ChecklistInput } from './checklist.ts';
import { judgeChecklist } from './judge-checklist.ts';

/** The newest requests of the sales unit that are judged. */
export const CHECKLIST_REQUEST_WINDOW = 10_000;
/** The most recently used references whose payments are read. */
export const CHECKLIST_PAYMENT_WINDOW = 1_000;
/** Deliveries read per registration (newest first). */
const DELIVERIES_PER_WEBHOOK = 1_000;
/**
 * The request log's name of the Stripe-compatible API (its first path segment). Its calls are listed
 * under the Stripe key's sales unit, but they are not the platform's APIs: the checklist leaves them out.
 */
const STRIPE_API = STRIPE_PREFIX.slice(1).toLowerCase();
/** Payments read at once. */
const PARALLEL_READS = 16;

export interface ChecklistSources {
  store: Store;
  clock: Clock;
  directory: Directory;
  requestLog: RequestLog;
  webhooks: WebhookStore;
  /** For tests: smaller windows. */
  requestWindow?: number;
  paymentWindow?: number;
}

/** Builds the checklist of one sales unit (which must exist: the caller says 404 otherwise). */
export async function buildChecklist(sources: ChecklistSources, msn: string): Promise<Checklist> {
  return judgeChecklist(await gatherChecklist(sources, msn));
}

export async function gatherChecklist(sources: ChecklistSources, msn: string): Promise<ChecklistInput> {
  const { store, clock, directory, requestLog, webhooks } = sources;
  const requestWindow = sources.requestWindow ?? CHECKLIST_REQUEST_WINDOW;
  const paymentWindow = sources.paymentWindow ?? CHECKLIST_PAYMENT_WINDOW;
  const now = clock.now();

  const logged = await requestLog.list({ msn, limit: requestWindow, bodies: false });
  const requests: CheckedRequest[] = logged.reverse().filter((e) => e.api !== STRIPE_API).map((e) => ({
    at: e.at,
    latencyMs: e.latencyMs,
    method: e.method,
    path: e.path,
    route: e.route,
    api: e.api,
    status: e.status,
    reference: e.reference,
    idempotencyKey: e.idempotencyKey,
    systemName: e.systemName,
    systemVersion: e.systemVersion,
    pluginName: e.pluginName,
    pluginVersion: e.pluginVersion,
    traceId: e.traceId,
    leniencies: e.leniencies,
  }));

  // The payments the integration worked on: the ePayment references it named, most recent first.
  const references: string[] = [];
  const named = new Set<string>();
  for (let i = requests.length - 1; i >= 0 && references.length < paymentWindow; i--) {
    const r = requests[i]!;
    if (r.api !== 'epayment' || r.reference === null || r.route === null || named.has(r.reference)) continue;
    named.add(r.reference);
    references.push(r.reference);
  }
  const payments: CheckedPayment[] = [];
  for (let i = 0; i < references.length; i += PARALLEL_READS) {
    const read = await Promise.all(references.slice(i, i + PARALLEL_READS).map((reference) => readPayment(store, msn, reference)));
    for (const p of read) if (p) payments.push(p);
  }

  const clientId = directory.merchantOf(msn)?.clientId;
  const registrations = (await webhooks.all()).filter((w) => w.clientId === clientId && (w.msn === null || w.msn === msn));
  const deliveries: CheckedDelivery[] = [];
  for (const w of registrations) {
    for (const d of await store.listDeliveries({ msn, targetId: w.id, limit: DELIVERIES_PER_WEBHOOK })) {
      if (d.format !== VIPPS_WEBHOOK_FORMAT) continue;
      deliveries.push({
        id: d.id,
        webhookId: d.targetId,
        reference: d.reference,
        eventType: d.eventType,
        status: d.status,
        attempts: d.attemptLog.map((a) => ({ at: a.at, statusCode: a.statusCode, error: a.error })),
      });
    }
  }

  return {
    msn,
    now,
    requests,
    requestWindow,
    requestLogCapacity: REQUEST_LOG_MAX_ENTRIES,
    requestsDropped: requestLog.dropped,
    payments,
    paymentWindow,
    webhooks: registrations.map((w) => ({ id: w.id, url: w.url, msn: w.msn, events: w.events })),
    deliveries,
  };
}

async function readPayment(store: Store, msn: string, reference: string): Promise<CheckedPayment | null> {
  const p = await store.getPayment({ msn, reference });
  if (!p) return null;
  const events = await store.listEvents(p.id);
  return {
    reference,
    state: p.state,
    authorized: p.authorized,
    captured: p.captured,
    refunded: p.refunded,
    cancelled: p.cancelled,
    events: events.map((e) => ({ name: e.name, timestamp: e.timestamp })),
  };
}
