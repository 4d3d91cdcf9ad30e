// The go-live check's rules, item by item, on inputs built by hand (no server: judge-checklist.ts is pure).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CheckedPayment, CheckedRequest, ChecklistInput, ChecklistItem } from './checklist.ts';
import { judgeChecklist } from './judge-checklist.ts';

const MSN = '123456';
const SYS = { systemName: 'shop', systemVersion: '1.0', pluginName: 'vipps-plugin', pluginVersion: '2.0' };
let clock = 1_700_000_000_000;
const tick = () => (clock += 1000);

const ROUTES: Record<string, [string, string]> = {
  create: ['POST', '/epayment/v1/payments'],
  get: ['GET', '/epayment/v1/payments/:reference'],
  events: ['GET', '/epayment/v1/payments/:reference/events'],
  cancel: ['POST', '/epayment/v1/payments/:reference/cancel'],
  capture: ['POST', '/epayment/v1/payments/:reference/capture'],
  refund: ['POST', '/epayment/v1/payments/:reference/refund'],
  receipt: ['POST', '/order-management/v2/:paymentType/receipts/:orderId'],
  category: ['PUT', '/order-management/v2/:paymentType/categories/:orderId'],
  token: ['POST', '/accesstoken/get'],
};

function req(kind: keyof typeof ROUTES, reference: string | null, more: Partial<CheckedRequest> = {}): CheckedRequest {
  const [method, route] = ROUTES[kind]!;
  const api = route.split('/')[1]!;
  const path = api === 'order-management' ? route.replace(':paymentType', 'ecom').replace(':orderId', reference ?? '') : route.replace(':reference', reference ?? '');
  return {
    at: tick(),
    latencyMs: 5,
    method,
    path,
    route,
    api,
    status: kind === 'create' ? 201 : 200,
    reference: api === 'epayment' ? reference : null,
    idempotencyKey: ['create', 'cancel', 'capture', 'refund'].includes(kind) ? `key-${clock}` : null,
    traceId: null,
    leniencies: null,
    ...SYS,
    ...more,
  };
}

function payment(reference: string, events: string[], amounts: Partial<CheckedPayment> = {}): CheckedPayment {
  return { reference, state: 'AUTHORIZED', authorized: 0, captured: 0, refunded: 0, cancelled: 0, events: events.map((name) => ({ name, timestamp: tick() })), ...amounts };
}

/** An integration that does everything right: every item passes. */
function goodIntegration(): ChecklistInput {
  const requests: CheckedRequest[] = [];
  const payments: CheckedPayment[] = [];
  // A payment the shopper approves, read, captured in full.
  const flow = (reference: string, then: (p: CheckedPayment) => void) => {
    requests.push(req('create', reference));
    const p = payment(reference, ['CREATED', 'AUTHORIZED'], { authorized: 1000 });
    payments.push(p);
    requests.push(req('get', reference));
    then(p);
  };
  requests.push(req('token', null));
  flow('captured-1', (p) => {
    const capture = req('capture', 'captured-1');
    requests.push(capture, { ...req('capture', 'captured-1'), idempotencyKey: capture.idempotencyKey }); // a retry with the same key
    p.captured = 1000;
    p.events.push({ name: 'CAPTURED', timestamp: tick() });
    requests.push(req('category', 'captured-1'), req('receipt', 'captured-1'));
  });
  flow('refunded-1', (p) => {
    requests.push(req('capture', 'refunded-1'), req('refund', 'refunded-1'), req('events', 'refunded-1'));
    Object.assign(p, { captured: 1000, refunded: 1000 });
  });
  flow('cancelled-1', (p) => {
    requests.push(req('cancel', 'cancelled-1'));
    p.cancelled = 1000;
    p.events.push({ name: 'CANCELLED', timestamp: tick() });
  });
  // Rejected, expired, cancelled before approval: each read afterwards.
  requests.push(req('create', 'aborted-1'));
  payments.push(payment('aborted-1', ['CREATED', 'ABORTED'], { state: 'ABORTED' }));
  requests.push(req('get', 'aborted-1'));
  requests.push(req('create', 'expired-1'));
  payments.push(payment('expired-1', ['CREATED', 'EXPIRED'], { state: 'EXPIRED' }));
  requests.push(req('get', 'expired-1'));
  requests.push(req('create', 'terminated-1'), req('cancel', 'terminated-1'));
  payments.push(payment('terminated-1', ['CREATED', 'TERMINATED'], { state: 'TERMINATED' }));
  requests.push(req('get', 'terminated-1'));
  return {
    msn: MSN,
    now: tick(),
    requests,
    requestWindow: 10_000,
    requestLogCapacity: 100_000,
    requestsDropped: 0,
    payments,
    paymentWindow: 1000,
    webhooks: [{ id: 'wh-1', url: 'https://shop.example/hook', msn: MSN, events: ['epayments.payment.authorized.v1'] }],
    deliveries: [{ id: 1, webhookId: 'wh-1', reference: 'captured-1', eventType: 'epayments.payment.authorized.v1', status: 'delivered', attempts: [{ at: tick(), statusCode: 200, error: null }] }],
  };
}

