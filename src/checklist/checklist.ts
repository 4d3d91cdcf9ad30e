// The go-live check (issue 17, docs/decisions.md "Go-live check (issue 17)"): what a judge is given
// (ChecklistInput: what the integration did, gathered by gather-checklist.ts) and what the check
// answers (Checklist). The JSON shape is the operator API's and the CLI's: keep it stable.

/** pass: done as the platform asks. fail: something must change. not_seen: nothing to judge yet. */
export type ItemStatus = 'pass' | 'fail' | 'not_seen';

/** A request named as evidence: the first offending one, or an example. */
export interface RequestEvidence {
  time: string;
  method: string;
  path: string;
  status: number;
  reference: string | null;
  idempotencyKey: string | null;
  /** The error response's trace id (successful responses carry none). */
  traceId: string | null;
}

export interface ItemEvidence {
  /** What was counted (calls per endpoint, payments read, …). */
  counts?: Record<string, number>;
  /** References by what they show (`CAPTURED`, `notReadAfter`, …), at most EVIDENCE_LIMIT each. */
  references?: Record<string, string[]>;
  /** The first (oldest) request that breaks the rule. */
  firstOffending?: RequestEvidence;
  /** What else the item names: missing headers or endpoints, leniency kinds, deliveries. */
  [more: string]: unknown;
}

export interface ChecklistItem {
  /** Stable: CI may look items up by id. */
  id: string;
  title: string;
  status: ItemStatus;
  /** One sentence: why this status. */
  detail: string;
  evidence: ItemEvidence;
}

export interface Checklist {
  msn: string;
  generatedAt: string;
  /** True when no item failed (not_seen items do not fail the check). */
  passed: boolean;
  summary: Record<ItemStatus, number>;
  /** What the items were judged from. */
  basis: {
    /** Requests of this sales unit read from the request log (the newest first, up to `requestWindow`). */
    requests: number;
    requestWindow: number;
    /** Payments (ePayment references named by those requests) read, up to `paymentWindow`. */
    payments: number;
    paymentWindow: number;
    /** Plain words: which requests the check saw ("based on the last N requests …"). */
    note: string;
  };
  items: ChecklistItem[];
}

/** A logged request, as the judges read it (the request log's entry; time in epoch ms). */
export interface CheckedRequest {
  at: number;
  latencyMs: number;
  method: string;
  path: string;
  /** The route pattern it matched (`/epayment/v1/payments/:reference`), or null (no route). */
  route: string | null;
  api: string;
  status: number;
  reference: string | null;
  idempotencyKey: string | null;
  systemName: string | null;
  systemVersion: string | null;
  pluginName: string | null;
  pluginVersion: string | null;
  traceId: string | null;
  leniencies: Array<{ kind: string; field: string; detail: string }> | null;
}

/** A payment of the sales unit, with its events (oldest first). Amounts in minor units. */
export interface CheckedPayment {
  reference: string;
  state: string;
  authorized: number;
  captured: number;
  refunded: number;
  cancelled: number;
  events: Array<{ name: string; timestamp: number }>;
}

export interface CheckedWebhook {
  id: string;
  url: string;
  /** The sales unit it was registered for; null: every sales unit of its merchant. */
  msn: string | null;
  events: string[];
}

export interface CheckedDelivery {
  id: number;
  webhookId: string;
  reference: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: Array<{ at: number; statusCode: number | null; error: string | null }>;
}

export interface ChecklistInput {
  msn: string;
  now: number;
  /** The sales unit's requests, oldest first. */
  requests: CheckedRequest[];
  /** At most this many requests were read: when `requests` has that many, older ones may exist. */
  requestWindow: number;
  /** The request log's own bound (all sales units together). */
  requestLogCapacity: number;
  /** Entries the request log could not record (its store fell behind). */
  requestsDropped: number;
  payments: CheckedPayment[];
  paymentWindow: number;
  webhooks: CheckedWebhook[];
  deliveries: CheckedDelivery[];
}

/** At most this many references or examples are named per list in an item's evidence. */
export const EVIDENCE_LIMIT = 5;
