// The one contract every Store implementation must pass. Each implementation's test file calls
// storeContract() with a factory; the tests themselves never change per store.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Payment, PaymentEvent } from '../domain/payment.ts';
import { DuplicatePaymentError, VersionConflictError, type Store } from './store.ts';

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

    it('lists events of one payment in the order they were appended', async () => {
      const p = samplePayment();
      const events = [sampleEvent(p, 'CREATED', 1000, 1), sampleEvent(p, 'AUTHORIZED', 1000, 2), sampleEvent(p, 'CAPTURED', 300, 2)];
      await store.transaction(async (tx) => {
        await tx.insertPayment(p);
        for (const e of events) await tx.appendEvent(e);
      });
      await store.transaction(async (tx) => tx.appendEvent(sampleEvent(samplePayment({ reference: 'other-payment' }), 'CREATED', 5, 3)));
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

    it('keeps the first value of a setting and survives reset', async () => {
      assert.equal(await store.initSetting('secret', 'first'), 'first');
      assert.equal(await store.initSetting('secret', 'second'), 'first');
      await store.transaction(async (tx) => tx.insertPayment(samplePayment()));
      await store.reset();
      assert.equal(await store.getSetting('secret'), 'first');
      assert.equal(await store.getPayment('123456', 'order-contract-1'), null);
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
  });
}
