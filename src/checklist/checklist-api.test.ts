// The go-live check over HTTP: a real server, a real merchant integration (test-support/checklist-shop.ts)
// and a real webhook receiver. One integration passes every item; one that skips each thing in turn
// fails that item, with its evidence. Operator API and the merchant's own view.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { useServer } from '../../test-support/server.ts';
import { WebhookReceiver } from '../../test-support/webhook-receiver.ts';
import { ChecklistShop, deliveriesSettled, type Omission } from '../../test-support/checklist-shop.ts';
import type { Checklist, ChecklistItem } from './checklist.ts';
import { SEED_VERSION, stripeFor } from '../../test-support/stripe-client.ts';

describe('the go-live check', () => {
  const t = useServer({ webhookPollIntervalMs: 20, webhookRetryDelaysMs: [50] });
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await WebhookReceiver.start();
  });
  after(async () => {
    await receiver?.close();
  });
  beforeEach(async () => {
    await t.server.reset();
    receiver.answer = () => 200;
  });

  async function checklist(query = `?msn=${t.server.credentials.msn}`): Promise<{ status: number; body: any }> {
    const res = await fetch(`${t.server.url}/vipps-local/v1/checklist${query}`, { headers: { 'X-Vipps-Local-Operator': '1' } });
    return { status: res.status, body: await res.json() };
  }

  async function runShop(skip: Omission | null = null, receiverFails = false) {
    const run = await new ChecklistShop(t.server, receiver, skip).run();
    await deliveriesSettled(t.server, receiverFails);
    const res = await checklist();
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return { run, list: res.body as Checklist };
  }

  const item = (list: Checklist, id: string): ChecklistItem => list.items.find((i) => i.id === id)!;
  const failing = (list: Checklist) => list.items.filter((i) => i.status === 'fail').map((i) => i.id);

  test("Stripe-compatible calls, listed under the Stripe key's sales unit, are not judged: they send no Vipps-System-* headers", async () => {
    const stripe = stripeFor(t.server, { apiVersion: SEED_VERSION });
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'nok', payment_method_types: ['vipps'] } as never);
    const logged = await fetch(`${t.server.url}/vipps-local/v1/requests?reference=${pi.id}`, { headers: { 'X-Vipps-Local-Operator': '1' } });
    assert.equal(((await logged.json()) as { requests: Array<{ msn: string }> }).requests[0]?.msn, t.server.credentials.msn, 'the call is the sales unit\'s');
    const { list } = await runShop();
    assert.equal(item(list, 'system-headers').status, 'pass', item(list, 'system-headers').detail);
    assert.equal(list.passed, true);
  });

  test('an integration that does everything right passes every item', async () => {
    const { run, list } = await runShop();
    assert.deepEqual(list.items.filter((i) => i.status !== 'pass').map((i) => `${i.id}: ${i.status} ${i.detail}`), []);
    assert.equal(list.passed, true);
    assert.equal(list.msn, t.server.credentials.msn);
    assert.deepEqual(item(list, 'test-references').evidence.references, { CAPTURED: [run.references.captured], REFUNDED: [run.references.refunded], CANCELLED: [run.references.cancelled] });
    assert.deepEqual(item(list, 'state-expired').evidence.references, { readAfter: [run.references.expired], notReadAfter: [] });
    assert.match(list.basis.note, /^Based on all \d+ requests of sales unit \d+ in the request log\. The request log keeps the last 100000 requests/);
    assert.ok(!Number.isNaN(Date.parse(list.generatedAt)));
  });

  const omissions: Array<[Omission, string[], (list: Checklist, run: Awaited<ReturnType<typeof runShop>>['run']) => void]> = [
    ['events-endpoint', ['endpoints'], (list) => assert.deepEqual(item(list, 'endpoints').evidence.missing, ['GET /epayment/v1/payments/{reference}/events'])],
    ['refund', ['endpoints', 'test-references'], (list) => assert.match(item(list, 'test-references').detail, /No test reference ended REFUNDED/)],
    ['poll-after-approval', ['polling'], (list, run) => assert.deepEqual(item(list, 'polling').evidence.references, { notPolledAfter: [run.references.captured] })],
    ['read-after-expiry', ['state-expired'], (list, run) => assert.match(item(list, 'state-expired').detail, new RegExp(`reached EXPIRED \\(first: ${run.references.expired}\\), none was read`))],
    ['webhook-registration', ['webhooks'], (list) => assert.match(item(list, 'webhooks').detail, /No webhook is registered for sales unit/)],
    ['system-headers-on-capture', ['system-headers'], (list, run) => {
      const headers = item(list, 'system-headers');
      assert.equal((headers.evidence.firstOffending as { path: string }).path, `/epayment/v1/payments/${run.references.captured}/capture`);
      assert.deepEqual(headers.evidence.missing, ['Vipps-System-Name', 'Vipps-System-Version', 'Vipps-System-Plugin-Name', 'Vipps-System-Plugin-Version']);
    }],
    ['idempotency-key-on-cancel', ['idempotency-keys'], (list, run) => assert.match(item(list, 'idempotency-keys').detail, new RegExp(`first: POST /epayment/v1/payments/${run.references.cancelled}/cancel`))],
    ['order-management', ['order-management'], (list) => assert.match(item(list, 'order-management').detail, /No receipt or category was sent/)],
    ['https-return-url', ['no-leniencies'], (list) => {
      const leniency = item(list, 'no-leniencies');
      assert.deepEqual((leniency.evidence.leniencies as Array<{ kind: string; field: string }>).map((l) => [l.kind, l.field]), [['http-merchant-url', 'returnUrl']]);
      assert.equal((leniency.evidence.firstOffending as { method: string; path: string }).path, '/epayment/v1/payments');
    }],
  ];
  for (const [omission, fails, check] of omissions) {
    test(`an integration that skips ${omission} fails ${fails.join(' and ')}, with the evidence`, async () => {
      const { run, list } = await runShop(omission);
      assert.deepEqual(failing(list), fails);
      assert.equal(list.passed, false);
      check(list, run);
    });
  }

  test('a receiver that answers 500 fails the webhook item, naming the delivery', async () => {
    receiver.answer = () => 500;
    const { run, list } = await runShop(null, true);
    assert.deepEqual(failing(list), ['webhooks']);
    const webhooks = item(list, 'webhooks');
    assert.match(webhooks.detail, new RegExp(`to webhook ${run.webhookId} answered 500`));
    assert.equal((webhooks.evidence.firstFailing as { lastStatusCode: number }).lastStatusCode, 500);
  });

  test('the operator must name a configured sales unit', async () => {
    const missing = await checklist('');
    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /Name the sales unit/);
    const unknown = await checklist('?msn=999999999');
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.message, /No sales unit 999999999/);
  });

  test('the check is behind the operator access rules', async () => {
    const res = await fetch(`${t.server.url}/vipps-local/v1/checklist?msn=${t.server.credentials.msn}`, { headers: { 'X-Vipps-Local-Operator-Token': 'wrong' } });
    assert.equal(res.status, 401);
    const crossSite = await fetch(`${t.server.url}/vipps-local/v1/checklist?msn=${t.server.credentials.msn}`, { headers: { 'Sec-Fetch-Site': 'cross-site' } });
    assert.equal(crossSite.status, 403);
  });

  test("a merchant reads its own sales unit's check with its own credentials, and no other's", async () => {
    await runShop();
    const { credentials } = t.server;
    const tokenRes = await fetch(`${t.server.url}/accesstoken/get`, { method: 'POST', headers: { client_id: credentials.clientId, client_secret: credentials.clientSecret, 'Ocp-Apim-Subscription-Key': credentials.subscriptionKey } });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const headers = { Authorization: `Bearer ${token}`, 'Ocp-Apim-Subscription-Key': credentials.subscriptionKey, 'Merchant-Serial-Number': credentials.msn };
    const own = await fetch(`${t.server.url}/vipps-local/v1/merchant/checklist`, { headers });
    assert.equal(own.status, 200);
    const list = (await own.json()) as Checklist;
    assert.equal(list.msn, credentials.msn);
    assert.deepEqual(failing(list), [], 'the same judgement as the operator gets');
    const other = await fetch(`${t.server.url}/vipps-local/v1/merchant/checklist?msn=999999999`, { headers });
    assert.equal(other.status, 403);
    const anonymous = await fetch(`${t.server.url}/vipps-local/v1/merchant/checklist`);
    assert.equal(anonymous.status, 401);
  });
});
