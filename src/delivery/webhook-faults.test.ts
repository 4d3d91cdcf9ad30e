// Fault injection for webhook delivery, and its absence: without faults every event reaches every
// registration exactly once; `duplicate` sends each one twice and the operator log says so; `delayMs`
// holds deliveries back (on the platform clock); `outOfOrder` lets later events of a payment overtake
// earlier ones. Server-wide (PUT /vipps-local/v1/webhook-faults) and per registration
// (PUT /vipps-local/v1/webhooks/{id}/faults).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_CREDENTIALS } from '../../test-support/merchants.ts';
import { Api } from '../../test-support/api-client.ts';
import { usePlatformServer } from '../../test-support/platform-server.ts';
import { assertSigned, deliveryLog, eventually, names, operatorPost, operatorPut, sleep, WebhookReceiver } from '../../test-support/webhook-receiver.ts';

const FLOW = ['epayments.payment.created.v1', 'epayments.payment.authorized.v1', 'epayments.payment.captured.v1', 'epayments.payment.refunded.v1'];
const NO_FAULTS = { duplicate: false, delayMs: 0, outOfOrder: false };

/** create → approve → capture → refund; returns the reference. */
async function fullFlow(api: Api): Promise<string> {
  const ref = await api.authorized({ amount: { currency: 'NOK', value: 10000 } });
  assert.equal((await api.capture(ref, 10000)).status, 200);
  assert.equal((await api.refund(ref, 2500)).status, 200);
  return ref;
}

