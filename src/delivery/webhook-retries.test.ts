// Failed deliveries are retried, and every attempt is on record: non-2xx answers, dropped and refused
// connections and receivers that do not answer in time are failures; any 2xx is success. A failing
// event holds back later events of the same payment for that registration only. After 7 days a
// delivery is given up.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_CREDENTIALS } from '../../test-support/merchants.ts';
import { Api } from '../../test-support/api-client.ts';
import { usePlatformServer } from '../../test-support/platform-server.ts';
import {
  assertSigned,
  deliveryLog,
  delivered,
  eventually,
  names,
  operatorPost,
  sleep,
  WebhookReceiver,
  type Arrival,
} from '../../test-support/webhook-receiver.ts';

const CREATED = ['epayments.payment.created.v1'];
const FLOW = ['epayments.payment.created.v1', 'epayments.payment.authorized.v1', 'epayments.payment.captured.v1'];

/** The default merchant's client, for a server started with the default config. */
function apiOf(server: { url: string }): Api {
  return new Api(server.url, DEFAULT_CREDENTIALS);
}

describe('webhook retries (retry delay 50 ms)', () => {
  const t = usePlatformServer({ webhookRetryDelaysMs: [50], webhookPollIntervalMs: 20 });
  let receiver: WebhookReceiver;
  let api: Api;

  before(async () => {
    receiver = await WebhookReceiver.start();
    api = apiOf(t.server);
  });
  after(async () => {
    await receiver?.close();
  });

  it('a receiver that fails three times gets the event on the fourth attempt; the operator log shows all four', async () => {
    const hookUrl = receiver.url('/three-failures');
    const { id, secret } = await api.registeredWebhook(hookUrl, CREATED);
    receiver.answer = (a) => (a.path === '/three-failures' && receiver.at('/three-failures').length < 3 ? 500 : 200);
    const ref = await api.created();
    await receiver.waitFor(() => receiver.at('/three-failures').length >= 4, 'four attempts');
    await sleep(200);
    const arrivals = receiver.at('/three-failures');
    assert.deepEqual(arrivals.map((a) => a.answer), [500, 500, 500, 200]);
    // The same event every time, byte for byte, each attempt freshly signed.
    assert.equal(new Set(arrivals.map((a) => a.raw.toString('base64'))).size, 1);
    for (const a of arrivals) assertSigned(a, hookUrl, secret);
    for (let i = 1; i < arrivals.length; i++) assert.ok(arrivals[i]!.at - arrivals[i - 1]!.at >= 45, 'attempts wait for the retry delay');

    await eventually(async () => (await deliveryLog(t.server.url, { webhookId: id }))[0]?.status === 'delivered', 'delivered in the log');
    const [d] = await deliveryLog(t.server.url, { webhookId: id });
    assert.equal(d!.reference, ref);
    assert.deepEqual(d!.attempts.map((x) => [x.attempt, x.statusCode]), [[1, 500], [2, 500], [3, 500], [4, 200]]);
    assert.deepEqual(d!.attempts.map((x) => x.responseExcerpt), ['answered 500', 'answered 500', 'answered 500', 'answered 200']);
    assert.equal(d!.deliveredAt, d!.attempts[3]!.at);
  });

  it('any 2xx is success: 201, 202, 204 and 299 are delivered at the first attempt', async () => {
    const statuses = [201, 202, 204, 299];
    for (const status of statuses) await api.registeredWebhook(receiver.url(`/status-${status}`), CREATED);
    receiver.answer = (a) => (a.path.startsWith('/status-') ? Number(a.path.slice('/status-'.length)) : 200);
    await api.created();
    await receiver.waitFor(() => receiver.at('/status-').length >= 4, 'the four deliveries');
    await sleep(300);
    for (const status of statuses) assert.deepEqual(receiver.at(`/status-${status}`).map((a) => a.answer), [status], `${status} is not retried`);
  });

  it('4xx, 5xx, a redirect (never followed), a dropped connection and a refused connection are failures that are retried and recorded', async () => {
    const answers = { '/fail-400': 400, '/fail-404': 404, '/fail-410': 410, '/fail-302': 302, '/fail-503': 503, '/fail-close': 'close' } as const;
    const ids = new Map<string, string>();
    for (const path of Object.keys(answers)) ids.set(path, (await api.registeredWebhook(receiver.url(path), CREATED)).id);
    // Nobody listens on this port: connections are refused.
    const down = await WebhookReceiver.start();
    const refusedUrl = down.url('/refused');
    await down.close();
    const refusedId = (await api.registeredWebhook(refusedUrl, CREATED)).id;

    // Each receiver fails twice, then accepts.
    receiver.answer = (a) => {
      const answer = answers[a.path as keyof typeof answers];
      if (answer === undefined) return 200;
      return receiver.at(a.path).length < 2 ? answer : 200;
    };
    const ref = await api.created();
    for (const path of Object.keys(answers)) await receiver.waitFor(() => receiver.at(path).length >= 3, `three attempts at ${path}`);

    for (const [path, answer] of Object.entries(answers)) {
      assert.deepEqual(receiver.at(path).map((a) => a.body.reference), [ref, ref, ref], path);
      await eventually(async () => (await deliveryLog(t.server.url, { webhookId: ids.get(path)! }))[0]!.status === 'delivered', `${path} delivered`);
      const log = (await deliveryLog(t.server.url, { webhookId: ids.get(path)! }))[0]!;
      assert.deepEqual(log.attempts.map((x) => x.statusCode), answer === 'close' ? [null, null, 200] : [answer, answer, 200], path);
      if (answer === 'close') for (const x of log.attempts.slice(0, 2)) assert.ok(x.error && x.error.length > 0, `${path}: the error is recorded`);
    }

    await eventually(async () => ((await deliveryLog(t.server.url, { webhookId: refusedId }))[0]?.attempts.length ?? 0) >= 3, 'three refused attempts');
    const [refused] = await deliveryLog(t.server.url, { webhookId: refusedId });
    assert.equal(refused!.status, 'pending', 'a refused delivery stays pending and is tried again');
    for (const x of refused!.attempts) {
      assert.equal(x.statusCode, null);
      assert.match(x.error ?? '', /ECONNREFUSED/);
    }
    await api.deleteWebhook(refusedId);
  });

  it('a failing event holds back later events of that payment for that registration only; other payments and registrations are not held back', async () => {
    const failingUrl = receiver.url('/order/failing');
    const healthyUrl = receiver.url('/order/healthy');
    const failing = await api.registeredWebhook(failingUrl, FLOW);
    const healthy = await api.registeredWebhook(healthyUrl, FLOW);
    const first = await api.created();
    // The failing receiver refuses the first payment's CREATED six times.
    receiver.answer = (a) =>
      a.path === '/order/failing' && a.body.reference === first && a.body.name === 'CREATED' && receiver.at('/order/failing').filter((x) => x.body.reference === first).length < 6 ? 500 : 200;
    assert.equal((await api.approve(first)).status, 200);
    assert.equal((await api.capture(first, 49900)).status, 200);
    const second = await api.authorized();
    assert.equal((await api.capture(second, 49900)).status, 200);

    await receiver.waitFor(() => delivered(receiver.at('/order/failing')).length >= 6 && receiver.at('/order/healthy').length >= 6, 'all six events at both');
    await sleep(300);
    const atFailing = receiver.at('/order/failing');
    const ofFirst = atFailing.filter((a) => a.body.reference === first);
    assert.deepEqual(
      ofFirst.map((a) => `${a.body.name}:${a.answer}`),
      ['CREATED:500', 'CREATED:500', 'CREATED:500', 'CREATED:500', 'CREATED:500', 'CREATED:500', 'CREATED:200', 'AUTHORIZED:200', 'CAPTURED:200'],
      'later events of the payment wait until its CREATED is delivered',
    );
    const createdDelivered = ofFirst[6]!;
    const ofSecond = atFailing.filter((a) => a.body.reference === second);
    assert.deepEqual(names(ofSecond), [`${second}/CREATED`, `${second}/AUTHORIZED`, `${second}/CAPTURED`]);
    assert.ok(
      ofSecond.every((a) => a.n < createdDelivered.n),
      `another payment's events are not held back: ${names(atFailing).join(', ')}`,
    );
    // The healthy registration got the first payment's later events while the failing one still retried.
    const healthyFirst = receiver.at('/order/healthy').filter((a) => a.body.reference === first);
    assert.deepEqual(healthyFirst.map((a) => a.body.name), ['CREATED', 'AUTHORIZED', 'CAPTURED']);
    assert.ok(healthyFirst[2]!.n < createdDelivered.n, 'another registration is not held back');
    for (const a of atFailing) assertSigned(a, failingUrl, failing.secret);
    for (const a of receiver.at('/order/healthy')) assertSigned(a, healthyUrl, healthy.secret);
  });

  it('a delivery still failing 7 days after its event is given up; later events of the payment then go out', async () => {
    const hookUrl = receiver.url('/give-up');
    const { id } = await api.registeredWebhook(hookUrl, FLOW);
    const ref = await api.created();
    receiver.answer = (a) => (a.path === '/give-up' && a.body.name === 'CREATED' ? 500 : 200);
    await receiver.waitFor(() => receiver.at('/give-up').length >= 2, 'retries');
    assert.equal((await api.approve(ref)).status, 200);
    await sleep(200);
    assert.ok(!receiver.at('/give-up').some((a) => a.body.name === 'AUTHORIZED'), 'held back while CREATED is retried');

    assert.equal((await operatorPost(t.server.url, '/clock/advance', { days: 7 })).status, 200);
    api.forgetToken();
    await receiver.waitFor(() => receiver.at('/give-up').some((a) => a.body.name === 'AUTHORIZED'), 'AUTHORIZED after CREATED was given up');
    const tries = receiver.at('/give-up').filter((a) => a.body.name === 'CREATED').length;
    await sleep(300);
    assert.equal(receiver.at('/give-up').filter((a) => a.body.name === 'CREATED').length, tries, 'no attempt after giving up');
    const log = await deliveryLog(t.server.url, { webhookId: id });
    assert.deepEqual(log.map((d) => [d.payload.name, d.status]), [['CREATED', 'failed'], ['AUTHORIZED', 'delivered']]);
    assert.equal(log[0]!.attempts.length, tries);
    assert.ok(log[0]!.attempts.every((x) => x.statusCode === 500));
  });
});

