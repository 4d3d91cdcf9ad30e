import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { idempotencyKeyHash, openSqliteStore } from './sqlite-store.ts';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.ts';
import { DuplicatePaymentError } from './store.ts';
import { samplePayment, sampleWebhook, storeContract } from './store-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'vipps-local-store-'));
let n = 0;
after(() => rmSync(dir, { recursive: true, force: true }));

storeContract('SQLite (file)', async () => openSqliteStore({ path: join(dir, `store-${++n}.sqlite`) }));

/** A database file as the migrations up to `version` left it. */
function databaseAt(version: number): { path: string; db: Database.Database } {
  const path = join(dir, `migrate-${++n}.sqlite`);
  const db = new Database(path);
  db.function('vl_key_hash', (msn, operation, key) => idempotencyKeyHash(String(msn), String(operation), String(key)));
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  for (const m of SQLITE_MIGRATIONS.filter((m) => m.version <= version)) {
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, 0);
  }
  return { path, db };
}

describe('SQLite idempotency index', () => {
  it('two keys that share a hash are still two records: a lookup compares the whole key', async () => {
    const path = join(dir, `hash-${++n}.sqlite`);
    const store = openSqliteStore({ path });
    const rec = (key: string, requestHash: string) => ({ msn: '123456', operation: 'create' as const, key, requestHash, outcome: { ok: true as const, value: 1 }, createdAt: 1 });
    await store.transaction(async (tx) => tx.putIdempotency(rec('key-a', 'ha')));
    await store.close();
    // Write a second key under the first one's hash, as a collision would.
    const db = new Database(path);
    db.prepare('INSERT INTO idempotency (msn, operation, idem_key, request_hash, outcome, created_at, key_hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run('123456', 'create', 'key-b', 'hb', JSON.stringify({ ok: true, value: 1 }), 1, idempotencyKeyHash('123456', 'create', 'key-a'));
    db.close();
    const reopened = openSqliteStore({ path });
    try {
      await reopened.transaction(async (tx) => {
        assert.equal((await tx.getIdempotency('123456', 'create', 'key-a'))?.requestHash, 'ha');
        assert.equal(await tx.getIdempotency('123456', 'create', 'key-b'), null, 'key-b was stored under the wrong hash, so it is not found by its own');
      });
    } finally {
      await reopened.close();
    }
  });
});

describe('SQLite webhook registrations', () => {
  it('a registration written by another connection to the same file is seen at the next transaction', async () => {
    const path = join(dir, `shared-${++n}.sqlite`);
    const [a, b] = [openSqliteStore({ path }), openSqliteStore({ path })];
    try {
      assert.deepEqual(await a.transaction(async (tx) => tx.webhooksReceiving('client-a', '123456')), []);
      const hook = sampleWebhook();
      await b.transaction(async (tx) => tx.insertWebhook(hook));
      assert.deepEqual(await a.transaction(async (tx) => tx.webhooksReceiving('client-a', '123456')), [hook]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('SQLite migrations', () => {
  it('migration 5 keeps each payment with its events, and new events follow them', async () => {
    const { path, db } = databaseAt(4);
    const insertPayment = db.prepare('INSERT INTO payments (msn, reference, state, due_at, version, data, customer_phone, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const insertEvent = db.prepare(
      'INSERT INTO payment_events (msn, reference, seq, psp_reference, name, currency, amount, ts, success, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const first = samplePayment({ reference: 'from-version-4', customerPhone: '4712345678', createdAt: 10 });
    const second = samplePayment({ reference: 'also-from-version-4', createdAt: 20 });
    for (const p of [first, second]) insertPayment.run(p.msn, p.reference, p.state, p.expiresAt, p.version, JSON.stringify(p), p.customerPhone ?? null, p.createdAt);
    insertEvent.run(first.msn, first.reference, 1, 'psp-1', 'CREATED', 'NOK', 1000, 10, 1, 'key-1');
    insertEvent.run(second.msn, second.reference, 1, 'psp-2', 'CREATED', 'NOK', 1000, 20, 1, 'key-2');
    insertEvent.run(first.msn, first.reference, 2, 'psp-3', 'AUTHORIZED', 'NOK', 1000, 30, 1, null);
    db.close();

    const store = openSqliteStore({ path });
    try {
      assert.deepEqual(
        (await store.listEvents(first.msn, first.reference)).map((e) => [e.msn, e.reference, e.seq, e.pspReference, e.name, e.idempotencyKey]),
        [
          ['123456', 'from-version-4', 1, 'psp-1', 'CREATED', 'key-1'],
          ['123456', 'from-version-4', 2, 'psp-3', 'AUTHORIZED', null],
        ],
      );
      assert.deepEqual((await store.listEvents(second.msn, second.reference)).map((e) => e.pspReference), ['psp-2']);
      await store.transaction(async (tx) =>
        tx.appendEvent({ msn: first.msn, reference: first.reference, seq: 3, pspReference: 'psp-4', name: 'CAPTURED', currency: 'NOK', amount: 500, timestamp: 40, success: true, idempotencyKey: 'key-3' }),
      );
      assert.deepEqual((await store.listEvents(first.msn, first.reference)).map((e) => e.seq), [1, 2, 3]);
      assert.deepEqual(await store.listPaymentsByCustomerPhone('4712345678', 10), [first], 'the phone index is rebuilt');
      assert.deepEqual((await store.listDuePayments(Number.MAX_SAFE_INTEGER, 10)).map((r) => r.reference).sort(), ['also-from-version-4', 'from-version-4']);
      await assert.rejects(store.transaction(async (tx) => tx.insertPayment(second)), DuplicatePaymentError, 'references stay unique');
    } finally {
      await store.close();
    }
  });

  it('migration 4 keeps every idempotency record findable by its key, and pruning still goes oldest first', async () => {
    const { path, db } = databaseAt(3);
    const put = db.prepare('INSERT INTO idempotency (msn, operation, idem_key, request_hash, outcome, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    put.run('123456', 'create', 'key-old', 'h1', JSON.stringify({ ok: true, value: { reference: 'a' } }), 100);
    put.run('123456', 'capture', 'key-young', 'h2', JSON.stringify({ ok: false, error: { code: '6090', status: 400, title: 't', detail: 'd' } }), 300);
    db.close();

    const store = openSqliteStore({ path });
    try {
      await store.transaction(async (tx) => {
        assert.deepEqual(await tx.getIdempotency('123456', 'create', 'key-old'), {
          msn: '123456', operation: 'create', key: 'key-old', requestHash: 'h1', outcome: { ok: true, value: { reference: 'a' } }, createdAt: 100,
        });
        assert.equal((await tx.getIdempotency('123456', 'capture', 'key-young'))?.requestHash, 'h2');
        assert.equal(await tx.getIdempotency('123456', 'refund', 'key-young'), null, 'the operation is part of the key');
      });
      assert.equal(await store.pruneIdempotency(200), 1);
      await store.transaction(async (tx) => assert.notEqual(await tx.getIdempotency('123456', 'capture', 'key-young'), null));
    } finally {
      await store.close();
    }
  });

  it('migration 3 moves the customer phone of existing payments into its column, so the app simulator still lists them', async () => {
    // A database as version 2 left it: a payment with a phone in its document only.
    const { path, db: old } = databaseAt(2);
    const p = samplePayment({ reference: 'from-version-2', customerPhone: '4712345678', createdAt: 123 });
    old.prepare('INSERT INTO payments (msn, reference, state, due_at, version, data) VALUES (?, ?, ?, ?, ?, ?)').run(p.msn, p.reference, p.state, p.expiresAt, p.version, JSON.stringify(p));
    old.close();

    const store = openSqliteStore({ path });
    try {
      assert.deepEqual(await store.listPaymentsByCustomerPhone('4712345678', 10), [p]);
    } finally {
      await store.close();
    }
  });
});
