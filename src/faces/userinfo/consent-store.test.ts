// The Userinfo face's repository on the store under test (SQLite, and PostgreSQL in npm test's
// second pass): its own migrations, one row per sub and sales unit, rollback and reset.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import { freshTestDatabase, type TestDatabase } from '../../../test-support/test-database.ts';
import { userinfoConsentStore, type Consent, type ConsentStore } from './consent-store.ts';

const SUB = 'c06c4afe-d9e1-4c5d-939a-177d752a0944';
const consent = (over: Partial<Consent> = {}): Consent => ({ sub: SUB, msn: '123456', phone: '4712345678', scopes: ['name', 'email'], consentedAt: 1_000, ...over });

describe('userinfo consents (Userinfo face repository)', () => {
  let db: TestDatabase;
  let store: Store;
  let consents: ConsentStore;
  beforeEach(async () => {
    db = await freshTestDatabase();
    store = await openStore(db.database);
    consents = await userinfoConsentStore(store);
  });
  afterEach(async () => {
    await store.close();
    await db.remove();
  });

  const inTx = <T>(fn: (repo: ReturnType<ConsentStore['in']>) => Promise<T>) => store.transaction((tx) => fn(consents.in(tx.sql)));

  it('keeps one row per sub and sales unit; a later consent replaces the scopes and the time', async () => {
    assert.deepEqual(await consents.bySub(SUB), []);
    await inTx((repo) => repo.record(consent()));
    assert.deepEqual(await consents.bySub(SUB), [consent()]);
    await inTx((repo) => repo.record(consent({ scopes: ['address'], consentedAt: 2_000 })));
    assert.deepEqual(await consents.bySub(SUB), [consent({ scopes: ['address'], consentedAt: 2_000 })]);
    await inTx((repo) => repo.record(consent({ msn: '234567', scopes: ['birthDate'], consentedAt: 3_000 })));
    assert.deepEqual(
      (await consents.bySub(SUB)).map((c) => [c.msn, c.scopes, c.consentedAt]),
      [
        ['123456', ['address'], 2_000],
        ['234567', ['birthDate'], 3_000],
      ],
    );
    assert.deepEqual(await inTx((repo) => repo.bySub(SUB)), await consents.bySub(SUB), 'the same rows inside a transaction');
    assert.deepEqual(await consents.bySub('another-sub'), []);
  });

  it('a consent recorded out of order does not overwrite a newer one', async () => {
    await inTx((repo) => repo.record(consent({ scopes: ['name'], consentedAt: 5_000 })));
    await inTx((repo) => repo.record(consent({ scopes: ['email'], consentedAt: 4_000 })));
    assert.deepEqual(await consents.bySub(SUB), [consent({ scopes: ['name'], consentedAt: 5_000 })]);
  });

  it('keeps times beyond 32 bits exactly (epoch milliseconds)', async () => {
    const at = Date.UTC(2031, 0, 2, 3, 4, 5, 678);
    await inTx((repo) => repo.record(consent({ consentedAt: at })));
    assert.equal((await consents.bySub(SUB))[0]!.consentedAt, at);
  });

  it('a consent rolls back with the transaction it was written in', async () => {
    await assert.rejects(
      inTx(async (repo) => {
        await repo.record(consent());
        assert.equal((await repo.bySub(SUB)).length, 1, 'visible inside its transaction');
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(await consents.bySub(SUB), []);
  });

  it('reset drops the consents; opening the face again on a migrated store changes nothing', async () => {
    await inTx((repo) => repo.record(consent()));
    await store.reset();
    assert.deepEqual(await consents.bySub(SUB), []);
    await store.applyMigrations('userinfo', []);
    assert.equal(await userinfoConsentStore(store), consents, 'one face store per store');
  });
});
