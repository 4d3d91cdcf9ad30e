// The shopper's step log on the store under test (SQLite, and PostgreSQL in npm test's second
// pass): steps in order per payment, bounded per payment, emptied by reset.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { freshTestDatabase, type TestDatabase } from '../../test-support/test-database.ts';
import { MAX_STEPS_PER_PAYMENT, shopperStepLog, type ShopperStepLog } from './shopper-steps.ts';

describe("the shopper's step log", () => {
  let db: TestDatabase;
  let store: Store;
  let log: ShopperStepLog;
  beforeEach(async () => {
    db = await freshTestDatabase();
    store = await openStore(db.database);
    log = await shopperStepLog(store);
  });
  afterEach(async () => {
    await store.close();
    await db.remove();
  });

  it('keeps each payment\'s steps in the order they happened, with their details', async () => {
    await log.record({ paymentId: 'p1', at: 10, step: 'landing-opened', detail: null });
    await log.record({ paymentId: 'p2', at: 11, step: 'app-opened', detail: null });
    await log.record({ paymentId: 'p1', at: 12, step: 'number-entered', detail: '4712345678' });
    await log.record({ paymentId: 'p1', at: 13, step: 'app-declined', detail: 'insufficient funds' });
    assert.deepEqual(await log.list('p1'), [
      { paymentId: 'p1', at: 10, step: 'landing-opened', detail: null },
      { paymentId: 'p1', at: 12, step: 'number-entered', detail: '4712345678' },
      { paymentId: 'p1', at: 13, step: 'app-declined', detail: 'insufficient funds' },
    ]);
    assert.deepEqual((await log.list('p2')).map((s) => s.step), ['app-opened']);
  });

  it(`keeps at most ${MAX_STEPS_PER_PAYMENT} steps per payment, and reset empties it`, async () => {
    for (let i = 0; i < MAX_STEPS_PER_PAYMENT + 5; i++) await log.record({ paymentId: 'busy', at: i, step: 'landing-opened', detail: null });
    assert.equal((await log.list('busy')).length, MAX_STEPS_PER_PAYMENT);
    await log.record({ paymentId: 'other', at: 1, step: 'app-opened', detail: null });
    assert.equal((await log.list('other')).length, 1, 'another payment is not limited by it');
    await store.reset();
    assert.deepEqual(await log.list('busy'), []);
  });
});