/** How many times each (pspReference, name) arrived. */
function counts(arrivals: Array<{ body: any }>): Map<string, number> {
  const m = new Map<string, number>();
  for (const a of arrivals) {
    const key = `${a.body.pspReference}/${a.body.name}`;
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

describe('webhook fault injection', () => {
  const t = usePlatformServer({ webhookRetryDelaysMs: [50], webhookPollIntervalMs: 20 });
  let receiver: WebhookReceiver;
  let api: Api;

  before(async () => {
    receiver = await WebhookReceiver.start();
    api = new Api(t.server.url, DEFAULT_CREDENTIALS);
  });
  after(async () => {
    await receiver?.close();
  });

  /** Registers a webhook at `path` and deletes it after the test, so tests do not see each other's events. */
  async function register(path: string, events = FLOW): Promise<{ id: string; secret: string; url: string }> {
    const url = receiver.url(path);
    const r = await api.registeredWebhook(url, events);
    registered.push(r.id);
    return { ...r, url };
  }
  const registered: string[] = [];
  async function cleanUp(): Promise<void> {
    for (const id of registered.splice(0)) await api.deleteWebhook(id);
    assert.equal((await operatorPut(t.server.url, '/webhook-faults', {})).status, 200);
  }

  it('without faults, every event reaches every registration exactly once', async () => {
    try {
      const one = await register('/exact/one');
      const two = await register('/exact/two');
      const refs = await Promise.all(Array.from({ length: 10 }, () => fullFlow(api)));
      for (const path of ['/exact/one', '/exact/two']) await receiver.waitFor(() => receiver.at(path).length >= 40, `40 deliveries at ${path}`);
      await sleep(500); // time for anything extra to show up
      for (const [path, r] of [['/exact/one', one], ['/exact/two', two]] as const) {
        const arrivals = receiver.at(path);
        assert.equal(arrivals.length, 40);
        const c = counts(arrivals);
        assert.equal(c.size, 40, 'forty distinct events');
        assert.deepEqual(new Set(c.values()), new Set([1]), 'each exactly once');
        for (const ref of refs) {
          assert.deepEqual(arrivals.filter((a) => a.body.reference === ref).map((a) => a.body.name), ['CREATED', 'AUTHORIZED', 'CAPTURED', 'REFUNDED'], 'in order');
        }
        for (const a of arrivals) assertSigned(a, r.url, r.secret);
      }
      const log = await deliveryLog(t.server.url, { webhookId: one.id, limit: '1000' });
      assert.equal(log.length, 40);
      for (const d of log) {
        assert.equal(d.status, 'delivered');
        assert.deepEqual(d.attempts.map((x) => [x.statusCode, x.note]), [[200, null]]);
      }
    } finally {
      await cleanUp();
    }
  });

  it('the server-wide duplicate fault sends every event twice, and the log marks the second as the duplicate', async () => {
    try {
      const r = await register('/dup-all');
      const set = await operatorPut(t.server.url, '/webhook-faults', { duplicate: true });
      assert.deepEqual(set, { status: 200, body: { duplicate: true, delayMs: 0, outOfOrder: false } });
      assert.deepEqual(await fetch(`${t.server.url}/vipps-local/v1/webhook-faults`).then((x) => x.json()), { duplicate: true, delayMs: 0, outOfOrder: false });
      const refs = [await fullFlow(api), await fullFlow(api)];
      await receiver.waitFor(() => receiver.at('/dup-all').length >= 16, 'sixteen arrivals');
      await sleep(400);
      const arrivals = receiver.at('/dup-all');
      assert.equal(arrivals.length, 16);
      assert.deepEqual(new Set(counts(arrivals).values()), new Set([2]), 'each event exactly twice');
      for (const ref of refs) {
        assert.deepEqual(
          arrivals.filter((a) => a.body.reference === ref).map((a) => a.body.name),
          ['CREATED', 'CREATED', 'AUTHORIZED', 'AUTHORIZED', 'CAPTURED', 'CAPTURED', 'REFUNDED', 'REFUNDED'],
          'the duplicate follows its original, and order holds',
        );
      }
      for (const a of arrivals) assertSigned(a, r.url, r.secret);
      const log = await deliveryLog(t.server.url, { webhookId: r.id });
      assert.equal(log.length, 8, 'still one delivery per event');
      for (const d of log) {
        assert.equal(d.status, 'delivered');
        assert.deepEqual(d.attempts.map((x) => x.statusCode), [200, 200]);
        assert.equal(d.attempts[0]!.note, null);
        assert.match(d.attempts[1]!.note ?? '', /duplicate/);
      }
    } finally {
      await cleanUp();
    }
    assert.deepEqual(await fetch(`${t.server.url}/vipps-local/v1/webhook-faults`).then((x) => x.json()), NO_FAULTS, 'PUT {} clears the faults');
  });

  it('a registration’s own duplicate fault affects only that registration', async () => {
    try {
      const noisy = await register('/dup-one/noisy');
      const quiet = await register('/dup-one/quiet');
      const set = await operatorPut(t.server.url, `/webhooks/${noisy.id}/faults`, { duplicate: true });
      assert.deepEqual(set, { status: 200, body: { duplicate: true, delayMs: 0, outOfOrder: false } });
      await fullFlow(api);
      await receiver.waitFor(() => receiver.at('/dup-one/noisy').length >= 8 && receiver.at('/dup-one/quiet').length >= 4, 'all arrivals');
      await sleep(400);
      assert.deepEqual(new Set(counts(receiver.at('/dup-one/noisy')).values()), new Set([2]));
      assert.equal(receiver.at('/dup-one/noisy').length, 8);
      assert.deepEqual(new Set(counts(receiver.at('/dup-one/quiet')).values()), new Set([1]));
      assert.equal(receiver.at('/dup-one/quiet').length, 4);
      for (const a of receiver.at('/dup-one/quiet')) assertSigned(a, quiet.url, quiet.secret);
    } finally {
      await cleanUp();
    }
  });

  it('faults of an unknown registration answer 404; malformed faults answer 400', async () => {
    assert.equal((await operatorPut(t.server.url, '/webhooks/00000000-0000-4000-8000-000000000000/faults', { duplicate: true })).status, 404);
    assert.equal((await operatorPut(t.server.url, '/webhook-faults', { delayMs: -1 })).status, 400);
    assert.equal((await operatorPut(t.server.url, '/webhook-faults', { duplicates: true })).status, 400);
  });

  it('the server-wide delay fault holds deliveries back by that long after the event', async () => {
    try {
      await register('/delayed', ['epayments.payment.created.v1']);
      assert.equal((await operatorPut(t.server.url, '/webhook-faults', { delayMs: 500 })).status, 200);
      const before = Date.now();
      const ref = await api.created();
      await sleep(300);
      assert.equal(receiver.at('/delayed').length, 0, 'nothing before the delay is up');
      await receiver.waitFor(() => receiver.at('/delayed').length >= 1, 'the delayed delivery');
      const [a] = receiver.at('/delayed');
      assert.equal(a!.body.reference, ref);
      assert.ok(a!.at - before >= 500, `arrived ${a!.at - before} ms after the request`);
      assert.ok(a!.at - before < 1_500, `but not much later (${a!.at - before} ms)`);
    } finally {
      await cleanUp();
    }
  });

  it('a delay is measured on the platform clock: advancing the test clock releases delayed deliveries', async () => {
    try {
      const r = await register('/delay-clock', ['epayments.payment.created.v1']);
      assert.equal((await operatorPut(t.server.url, `/webhooks/${r.id}/faults`, { delayMs: 60_000 })).status, 200);
      await api.created();
      await sleep(500);
      assert.equal(receiver.at('/delay-clock').length, 0);
      assert.equal((await operatorPost(t.server.url, '/clock/advance', { seconds: 61 })).status, 200);
      await receiver.waitFor(() => receiver.at('/delay-clock').length >= 1, 'the delivery once the clock passed the delay', 2_000);
    } finally {
      await cleanUp();
    }
  });

  it('outOfOrder with a delay delivers later events of a payment first; a registration without faults still gets them in order', async () => {
    try {
      const shuffled = await register('/ooo/shuffled');
      const ordered = await register('/ooo/ordered');
      assert.equal((await operatorPut(t.server.url, `/webhooks/${shuffled.id}/faults`, { outOfOrder: true, delayMs: 60_000 })).status, 200);
      const ref = await fullFlow(api);
      await receiver.waitFor(() => receiver.at('/ooo/ordered').length >= 4, 'the ordered deliveries');
      await sleep(200);
      assert.equal(receiver.at('/ooo/shuffled').length, 0, 'held back by the delay');
      assert.equal((await operatorPost(t.server.url, '/clock/advance', { seconds: 61 })).status, 200);
      await receiver.waitFor(() => receiver.at('/ooo/shuffled').length >= 4, 'the shuffled deliveries', 2_000);
      await sleep(200);
      assert.deepEqual(receiver.at('/ooo/shuffled').map((a) => a.body.name), ['REFUNDED', 'CAPTURED', 'AUTHORIZED', 'CREATED'], 'newest first');
      assert.deepEqual(receiver.at('/ooo/ordered').map((a) => a.body.name), ['CREATED', 'AUTHORIZED', 'CAPTURED', 'REFUNDED']);
      for (const a of receiver.at('/ooo/shuffled')) {
        assert.equal(a.body.reference, ref);
        assertSigned(a, shuffled.url, shuffled.secret);
      }
    } finally {
      await cleanUp();
    }
  });

  it('outOfOrder lets later events pass an earlier one that keeps failing', async () => {
    try {
      const r = await register('/ooo-failing');
      await operatorPut(t.server.url, `/webhooks/${r.id}/faults`, { outOfOrder: true });
      receiver.answer = (a) => (a.path === '/ooo-failing' && a.body.name === 'CREATED' && receiver.at('/ooo-failing').filter((x) => x.body.name === 'CREATED').length < 4 ? 500 : 200);
      const ref = await api.authorized();
      await receiver.waitFor(() => receiver.at('/ooo-failing').some((a) => a.body.name === 'CREATED' && a.answer === 200), 'CREATED delivered at last');
      const arrivals = receiver.at('/ooo-failing');
      const authorized = arrivals.find((a) => a.body.name === 'AUTHORIZED')!;
      const createdOk = arrivals.find((a) => a.body.name === 'CREATED' && a.answer === 200)!;
      assert.ok(authorized.n < createdOk.n, `AUTHORIZED did not wait: ${names(arrivals).join(', ')}`);
      await eventually(async () => (await deliveryLog(t.server.url, { reference: ref, webhookId: r.id })).every((d) => d.status === 'delivered'), 'all delivered');
    } finally {
      receiver.answer = () => 200;
      await cleanUp();
    }
  });
});
