// A merchant's own view (issue 16, operator access): its webhook deliveries, its request log and
// faults on its own registrations, with its own credentials, and nothing of another merchant's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api } from '../../../test-support/api-client.ts';
import { credentialsOf, MERCHANT_A, MERCHANT_B } from '../../../test-support/merchants.ts';
import { useServer } from '../../../test-support/server.ts';
import { WebhookReceiver } from '../../../test-support/webhook-receiver.ts';
import { NO_FAULTS } from '../../store/store.ts';

const VIEW = '/vipps-local/v1/merchant';
const [MSN_A1, MSN_A2] = MERCHANT_A.salesUnits as [string, string];
const MSN_B = MERCHANT_B.salesUnits[0]!;
const CREATED = 'epayments.payment.created.v1';

describe("a merchant's own view of deliveries, requests and faults", () => {
  const t = useServer({ merchants: [MERCHANT_A, MERCHANT_B], webhookPollIntervalMs: 20, operatorAccess: 'token' });
  let receiver: WebhookReceiver;
  let a1: Api;
  let a2: Api;
  let b: Api;
  let hookA: string;
  let hookB: string;
  let refA1: string;
  let refA2: string;
  let refB: string;

  before(async () => {
    receiver = await WebhookReceiver.start();
    a1 = new Api(t.server.url, credentialsOf(MERCHANT_A, MSN_A1));
    a2 = new Api(t.server.url, credentialsOf(MERCHANT_A, MSN_A2));
    b = new Api(t.server.url, credentialsOf(MERCHANT_B));
    hookA = (await a1.registeredWebhook(receiver.url('/a'), [CREATED], { withoutMsn: true })).id;
    hookB = (await b.registeredWebhook(receiver.url('/b'), [CREATED])).id;
    refA1 = await a1.created();
    refA2 = await a2.created();
    refB = await b.created();
    await receiver.waitFor(() => receiver.at('/a').length >= 2 && receiver.at('/b').length >= 1, 'the three deliveries');
  });
  after(async () => {
    await receiver?.close();
  });

  it("lists the merchant's own deliveries only: its sales unit's with Merchant-Serial-Number, all of its units' without", async () => {
    const one = await a1.call('GET', `${VIEW}/deliveries`);
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(one.body.deliveries.map((d: any) => d.reference), [refA1]);
    assert.equal(one.body.deliveries[0].webhookId, hookA);
    assert.equal(one.body.deliveries[0].payload.reference, refA1);
    assert.ok(one.body.deliveries[0].attempts.length >= 1);

    const all = await a1.call('GET', `${VIEW}/deliveries`, { withoutMsn: true });
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(all.body.deliveries.map((d: any) => d.reference), [refA2, refA1], 'newest first');
    assert.ok(!all.text.includes(refB) && !all.text.includes('/b'), "nothing of merchant B's");

    const ofB = await b.call('GET', `${VIEW}/deliveries`);
    assert.deepEqual(ofB.body.deliveries.map((d: any) => d.reference), [refB]);
    assert.equal(ofB.body.deliveries[0].url, receiver.url('/b'));
  });

  it("refuses another merchant's sales unit and finds nothing under another merchant's registration", async () => {
    const asked = await a1.call('GET', `${VIEW}/deliveries?msn=${MSN_B}`, { withoutMsn: true });
    assert.equal(asked.status, 403);
    assert.deepEqual((await a1.call('GET', `${VIEW}/deliveries?webhookId=${hookB}`, { withoutMsn: true })).body.deliveries, []);
    assert.deepEqual((await a1.call('GET', `${VIEW}/deliveries?reference=${refB}`, { withoutMsn: true })).body.deliveries, []);
    assert.equal((await a1.call('GET', `${VIEW}/requests?msn=${MSN_B}`)).status, 403);
    // A sales unit of its own, but not the one its Merchant-Serial-Number names.
    assert.equal((await a1.call('GET', `${VIEW}/deliveries?msn=${MSN_A2}`)).status, 403);
  });

  it("lists the merchant's own requests only", async () => {
    const mine = await a1.call('GET', `${VIEW}/requests?limit=1000`, { withoutMsn: true });
    assert.equal(mine.status, 200, mine.text);
    const requests = mine.body.requests as Array<{ msn: string; reference: string | null; path: string }>;
    assert.ok(requests.some((r) => r.reference === refA1) && requests.some((r) => r.reference === refA2), 'its creates are there');
    assert.ok(requests.every((r) => r.msn === MSN_A1 || r.msn === MSN_A2), `only its sales units: ${[...new Set(requests.map((r) => r.msn))].join(', ')}`);
    assert.ok(!mine.text.includes(refB));
    const unit = await a2.call('GET', `${VIEW}/requests?reference=${refA1}`);
    assert.deepEqual(unit.body.requests, [], "another of its sales units' when it names one");
    const ofB = await b.call('GET', `${VIEW}/requests?limit=1000`);
    assert.ok(ofB.body.requests.some((r: any) => r.reference === refB));
    assert.ok(!ofB.text.includes(refA1) && !ofB.text.includes(refA2));
  });

  it("sets faults on its own registration, and cannot on another merchant's (404, unchanged)", async () => {
    const theirs = await a1.call('PUT', `${VIEW}/webhooks/${hookB}/faults`, { body: { duplicate: true }, withoutMsn: true });
    assert.equal(theirs.status, 404);
    assert.equal((await a1.call('GET', `${VIEW}/webhooks/${hookB}/faults`, { withoutMsn: true })).status, 404);
    assert.deepEqual((await b.call('GET', `${VIEW}/webhooks/${hookB}/faults`)).body, NO_FAULTS, "B's registration is unchanged");

    const own = await a1.call('PUT', `${VIEW}/webhooks/${hookA}/faults`, { body: { delayMs: 1000 }, withoutMsn: true });
    assert.equal(own.status, 200, own.text);
    assert.deepEqual(own.body, { ...NO_FAULTS, delayMs: 1000 });
    assert.deepEqual((await a1.call('GET', `${VIEW}/webhooks/${hookA}/faults`, { withoutMsn: true })).body, { ...NO_FAULTS, delayMs: 1000 });
    // A merchant-wide registration is not one sales unit's to change.
    assert.equal((await a1.call('PUT', `${VIEW}/webhooks/${hookA}/faults`, { body: {} })).status, 404);
    assert.equal((await a1.call('PUT', `${VIEW}/webhooks/${hookA}/faults`, { body: {}, withoutMsn: true })).status, 200);
  });

  it('needs the merchant credentials (the operator token is not one), and no operator token', async () => {
    assert.equal((await a1.call('GET', `${VIEW}/deliveries`, { bare: true })).status, 401);
    const withOperatorToken = await a1.call('GET', `${VIEW}/requests`, { bare: true, headers: { authorization: `Bearer ${t.server.operatorToken}`, 'Ocp-Apim-Subscription-Key': MERCHANT_A.subscriptionKey } });
    assert.equal(withOperatorToken.status, 401);
    const wrongKey = await a1.call('GET', `${VIEW}/deliveries`, { headers: { 'Ocp-Apim-Subscription-Key': MERCHANT_B.subscriptionKey } });
    assert.equal(wrongKey.status, 401, 'the subscription key and the token must be one merchant’s');
  });
});