describe('webhook timeout (webhookTimeoutMs: 300)', () => {
  const t = usePlatformServer({ webhookRetryDelaysMs: [50], webhookPollIntervalMs: 20, webhookTimeoutMs: 300 });
  let receiver: WebhookReceiver;
  let api: Api;

  before(async () => {
    receiver = await WebhookReceiver.start();
    api = apiOf(t.server);
  });
  after(async () => {
    await receiver?.close();
  });

  it('a receiver that does not answer in time is a failure recorded with the timeout, and is retried', async () => {
    const { id } = await api.registeredWebhook(receiver.url('/hangs-once'), CREATED);
    receiver.answer = (a) => (a.path === '/hangs-once' && receiver.at('/hangs-once').length === 0 ? 'hang' : 200);
    const ref = await api.created();
    await receiver.waitFor(() => receiver.at('/hangs-once').length >= 2, 'the retry');
    const [first, second] = receiver.at('/hangs-once') as [Arrival, Arrival];
    assert.ok(second.at - first.at >= 300, `the retry came after the timeout (${second.at - first.at} ms)`);
    await eventually(async () => (await deliveryLog(t.server.url, { webhookId: id }))[0]?.status === 'delivered', 'delivered');
    const [d] = await deliveryLog(t.server.url, { webhookId: id });
    assert.equal(d!.reference, ref);
    const [timedOut, ok] = d!.attempts;
    assert.equal(timedOut!.statusCode, null);
    assert.match(timedOut!.error ?? '', /no answer within 300 ms/);
    assert.ok(timedOut!.latencyMs >= 290 && timedOut!.latencyMs < 2_000, `latency ${timedOut!.latencyMs}`);
    assert.equal(ok!.statusCode, 200);
  });

  it('an answer that comes within the time is success; one that comes too late is not', async () => {
    const { id } = await api.registeredWebhook(receiver.url('/slow'), CREATED);
    receiver.answer = (a) => (a.path === '/slow' ? { status: 200, afterMs: receiver.at('/slow').length === 0 ? 600 : 100 } : 200);
    await api.created();
    await receiver.waitFor(() => receiver.at('/slow').length >= 2, 'the retry of the late answer');
    await eventually(async () => (await deliveryLog(t.server.url, { webhookId: id }))[0]?.status === 'delivered', 'delivered');
    await sleep(300);
    const [d] = await deliveryLog(t.server.url, { webhookId: id });
    assert.deepEqual(d!.attempts.map((x) => x.statusCode), [null, 200], 'a 200 after 600 ms is too late; one after 100 ms is in time');
    assert.equal(receiver.at('/slow').length, 2);
  });

  it('a receiver that never answers does not hold back deliveries to other registrations', async () => {
    await api.registeredWebhook(receiver.url('/stuck'), FLOW);
    await api.registeredWebhook(receiver.url('/fine'), FLOW);
    receiver.answer = (a) => (a.path === '/stuck' ? 'hang' : 200);
    const started = Date.now();
    const ref = await api.authorized();
    assert.equal((await api.capture(ref, 49900)).status, 200);
    await receiver.waitFor(() => receiver.at('/fine').length >= 3, 'the healthy registration’s deliveries', 5_000);
    const fine = receiver.at('/fine');
    assert.deepEqual(fine.map((a) => a.body.name), ['CREATED', 'AUTHORIZED', 'CAPTURED']);
    // Each attempt at the stuck receiver lasts 300 ms (the timeout); had the healthy registration
    // waited for it, its last event could not arrive before that first attempt had timed out.
    const stuckFirst = receiver.at('/stuck')[0]!;
    assert.ok(fine[2]!.at - stuckFirst.at < 300, `delivered ${fine[2]!.at - stuckFirst.at} ms after the stuck receiver's first attempt began`);
    assert.ok(fine[2]!.at - started < 5_000);
  });
});

describe('webhook retries on the platform schedule (no override)', () => {
  const t = usePlatformServer({ webhookPollIntervalMs: 20 });
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await WebhookReceiver.start();
  });
  after(async () => {
    await receiver?.close();
  });

  it('the second attempt comes about 2 seconds after the first failure', async () => {
    const api = apiOf(t.server);
    await api.registeredWebhook(receiver.url('/schedule'), CREATED);
    receiver.answer = () => (receiver.arrivals.length === 0 ? 500 : 200);
    await api.created();
    await receiver.waitFor(() => receiver.arrivals.length >= 2, 'the retry', 5_000);
    const gap = receiver.arrivals[1]!.at - receiver.arrivals[0]!.at;
    assert.ok(gap >= 1_900 && gap < 3_000, `retried after ${gap} ms`);
  });
});
