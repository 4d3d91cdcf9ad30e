// The store contract on a real PostgreSQL server (test-support/postgres.ts), a fresh database per
// test, plus what only a store with real concurrency can show: row locks, lock timeouts, advisory
// locks on idempotency keys and references, SKIP LOCKED claims, concurrent migrations.
import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { DomainError } from '../domain/reasons.ts';
import { createTestDatabase, dropTestDatabase, withClient } from '../../test-support/postgres.ts';
import { PG_MIGRATIONS } from './pg-migrations.ts';
import { openPgStore, type PgStoreOptions } from './pg-store.ts';
import { insertSample, sampleDelivery, samplePayment, storeContract } from './store-contract.ts';
import type { Store } from './store.ts';
import { webhookStore } from '../faces/webhooks/webhook-store.ts';
import { sampleWebhook } from '../../test-support/webhook-samples.ts';

const databases: string[] = [];
after(async () => {
  await Promise.all(databases.map(dropTestDatabase));
});

async function freshDatabase(): Promise<string> {
  const url = await createTestDatabase('vipps_store');
  databases.push(url);
  return url;
}

storeContract('PostgreSQL', async () => openPgStore({ url: await freshDatabase() }));

/** A fresh database for each test of the enclosing describe, and stores on it closed after the test. */
function freshDatabasePerTest() {
  const open: Store[] = [];
  const db = {
    url: '',
    store: async (options: Partial<PgStoreOptions> = {}): Promise<Store> => {
      const s = await openPgStore({ url: db.url, ...options });
      open.push(s);
      return s;
    },
  };
  beforeEach(async () => {
    db.url = await freshDatabase();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return db;
}

describe('PostgreSQL store: concurrency', () => {
  const db = freshDatabasePerTest();
  const { store } = db;

  it('a transaction that cannot lock a payment within the lock timeout fails with 6160 and changes nothing; the holder commits', async () => {
    const a = await store();
    const b = await store({ lockTimeoutMs: 100 });
    const inserted = await a.transaction((tx) => insertSample(tx, samplePayment({ state: 'AUTHORIZED', authorized: 1000 })));

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = a.transaction(async (tx) => {
      const p = (await tx.lockPayment({ id: inserted.id }))!;
      locked();
      await held;
      await tx.updatePayment({ ...p, captured: 100, version: p.version + 1 });
    });
    await isLocked;

    const started = Date.now();
    await assert.rejects(
      b.transaction(async (tx) => {
        const p = (await tx.lockPayment({ id: inserted.id }))!;
        await tx.updatePayment({ ...p, captured: p.captured + 500, version: p.version + 1 });
      }),
      (err: unknown) => err instanceof DomainError && err.reason === 'PAYMENT_BUSY',
    );
    const waited = Date.now() - started;
    assert.ok(waited >= 80 && waited < 1500, `gave up after ${waited} ms, not after the 100 ms lock timeout`);

    release();
    await holder;
    const p = await b.getPayment({ id: inserted.id });
    assert.equal(p!.captured, 100);
    assert.equal(p!.version, 2);
  });

  it('a lock failure the transaction swallows still rolls back everything it wrote', async () => {
    const a = await store();
    const b = await store({ lockTimeoutMs: 50 });
    await a.transaction((tx) => insertSample(tx));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = a.transaction(async (tx) => {
      await tx.lockPayment({ msn: '123456', reference: 'order-contract-1' });
      locked();
      await held;
    });
    await isLocked;
    await assert.rejects(
      b.transaction(async (tx) => {
        await insertSample(tx, samplePayment({ reference: 'written-first' }));
        try {
          await tx.lockPayment({ msn: '123456', reference: 'order-contract-1' });
        } catch {
          // carry on regardless
        }
        return 'done';
      }),
      (err: unknown) => err instanceof DomainError && err.reason === 'PAYMENT_BUSY',
    );
    release();
    await holder;
    assert.equal(await a.getPayment({ msn: '123456', reference: 'written-first' }), null);
  });

  it('two instances creating one reference at once: the second waits for the first and finds its payment', async () => {
    const [a, b] = [await store(), await store()];
    const p = samplePayment({ reference: 'raced' });
    const create = (s: Store, token: string) =>
      s.transaction(async (tx) => {
        if (await tx.lockPayment({ msn: p.msn, reference: p.reference })) return 'exists';
        await sleep(50); // widen the window between the check and the insert
        await insertSample(tx, { ...p, token });
        return 'created';
      });
    const results = await Promise.all([create(a, 'from-a'), create(b, 'from-b')]);
    assert.deepEqual(results.sort(), ['created', 'exists']);
  });

  it('concurrent transactions with one idempotency key on two instances: exactly one writes the record, the others read it', async () => {
    const [a, b] = [await store(), await store()];
    const attempt = (s: Store, i: number) =>
      s.transaction(async (tx) => {
        const previous = await tx.getIdempotency('epayment/create/123456', 'one-key');
        if (previous) return 'replayed';
        await sleep(20);
        await insertSample(tx, samplePayment({ reference: `idem-${i}`, token: `t-${i}` }));
        await tx.putIdempotency({ scope: 'epayment/create/123456', key: 'one-key', requestHash: 'h', response: { ok: true, value: i }, createdAt: 1 });
        return 'created';
      });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(i % 2 ? a : b, i)));
    assert.equal(results.filter((r) => r === 'created').length, 1, JSON.stringify(results));
    const { rows } = await withClient(db.url, (c) => c.query('SELECT count(*)::int AS n FROM payments'));
    assert.equal(rows[0].n, 1);
  });

  it('two instances claiming deliveries at once never claim the same one', async () => {
    const [a, b] = [await store(), await store()];
    await a.transaction(async (tx) => {
      for (let i = 0; i < 200; i++) await tx.insertDelivery(sampleDelivery({ reference: `order-${i}`, payload: `{"n":${i}}`, createdAt: 1, nextAttemptAt: 1 }));
    });
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claimDueDeliveries(1_000, 15, `claimer-${i}`, 60_000)),
    );
    const ids = claims.flat().map((d) => d.id);
    assert.equal(new Set(ids).size, ids.length, 'a delivery was claimed twice');
    assert.equal(ids.length, 200);
  });

  it('instances starting together on an empty database apply the migrations once', async () => {
    const stores = await Promise.all(Array.from({ length: 4 }, () => store()));
    await stores[0]!.transaction((tx) => insertSample(tx));
    const { rows } = await withClient(db.url, (c) => c.query('SELECT version FROM schema_migrations ORDER BY version'));
    assert.deepEqual(rows.map((r) => r.version), PG_MIGRATIONS.map((m) => m.version));
    assert.notEqual(await stores[3]!.getPayment({ msn: '123456', reference: 'order-contract-1' }), null);
  });

  it('stores money and times as bigint and reads them back as numbers', async () => {
    const s = await store();
    const p = await s.transaction(async (tx) => {
      const inserted = await insertSample(tx, samplePayment({ amount: 65_000_000, createdAt: 4_102_444_800_000, expiresAt: 4_102_445_400_000 }));
      await tx.appendEvent({ ...eventOf(inserted), amount: 65_000_000, timestamp: 4_102_444_800_000 });
      return inserted;
    });
    const [e] = await s.listEvents(p.id);
    assert.equal(e!.amount, 65_000_000);
    assert.equal(e!.timestamp, 4_102_444_800_000);
    assert.deepEqual(await s.listDuePayments(4_102_445_400_000, 10), [p.id]);
  });
});

