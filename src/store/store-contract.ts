// The one contract every Store implementation must pass. Each implementation's test file calls
// storeContract() with a factory; the tests themselves never change per store.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Payment, PaymentEvent } from '../domain/payment.ts';
import { DuplicatePaymentError, NO_FAULTS, VersionConflictError, type NewDelivery, type Store, type WebhookRegistration } from './store.ts';

export function samplePayment(over: Partial<Payment> = {}): Payment {
  return {
    msn: '123456',
    reference: 'order-contract-1',
    state: 'CREATED',
    currency: 'NOK',
    amount: 1000,
    authorized: 0,
    cancelled: 0,
    captured: 0,
    refunded: 0,
    pspReference: 'psp-created',
    token: `token-${over.reference ?? 'order-contract-1'}`,
    createdAt: 1_000,
    expiresAt: 601_000,
    terms: { userFlow: 'WEB_REDIRECT', paymentMethod: { type: 'WALLET' }, customerInteraction: 'CUSTOMER_NOT_PRESENT', longLiving: false },
    version: 1,
    ...over,
  };
}

let seq = 0;
function sampleEvent(p: Payment, name: PaymentEvent['name'], amount: number, ts: number): PaymentEvent {
  return { msn: p.msn, reference: p.reference, pspReference: `psp-${name}-${ts}`, name, currency: p.currency, amount, timestamp: ts, success: true, idempotencyKey: null, seq: ++seq };
}

export function sampleWebhook(over: Partial<WebhookRegistration> = {}): WebhookRegistration {
  return {
    id: '3f0c2b9e-0000-4000-8000-000000000001',
    clientId: 'client-a',
    msn: '123456',
    url: 'http://127.0.0.1:9/hook',
    events: ['epayments.payment.captured.v1'],
    secret: 'secret',
    createdAt: 1,
    faults: NO_FAULTS,
    ...over,
  };
}