const item = (input: ChecklistInput, id: string): ChecklistItem => {
  const found = judgeChecklist(input).items.find((i) => i.id === id);
  assert.ok(found, `item ${id}`);
  return found;
};

describe('the go-live check, judged', () => {
  test('an integration that does everything right passes every item', () => {
    const checklist = judgeChecklist(goodIntegration());
    assert.deepEqual(checklist.items.filter((i) => i.status !== 'pass').map((i) => `${i.id}: ${i.detail}`), []);
    assert.equal(checklist.passed, true);
    assert.deepEqual(checklist.summary, { pass: checklist.items.length, fail: 0, not_seen: 0 });
    assert.match(checklist.basis.note, /Based on all \d+ requests of sales unit 123456/);
  });

  test('the items have stable ids in a stable order', () => {
    assert.deepEqual(
      judgeChecklist(goodIntegration()).items.map((i) => i.id),
      ['endpoints', 'test-references', 'state-authorized', 'state-aborted', 'state-expired', 'state-terminated', 'polling', 'webhooks', 'system-headers', 'idempotency-keys', 'idempotent-retries', 'order-management', 'no-leniencies'],
    );
  });

  test('an endpoint never answered 2xx fails the endpoint item, naming it and the first failed call', () => {
    const input = goodIntegration();
    input.requests = input.requests.map((r) => (r.route?.endsWith('/events') ? { ...r, status: 404, traceId: '00-abc-def-01' } : r));
    const endpoints = item(input, 'endpoints');
    assert.equal(endpoints.status, 'fail');
    assert.match(endpoints.detail, /GET \/epayment\/v1\/payments\/\{reference\}\/events \(called 1 times, never answered 2xx\)/);
    assert.equal((endpoints.evidence.firstOffending as { traceId: string }).traceId, '00-abc-def-01');
    assert.equal(judgeChecklist(input).passed, false);
  });

  test('a reference that ended CAPTURED passes the go-live item only in full', () => {
    const input = goodIntegration();
    assert.deepEqual(item(input, 'test-references').evidence.references, { CAPTURED: ['captured-1'], REFUNDED: ['refunded-1'], CANCELLED: ['cancelled-1'] });
    input.payments.find((p) => p.reference === 'captured-1')!.captured = 400;
    const refs = item(input, 'test-references');
    assert.equal(refs.status, 'fail');
    assert.match(refs.detail, /No test reference ended CAPTURED \(\/capture request through the API\)/);
  });

  test('a payment cancelled only by itself (no /cancel request) is no CANCELLED test reference', () => {
    const input = goodIntegration();
    input.requests = input.requests.filter((r) => !(r.reference === 'cancelled-1' && r.route?.endsWith('/cancel')));
    const refs = item(input, 'test-references');
    assert.equal(refs.status, 'fail');
    assert.deepEqual(refs.evidence.missing, ['CANCELLED']);
  });

  test('a state reached but never read afterwards fails; a read before it does not count', () => {
    const input = goodIntegration();
    const expired = input.payments.find((p) => p.reference === 'expired-1')!;
    // The only GET came before the expiry.
    expired.events[1]!.timestamp = clock + 10_000;
    const state = item(input, 'state-expired');
    assert.equal(state.status, 'fail');
    assert.deepEqual(state.evidence.references, { readAfter: [], notReadAfter: ['expired-1'] });
  });

  test('a read that itself settled the expiry counts as read after it', () => {
    const input = goodIntegration();
    const get = input.requests.find((r) => r.reference === 'expired-1' && r.method === 'GET')!;
    input.payments.find((p) => p.reference === 'expired-1')!.events[1]!.timestamp = get.at + 3; // during the request
    assert.equal(item(input, 'state-expired').status, 'pass');
  });

  test('a state no payment reached is not seen, and does not fail the check', () => {
    const input = goodIntegration();
    input.payments = input.payments.filter((p) => p.reference !== 'terminated-1');
    const state = item(input, 'state-terminated');
    assert.equal(state.status, 'not_seen');
    assert.equal(judgeChecklist(input).passed, true);
  });

  test('a payment approved by the shopper and never read afterwards fails polling, naming it', () => {
    const input = goodIntegration();
    input.requests = input.requests.filter((r) => !(r.reference === 'cancelled-1' && r.method === 'GET'));
    const polling = item(input, 'polling');
    assert.equal(polling.status, 'fail');
    assert.match(polling.detail, /1 of 4 payments .* first cancelled-1/);
    assert.equal(item(input, 'state-authorized').status, 'pass', 'other authorized payments were read');
  });

  test('no webhook registered fails; a delivery not answered 2xx fails naming it; none delivered yet is not seen', () => {
    const none = goodIntegration();
    none.webhooks = [];
    none.deliveries = [];
    assert.equal(item(none, 'webhooks').status, 'fail');
    assert.match(item(none, 'webhooks').detail, /No webhook is registered for sales unit 123456/);

    const failing = goodIntegration();
    failing.deliveries.push({ id: 2, webhookId: 'wh-1', reference: 'refunded-1', eventType: 'epayments.payment.captured.v1', status: 'pending', attempts: [{ at: tick(), statusCode: 500, error: null }] });
    const webhooks = item(failing, 'webhooks');
    assert.equal(webhooks.status, 'fail');
    assert.match(webhooks.detail, /epayments\.payment\.captured\.v1 for refunded-1 to webhook wh-1 answered 500/);

    const quiet = goodIntegration();
    quiet.deliveries = [];
    assert.equal(item(quiet, 'webhooks').status, 'not_seen');
  });

  test('a call without the system headers fails, naming the first and what it lacked', () => {
    const input = goodIntegration();
    input.requests[3] = { ...input.requests[3]!, pluginName: null, pluginVersion: null };
    input.requests[5] = { ...input.requests[5]!, systemName: null };
    const headers = item(input, 'system-headers');
    assert.equal(headers.status, 'fail');
    assert.deepEqual(headers.evidence.missing, ['Vipps-System-Plugin-Name', 'Vipps-System-Plugin-Version']);
    assert.equal((headers.evidence.firstOffending as { path: string }).path, input.requests[3]!.path);
    assert.deepEqual(headers.evidence.counts, { calls: input.requests.length, withoutAllHeaders: 2 });
  });

  test('a modification without an Idempotency-Key fails; no repeated key is not seen, not a failure', () => {
    const input = goodIntegration();
    const i = input.requests.findIndex((r) => r.route?.endsWith('/refund'));
    input.requests[i] = { ...input.requests[i]!, idempotencyKey: null };
    const keys = item(input, 'idempotency-keys');
    assert.equal(keys.status, 'fail');
    assert.match(keys.detail, /first: POST \/epayment\/v1\/payments\/refunded-1\/refund/);

    const noRetries = goodIntegration();
    noRetries.requests = noRetries.requests.filter((r, n, all) => all.findIndex((o) => o.idempotencyKey !== null && o.idempotencyKey === r.idempotencyKey) === n);
    assert.equal(item(noRetries, 'idempotent-retries').status, 'not_seen');
    assert.equal(item(goodIntegration(), 'idempotent-retries').status, 'pass');
  });

  test('no receipt or category fails the Order Management item; a refused one is named', () => {
    const none = goodIntegration();
    none.requests = none.requests.filter((r) => r.api !== 'order-management');
    assert.equal(item(none, 'order-management').status, 'fail');

    const refused = goodIntegration();
    refused.requests = refused.requests.map((r) => (r.api === 'order-management' ? { ...r, status: 400 } : r));
    const om = item(refused, 'order-management');
    assert.equal(om.status, 'fail');
    assert.match(om.detail, /none accepted; first: PUT \/order-management\/v2\/ecom\/categories\/captured-1 answered 400/);
  });

  test('an http returnUrl fails the leniency item, naming it; a path in another case does not', () => {
    const input = goodIntegration();
    input.requests[1] = { ...input.requests[1]!, leniencies: [{ kind: 'http-merchant-url', field: 'returnUrl', detail: 'http:// …' }] };
    input.requests[2] = { ...input.requests[2]!, leniencies: [{ kind: 'path-case', field: '/ePayment/v1/payments', detail: '…' }] };
    const leniency = item(input, 'no-leniencies');
    assert.equal(leniency.status, 'fail');
    assert.match(leniency.detail, /relied on http-merchant-url \(returnUrl\); first: POST \/epayment\/v1\/payments/);
    assert.deepEqual((leniency.evidence.leniencies as Array<{ kind: string }>).map((l) => l.kind), ['http-merchant-url']);
  });

  test('a full request window says the check is based on the last N requests', () => {
    const input = goodIntegration();
    input.requestWindow = input.requests.length;
    assert.match(judgeChecklist(input).basis.note, new RegExp(`Based on the last ${input.requests.length} requests of sales unit 123456; older ones are not judged`));
  });

  test('nothing done at all fails what must be done and leaves the rest not seen', () => {
    const input: ChecklistInput = { ...goodIntegration(), requests: [], payments: [], webhooks: [], deliveries: [] };
    const statuses = Object.fromEntries(judgeChecklist(input).items.map((i) => [i.id, i.status]));
    assert.deepEqual(statuses, {
      endpoints: 'fail', 'test-references': 'fail', 'state-authorized': 'not_seen', 'state-aborted': 'not_seen', 'state-expired': 'not_seen', 'state-terminated': 'not_seen',
      polling: 'not_seen', webhooks: 'fail', 'system-headers': 'not_seen', 'idempotency-keys': 'not_seen', 'idempotent-retries': 'not_seen', 'order-management': 'fail', 'no-leniencies': 'not_seen',
    });
  });
});
