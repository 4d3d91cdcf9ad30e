// A face's own rows and the engine's changes share one transaction: they commit together and roll
// back together, on the store under test (SQLite, and PostgreSQL in npm test's second pass).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../domain/reasons.ts';
import { epaymentApi } from '../faces/epayment/epayment-api.ts';
import { scopeOf } from '../faces/epayment/idempotency-policy.ts';
import { webhookStore } from '../faces/webhooks/webhook-store.ts';
import { buildPlatform, type Platform } from '../platform/app.ts';
import { applyConfigFile, defaultConfig, DEFAULT_MERCHANT } from '../platform/config.ts';
import { freshTestDatabase, type TestDatabase } from '../../test-support/test-database.ts';
import { sampleWebhook } from '../../test-support/webhook-samples.ts';
import type { CreateInput } from './create-payment.ts';

const MSN = DEFAULT_MERCHANT.msn;

/** A create as a face would ask for it, with neutral terms. */
const createInput = (reference: string): CreateInput => ({
  msn: MSN,
  reference,
  idempotencyKey: null,
  build: () => ({ amount: 1000, currency: 'NOK', terms: { userFlow: 'WEB_REDIRECT', returnUrl: 'https://example.com', longLiving: false } }),
});

describe('face rows and engine changes in one unit of work', () => {
  let db: TestDatabase;
  let platform: Platform;
  before(async () => {
    db = await freshTestDatabase();
    platform = await buildPlatform({ ...applyConfigFile(defaultConfig(), { database: db.database }), logLevel: 'silent' });
    await platform.store.applyMigrations('boundary-test', [
      { version: 1, sqlite: 'CREATE TABLE boundary_rows (payment_id TEXT PRIMARY KEY, note TEXT NOT NULL)', postgres: 'CREATE TABLE boundary_rows (payment_id text PRIMARY KEY, note text NOT NULL)' },
    ]);
  });
  after(async () => {
    await platform?.close();
    await db?.remove();
  });

  const faceRows = () => platform.store.sql.query<{ payment_id: string; note: string }>('SELECT payment_id, note FROM boundary_rows ORDER BY note');

  it('a face row written after an engine create commits with it', async () => {
    const { engine } = platform;
    const p = await engine.run(async (uow) => {
      const created = await engine.commands.create(uow, createInput(`boundary-${randomUUID()}`));
      await uow.tx.sql.execute('INSERT INTO boundary_rows (payment_id, note) VALUES (?, ?)', [created.id, 'committed']);
      return created;
    });
    assert.deepEqual(await faceRows(), [{ payment_id: p.id, note: 'committed' }]);
    assert.equal((await engine.getPayment({ id: p.id })).state, 'CREATED');
  });

  it('a face failure after the engine create rolls back the payment, its events, its outbox rows and the face row', async () => {
    const { engine, store } = platform;
    const hook = sampleWebhook({ id: randomUUID(), clientId: DEFAULT_MERCHANT.clientId, msn: MSN, events: ['epayments.payment.created.v1'] });
    await store.transaction((tx) => webhookStore(store).in(tx.sql).insert(hook));
    const reference = `boundary-${randomUUID()}`;
    let id = '';
    await assert.rejects(
      engine.run(async (uow) => {
        const created = await engine.commands.create(uow, createInput(reference));
        id = created.id;
        await uow.tx.sql.execute('INSERT INTO boundary_rows (payment_id, note) VALUES (?, ?)', [created.id, 'rolled back']);
        assert.equal(uow.outboxed, 1, 'the Webhooks face wrote its outbox row in this transaction');
        throw new Error('the face could not finish');
      }),
      /the face could not finish/,
    );
    assert.equal(await store.getPayment({ msn: MSN, reference }), null);
    assert.deepEqual(await store.listEvents(id), []);
    assert.deepEqual(await store.listDeliveries({ reference, limit: 10 }), []);
    assert.ok((await faceRows()).every((r) => r.note !== 'rolled back'));
  });

  it("a face's refusal after an engine change keeps what was decided before it, and is reported", async () => {
    const { engine } = platform;
    const reference = `boundary-${randomUUID()}`;
    await assert.rejects(
      engine.run(async (uow) => {
        await engine.commands.create(uow, createInput(reference));
        throw new DomainError('NOT_SUPPORTED', 'a rule of the face');
      }),
      (err: unknown) => err instanceof DomainError && err.reason === 'NOT_SUPPORTED',
    );
    assert.equal((await engine.getPayment({ msn: MSN, reference })).state, 'CREATED', 'a refusal commits: faces check their rules before engine changes they must not keep');
  });

  it("the ePayment face's idempotency record rolls back with its effect: a failure leaves the key unused", async () => {
    const { engine, store } = platform;
    const key = randomUUID();
    const reference = `boundary-${randomUUID()}`;
    const guard = { scope: scopeOf('create', MSN, reference), key, request: { reference }, respond: () => ({ ok: true }), remember: () => true };
    await assert.rejects(
      engine.guarded(guard, async (uow) => {
        await engine.commands.create(uow, createInput(reference));
        throw new Error('crash after the effect');
      }),
      /crash after the effect/,
    );
    assert.equal(await store.transaction((tx) => tx.getIdempotency(guard.scope, key)), null);
    assert.equal(await store.getPayment({ msn: MSN, reference }), null);
    // The same request with the same key now runs as the first one.
    const created = await epaymentApi(engine).create(MSN, { amount: { currency: 'NOK', value: 1000 }, paymentMethod: { type: 'WALLET' }, reference, userFlow: 'WEB_REDIRECT', returnUrl: 'https://example.com' }, key);
    assert.equal(created.reference, reference);
  });

  it("a Webhooks face registration and the payment change of one unit roll back together", async () => {
    const { engine, store } = platform;
    const webhooks = webhookStore(store);
    const hook = sampleWebhook({ id: randomUUID(), clientId: 'boundary-client' });
    const reference = `boundary-${randomUUID()}`;
    await assert.rejects(
      engine.run(async (uow) => {
        await webhooks.in(uow.tx.sql).insert(hook);
        await engine.commands.create(uow, createInput(reference));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await webhooks.get(hook.id), null);
    assert.equal(await store.getPayment({ msn: MSN, reference }), null);
  });
});