function sampleDelivery(over: Partial<NewDelivery> = {}): NewDelivery {
  return {
    webhookId: '3f0c2b9e-0000-4000-8000-000000000001',
    msn: '123456',
    reference: 'order-1',
    eventType: 'epayments.payment.captured.v1',
    payload: '{"n":1}',
    createdAt: 100,
    nextAttemptAt: 100,
    ...over,
  };
}

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores a payment and reads it back', async () => {
      const p = samplePayment();
      await store.transaction(async (tx) => tx.insertPayment(p));
      assert.deepEqual(await store.getPayment(p.msn, p.reference), p);
      assert.equal(await store.getPayment('999999', p.reference), null, 'references are scoped per MSN');
    });

    it('rejects a second payment with the same MSN and reference', async () => {
      const p = samplePayment();
      await store.transaction(async (tx) => tx.insertPayment(p));
      await assert.rejects(store.transaction(async (tx) => tx.insertPayment({ ...p, token: 'other' })), DuplicatePaymentError);
      await store.transaction(async (tx) => tx.insertPayment({ ...p, msn: '654321', token: 'other' }));
    });

    it('updates only from the expected version and detects a lost update', async () => {
      const p = samplePayment();
      await store.transaction(async (tx) => tx.insertPayment(p));
      const next = { ...p, state: 'AUTHORIZED' as const, authorized: 1000, version: 2 };
      await store.transaction(async (tx) => tx.updatePayment(next));
      await assert.rejects(store.transaction(async (tx) => tx.updatePayment({ ...p, version: 2, captured: 1 })), VersionConflictError);
      assert.deepEqual(await store.getPayment(p.msn, p.reference), next);
    });

    it('rolls back every write of a transaction that throws', async () => {
      const p = samplePayment();
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.insertPayment(p);
          await tx.appendEvent(sampleEvent(p, 'CREATED', 1000, 1));
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await store.getPayment(p.msn, p.reference), null);
      assert.deepEqual(await store.listEvents(p.msn, p.reference), []);
    });

    it('transactions started together are independent: one that throws after writing takes none of the others with it', async () => {
      const [first, failing, last] = ['together-1', 'together-2', 'together-3'].map((reference) => samplePayment({ reference }));
      const write = (p: Payment, fail: boolean) =>
        store.transaction(async (tx) => {
          await tx.insertPayment(p);
          await tx.appendEvent(sampleEvent(p, 'CREATED', 1000, 1));
          if (fail) throw new Error(`boom ${p.reference}`);
          return p.reference;
        });
      // Started in one turn of the event loop, so a store that batches commits puts them in one batch.
      const results = await Promise.allSettled([write(first!, false), write(failing!, true), write(last!, false)]);
      assert.deepEqual(
        results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason))),
        ['together-1', 'Error: boom together-2', 'together-3'],
      );
      assert.deepEqual(await store.getPayment(first!.msn, first!.reference), first);
      assert.equal(await store.getPayment(failing!.msn, failing!.reference), null);
      assert.deepEqual(await store.listEvents(failing!.msn, failing!.reference), []);
      assert.deepEqual(await store.getPayment(last!.msn, last!.reference), last);
      assert.deepEqual((await store.listEvents(last!.msn, last!.reference)).map((e) => e.name), ['CREATED']);
    });

    it('lists events of one payment in the order they were appended', async () => {
      const p = samplePayment();
      const events = [sampleEvent(p, 'CREATED', 1000, 1), sampleEvent(p, 'AUTHORIZED', 1000, 2), sampleEvent(p, 'CAPTURED', 300, 2)];
      await store.transaction(async (tx) => {
        await tx.insertPayment(p);
        for (const e of events) await tx.appendEvent(e);
      });
      const other = samplePayment({ reference: 'other-payment' });
      await store.transaction(async (tx) => {
        await tx.insertPayment(other);
        await tx.appendEvent(sampleEvent(other, 'CREATED', 5, 3));
      });
      assert.deepEqual(await store.listEvents(p.msn, p.reference), events);
    });

    it('keeps idempotency records per MSN, operation and key', async () => {
      const rec = { msn: '123456', operation: 'capture' as const, key: 'k1', requestHash: 'h', outcome: { ok: true as const, value: { a: 1 } }, createdAt: 10 };
      await store.transaction(async (tx) => tx.putIdempotency(rec));
      await store.transaction(async (tx) => {
        assert.deepEqual(await tx.getIdempotency('123456', 'capture', 'k1'), rec);
        assert.equal(await tx.getIdempotency('123456', 'refund', 'k1'), null);
        assert.equal(await tx.getIdempotency('654321', 'capture', 'k1'), null);
      });
      const err = { ...rec, key: 'k2', outcome: { ok: false as const, error: { code: '6090', status: 400, title: 't', detail: 'd' } } };
      await store.transaction(async (tx) => tx.putIdempotency(err));
      await store.transaction(async (tx) => assert.deepEqual(await tx.getIdempotency('123456', 'capture', 'k2'), err));
    });

    it('prunes idempotency records older than the cut-off', async () => {
      await store.transaction(async (tx) => {
        await tx.putIdempotency({ msn: '1234', operation: 'create', key: 'old', requestHash: 'h', outcome: { ok: true, value: 1 }, createdAt: 100 });
        await tx.putIdempotency({ msn: '1234', operation: 'create', key: 'new', requestHash: 'h', outcome: { ok: true, value: 1 }, createdAt: 300 });
      });
      assert.equal(await store.pruneIdempotency(200), 1);
      await store.transaction(async (tx) => {
        assert.equal(await tx.getIdempotency('1234', 'create', 'old'), null);
        assert.notEqual(await tx.getIdempotency('1234', 'create', 'new'), null);
      });
    });

    it('never prunes a record from the cut-off on, even one written before an older one (a wall-clock step back)', async () => {
      const put = (key: string, createdAt: number) =>
        store.transaction(async (tx) => tx.putIdempotency({ msn: '1234', operation: 'refund', key, requestHash: 'h', outcome: { ok: true, value: 1 }, createdAt }));
      await put('a-old', 100);
      await put('b-young', 300);
      await put('c-older-but-later', 150);
      await store.pruneIdempotency(200);
      await store.transaction(async (tx) => {
        assert.equal(await tx.getIdempotency('1234', 'refund', 'a-old'), null, 'the old record written first is pruned');
        assert.notEqual(await tx.getIdempotency('1234', 'refund', 'b-young'), null, 'a record younger than the cut-off stays');
      });
    });

    it('lists CREATED payments whose deadline has passed, and only those', async () => {
      await store.transaction(async (tx) => {
        await tx.insertPayment(samplePayment({ reference: 'due-1', expiresAt: 100 }));
        await tx.insertPayment(samplePayment({ reference: 'due-2', expiresAt: 200 }));
        await tx.insertPayment(samplePayment({ reference: 'later', expiresAt: 10_000 }));
        await tx.insertPayment(samplePayment({ reference: 'done', expiresAt: 50, state: 'AUTHORIZED' }));
      });
      const due = await store.listDuePayments(200, 10);
      assert.deepEqual(due.map((d) => d.reference).sort(), ['due-1', 'due-2']);
      assert.equal((await store.listDuePayments(200, 1)).length, 1);
    });

    it('lists the payments of a customer phone, newest first, including one whose phone was set by an update', async () => {
      const ada = '4712345678';
      await store.transaction(async (tx) => {
        await tx.insertPayment(samplePayment({ reference: 'phone-old', customerPhone: ada, createdAt: 100 }));
        await tx.insertPayment(samplePayment({ reference: 'phone-new', customerPhone: ada, createdAt: 300 }));
        await tx.insertPayment(samplePayment({ reference: 'phone-other', customerPhone: '4798765432', createdAt: 200 }));
        await tx.insertPayment(samplePayment({ reference: 'phone-none', createdAt: 400 }));
        await tx.insertPayment(samplePayment({ reference: 'phone-later', createdAt: 250 }));
      });
      const later = (await store.getPayment('123456', 'phone-later'))!;
      await store.transaction(async (tx) => tx.updatePayment({ ...later, customerPhone: ada, version: later.version + 1 }));

      const listed = await store.listPaymentsByCustomerPhone(ada, 10);
      assert.deepEqual(listed.map((p) => p.reference), ['phone-new', 'phone-later', 'phone-old']);
      assert.deepEqual(listed[1], { ...later, customerPhone: ada, version: later.version + 1 }, 'whole payments come back');
      assert.deepEqual((await store.listPaymentsByCustomerPhone(ada, 2)).map((p) => p.reference), ['phone-new', 'phone-later']);
      assert.deepEqual(await store.listPaymentsByCustomerPhone('4700000000', 10), []);
    });

    it('keeps the first value of a setting and survives reset', async () => {
      assert.equal(await store.initSetting('secret', 'first'), 'first');
      assert.equal(await store.initSetting('secret', 'second'), 'first');
      await store.transaction(async (tx) => tx.insertPayment(samplePayment()));
      await store.reset();
      assert.equal(await store.getSetting('secret'), 'first');
      assert.equal(await store.getPayment('123456', 'order-contract-1'), null);
    });

    it('keeps webhook registrations per merchant and scope; a merchant-wide one receives every sales unit', async () => {
      const own = sampleWebhook();
      const wide = sampleWebhook({ id: '3f0c2b9e-0000-4000-8000-000000000002', msn: null, createdAt: 2 });
      const other = sampleWebhook({ id: '3f0c2b9e-0000-4000-8000-000000000003', clientId: 'client-b', msn: '123456', createdAt: 3 });
      await store.transaction(async (tx) => {
        for (const w of [own, wide, other]) await tx.insertWebhook(w);
      });
      await store.transaction(async (tx) => {
        assert.deepEqual(await tx.listWebhooks('client-a', '123456'), [own]);
        assert.deepEqual(await tx.listWebhooks('client-a', null), [wide]);
        assert.deepEqual(await tx.webhooksReceiving('client-a', '123456'), [own, wide]);
        assert.deepEqual(await tx.webhooksReceiving('client-a', '999999'), [wide]);
        assert.equal(await tx.deleteWebhook('client-b', '123456', own.id), false, 'another merchant cannot delete it');
        assert.equal(await tx.deleteWebhook('client-a', '123456', own.id), true);
        assert.deepEqual(await tx.listWebhooks('client-a', '123456'), []);
      });
    });

    it('who receives an event follows registrations as they are added, changed and deleted', async () => {
      const receiving = () => store.transaction(async (tx) => tx.webhooksReceiving('client-a', '123456'));
      assert.deepEqual(await receiving(), []);
      const hook = sampleWebhook();
      await store.transaction(async (tx) => tx.insertWebhook(hook));
      assert.deepEqual(await receiving(), [hook]);
      const faults = { ...hook.faults, delayMs: 250 };
      assert.equal(await store.setWebhookFaults(hook.id, faults), true);
      assert.deepEqual((await receiving()).map((w) => w.faults), [faults]);
      await store.transaction(async (tx) => tx.deleteWebhook('client-a', '123456', hook.id));
      assert.deepEqual(await receiving(), []);
    });

    it('claims only due deliveries, only the oldest pending one per registration and payment, and not twice while leased', async () => {
      await store.transaction(async (tx) => {
        await tx.insertWebhook(sampleWebhook());
        await tx.insertDelivery(sampleDelivery({ payload: '{"n":1}' }));
        await tx.insertDelivery(sampleDelivery({ payload: '{"n":2}' }));
        await tx.insertDelivery(sampleDelivery({ reference: 'order-2', payload: '{"n":3}' }));
        await tx.insertDelivery(sampleDelivery({ reference: 'order-3', payload: '{"n":4}', nextAttemptAt: 5_000 }));
      });
      assert.equal(await store.nextDeliveryDue(), 100);
      const first = await store.claimDueDeliveries(1_000, 10, 'instance-1', 10_000);
      assert.deepEqual(first.map((d) => d.payload).sort(), ['{"n":1}', '{"n":3}']);
      assert.equal(first[0]!.url, 'http://127.0.0.1:9/hook');
      assert.equal(first[0]!.secret, 'secret');
      assert.deepEqual(await store.claimDueDeliveries(1_000, 10, 'instance-2', 10_000), [], 'leased rows are not claimed again');
      assert.deepEqual((await store.claimDueDeliveries(20_000, 10, 'instance-2', 10_000)).map((d) => d.payload).sort(), ['{"n":1}', '{"n":3}', '{"n":4}'], 'an expired lease can be taken over');
    });

    it('after a successful attempt the next event of the payment becomes claimable; a failure holds it back', async () => {
      await store.transaction(async (tx) => {
        await tx.insertWebhook(sampleWebhook());
        await tx.insertDelivery(sampleDelivery({ payload: '{"n":1}' }));
        await tx.insertDelivery(sampleDelivery({ payload: '{"n":2}' }));
      });
      const [head] = await store.claimDueDeliveries(1_000, 10, 'i', 10_000);
      const attempt = { deliveryId: head!.id, attempt: 1, at: 1_000, statusCode: 500, error: null, latencyMs: 3, responseExcerpt: 'boom', note: null };
      await store.completeAttempt({ attempt, status: 'pending', nextAttemptAt: 3_000, countsAsAttempt: true });
      assert.deepEqual(await store.claimDueDeliveries(2_000, 10, 'i', 10_000), [], 'the failed head is not due yet and holds back the next one');
      const [retry] = await store.claimDueDeliveries(3_000, 10, 'i', 10_000);
      assert.equal(retry!.payload, '{"n":1}');
      assert.equal(retry!.attempts, 1);
      await store.completeAttempt({ attempt: { ...attempt, attempt: 2, at: 3_000, statusCode: 204, responseExcerpt: '' }, status: 'delivered', nextAttemptAt: 3_000, countsAsAttempt: true });
      const [next] = await store.claimDueDeliveries(3_000, 10, 'i', 10_000);
      assert.equal(next!.payload, '{"n":2}');
      const log = await store.listDeliveries({ reference: 'order-1', limit: 10 });
      const delivered = log.find((d) => d.payload === '{"n":1}')!;
      assert.equal(delivered.status, 'delivered');
      assert.equal(delivered.deliveredAt, 3_000);
      assert.deepEqual(delivered.attemptLog.map((a) => [a.attempt, a.statusCode]), [[1, 500], [2, 204]]);
    });

    it("the log keeps a deleted registration's past deliveries, without its address; its pending ones go with it", async () => {
      const hook = sampleWebhook();
      await store.transaction(async (tx) => {
        await tx.insertWebhook(hook);
        await tx.insertDelivery(sampleDelivery({ payload: '{"n":1}' }));
        await tx.insertDelivery(sampleDelivery({ payload: '{"n":2}' }));
      });
      const [head] = await store.claimDueDeliveries(1_000, 10, 'i', 10_000);
      const attempt = { deliveryId: head!.id, attempt: 1, at: 1_000, statusCode: 204, error: null, latencyMs: 3, responseExcerpt: '', note: null };
      await store.completeAttempt({ attempt, status: 'delivered', nextAttemptAt: 1_000, countsAsAttempt: true });
      assert.deepEqual((await store.listDeliveries({ limit: 10 })).map((d) => [d.payload, d.url]), [['{"n":2}', hook.url], ['{"n":1}', hook.url]]);
      await store.transaction(async (tx) => tx.deleteWebhook(hook.clientId, hook.msn, hook.id));
      const log = await store.listDeliveries({ webhookId: hook.id, limit: 10 });
      assert.deepEqual(log.map((d) => [d.payload, d.status, d.url]), [['{"n":1}', 'delivered', null]]);
      assert.deepEqual(log[0]!.attemptLog.map((a) => a.statusCode), [204]);
    });

    it('ignores the per-payment order when asked (fault injection)', async () => {
      await store.transaction(async (tx) => {
        await tx.insertWebhook(sampleWebhook());
        await tx.insertDelivery(sampleDelivery({ payload: '{"n":1}' }));
        await tx.insertDelivery(sampleDelivery({ payload: '{"n":2}' }));
      });
      assert.equal((await store.claimDueDeliveries(1_000, 10, 'i', 10_000, true)).length, 2);
      await store.transaction(async (tx) => tx.insertDelivery(sampleDelivery({ reference: 'order-9' })));
      assert.equal(await store.setWebhookFaults(sampleWebhook().id, { ...NO_FAULTS, outOfOrder: true }), true);
      assert.equal(await store.setWebhookFaults('3f0c2b9e-0000-4000-8000-0000000000ff', NO_FAULTS), false);
      await store.transaction(async (tx) => tx.insertDelivery(sampleDelivery({ reference: 'order-9' })));
      assert.equal((await store.claimDueDeliveries(1_000, 10, 'i', 10_000)).length, 2, 'a registration with outOfOrder ignores the order');
    });

    it('deleting a registration drops its undelivered deliveries; reset drops everything', async () => {
      await store.transaction(async (tx) => {
        await tx.insertWebhook(sampleWebhook());
        await tx.insertDelivery(sampleDelivery());
      });
      await store.transaction(async (tx) => tx.deleteWebhook('client-a', '123456', sampleWebhook().id));
      assert.deepEqual(await store.claimDueDeliveries(1_000, 10, 'i', 10_000), []);
      assert.equal(await store.nextDeliveryDue(), null);
      await store.transaction(async (tx) => tx.insertWebhook(sampleWebhook()));
      await store.reset();
      await store.transaction(async (tx) => assert.deepEqual(await tx.listWebhooks('client-a', '123456'), []));
    });

    it('serialises concurrent transactions: no lost update between read and write', async () => {
      await store.transaction(async (tx) => tx.insertPayment(samplePayment({ state: 'AUTHORIZED', authorized: 1000 })));
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () =>
          store.transaction(async (tx) => {
            const p = (await tx.lockPayment('123456', 'order-contract-1'))!;
            await tx.updatePayment({ ...p, captured: p.captured + 10, version: p.version + 1 });
          }),
        ),
      );
      const ok = results.filter((r) => r.status === 'fulfilled').length;
      const p = await store.getPayment('123456', 'order-contract-1');
      assert.equal(p!.captured, ok * 10, 'every committed transaction is reflected exactly once');
    });

    it('serialises concurrent creates of one reference: the first inserts it, every later one finds it (a create locks the reference before it exists)', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.transaction(async (tx) => {
            if (await tx.lockPayment('123456', 'raced-reference')) return 'found';
            await tx.insertPayment(samplePayment({ reference: 'raced-reference', token: `token-${i}` }));
            return 'inserted';
          }),
        ),
      );
      assert.deepEqual(results.sort(), ['found', 'found', 'found', 'found', 'found', 'found', 'found', 'found', 'found', 'inserted']);
    });

    it('serialises concurrent transactions on one idempotency key: one writes the record, every later one reads it', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.transaction(async (tx) => {
            const previous = await tx.getIdempotency('123456', 'create', 'raced-key');
            if (previous) return `replayed ${JSON.stringify(previous.outcome)}`;
            await tx.insertPayment(samplePayment({ reference: `raced-${i}`, token: `token-${i}` }));
            await tx.putIdempotency({ msn: '123456', operation: 'create', key: 'raced-key', requestHash: 'h', outcome: { ok: true, value: i }, createdAt: 1 });
            return 'created';
          }),
        ),
      );
      const created = results.filter((r) => r === 'created');
      assert.equal(created.length, 1, JSON.stringify(results));
      const winner = results.indexOf('created');
      assert.ok(results.every((r, i) => i === winner || r === `replayed {"ok":true,"value":${winner}}`), JSON.stringify(results));
    });
  });
}
