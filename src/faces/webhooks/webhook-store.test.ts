// The Webhooks face's repository on the store under test (SQLite, and PostgreSQL in npm test's
// second pass): one contract for both dialects.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import { freshTestDatabase, type TestDatabase } from '../../../test-support/test-database.ts';
import { sampleWebhook } from '../../../test-support/webhook-samples.ts';
import { webhookStore, type WebhookStore } from './webhook-store.ts';

describe('webhook registrations (Webhooks face repository)', () => {
  let db: TestDatabase;
  let store: Store;
  let webhooks: WebhookStore;
  beforeEach(async () => {
    db = await freshTestDatabase();
    store = await openStore(db.database);
    webhooks = webhookStore(store);
  });
  afterEach(async () => {
    await store.close();
    await db.remove();
  });

  const inTx = <T>(fn: (repo: ReturnType<WebhookStore['in']>) => Promise<T>) => store.transaction((tx) => fn(webhooks.in(tx.sql)));

  it('keeps registrations per merchant and scope; a merchant-wide one receives every sales unit', async () => {
    const own = sampleWebhook();
    const wide = sampleWebhook({ id: '3f0c2b9e-0000-4000-8000-000000000002', msn: null, createdAt: 2 });
    const other = sampleWebhook({ id: '3f0c2b9e-0000-4000-8000-000000000003', clientId: 'client-b', msn: '123456', createdAt: 3 });
    await inTx(async (repo) => {
      for (const w of [own, wide, other]) await repo.insert(w);
    });
    await inTx(async (repo) => {
      assert.deepEqual(await repo.list({ clientId: 'client-a', msn: '123456' }), [own]);
      assert.deepEqual(await repo.list({ clientId: 'client-a', msn: null }), [wide]);
      assert.deepEqual(await repo.receiving('client-a', '123456'), [own, wide]);
      assert.deepEqual(await repo.receiving('client-a', '999999'), [wide]);
      assert.equal(await repo.delete({ clientId: 'client-b', msn: '123456' }, own.id), false, 'another merchant cannot delete it');
      assert.equal(await repo.delete({ clientId: 'client-a', msn: '123456' }, own.id), true);
      assert.deepEqual(await repo.list({ clientId: 'client-a', msn: '123456' }), []);
    });
    assert.deepEqual(await webhooks.get(wide.id), wide);
    assert.equal(await webhooks.get(own.id), null);
  });

  it('who receives an event follows registrations as they are added, changed and deleted', async () => {
    const receiving = () => inTx((repo) => repo.receiving('client-a', '123456'));
    assert.deepEqual(await receiving(), []);
    const hook = sampleWebhook();
    await inTx((repo) => repo.insert(hook));
    assert.deepEqual(await receiving(), [hook]);
    const faults = { ...hook.faults, delayMs: 250 };
    assert.equal(await inTx((repo) => repo.setFaults(hook.id, faults)), true);
    assert.equal(await inTx((repo) => repo.setFaults('3f0c2b9e-0000-4000-8000-0000000000ff', faults)), false);
    assert.deepEqual((await receiving()).map((w) => w.faults), [faults]);
    await inTx((repo) => repo.delete({ clientId: 'client-a', msn: '123456' }, hook.id));
    assert.deepEqual(await receiving(), []);
  });

  it('a registration rolls back with the transaction it was written in, and what was remembered of it goes too', async () => {
    const hook = sampleWebhook();
    assert.deepEqual(await inTx((repo) => repo.receiving('client-a', '123456')), []);
    await assert.rejects(
      inTx(async (repo) => {
        await repo.insert(hook);
        assert.deepEqual(await repo.receiving('client-a', '123456'), [hook]);
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(await inTx((repo) => repo.receiving('client-a', '123456')), []);
  });

  it('reset drops the registrations', async () => {
    await inTx((repo) => repo.insert(sampleWebhook()));
    await store.reset();
    assert.deepEqual(await inTx((repo) => repo.list({ clientId: 'client-a', msn: '123456' })), []);
  });
});
