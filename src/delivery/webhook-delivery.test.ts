// Webhook delivery end to end: a real vipps-local and a real HTTP receiver on 127.0.0.1. Every
// ePayment event reaches every matching registration once, with the documented payload, signed as
// the platform signs (checked by an independent verifier written from the documentation); sales-unit
// and merchant-wide registrations get exactly their events; a deleted registration gets no more.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Api } from '../../test-support/api-client.ts';
import { credentialsOf, DEFAULT_CREDENTIALS, MERCHANT_A, MERCHANT_B } from '../../test-support/merchants.ts';
import { usePlatformServer } from '../../test-support/platform-server.ts';
import { specValidator } from '../../test-support/spec-validator.ts';
import {
  assertSigned,
  deliveryLog,
  eventually,
  expectedAuthorization,
  names,
  operatorPost,
  RFC_1123,
  sleep,
  WebhookReceiver,
  type Arrival,
} from '../../test-support/webhook-receiver.ts';

/** The eight ePayment event types, as the Webhooks API's events page lists them. */
const EPAYMENT_EVENTS = [
  'epayments.payment.created.v1',
  'epayments.payment.aborted.v1',
  'epayments.payment.expired.v1',
  'epayments.payment.cancelled.v1',
  'epayments.payment.captured.v1',
  'epayments.payment.refunded.v1',
  'epayments.payment.authorized.v1',
  'epayments.payment.terminated.v1',
];

const [MSN_A1, MSN_A2] = MERCHANT_A.salesUnits as [string, string];
const MSN_B = MERCHANT_B.salesUnits[0]!;

describe('the independent signature verifier', () => {
  it('reproduces the official test vector of the request-authentication page', () => {
    const got = expectedAuthorization({
      pathAndQuery: '/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63',
      host: 'webhook.site',
      date: 'Thu, 30 Mar 2023 08:38:32 GMT',
      rawBody: '{"some-unique-content":"ee6e441b-cc4a-46f8-895d-a5af79bcc233/hello-world"}',
      secret: 'A0+AeKBRG2KRGvnNwJpQlb6IJFk48CKXCIcrLoHncVJKDILsQSxS6NWCccwWm6r6FhGKhiHTBsG2wo/xU6FY/A==',
    });
    assert.equal(got.contentSha256, 'lNlsp1XA03N34HrQsVzPgJKtC+r7l/RBF4V3JQUWMj4=');
    assert.equal(
      got.stringToSign,
      'POST\n/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63\nThu, 30 Mar 2023 08:38:32 GMT;webhook.site;lNlsp1XA03N34HrQsVzPgJKtC+r7l/RBF4V3JQUWMj4=',
    );
    assert.equal(got.authorization, 'HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=');
    assert.match('Thu, 30 Mar 2023 08:38:32 GMT', RFC_1123);
  });
});

