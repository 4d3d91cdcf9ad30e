// The Order Management face's repository on the store under test (SQLite, and PostgreSQL in npm
// test's second pass): its own migrations, images never overwritten, categories in order, receipts
// once, everything per sales unit, a rollback that keeps nothing, and reset.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import { freshTestDatabase, type TestDatabase } from '../../../test-support/test-database.ts';
import { orderManagementStore, type OmCategory, type OmImage, type OmReceipt, type OmRepository, type OmStore } from './om-store.ts';

const image = (over: Partial<OmImage> = {}): OmImage => ({ msn: '123456', imageId: 'socks', mime: 'image/png', width: 200, height: 200, base64: 'iVBORw0KGgo=', createdAt: 1_000, ...over });
const category = (over: Partial<OmCategory> = {}): OmCategory => ({ categoryId: '880f5088-7708-4a5a-87d9-31e83aacc035', msn: '123456', paymentType: 'ECOM', orderId: 'order-1', type: 'ORDER_CONFIRMATION', url: 'https://shop.example/1', imageId: null, createdAt: 1_000, ...over });
const receipt = (over: Partial<OmReceipt> = {}): OmReceipt => ({ msn: '123456', paymentType: 'ECOM', orderId: 'order-1', receipt: { orderLines: [{ name: 'Socks', id: '1', totalAmount: 100 }], bottomLine: { currency: 'NOK' } }, createdAt: 1_000, ...over });

describe('order management records (Order Management face repository)', () => {
  let db: TestDatabase;
  let store: Store;
  let om: OmStore;
  beforeEach(async () => {
    db = await freshTestDatabase();
    store = await openStore(db.database);
    om = await orderManagementStore(store);
  });
  afterEach(async () => {
    await store.close();
    await db.remove();
  });

  const inTx = <T>(fn: (repo: OmRepository) => Promise<T>) => store.transaction((tx) => fn(om.in(tx.sql)));

  it('an image is added once per sales unit and never overwritten', async () => {
    assert.equal(await inTx((repo) => repo.addImage(image())), true);
    assert.equal(await inTx((repo) => repo.addImage(image({ base64: 'other', width: 300 }))), false);
    assert.deepEqual(await om.image('123456', 'socks'), image());
    assert.equal(await inTx((repo) => repo.addImage(image({ msn: '234567' }))), true);
    assert.equal(await om.image('345678', 'socks'), null);
  });

  it("an order's categories come oldest first, even with the same time; a v2 replace leaves one; delete is per sales unit", async () => {
    await inTx((repo) => repo.addCategory(category()));
    await inTx((repo) => repo.addCategory(category({ categoryId: '00000000-0000-4000-8000-000000000002', type: 'DELIVERY' })));
    assert.deepEqual((await om.categories('123456', 'order-1')).map((c) => c.type), ['ORDER_CONFIRMATION', 'DELIVERY']);
    assert.equal(await inTx((repo) => repo.deleteCategory('234567', category().categoryId)), false);
    assert.equal(await inTx((repo) => repo.deleteCategory('123456', category().categoryId)), true);
    await inTx((repo) => repo.replaceCategories(category({ categoryId: '00000000-0000-4000-8000-000000000003', type: 'RECEIPT' })));
    assert.deepEqual((await om.categories('123456', 'order-1')).map((c) => c.type), ['RECEIPT']);
    assert.deepEqual(await om.category('123456', '00000000-0000-4000-8000-000000000003'), category({ categoryId: '00000000-0000-4000-8000-000000000003', type: 'RECEIPT' }));
    assert.equal(await om.category('234567', '00000000-0000-4000-8000-000000000003'), null);
  });

  it('a receipt is added once; the first stays', async () => {
    assert.equal(await inTx((repo) => repo.addReceipt(receipt())), true);
    assert.equal(await inTx((repo) => repo.addReceipt(receipt({ createdAt: 2_000 }))), false);
    assert.deepEqual(await om.receipt('123456', 'ECOM', 'order-1'), receipt());
    assert.equal(await om.receipt('123456', 'RECURRING', 'order-1'), null);
  });

  it('a rolled-back unit keeps none of its rows, and reset empties the tables', async () => {
    await assert.rejects(
      inTx(async (repo) => {
        await repo.addImage(image());
        await repo.addCategory(category());
        await repo.addReceipt(receipt());
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    assert.equal(await om.image('123456', 'socks'), null);
    assert.deepEqual(await om.categories('123456', 'order-1'), []);
    await inTx(async (repo) => {
      await repo.addImage(image());
      await repo.addReceipt(receipt());
    });
    await store.reset();
    assert.equal(await om.image('123456', 'socks'), null);
    assert.equal(await om.receipt('123456', 'ECOM', 'order-1'), null);
  });
});
