// The PSP face's repository on the store under test (SQLite, and PostgreSQL in npm test's second
// pass): its own migrations, one transaction per pspTransactionId and PSP, updates in order, a
// rollback that keeps nothing, and reset.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import { freshTestDatabase, type TestDatabase } from '../../../test-support/test-database.ts';
import { pspStore, type PspPaymentRow, type PspRepository, type PspStatusUpdate, type PspStore } from './psp-store.ts';

const row = (over: Partial<PspPaymentRow> = {}): PspPaymentRow => ({ pspId: 'psp-1', pspTransactionId: 'tx-1', paymentId: 'p1', msn: '123456', merchantOrderId: 'order-1', createdAt: 1_000, ...over });
const update = (over: Partial<PspStatusUpdate> = {}): Omit<PspStatusUpdate, 'seq'> => ({
  pspId: 'psp-1',
  pspTransactionId: 'tx-1',
  status: 'CAPTURED',
  amount: 500,
  paymentText: null,
  success: true,
  failure: null,
  eventSeq: 3,
  createdAt: 2_000,
  ...over,
});

describe('PSP transactions (PSP face repository)', () => {
  let db: TestDatabase;
  let store: Store;
  let psp: PspStore;
  beforeEach(async () => {
    db = await freshTestDatabase();
    store = await openStore(db.database);
    psp = await pspStore(store);
  });
  afterEach(async () => {
    await store.close();
    await db.remove();
  });

  const inTx = <T>(fn: (repo: PspRepository) => Promise<T>) => store.transaction((tx) => fn(psp.in(tx.sql)));

  it('a pspTransactionId is taken once per PSP; another PSP may use the same id', async () => {
    assert.equal(await inTx((repo) => repo.addPayment(row())), true);
    assert.equal(await inTx((repo) => repo.addPayment(row({ paymentId: 'p2' }))), false);
    assert.deepEqual(await psp.payment('psp-1', 'tx-1'), row());
    assert.equal(await inTx((repo) => repo.addPayment(row({ pspId: 'psp-2', paymentId: 'p3' }))), true);
    assert.equal((await psp.payment('psp-2', 'tx-1'))?.paymentId, 'p3');
    assert.equal(await psp.payment('psp-1', 'tx-2'), null);
  });

  it("a transaction's updates come back in the order they were reported, failed ones with their reason", async () => {
    const first = await inTx((repo) => repo.addUpdate(update()));
    const second = await inTx((repo) => repo.addUpdate(update({ status: 'REFUNDED', amount: 200, paymentText: 'Return', success: false, failure: 'too high', eventSeq: null })));
    assert.deepEqual([first.seq, second.seq], [1, 2]);
    assert.deepEqual(await psp.updates('psp-1', 'tx-1'), [
      { ...update(), seq: 1 },
      { ...update({ status: 'REFUNDED', amount: 200, paymentText: 'Return', success: false, failure: 'too high', eventSeq: null }), seq: 2 },
    ]);
    assert.deepEqual(await psp.updates('psp-2', 'tx-1'), []);
  });

  it('a rolled-back unit keeps none of its rows, and reset empties the tables', async () => {
    await assert.rejects(
      inTx(async (repo) => {
        await repo.addPayment(row());
        await repo.addUpdate(update());
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    assert.equal(await psp.payment('psp-1', 'tx-1'), null);
    assert.deepEqual(await psp.updates('psp-1', 'tx-1'), []);
    await inTx(async (repo) => {
      await repo.addPayment(row());
      await repo.addUpdate(update());
    });
    await store.reset();
    assert.equal(await psp.payment('psp-1', 'tx-1'), null);
    assert.deepEqual(await psp.updates('psp-1', 'tx-1'), []);
  });
});
