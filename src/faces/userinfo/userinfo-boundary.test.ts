// The Userinfo face's consent row and the engine's authorization share one transaction: they commit
// together and roll back together, on the store under test (SQLite, and PostgreSQL in npm test's
// second pass). In the style of engine/face-boundary.test.ts.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { subjectId } from '../../engine/approve-payment.ts';
import type { CreateInput } from '../../engine/create-payment.ts';
import { buildPlatform, type Platform } from '../../platform/app.ts';
import { applyConfigFile, defaultConfig, DEFAULT_MERCHANT } from '../../platform/config.ts';
import { freshTestDatabase, type TestDatabase } from '../../../test-support/test-database.ts';
import { userinfoConsentStore, type ConsentStore } from './consent-store.ts';

const MSN = DEFAULT_MERCHANT.msn;
const PHONE = '4712345678';
const SUB = subjectId(MSN, PHONE);

/** A create as a face would ask for it, with a profile scope. */
const createInput = (reference: string, profileScope?: string): CreateInput => ({
  msn: MSN,
  reference,
  idempotencyKey: null,
  build: () => ({
    amount: 1000,
    currency: 'NOK',
    terms: { userFlow: 'WEB_REDIRECT', returnUrl: 'https://example.com', longLiving: false, ...(profileScope ? { profileScope } : {}) },
  }),
});

describe('the userinfo consent and the authorization in one unit of work', () => {
  let db: TestDatabase;
  let platform: Platform;
  let consents: ConsentStore;
  before(async () => {
    db = await freshTestDatabase();
    platform = await buildPlatform({ ...applyConfigFile(defaultConfig(), { database: db.database }), logLevel: 'silent' });
    consents = await userinfoConsentStore(platform.store);
  });
  after(async () => {
    await platform?.close();
    await db?.remove();
  });

  const created = async (profileScope?: string) => {
    const reference = `consent-${randomUUID()}`;
    await platform.engine.run((uow) => platform.engine.commands.create(uow, createInput(reference, profileScope)));
    return { msn: MSN, reference };
  };

  it('a failure after the authorization rolls back the consent row with it', async () => {
    const { engine } = platform;
    const key = await created('name email');
    await assert.rejects(
      engine.run(async (uow) => {
        const p = await engine.commands.approve(uow, key, { phoneNumber: PHONE });
        assert.equal(p.state, 'AUTHORIZED');
        assert.equal(p.sub, SUB);
        assert.deepEqual(
          (await consents.in(uow.tx.sql).bySub(SUB)).map((c) => c.scopes),
          [['name', 'email']],
          'the projector wrote the consent in this transaction',
        );
        assert.equal(uow.outboxed, 0, 'a consent sends nothing');
        throw new Error('the unit failed after the authorization');
      }),
      /the unit failed after the authorization/,
    );
    const payment = await engine.getPayment(key);
    assert.equal(payment.state, 'CREATED');
    assert.equal(payment.sub, undefined);
    assert.deepEqual(await consents.bySub(SUB), []);
  });

  it('an authorization that commits leaves the consent: sub, sales unit, user, scopes and the time of the authorization', async () => {
    const key = await created('address birthDate');
    const p = await platform.engine.approve(key, { phoneNumber: PHONE });
    assert.deepEqual(await consents.bySub(SUB), [{ sub: SUB, msn: MSN, phone: PHONE, scopes: ['address', 'birthDate'], consentedAt: p.authorizedAt }]);
  });

  it('a payment without profile scope leaves no consent, and its other events none either', async () => {
    await platform.store.reset();
    const key = await created();
    await platform.engine.approve(key, { phoneNumber: PHONE });
    await platform.engine.run((uow) => platform.engine.commands.capture(uow, key, { amount: { currency: 'NOK', value: 500 }, idempotencyKey: null }));
    assert.deepEqual(await consents.bySub(SUB), []);
  });
});