describe('webhook delivery to a real receiver', () => {
  const t = usePlatformServer({ merchants: [MERCHANT_A, MERCHANT_B], webhookRetryDelaysMs: [50], webhookPollIntervalMs: 20 });
  let receiver: WebhookReceiver;
  let a1: Api;
  let a2: Api;
  let b: Api;

  before(async () => {
    receiver = await WebhookReceiver.start();
    a1 = new Api(t.server.url, credentialsOf(MERCHANT_A, MSN_A1));
    a2 = new Api(t.server.url, credentialsOf(MERCHANT_A, MSN_A2));
    b = new Api(t.server.url, credentialsOf(MERCHANT_B));
  });
  after(async () => {
    await receiver?.close();
  });

  /** The payment's event log as GET …/events shows it, with the msn a webhook payload adds. */
  async function eventLog(api: Api, reference: string): Promise<Array<Record<string, unknown>>> {
    const res = await api.events(reference);
    assert.equal(res.status, 200, res.text);
    return (res.body as Array<Record<string, unknown>>).map((e) => ({ msn: api.credentials.msn, ...e }));
  }

  it('sends all eight ePayment events, each once, with the documented payload, signed with the secret from the 201', async () => {
    const hookUrl = receiver.url('/all-events/vipps?shop=a&x=1');
    const { secret } = await a1.registeredWebhook(hookUrl, EPAYMENT_EVENTS);
    const at = () => receiver.at('/all-events/');

    // CREATED → AUTHORIZED (with a profile scope, so `sub` is set) → CAPTURED → REFUNDED → CANCELLED
    const createKey = randomUUID();
    const createRes = await a1.createPayment({ amount: { currency: 'NOK', value: 30000 }, profile: { scope: 'name phoneNumber' } }, createKey);
    assert.equal(createRes.status, 201, createRes.text);
    const settled = createRes.body.reference as string;
    assert.equal((await a1.approve(settled)).status, 200);
    const captureKey = randomUUID();
    assert.equal((await a1.capture(settled, 20000, captureKey)).status, 200);
    const refundKey = randomUUID();
    assert.equal((await a1.refund(settled, 5000, refundKey)).status, 200);
    assert.equal((await a1.cancel(settled)).status, 200);
    // CREATED → TERMINATED (the merchant cancels before approval)
    const terminated = await a1.created();
    assert.equal((await a1.cancel(terminated)).status, 200);
    // CREATED → ABORTED (the user rejects in the app; no HTTP API reaches this use-case)
    const aborted = await a1.created();
    await t.server.platform.engine.reject({ msn: MSN_A1, reference: aborted });
    // CREATED → EXPIRED (time runs out)
    const expired = await a1.created();
    assert.equal((await operatorPost(t.server.url, '/clock/advance', { minutes: 11 })).status, 200);

    const expected = new Map<string, Array<Record<string, unknown>>>();
    for (const ref of [settled, terminated, aborted, expired]) expected.set(ref, await eventLog(a1, ref));
    assert.deepEqual(
      [...expected.values()].map((log) => log.map((e) => e.name)),
      [['CREATED', 'AUTHORIZED', 'CAPTURED', 'REFUNDED', 'CANCELLED'], ['CREATED', 'TERMINATED'], ['CREATED', 'ABORTED'], ['CREATED', 'EXPIRED']],
    );
    await receiver.waitFor(() => at().length >= 11, 'eleven deliveries');
    await sleep(300); // anything more would be a duplicate
    const arrivals = at();
    assert.equal(arrivals.length, 11, names(arrivals).join(', '));
    assert.deepEqual(new Set(arrivals.map((a) => a.body.name)), new Set(['CREATED', 'AUTHORIZED', 'CAPTURED', 'REFUNDED', 'CANCELLED', 'TERMINATED', 'ABORTED', 'EXPIRED']));

    const payment = (await a1.getPayment(settled)).body;
    assert.match(payment.profile.sub, /^[0-9a-f-]{36}$/);
    for (const a of arrivals) {
      assertSigned(a, hookUrl, secret);
      const schemaErrors = specValidator().checkSchema('epayment', 'WebhookEvent', a.body);
      assert.deepEqual(schemaErrors, [], `payload matches the spec's WebhookEvent: ${schemaErrors.join('; ')}`);
    }
    for (const [ref, log] of expected) {
      const got = arrivals.filter((a) => a.body.reference === ref).map((a) => a.body);
      // Same events, same order, and the payload is the event as the event log shows it, plus msn
      // (and, on AUTHORIZED of a payment that asked for a profile scope, the user's sub and details).
      const want = log.map((e) => (e.name === 'AUTHORIZED' && ref === settled ? { ...e, sub: payment.profile.sub, userDetails: got[1]?.userDetails } : e));
      assert.deepEqual(got, want, `payloads of ${ref}`);
    }
    const [created, authorized, captured, refunded, cancelled] = arrivals.filter((a) => a.body.reference === settled).map((a) => a.body);
    assert.deepEqual(Object.keys(created), ['msn', 'reference', 'pspReference', 'name', 'amount', 'timestamp', 'idempotencyKey', 'success']);
    assert.equal(created.idempotencyKey, createKey);
    assert.deepEqual(created.amount, { currency: 'NOK', value: 30000 });
    assert.equal(created.success, true);
    assert.equal(authorized.sub, payment.profile.sub, 'authorized carries sub when a profile scope was asked');
    assert.equal(authorized.userDetails?.firstName, 'Ada');
    assert.equal(captured.idempotencyKey, captureKey);
    assert.deepEqual(captured.amount, { currency: 'NOK', value: 20000 });
    assert.equal(refunded.idempotencyKey, refundKey);
    assert.deepEqual(refunded.amount, { currency: 'NOK', value: 5000 });
    assert.deepEqual(cancelled.amount, { currency: 'NOK', value: 10000 });
    for (const a of arrivals.filter((x) => x.body.name === 'AUTHORIZED' && x.body.reference !== settled)) assert.equal(a.body.sub, undefined);
    // Each attempt is signed when it is sent: x-ms-date is the sending time, not the event's.
    for (const a of arrivals) assert.ok(Math.abs(Date.parse(String(a.headers['x-ms-date'])) - a.at) < 2_000);
  });

  it('a registration gets only the event types it names', async () => {
    const hookUrl = receiver.url('/captured-only');
    const { secret } = await a1.registeredWebhook(hookUrl, ['epayments.payment.captured.v1']);
    const ref = await a1.authorized({ amount: { currency: 'NOK', value: 1000 } });
    assert.equal((await a1.capture(ref, 400)).status, 200);
    assert.equal((await a1.capture(ref, 600)).status, 200);
    await receiver.waitFor(() => receiver.at('/captured-only').length >= 2, 'two CAPTURED deliveries');
    await sleep(300);
    const arrivals = receiver.at('/captured-only');
    assert.deepEqual(
      arrivals.map((a) => [a.body.name, a.body.amount.value]),
      [['CAPTURED', 400], ['CAPTURED', 600]],
    );
    for (const a of arrivals) assertSigned(a, hookUrl, secret);
  });

  it('every registration that listens gets its own delivery, signed with its own secret', async () => {
    const one = receiver.url('/two-registrations/one');
    const two = receiver.url('/two-registrations/two');
    const r1 = await a1.registeredWebhook(one, ['epayments.payment.created.v1']);
    const r2 = await a1.registeredWebhook(two, ['epayments.payment.created.v1']);
    assert.notEqual(r1.secret, r2.secret);
    const ref = await a1.created();
    await receiver.waitFor(() => receiver.at('/two-registrations/').length >= 2, 'one delivery per registration');
    await sleep(200);
    const [x] = receiver.at('/two-registrations/one');
    const [y] = receiver.at('/two-registrations/two');
    assert.equal(receiver.at('/two-registrations/').length, 2);
    assert.equal(x!.body.reference, ref);
    assert.equal(y!.body.reference, ref);
    assertSigned(x!, one, r1.secret);
    assertSigned(y!, two, r2.secret);
    assert.throws(() => assertSigned(x!, one, r2.secret), 'another registration’s secret does not verify');
  });

  it('a sales-unit registration gets only that unit’s events; a merchant-wide one gets every unit of its merchant; another merchant’s get none', async () => {
    const events = ['epayments.payment.created.v1'];
    const unit1 = receiver.url('/scope/a1');
    const unit2 = receiver.url('/scope/a2');
    const wide = receiver.url('/scope/a-all');
    const other = receiver.url('/scope/b');
    const secrets = {
      unit1: (await a1.registeredWebhook(unit1, events)).secret,
      unit2: (await a2.registeredWebhook(unit2, events)).secret,
      wide: (await a1.registeredWebhook(wide, events, { withoutMsn: true })).secret,
      other: (await b.registeredWebhook(other, events)).secret,
    };
    const in1 = await a1.created();
    const in2 = await a2.created();
    const inB = await b.created();
    await receiver.waitFor(() => receiver.at('/scope/').length >= 5, 'five deliveries');
    await sleep(300);
    const refs = (path: string) => receiver.at(path).map((a: Arrival) => `${a.body.msn}:${a.body.reference}`);
    assert.deepEqual(refs('/scope/a1'), [`${MSN_A1}:${in1}`]);
    assert.deepEqual(refs('/scope/a2'), [`${MSN_A2}:${in2}`]);
    assert.deepEqual(refs('/scope/a-all').sort(), [`${MSN_A1}:${in1}`, `${MSN_A2}:${in2}`].sort());
    assert.deepEqual(refs('/scope/b'), [`${MSN_B}:${inB}`]);
    for (const a of receiver.at('/scope/a1')) assertSigned(a, unit1, secrets.unit1);
    for (const a of receiver.at('/scope/a2')) assertSigned(a, unit2, secrets.unit2);
    for (const a of receiver.at('/scope/a-all')) assertSigned(a, wide, secrets.wide);
    for (const a of receiver.at('/scope/b')) assertSigned(a, other, secrets.other);
  });

  it('DELETE stops deliveries, including retries of a delivery that is still failing', async () => {
    const hookUrl = receiver.url('/deleted');
    const { id } = await a1.registeredWebhook(hookUrl, ['epayments.payment.created.v1']);
    const before = await a1.created();
    await receiver.waitFor(() => receiver.at('/deleted').length >= 1, 'the delivery before DELETE');

    // Now the receiver fails, so a delivery keeps being retried every 50 ms ...
    const previous = receiver.answer;
    receiver.answer = (a) => (a.path.startsWith('/deleted') ? 503 : previous(a));
    try {
      const failing = await a1.created();
      await receiver.waitFor(() => receiver.at('/deleted').filter((a) => a.body.reference === failing).length >= 2, 'retries');
      // ... until the registration is deleted.
      assert.equal((await a1.deleteWebhook(id)).status, 204);
      await sleep(150); // an attempt already on the wire may still land
      const count = receiver.at('/deleted').length;
      const afterDelete = await a1.created();
      await sleep(400);
      assert.equal(receiver.at('/deleted').length, count, 'no attempt after the deletion settled');
      assert.ok(!receiver.at('/deleted').some((a) => a.body.reference === afterDelete), 'no delivery for an event after DELETE');
      assert.equal(receiver.at('/deleted').filter((a) => a.body.reference === before).length, 1);
    } finally {
      receiver.answer = previous;
    }
  });

  it('the operator log shows each delivery with its payload, status and attempts', async () => {
    const hookUrl = receiver.url('/log');
    const { id } = await a1.registeredWebhook(hookUrl, ['epayments.payment.created.v1', 'epayments.payment.authorized.v1']);
    const ref = await a1.authorized();
    await receiver.waitFor(() => receiver.at('/log').length >= 2, 'two deliveries');
    await eventually(async () => (await deliveryLog(t.server.url, { reference: ref })).every((d) => d.status === 'delivered'), 'both delivered');
    const log = await deliveryLog(t.server.url, { reference: ref, webhookId: id });
    assert.deepEqual(
      log.map((d) => [d.eventType, d.status, d.payload.name, d.msn, d.url, d.attempts.map((x) => x.statusCode)]),
      [
        ['epayments.payment.created.v1', 'delivered', 'CREATED', MSN_A1, hookUrl, [200]],
        ['epayments.payment.authorized.v1', 'delivered', 'AUTHORIZED', MSN_A1, hookUrl, [200]],
      ],
    );
    for (const d of log) {
      assert.equal(d.attempts[0]!.error, null);
      assert.equal(d.attempts[0]!.note, null);
      assert.equal(d.attempts[0]!.responseExcerpt, 'answered 200');
      assert.ok(d.deliveredAt !== null && Date.parse(d.deliveredAt) >= Date.parse(d.createdAt));
      assert.ok(!('secret' in d), 'the log does not show the secret');
    }
  });
});

describe('webhook delivery does not wait for the poll', () => {
  // With a poll interval of a minute, only the wake-ups after each commit and each finished send
  // can move deliveries along: one lost wake-up would leave an event waiting for a minute.
  const t = usePlatformServer({ webhookPollIntervalMs: 60_000 });
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await WebhookReceiver.start();
  });
  after(async () => {
    await receiver?.close();
  });

  it('every event of 30 concurrent flows to 3 registrations arrives promptly', async () => {
    const api = new Api(t.server.url, DEFAULT_CREDENTIALS);
    const events = ['epayments.payment.created.v1', 'epayments.payment.authorized.v1', 'epayments.payment.captured.v1'];
    for (const path of ['/prompt/1', '/prompt/2', '/prompt/3']) await api.registeredWebhook(receiver.url(path), events);
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const ref = await api.authorized();
          assert.equal((await api.capture(ref, 49900)).status, 200);
        }),
      );
    }
    await receiver.waitFor(() => receiver.arrivals.length >= 270, 'all 270 deliveries', 10_000);
    await sleep(200);
    assert.equal(receiver.arrivals.length, 270);
  });
});
