// What a logged request was, for the go-live check: which ePayment endpoint of the checklist, or
// which Order Management write. By the route it matched (its pattern, in any case the client sent).
import { EVIDENCE_LIMIT, type CheckedRequest, type RequestEvidence } from './checklist.ts';

export const EPAYMENT_ENDPOINTS = ['create', 'get', 'events', 'cancel', 'capture', 'refund'] as const;
export type EpaymentEndpoint = (typeof EPAYMENT_ENDPOINTS)[number];

/** The checklist's names for the endpoints (the seed's "Endpoints to integrate"). */
export const ENDPOINT_TITLES: Record<EpaymentEndpoint, string> = {
  create: 'POST /epayment/v1/payments',
  get: 'GET /epayment/v1/payments/{reference}',
  events: 'GET /epayment/v1/payments/{reference}/events',
  cancel: 'POST /epayment/v1/payments/{reference}/cancel',
  capture: 'POST /epayment/v1/payments/{reference}/capture',
  refund: 'POST /epayment/v1/payments/{reference}/refund',
};

const ENDPOINT_ROUTES: Array<[EpaymentEndpoint, string, RegExp]> = [
  ['create', 'POST', /^\/epayment\/v1\/payments$/i],
  ['get', 'GET', /^\/epayment\/v1\/payments\/:reference$/i],
  ['events', 'GET', /^\/epayment\/v1\/payments\/:reference\/events$/i],
  ['cancel', 'POST', /^\/epayment\/v1\/payments\/:reference\/cancel$/i],
  ['capture', 'POST', /^\/epayment\/v1\/payments\/:reference\/capture$/i],
  ['refund', 'POST', /^\/epayment\/v1\/payments\/:reference\/refund$/i],
];

/** The ePayment endpoint a request called, or null (another API, the test approve, no route). */
export function endpointOf(r: Pick<CheckedRequest, 'method' | 'route'>): EpaymentEndpoint | null {
  if (r.route === null) return null;
  for (const [endpoint, method, re] of ENDPOINT_ROUTES) if (r.method === method && re.test(r.route)) return endpoint;
  return null;
}

/** Modifications: the requests that must carry an Idempotency-Key. */
export const MODIFICATIONS: ReadonlySet<EpaymentEndpoint> = new Set(['create', 'cancel', 'capture', 'refund']);

export const isSuccess = (r: Pick<CheckedRequest, 'status'>) => r.status >= 200 && r.status < 300;

/** A GET of the payment or of its events. */
export const isRead = (r: Pick<CheckedRequest, 'method' | 'route'>) => {
  const e = endpointOf(r);
  return e === 'get' || e === 'events';
};

/** An Order Management write that adds to the payment history: a receipt or a category (v1 orders are categories). */
export function orderManagementWriteOf(r: Pick<CheckedRequest, 'method' | 'route'>): 'receipt' | 'category' | null {
  if (r.route === null) return null;
  const route = r.route.toLowerCase();
  if (r.method === 'POST' && (/^\/order-management\/v2\/:paymenttype\/receipts\/:orderid$/.test(route) || /^\/order-management\/v1\/receipts\/:transactionid$/.test(route))) return 'receipt';
  if (r.method === 'PUT' && (/^\/order-management\/v2\/:paymenttype\/categories\/:orderid$/.test(route) || /^\/order-management\/v1\/orders\/:transactionid$/.test(route))) return 'category';
  return null;
}

/** A request as an item's evidence names it. */
export function requestEvidence(r: CheckedRequest): RequestEvidence {
  return {
    time: new Date(r.at).toISOString(),
    method: r.method,
    path: r.path,
    status: r.status,
    reference: r.reference,
    idempotencyKey: r.idempotencyKey,
    traceId: r.traceId,
  };
}

/** The first EVIDENCE_LIMIT distinct values. */
export function firstFew(values: Iterable<string>): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (out.includes(v)) continue;
    out.push(v);
    if (out.length === EVIDENCE_LIMIT) break;
  }
  return out;
}
