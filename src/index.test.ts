// The test-suite helpers on what startServer() returns (helpers.ts), on a real server and a temporary database.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type VippsLocal } from './index.ts';
import { WebhookReceiver } from '../test-support/webhook-receiver.ts';

let vipps: VippsLocal;
let receiver: WebhookReceiver;
let n = 0;
const AUTHORIZED = 'epayments.payment.authorized.v1';

before(async () => {
  vipps = await startServer();
  receiver = await WebhookReceiver.start();
});
after(async () => {
  await vipps.close();
  await receiver.close();
});

async function create(): Promise<string> {
  const reference = `helpers-${Date.now()}-${++n}`;
  const res = await vipps.epayment.create({ reference, amount: { currency: 'NOK', value: 1000 }, paymentMethod: { type: 'WALLET' }, userFlow: 'WEB_REDIRECT', returnUrl: 'https://example.com/back' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return reference;
}

async function registerWebhook(): Promise<string> {
  const res = await fetch(`${vipps.url}/webhooks/v1/webhooks`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await vipps.epayment.accessToken()}`, 'Ocp-Apim-Subscription-Key': vipps.credentials.subscriptionKey, 'Merchant-Serial-Number': vipps.credentials.msn, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: receiver.url(), events: [AUTHORIZED] }),
  });
  const body = (await res.json()) as { id: string };
  assert.equal(res.status, 201, JSON.stringify(body));
  return body.id;
}

async function webhookIds(): Promise<string[]> {
  const res = await fetch(`${vipps.url}/webhooks/v1/webhooks`, {
    headers: { Authorization: `Bearer ${await vipps.epayment.accessToken()}`, 'Ocp-Apim-Subscription-Key': vipps.credentials.subscriptionKey, 'Merchant-Serial-Number': vipps.credentials.msn },
  });
  return ((await res.json()) as { webhooks: { id: string }[] }).webhooks.map((w) => w.id);
}

test('approve authorizes, with a chosen card', async () => {
  const reference = await create();
  assert.equal(await vipps.approve(reference, { card: 'mastercard-4444' }), 'AUTHORIZED');
  await vipps.waitForState(reference, 'AUTHORIZED', 1000);
  const got = await vipps.epayment.get(reference);
  assert.equal(got.status, 200);
  assert.equal(got.body.state, 'AUTHORIZED');
  assert.equal(got.body.paymentMethod.cardBin, '555555');
});

test('reject aborts', async () => {
  const reference = await create();
  assert.equal(await vipps.reject(reference), 'ABORTED');
  await vipps.waitForState(reference, 'ABORTED');
});

test('expire moves the payment past its deadline', async () => {
  const reference = await create();
  assert.equal(await vipps.expire(reference), 'EXPIRED');
  assert.equal((await vipps.epayment.get(reference)).body.state, 'EXPIRED');
});

test('waitForState rejects naming the state it saw', async () => {
  const reference = await create();
  await assert.rejects(vipps.waitForState(reference, 'AUTHORIZED', 100), /is CREATED, not AUTHORIZED/);
});

test('the epayment client captures, refunds and cancels', async () => {
  const reference = await create();
  await vipps.approve(reference);
  assert.equal((await vipps.epayment.capture(reference, 600)).status, 200);
  assert.equal((await vipps.epayment.refund(reference, 100)).status, 200);
  assert.equal((await vipps.epayment.cancel(reference)).status, 200);
  const got = await vipps.epayment.get(reference);
  assert.deepEqual([got.body.aggregate.capturedAmount.value, got.body.aggregate.refundedAmount.value, got.body.aggregate.cancelledAmount.value], [600, 100, 400]);
});

test('waitForWebhook resolves once the receiver got it with a 2xx; deliveries lists it', async () => {
  await vipps.reset();
  await registerWebhook();
  const reference = await create();
  await vipps.approve(reference);
  const delivered = await vipps.waitForWebhook({ name: AUTHORIZED, reference, timeoutMs: 5000 });
  assert.equal(delivered.reference, reference);
  assert.ok(receiver.arrivals.some((a) => a.body?.reference === reference && a.body?.name === 'AUTHORIZED'));
  const log = await vipps.deliveries({ reference });
  assert.deepEqual(log.map((d) => d.eventType), [AUTHORIZED]);
});

test('waitForWebhook rejects on timeout, naming what arrived', async () => {
  const reference = await create();
  await assert.rejects(vipps.waitForWebhook({ name: AUTHORIZED, reference, timeoutMs: 150 }), (err: Error) => {
    assert.match(err.message, new RegExp(`no '${AUTHORIZED}' for reference '${reference}'.*within 150 ms.*no deliveries at all`));
    return true;
  });
  receiver.answer = () => 500;
  try {
    await vipps.approve(reference);
    await assert.rejects(vipps.waitForWebhook({ name: AUTHORIZED, reference, timeoutMs: 300 }), /the log has: epayments\.payment\.authorized\.v1 \(pending, last answer 500\)/);
  } finally {
    receiver.answer = () => 200;
  }
});

test('reset({ keepWebhooks: true }) keeps registrations and removes payments; reset() removes both', async () => {
  await vipps.reset();
  const id = await registerWebhook();
  const reference = await create();
  await vipps.reset({ keepWebhooks: true });
  assert.equal((await vipps.epayment.get(reference)).status, 404);
  assert.deepEqual(await webhookIds(), [id]);
  // The kept registration still receives events.
  const next = await create();
  await vipps.approve(next);
  await vipps.waitForWebhook({ name: AUTHORIZED, reference: next });

  await vipps.reset();
  assert.equal((await vipps.epayment.get(next)).status, 404);
  assert.deepEqual(await webhookIds(), []);
  assert.deepEqual(await vipps.deliveries({ reference: next }), []);
});

test('psps lists the configured PSPs with credentials that get a PSP token; none are configured by default', async () => {
  assert.deepEqual(vipps.psps, []);
  const psp = { name: 'Acme Payments', pspId: 'ACME0001', clientId: 'acme-client', clientSecret: 'acme-secret', subscriptionKey: ['acme-key'], merchantSerialNumbers: ['123456'] };
  const withPsp = await startServer({ psps: [psp] });
  try {
    assert.deepEqual(withPsp.psps, [{ name: 'Acme Payments', pspId: 'ACME0001', clientId: 'acme-client', clientSecret: 'acme-secret', subscriptionKey: 'acme-key', msns: ['123456'] }]);
    const [p] = withPsp.psps;
    const res = await fetch(`${withPsp.url}/accesstoken/get`, { method: 'POST', headers: { client_id: p!.clientId, client_secret: p!.clientSecret, 'Ocp-Apim-Subscription-Key': p!.subscriptionKey } });
    assert.equal(res.status, 200);
  } finally {
    await withPsp.close();
  }
});
