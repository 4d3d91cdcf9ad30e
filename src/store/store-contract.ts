// The one contract every Store implementation must pass. Each implementation's test file calls
// storeContract() with a factory; the tests themselves never change per store.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Adjustment, Payment, PaymentEvent } from '../domain/payment.ts';
import { DuplicatePaymentError, NO_FAULTS, VersionConflictError, type NewDelivery, type Store, type StoreTx } from './store.ts';

/** A payment as the contract writes it; `id` is filled in by `insertSample` from the store. */
export function samplePayment(over: Partial<Payment> = {}): Payment {
  return {
    id: '',
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
    terms: { userFlow: 'WEB_REDIRECT', longLiving: false },
    version: 1,
    ...over,
  };
}

/** Inserts `p` with an id the store makes (unless it has one), and returns what was inserted. */
export async function insertSample(tx: StoreTx, p: Payment = samplePayment()): Promise<Payment> {
  const withId = p.id ? p : { ...p, id: tx.newPaymentId() };
  await tx.insertPayment(withId);
  return withId;
}

let seq = 0;
export function sampleEvent(p: Payment, name: PaymentEvent['name'], amount: number, ts: number): PaymentEvent {
  return { paymentId: p.id, msn: p.msn, reference: p.reference, pspReference: `psp-${name}-${ts}`, name, currency: p.currency, amount, timestamp: ts, success: true, idempotencyKey: null, seq: ++seq };
}

const TARGET = '3f0c2b9e-0000-4000-8000-000000000001';

export function sampleDelivery(over: Partial<NewDelivery> = {}): NewDelivery {
  return {
    format: 'vipps-webhook',
    targetId: TARGET,
    url: 'http://127.0.0.1:9/hook',
    secret: 'secret',
    faults: NO_FAULTS,
    subject: `payment-${over.reference ?? 'order-1'}`,
    msn: '123456',
    reference: 'order-1',
    eventType: 'epayments.payment.captured.v1',
    payload: '{"n":1}',
    createdAt: 100,
    nextAttemptAt: 100,
    ...over,
  };
}