describe('PostgreSQL store: statements and connections', () => {
  const db = freshDatabasePerTest();
  const { store } = db;

  /** The backend of the store's connection that holds the payment row locked (a lockPayment in progress). */
  const holderOfPaymentRow = () =>
    withClient(db.url, async (c) => {
      const { rows } = await c.query<{ pid: number }>(
        "SELECT pid FROM pg_locks WHERE relation = 'payments'::regclass AND mode = 'RowShareLock' AND pid <> pg_backend_pid()",
      );
      assert.equal(rows.length, 1);
      return rows[0]!.pid;
    });

  it('values travel only as bound parameters: no SQL text a unit of work or reset sends contains one', async () => {
    const sentinel = "x'sentinel\\\" -- ;";
    const texts: string[] = [];
    const proto = pg.Connection.prototype as unknown as { parse(m: { text: string }): void; query(text: string): void };
    const { parse, query } = proto;
    proto.parse = function (this: unknown, m) {
      texts.push(m.text);
      return parse.call(this, m);
    };
    proto.query = function (this: unknown, text) {
      texts.push(text);
      return query.call(this, text);
    };
    try {
      const s = await store();
      const hooks = webhookStore(s);
      const key = { msn: sentinel, reference: sentinel };
      const hook = sampleWebhook({ msn: sentinel, clientId: sentinel, url: `http://127.0.0.1:9/${sentinel}`, secret: sentinel });
      const merchantWide = sampleWebhook({ id: '3f0c2b9e-0000-4000-8000-000000000002', msn: null, clientId: sentinel });
      const p = await s.transaction(async (tx) => {
        assert.equal(await tx.getIdempotency(sentinel, sentinel), null);
        assert.equal(await tx.lockPayment(key), null);
        const inserted = await insertSample(tx, samplePayment({ ...key, pspReference: sentinel }));
        await tx.appendEvent({ ...eventOf(inserted), idempotencyKey: sentinel });
        await tx.insertAdjustment({ id: `${inserted.id}:2`, paymentId: inserted.id, seq: 2, kind: 'capture', amount: 1, currency: 'NOK', at: 1, idempotencyKey: sentinel, origin: 'platform', pspReference: sentinel });
        await tx.putIdempotency({ scope: sentinel, key: sentinel, requestHash: sentinel, response: { ok: true, value: sentinel }, createdAt: 1 });
        const repo = hooks.in(tx.sql);
        await repo.insert(hook);
        await repo.insert(merchantWide);
        assert.equal((await repo.receiving(sentinel, sentinel)).length, 2);
        await tx.insertDelivery(sampleDelivery({ targetId: hook.id, url: hook.url, secret: sentinel, subject: sentinel, msn: sentinel, reference: sentinel, payload: sentinel, createdAt: 1, nextAttemptAt: 1 }));
        return inserted;
      });
      await s.transaction(async (tx) => {
        const locked = (await tx.lockPayment(key))!;
        await tx.updatePayment({ ...locked, pspReference: `${sentinel}2`, version: locked.version + 1 });
        const repo = hooks.in(tx.sql);
        assert.deepEqual((await repo.list({ clientId: sentinel, msn: sentinel })).map((w) => w.url), [hook.url]);
        assert.deepEqual((await repo.list({ clientId: sentinel, msn: null })).map((w) => w.id), [merchantWide.id]);
        assert.equal(await repo.delete({ clientId: sentinel, msn: null }, merchantWide.id), true);
        assert.equal(await repo.delete({ clientId: sentinel, msn: sentinel }, hook.id), true);
        await tx.forgetTarget(hook.id);
      });
      assert.equal((await s.getPayment(key))!.pspReference, `${sentinel}2`);
      const record = await s.transaction((tx) => tx.getIdempotency(sentinel, sentinel));
      assert.deepEqual(record!.response, { ok: true, value: sentinel });
      assert.deepEqual((await s.listEvents(p.id)).map((e) => e.idempotencyKey), [sentinel]);
      assert.deepEqual((await s.listAdjustments(p.id)).map((a) => a.idempotencyKey), [sentinel]);
      await s.reset();
      assert.equal(await s.getPayment(key), null);
    } finally {
      proto.parse = parse;
      proto.query = query;
    }
    assert.ok(texts.length > 10);
    assert.deepEqual(texts.filter((t) => t.includes('sentinel')), []);
  });

  /** Terminates, from outside, the backend of the pooled connection that just ran a transaction. */
  async function breakIdleConnection(s: Store): Promise<void> {
    await s.transaction((tx) => insertSample(tx));
    let pid!: number;
    await s.transaction(async (tx) => {
      await tx.lockPayment({ msn: '123456', reference: 'order-contract-1' });
      pid = await holderOfPaymentRow();
    });
    await withClient(db.url, (c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
  }

  it('a pooled connection that breaks while idle is reported with context, and the store goes on', async () => {
    const reports: Array<{ message: string; err: Error; context: Record<string, unknown> }> = [];
    const s = await store({ poolSize: 1, log: (message, err, context) => reports.push({ message, err, context }) });
    await breakIdleConnection(s);
    for (let i = 0; i < 100 && reports.length === 0; i++) await sleep(20);
    assert.equal(reports.length, 1);
    assert.match(reports[0]!.message, /idle pooled connection failed/);
    assert.equal(reports[0]!.context.code, '57P01');
    assert.notEqual(await s.getPayment({ msn: '123456', reference: 'order-contract-1' }), null);
  });

  it('a pino-like logger gets the error and its context as an object', async () => {
    const logged: Array<{ object: Record<string, unknown>; message?: string }> = [];
    const s = await store({ poolSize: 1, log: { error: (object, message) => logged.push({ object: object as Record<string, unknown>, message }) } });
    await breakIdleConnection(s);
    for (let i = 0; i < 100 && logged.length === 0; i++) await sleep(20);
    assert.equal(logged.length, 1);
    assert.ok(logged[0]!.object.err instanceof Error);
    assert.equal(logged[0]!.object.code, '57P01');
    assert.match(logged[0]!.message!, /idle pooled connection failed/);
  });

  it('a connection that breaks inside a unit of work fails that unit, not the process; the next one runs on a new connection', async () => {
    const s = await store({ poolSize: 1 });
    await s.transaction((tx) => insertSample(tx));
    await assert.rejects(
      s.transaction(async (tx) => {
        const p = (await tx.lockPayment({ msn: '123456', reference: 'order-contract-1' }))!;
        const pid = await holderOfPaymentRow();
        await withClient(db.url, (c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
        await sleep(100); // the connection's end arrives while no statement is running
        await tx.updatePayment({ ...p, captured: 100, version: p.version + 1 });
      }),
      /terminat|not queryable/,
    );
    const p = (await s.getPayment({ msn: '123456', reference: 'order-contract-1' }))!;
    assert.equal(p.captured, 0);
    await s.transaction(async (tx) => {
      const locked = (await tx.lockPayment({ msn: '123456', reference: 'order-contract-1' }))!;
      await tx.updatePayment({ ...locked, captured: 200, version: locked.version + 1 });
    });
    assert.equal((await s.getPayment({ msn: '123456', reference: 'order-contract-1' }))!.captured, 200);
  });
});

function eventOf(p: ReturnType<typeof samplePayment>) {
  return {
    paymentId: p.id,
    msn: p.msn,
    reference: p.reference,
    pspReference: 'psp-1',
    name: 'CREATED' as const,
    currency: p.currency,
    amount: p.amount,
    timestamp: p.createdAt,
    success: true,
    idempotencyKey: null,
    seq: 1,
  };
}