const ref = (p: Pick<Payment, 'msn' | 'reference'>) => ({ msn: p.msn, reference: p.reference });
const record = (scope: string, key: string, response: unknown, createdAt = 10) => ({ scope, key, requestHash: 'h', response, createdAt });

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores a payment and reads it back by id and by reference', async () => {
      const p = await store.transaction((tx) => insertSample(tx));
      assert.deepEqual(await store.getPayment({ id: p.id }), p);
      assert.deepEqual(await store.getPayment(ref(p)), p);
      assert.equal(await store.getPayment({ msn: '999999', reference: p.reference }), null, 'references are scoped per MSN');
      assert.equal(await store.getPayment({ id: 'no-such-id' }), null);
    });

    it('makes a new id for every payment, also within one transaction', async () => {
      const ids = await store.transaction(async (tx) => {
        const a = await insertSample(tx, samplePayment({ reference: 'ids-1' }));
        const b = await insertSample(tx, samplePayment({ reference: 'ids-2' }));
        return [a.id, b.id];
      });
      const c = await store.transaction((tx) => insertSample(tx, samplePayment({ reference: 'ids-3' })));
      assert.equal(new Set([...ids, c.id]).size, 3);
    });

    it('rejects a second payment with the same MSN and reference', async () => {
      await store.transaction((tx) => insertSample(tx));
      await assert.rejects(store.transaction(async (tx) => insertSample(tx, samplePayment({ token: 'other' }))), DuplicatePaymentError);
      await store.transaction(async (tx) => insertSample(tx, samplePayment({ msn: '654321', token: 'other' })));
    });

    it('updates only from the expected version and detects a lost update', async () => {
      const p = await store.transaction((tx) => insertSample(tx));
      const next = { ...p, state: 'AUTHORIZED' as const, authorized: 1000, version: 2 };
      await store.transaction(async (tx) => tx.updatePayment(next));
      await assert.rejects(store.transaction(async (tx) => tx.updatePayment({ ...p, version: 2, captured: 1 })), VersionConflictError);
      assert.deepEqual(await store.getPayment({ id: p.id }), next);
    });

    it('rolls back every write of a transaction that throws', async () => {
      let written: Payment | undefined;
      await assert.rejects(
        store.transaction(async (tx) => {
          written = await insertSample(tx);
          await tx.appendEvent(sampleEvent(written, 'CREATED', 1000, 1));
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await store.getPayment(ref(written!)), null);
      assert.deepEqual(await store.listEvents(written!.id), []);
    });

    it('transactions started together are independent: one that throws after writing takes none of the others with it', async () => {
      const write = (reference: string, fail: boolean) =>
        store.transaction(async (tx) => {
          const p = await insertSample(tx, samplePayment({ reference }));
          await tx.appendEvent(sampleEvent(p, 'CREATED', 1000, 1));
          if (fail) throw new Error(`boom ${reference}`);
          return p;
        });
      // Started in one turn of the event loop, so a store that batches commits puts them in one batch.
      const results = await Promise.allSettled([write('together-1', false), write('together-2', true), write('together-3', false)]);
      assert.deepEqual(
        results.map((r) => (r.status === 'fulfilled' ? r.value.reference : String(r.reason))),
        ['together-1', 'Error: boom together-2', 'together-3'],
      );
      const [first, , last] = results.map((r) => (r.status === 'fulfilled' ? r.value : null));
      assert.deepEqual(await store.getPayment({ id: first!.id }), first);
      assert.equal(await store.getPayment({ msn: '123456', reference: 'together-2' }), null);
      assert.deepEqual(await store.getPayment({ id: last!.id }), last);
      assert.deepEqual((await store.listEvents(last!.id)).map((e) => e.name), ['CREATED']);
    });

    it('lists events of one payment in the order they were appended', async () => {
      let events: PaymentEvent[] = [];
      const p = await store.transaction(async (tx) => {
        const inserted = await insertSample(tx);
        events = [sampleEvent(inserted, 'CREATED', 1000, 1), sampleEvent(inserted, 'AUTHORIZED', 1000, 2), sampleEvent(inserted, 'CAPTURED', 300, 2)];
        for (const e of events) await tx.appendEvent(e);
        return inserted;
      });
      await store.transaction(async (tx) => {
        const other = await insertSample(tx, samplePayment({ reference: 'other-payment' }));
        await tx.appendEvent(sampleEvent(other, 'CREATED', 5, 3));
      });
      assert.deepEqual(await store.listEvents(p.id), events);
    });

    it('keeps a payment\'s adjustments with their ids, amounts, times and keys, in order', async () => {
      const adjustment = (p: Payment, seq: number, kind: Adjustment['kind'], amount: number, key: string | null): Adjustment => ({
        id: `${p.id}:${seq}`, paymentId: p.id, seq, kind, amount, currency: 'NOK', at: 1_000 + seq, idempotencyKey: key, origin: seq === 4 ? 'external' : 'platform', pspReference: `psp-${seq}`,
      });
      let expected: Adjustment[] = [];
      const p = await store.transaction(async (tx) => {
        const inserted = await insertSample(tx, samplePayment({ state: 'AUTHORIZED', authorized: 1000 }));
        expected = [adjustment(inserted, 3, 'capture', 300, 'c-1'), adjustment(inserted, 4, 'capture', 200, null), adjustment(inserted, 5, 'refund', 100, 'r-1'), adjustment(inserted, 6, 'cancel', 500, null)];
        for (const a of expected) await tx.insertAdjustment(a);
        return inserted;
      });
      assert.deepEqual(await store.listAdjustments(p.id), expected);
      assert.deepEqual(await store.listAdjustments('no-such-id'), []);
    });

    it('keeps idempotency records per scope and key', async () => {
      const rec = record('epayment/capture/123456/order-1', 'k1', { ok: true, value: { a: 1 } });
      await store.transaction(async (tx) => tx.putIdempotency(rec));
      await store.transaction(async (tx) => {
        assert.deepEqual(await tx.getIdempotency('epayment/capture/123456/order-1', 'k1'), rec);
        assert.equal(await tx.getIdempotency('epayment/refund/123456/order-1', 'k1'), null);
        assert.equal(await tx.getIdempotency('epayment/capture/123456/order-2', 'k1'), null);
      });
      const err = record('epayment/capture/123456/order-1', 'k2', { ok: false, error: { code: '6090', status: 400, title: 't', detail: 'd' } });
      await store.transaction(async (tx) => tx.putIdempotency(err));
      await store.transaction(async (tx) => assert.deepEqual(await tx.getIdempotency('epayment/capture/123456/order-1', 'k2'), err));
    });

    it('prunes idempotency records older than the cut-off', async () => {
      await store.transaction(async (tx) => {
        await tx.putIdempotency(record('epayment/create/1234', 'old', 1, 100));
        await tx.putIdempotency(record('epayment/create/1234', 'new', 1, 300));
      });
      assert.equal(await store.pruneIdempotency(200), 1);
      await store.transaction(async (tx) => {
        assert.equal(await tx.getIdempotency('epayment/create/1234', 'old'), null);
        assert.notEqual(await tx.getIdempotency('epayment/create/1234', 'new'), null);
      });
    });

    it('never prunes a record from the cut-off on, even one written before an older one (a wall-clock step back)', async () => {
      const put = (key: string, createdAt: number) => store.transaction(async (tx) => tx.putIdempotency(record('epayment/refund/1234/r', key, 1, createdAt)));
      await put('a-old', 100);
      await put('b-young', 300);
      await put('c-older-but-later', 150);
      await store.pruneIdempotency(200);
      await store.transaction(async (tx) => {
        assert.equal(await tx.getIdempotency('epayment/refund/1234/r', 'a-old'), null, 'the old record written first is pruned');
        assert.notEqual(await tx.getIdempotency('epayment/refund/1234/r', 'b-young'), null, 'a record younger than the cut-off stays');
      });
    });

    it('counts payments by state and pending deliveries', async () => {
      const before = await store.counts();
      await store.transaction(async (tx) => {
        await insertSample(tx, samplePayment({ reference: 'count-1' }));
        await insertSample(tx, samplePayment({ reference: 'count-2', state: 'AUTHORIZED' }));
      });
      const after = await store.counts();
      assert.equal((after.paymentsByState.CREATED ?? 0) - (before.paymentsByState.CREATED ?? 0), 1);
      assert.equal((after.paymentsByState.AUTHORIZED ?? 0) - (before.paymentsByState.AUTHORIZED ?? 0), 1);
      assert.equal(after.pendingDeliveries, before.pendingDeliveries);
    });

    it('lists CREATED payments whose deadline has passed, and only those', async () => {
      const ids = await store.transaction(async (tx) => {
        const due1 = await insertSample(tx, samplePayment({ reference: 'due-1', expiresAt: 100 }));
        const due2 = await insertSample(tx, samplePayment({ reference: 'due-2', expiresAt: 200 }));
        await insertSample(tx, samplePayment({ reference: 'later', expiresAt: 10_000 }));
        await insertSample(tx, samplePayment({ reference: 'done', expiresAt: 50, state: 'AUTHORIZED' }));
        return [due1.id, due2.id];
      });
      const due = await store.listDuePayments(200, 10);
      assert.deepEqual([...due].sort(), [...ids].sort());
      assert.equal((await store.listDuePayments(200, 1)).length, 1);
    });

    it('lists the payments of a customer phone, newest first, including one whose phone was set by an update', async () => {
      const ada = '4712345678';
      await store.transaction(async (tx) => {
        await insertSample(tx, samplePayment({ reference: 'phone-old', customerPhone: ada, createdAt: 100 }));
        await insertSample(tx, samplePayment({ reference: 'phone-new', customerPhone: ada, createdAt: 300 }));
        await insertSample(tx, samplePayment({ reference: 'phone-other', customerPhone: '4798765432', createdAt: 200 }));
        await insertSample(tx, samplePayment({ reference: 'phone-none', createdAt: 400 }));
        await insertSample(tx, samplePayment({ reference: 'phone-later', createdAt: 250 }));
      });
      const later = (await store.getPayment({ msn: '123456', reference: 'phone-later' }))!;
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
      await store.transaction((tx) => insertSample(tx));
      await store.reset();
      assert.equal(await store.getSetting('secret'), 'first');
      assert.equal(await store.getPayment({ msn: '123456', reference: 'order-contract-1' }), null);
    });

    it('claims only due deliveries, only the oldest pending one per target and subject, and not twice while leased', async () => {
      await store.transaction(async (tx) => {
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
      assert.equal(first[0]!.format, 'vipps-webhook');
      assert.deepEqual(await store.claimDueDeliveries(1_000, 10, 'instance-2', 10_000), [], 'leased rows are not claimed again');
      assert.deepEqual((await store.claimDueDeliveries(20_000, 10, 'instance-2', 10_000)).map((d) => d.payload).sort(), ['{"n":1}', '{"n":3}', '{"n":4}'], 'an expired lease can be taken over');
    });

    it("claims fairly across targets: every target's oldest due row before any target's second, however old one target's backlog", async () => {
      await store.transaction(async (tx) => {
        // Target A: a backlog of 5 payments, all older than target B's one row.
        for (let i = 0; i < 5; i++) await tx.insertDelivery(sampleDelivery({ targetId: 'target-a', reference: `a-${i}`, nextAttemptAt: 100 + i }));
        await tx.insertDelivery(sampleDelivery({ targetId: 'target-b', reference: 'b-0', msn: '654321', nextAttemptAt: 500 }));
      });
      const claimed = await store.claimDueDeliveries(1_000, 2, 'i', 10_000);
      assert.deepEqual(claimed.map((d) => d.reference).sort(), ['a-0', 'b-0'], 'the oldest of A, then B before the rest of A');
      const capped = await store.claimDueDeliveries(1_000, 10, 'j', 10_000, false, { perTarget: 2 });
      assert.deepEqual(capped.map((d) => d.reference).sort(), ['a-1', 'a-2'], 'at most perTarget rows of one target');
    });

    it('leaves out the excluded targets and sales units, and gives released claims back at once', async () => {
      await store.transaction(async (tx) => {
        await tx.insertDelivery(sampleDelivery({ targetId: 'target-a', reference: 'a-0' }));
        await tx.insertDelivery(sampleDelivery({ targetId: 'target-b', reference: 'b-0' }));
        await tx.insertDelivery(sampleDelivery({ targetId: 'target-c', reference: 'c-0', msn: '654321' }));
      });
      const some = await store.claimDueDeliveries(1_000, 10, 'i', 10_000, false, { excludeTargets: ['target-a'], excludeMsns: ['654321'] });
      assert.deepEqual(some.map((d) => d.reference), ['b-0']);
      await store.releaseClaims(some.map((d) => d.id), 'another-claimer');
      assert.deepEqual((await store.claimDueDeliveries(1_000, 10, 'j', 10_000, false, { excludeTargets: ['target-a'], excludeMsns: ['654321'] })).map((d) => d.reference), [], "another claimer's claim is not released");
      await store.releaseClaims(some.map((d) => d.id), 'i');
      assert.deepEqual((await store.claimDueDeliveries(1_000, 10, 'j', 10_000)).map((d) => d.reference).sort(), ['a-0', 'b-0', 'c-0']);
    });

    it('after a successful attempt the next event of the subject becomes claimable; a failure holds it back', async () => {
      await store.transaction(async (tx) => {
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

    it("the log keeps a forgotten target's past deliveries, without its address; its pending ones go", async () => {
      await store.transaction(async (tx) => {
        await tx.insertDelivery(sampleDelivery({ payload: '{"n":1}' }));
        await tx.insertDelivery(sampleDelivery({ payload: '{"n":2}' }));
      });
      const [head] = await store.claimDueDeliveries(1_000, 10, 'i', 10_000);
      const attempt = { deliveryId: head!.id, attempt: 1, at: 1_000, statusCode: 204, error: null, latencyMs: 3, responseExcerpt: '', note: null };
      await store.completeAttempt({ attempt, status: 'delivered', nextAttemptAt: 1_000, countsAsAttempt: true });
      assert.deepEqual((await store.listDeliveries({ limit: 10 })).map((d) => [d.payload, d.url]), [['{"n":2}', 'http://127.0.0.1:9/hook'], ['{"n":1}', 'http://127.0.0.1:9/hook']]);
      await store.transaction(async (tx) => tx.forgetTarget(TARGET));
      const log = await store.listDeliveries({ targetId: TARGET, limit: 10 });
      assert.deepEqual(log.map((d) => [d.payload, d.status, d.url]), [['{"n":1}', 'delivered', null]]);
      assert.deepEqual(log[0]!.attemptLog.map((a) => a.statusCode), [204]);
      assert.deepEqual(await store.claimDueDeliveries(1_000, 10, 'i', 10_000), []);
      assert.equal(await store.nextDeliveryDue(), null);
    });

    it('ignores the per-subject order when asked, or when the target\'s faults say outOfOrder', async () => {
      await store.transaction(async (tx) => {
        await tx.insertDelivery(sampleDelivery({ payload: '{"n":1}' }));
        await tx.insertDelivery(sampleDelivery({ payload: '{"n":2}' }));
      });
      assert.equal((await store.claimDueDeliveries(1_000, 10, 'i', 10_000, true)).length, 2);
      await store.transaction(async (tx) => {
        await tx.insertDelivery(sampleDelivery({ reference: 'order-9' }));
        await tx.insertDelivery(sampleDelivery({ reference: 'order-9' }));
      });
      assert.equal((await store.claimDueDeliveries(1_000, 10, 'i', 10_000)).length, 1, 'in order: only the head');
      await store.transaction(async (tx) => tx.setPendingDeliveryFaults(TARGET, { ...NO_FAULTS, outOfOrder: true }));
      const claimed = await store.claimDueDeliveries(20_000, 10, 'i', 10_000);
      assert.equal(claimed.filter((d) => d.reference === 'order-9').length, 2, 'a target with outOfOrder ignores the order');
      assert.ok(claimed.every((d) => d.faults.outOfOrder), 'the new faults reach the pending rows');
    });

    it('lists payments newest first, filtered by sales unit, state, reference and customer, paged by a keyset cursor', async () => {
      await store.transaction(async (tx) => {
        for (let i = 0; i < 7; i++) {
          await insertSample(tx, samplePayment({ reference: `list-${i}`, msn: i % 2 === 0 ? '123456' : '654321', state: i === 3 ? 'AUTHORIZED' : 'CREATED', createdAt: 1_000 + i, ...(i === 5 ? { customerPhone: '4791234567' } : {}) }));
        }
      });
      const first = await store.listPayments({ limit: 3 });
      assert.deepEqual(first.payments.map((p) => p.reference), ['list-6', 'list-5', 'list-4']);
      assert.notEqual(first.next, null);
      const second = await store.listPayments({ limit: 3, before: first.next! });
      assert.deepEqual(second.payments.map((p) => p.reference), ['list-3', 'list-2', 'list-1']);
      const last = await store.listPayments({ limit: 3, before: second.next! });
      assert.deepEqual(last.payments.map((p) => p.reference), ['list-0']);
      assert.equal(last.next, null, 'the last page has no cursor');
      assert.deepEqual((await store.listPayments({ limit: 10, msn: '654321' })).payments.map((p) => p.reference), ['list-5', 'list-3', 'list-1']);
      assert.deepEqual((await store.listPayments({ limit: 10, state: 'AUTHORIZED' })).payments.map((p) => p.reference), ['list-3']);
      assert.deepEqual((await store.listPayments({ limit: 10, reference: 'list-2' })).payments.map((p) => p.msn), ['123456']);
      assert.deepEqual((await store.listPayments({ limit: 10, customerPhone: '4791234567' })).payments.map((p) => p.reference), ['list-5']);
      const paged = await store.listPayments({ limit: 1, msn: '123456', before: first.next! });
      assert.deepEqual(paged.payments.map((p) => p.reference), ['list-2'], 'a filter and a cursor combine');
    });

    it('filters the delivery log by status and event type, and pages it by id', async () => {
      await store.transaction(async (tx) => {
        await tx.insertDelivery(sampleDelivery({ reference: 'f-1', subject: 's-1', eventType: 'epayments.payment.created.v1' }));
        await tx.insertDelivery(sampleDelivery({ reference: 'f-2', subject: 's-2', eventType: 'epayments.payment.captured.v1' }));
        await tx.insertDelivery(sampleDelivery({ reference: 'f-3', subject: 's-3', eventType: 'epayments.payment.captured.v1' }));
      });
      const [claimed] = (await store.claimDueDeliveries(1_000, 10, 'i', 10_000)).filter((d) => d.reference === 'f-1');
      await store.completeAttempt({ attempt: { deliveryId: claimed!.id, attempt: 1, at: 1_000, statusCode: 204, error: null, latencyMs: 1, responseExcerpt: '', note: null }, status: 'delivered', nextAttemptAt: 1_000, countsAsAttempt: true });
      assert.deepEqual((await store.listDeliveries({ status: 'delivered', limit: 10 })).map((d) => d.reference), ['f-1']);
      assert.deepEqual((await store.listDeliveries({ status: 'pending', limit: 10 })).map((d) => d.reference), ['f-3', 'f-2']);
      assert.deepEqual((await store.listDeliveries({ eventType: 'epayments.payment.captured.v1', limit: 10 })).map((d) => d.reference), ['f-3', 'f-2']);
      const [newest] = await store.listDeliveries({ limit: 1 });
      assert.deepEqual((await store.listDeliveries({ before: newest!.id, limit: 10 })).map((d) => d.reference), ['f-2', 'f-1']);
    });

    it('redeliver makes a pending delivery due now and a delivered one pending again, but not one whose target is gone', async () => {
      await store.transaction(async (tx) => {
        await tx.insertDelivery(sampleDelivery({ reference: 'r-1', subject: 'r-1' }));
        await tx.insertDelivery(sampleDelivery({ reference: 'r-2', subject: 'r-2', targetId: 'other-target' }));
      });
      const claimed = await store.claimDueDeliveries(1_000, 10, 'i', 10_000);
      const one = claimed.find((d) => d.reference === 'r-1')!;
      const two = claimed.find((d) => d.reference === 'r-2')!;
      await store.completeAttempt({ attempt: { deliveryId: one.id, attempt: 1, at: 1_000, statusCode: 500, error: null, latencyMs: 1, responseExcerpt: 'no', note: null }, status: 'pending', nextAttemptAt: 60_000, countsAsAttempt: true });
      await store.completeAttempt({ attempt: { deliveryId: two.id, attempt: 1, at: 1_000, statusCode: 204, error: null, latencyMs: 1, responseExcerpt: '', note: null }, status: 'delivered', nextAttemptAt: 1_000, countsAsAttempt: true });
      assert.equal(await store.nextDeliveryDue(), 60_000);
      assert.equal(await store.redeliver(one.id, 2_000), 'scheduled');
      assert.equal(await store.nextDeliveryDue(), 2_000, 'the pending delivery is due now');
      assert.equal(await store.redeliver(two.id, 2_500), 'scheduled');
      const resent = (await store.listDeliveries({ reference: 'r-2', limit: 1 }))[0]!;
      assert.equal(resent.status, 'pending');
      assert.equal(resent.deliveredAt, null);
      assert.deepEqual(resent.attemptLog.map((a) => a.statusCode), [204], 'its attempts so far are kept');
      assert.deepEqual((await store.claimDueDeliveries(3_000, 10, 'i', 10_000)).map((d) => d.reference).sort(), ['r-1', 'r-2']);
      assert.equal(await store.redeliver(999_999, 3_000), 'not-found');
      await store.transaction(async (tx) => tx.forgetTarget('other-target'));
      await store.transaction(async (tx) => tx.insertDelivery(sampleDelivery({ reference: 'r-3', subject: 'r-3', targetId: 'gone' })));
      const [three] = await store.claimDueDeliveries(3_000, 10, 'j', 10_000, true, { excludeTargets: [TARGET, 'other-target'] });
      await store.completeAttempt({ attempt: { deliveryId: three!.id, attempt: 1, at: 3_000, statusCode: 204, error: null, latencyMs: 1, responseExcerpt: '', note: null }, status: 'delivered', nextAttemptAt: 3_000, countsAsAttempt: true });
      await store.transaction(async (tx) => tx.forgetTarget('gone'));
      assert.equal(await store.redeliver(three!.id, 4_000), 'no-target');
    });

    it('reset drops payments, events, adjustments, idempotency records and deliveries', async () => {
      await store.transaction(async (tx) => {
        const p = await insertSample(tx);
        await tx.appendEvent(sampleEvent(p, 'CREATED', 1000, 1));
        await tx.putIdempotency(record('epayment/create/123456', 'k', 1));
        await tx.insertDelivery(sampleDelivery());
      });
      await store.reset();
      assert.equal(await store.getPayment({ msn: '123456', reference: 'order-contract-1' }), null);
      assert.equal(await store.nextDeliveryDue(), null);
      assert.deepEqual(await store.listDeliveries({ limit: 10 }), []);
      await store.transaction(async (tx) => assert.equal(await tx.getIdempotency('epayment/create/123456', 'k'), null));
    });

    it('serialises concurrent transactions: no lost update between read and write', async () => {
      const p = await store.transaction((tx) => insertSample(tx, samplePayment({ state: 'AUTHORIZED', authorized: 1000 })));
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () =>
          store.transaction(async (tx) => {
            const current = (await tx.lockPayment({ id: p.id }))!;
            await tx.updatePayment({ ...current, captured: current.captured + 10, version: current.version + 1 });
          }),
        ),
      );
      const ok = results.filter((r) => r.status === 'fulfilled').length;
      assert.equal((await store.getPayment({ id: p.id }))!.captured, ok * 10, 'every committed transaction is reflected exactly once');
    });

    it('serialises concurrent creates of one reference: the first inserts it, every later one finds it (a create locks the reference before it exists)', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.transaction(async (tx) => {
            if (await tx.lockPayment({ msn: '123456', reference: 'raced-reference' })) return 'found';
            await insertSample(tx, samplePayment({ reference: 'raced-reference', token: `token-${i}` }));
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
            const previous = await tx.getIdempotency('epayment/create/123456', 'raced-key');
            if (previous) return `replayed ${JSON.stringify(previous.response)}`;
            await insertSample(tx, samplePayment({ reference: `raced-${i}`, token: `token-${i}` }));
            await tx.putIdempotency(record('epayment/create/123456', 'raced-key', { ok: true, value: i }, 1));
            return 'created';
          }),
        ),
      );
      const created = results.filter((r) => r === 'created');
      assert.equal(created.length, 1, JSON.stringify(results));
      const winner = results.indexOf('created');
      assert.ok(results.every((r, i) => i === winner || r === `replayed {"ok":true,"value":${winner}}`), JSON.stringify(results));
    });

    it("applies a face's migrations once, and resets its registered tables", async () => {
      const migrations = [{ version: 1, sqlite: 'CREATE TABLE face_things (id TEXT PRIMARY KEY, n INTEGER NOT NULL)', postgres: 'CREATE TABLE face_things (id text PRIMARY KEY, n bigint NOT NULL)' }];
      await store.applyMigrations('face-test', migrations);
      await store.applyMigrations('face-test', migrations);
      store.resetsTable('face_things');
      await store.transaction(async (tx) => tx.sql.execute('INSERT INTO face_things (id, n) VALUES (?, ?)', ['a', 7]));
      assert.deepEqual(await store.sql.query('SELECT id, n FROM face_things'), [{ id: 'a', n: 7 }]);
      await store.reset();
      assert.deepEqual(await store.sql.query('SELECT id, n FROM face_things'), []);
    });

    it("a face's rows commit and roll back with the transaction they were written in", async () => {
      await store.applyMigrations('face-test', [{ version: 1, sqlite: 'CREATE TABLE face_rows (id TEXT PRIMARY KEY)', postgres: 'CREATE TABLE face_rows (id text PRIMARY KEY)' }]);
      await assert.rejects(
        store.transaction(async (tx) => {
          await insertSample(tx);
          await tx.sql.execute('INSERT INTO face_rows (id) VALUES (?)', ['rolled-back']);
          assert.deepEqual(await tx.sql.query('SELECT id FROM face_rows'), [{ id: 'rolled-back' }], 'the transaction sees its own row');
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.deepEqual(await store.sql.query('SELECT id FROM face_rows'), []);
      assert.equal(await store.getPayment({ msn: '123456', reference: 'order-contract-1' }), null);
    });
  });
}
