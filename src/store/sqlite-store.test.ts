import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { idempotencyKeyHash } from './sqlite-idempotency.ts';
import { openSqliteStore } from './sqlite-store.ts';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.ts';
import { DuplicatePaymentError, type Store } from './store.ts';
import { insertSample, samplePayment, storeContract } from './store-contract.ts';
import { webhookStore } from '../faces/webhooks/webhook-store.ts';
import { sampleWebhook } from '../../test-support/webhook-samples.ts';

const dir = mkdtempSync(join(tmpdir(), 'vipps-local-store-'));
let n = 0;
after(() => rmSync(dir, { recursive: true, force: true }));

storeContract('SQLite (file)', async () => openSqliteStore({ path: join(dir, `store-${++n}.sqlite`) }));
// The same contract with every idempotency key indexed at the next batch, so lookups go through idempotency_keys.
storeContract('SQLite (file, keys indexed at every batch)', async () => openSqliteStore({ path: join(dir, `store-${++n}.sqlite`), keyIndexFlush: EVERY_BATCH }));

const EVERY_BATCH = { afterMs: 0, atKeys: 1 };
const NEVER = { afterMs: Number.MAX_SAFE_INTEGER, atKeys: Number.MAX_SAFE_INTEGER };

const SCOPE = 'epayment/create/123456';
const record = (key: string, createdAt = 1, requestHash = `hash-of-${key}`) => ({
  scope: SCOPE, key, requestHash, response: { ok: true as const, value: { reference: `ref-${key}` } }, createdAt,
});
const put = (store: Store, ...keys: string[]) => store.transaction(async (tx) => { for (const key of keys) await tx.putIdempotency(record(key)); });
/** Which of `keys` the store finds, in one transaction (each checked against the record it must return). */
const found = (store: Store, ...keys: string[]) =>
  store.transaction(async (tx) => {
    const hits: string[] = [];
    for (const key of keys) {
      const r = await tx.getIdempotency(SCOPE, key);
      if (r) {
        assert.deepEqual(r, record(key, r.createdAt));
        hits.push(key);
      }
    }
    return hits;
  });
const indexedKeys = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], number>('SELECT count(*) FROM idempotency_keys').pluck().get()!;
  } finally {
    db.close();
  }
};

/** A database file as the migrations up to `version` left it. */
function databaseAt(version: number): { path: string; db: Database.Database } {
  const path = join(dir, `migrate-${++n}.sqlite`);
  const db = new Database(path);
  db.function('vl_key_hash', { varargs: true }, (...parts: unknown[]) => idempotencyKeyHash(...parts.map(String)));
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
    const rec = (key: string, requestHash: string) => ({ scope: SCOPE, key, requestHash, response: { ok: true as const, value: 1 }, createdAt: 1 });
    await store.transaction(async (tx) => tx.putIdempotency(rec('key-a', 'ha')));
    await store.close();
    // Write a second key under the first one's hash, as a collision would.
    const db = new Database(path);
    db.prepare('INSERT INTO idempotency (scope, idem_key, request_hash, response, created_at, key_hash) VALUES (?, ?, ?, ?, ?, ?)')
      .run(SCOPE, 'key-b', 'hb', JSON.stringify({ ok: true, value: 1 }), 1, idempotencyKeyHash(SCOPE, 'key-a'));
    db.close();
    const reopened = openSqliteStore({ path });
    try {
      await reopened.transaction(async (tx) => {
        assert.equal((await tx.getIdempotency(SCOPE, 'key-a'))?.requestHash, 'ha');
        assert.equal(await tx.getIdempotency(SCOPE, 'key-b'), null, 'key-b was stored under the wrong hash, so it is not found by its own');
      });
    } finally {
      await reopened.close();
    }
  });
});

describe('SQLite idempotency keys, indexed behind the writes', () => {
  for (const [when, flush] of [['before its key is indexed', NEVER], ['after its key is indexed', EVERY_BATCH]] as const) {
    it(`a record is found ${when}, and again after a restart`, async () => {
      const path = join(dir, `keys-${++n}.sqlite`);
      let store = openSqliteStore({ path, keyIndexFlush: flush });
      await put(store, 'key-1', 'key-2');
      await put(store, 'key-3');
      assert.deepEqual(await found(store, 'key-1', 'key-2', 'key-3', 'key-4'), ['key-1', 'key-2', 'key-3']);
      await store.close();
      assert.equal(indexedKeys(path), flush === NEVER ? 0 : 3, 'the keys of a batch are indexed when the next batch starts');
      store = openSqliteStore({ path, keyIndexFlush: flush });
      try {
        assert.deepEqual(await found(store, 'key-1', 'key-2', 'key-3', 'key-4'), ['key-1', 'key-2', 'key-3']);
        await put(store, 'key-4');
        assert.deepEqual(await found(store, 'key-3', 'key-4'), ['key-3', 'key-4']);
      } finally {
        await store.close();
      }
    });
  }

  for (const [when, flush] of [['', NEVER], [' (the rolled-back batch had indexed the keys before it)', EVERY_BATCH]] as const) {
    it(`a rolled-back record is not found, and the record that takes its id is found by its own key${when}`, async () => {
      const path = join(dir, `keys-${++n}.sqlite`);
      const store = openSqliteStore({ path, keyIndexFlush: flush });
      try {
        await put(store, 'kept');
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.putIdempotency(record('rolled-back'));
            throw new Error('the unit fails after writing');
          }),
          /the unit fails/,
        );
        await put(store, 'after');
        assert.deepEqual(await found(store, 'kept', 'rolled-back', 'after'), ['kept', 'after']);
      } finally {
        await store.close();
      }
    });
  }

  it('records written and indexed by another connection to the same file are found', async () => {
    const path = join(dir, `keys-${++n}.sqlite`);
    const a = openSqliteStore({ path, keyIndexFlush: NEVER });
    const b = openSqliteStore({ path, keyIndexFlush: EVERY_BATCH });
    try {
      await put(a, 'from-a');
      assert.deepEqual(await found(b, 'from-a'), ['from-a']);
      await put(b, 'from-b-1');
      assert.deepEqual(await found(a, 'from-a', 'from-b-1'), ['from-a', 'from-b-1']);
      await put(b, 'from-b-2'); // b's batches index everything before them, a's record too
      assert.equal(indexedKeys(path), 2);
      assert.deepEqual(await found(a, 'from-a', 'from-b-1', 'from-b-2'), ['from-a', 'from-b-1', 'from-b-2']);
      await put(a, 'from-a-again');
      assert.deepEqual(await found(b, 'from-a', 'from-b-2', 'from-a-again'), ['from-a', 'from-b-2', 'from-a-again']);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('after every record is pruned, new records (whose ids start again at 1) are still found after a restart', async () => {
    const path = join(dir, `keys-${++n}.sqlite`);
    let store = openSqliteStore({ path, keyIndexFlush: EVERY_BATCH });
    await put(store, 'old-1', 'old-2', 'old-3');
    await put(store, 'old-4');
    assert.equal(await store.pruneIdempotency(Number.MAX_SAFE_INTEGER), 4);
    assert.equal(indexedKeys(path), 0, 'pruning deletes the index entries of the pruned records');
    await put(store, 'new-1');
    await store.close();
    store = openSqliteStore({ path, keyIndexFlush: EVERY_BATCH });
    try {
      assert.deepEqual(await found(store, 'old-1', 'new-1'), ['new-1'], 'found before it is indexed');
      await put(store, 'new-2');
      assert.deepEqual(await found(store, 'old-4', 'new-1', 'new-2'), ['new-1', 'new-2'], 'and after');
    } finally {
      await store.close();
    }
  });

  it('VACUUM keeps every indexed record findable (records have a declared id)', async () => {
    const path = join(dir, `keys-${++n}.sqlite`);
    let store = openSqliteStore({ path, keyIndexFlush: EVERY_BATCH });
    await put(store, 'a', 'b', 'c', 'd', 'e');
    await store.transaction(async (tx) => tx.putIdempotency(record('late', 5)));
    assert.equal(await store.pruneIdempotency(3), 5, 'a-e (created at 1) go, late stays');
    await store.close();
    assert.equal(indexedKeys(path), 1);
    const db = new Database(path);
    db.exec('VACUUM');
    db.close();
    store = openSqliteStore({ path, keyIndexFlush: EVERY_BATCH });
    try {
      assert.deepEqual(await found(store, 'a', 'e', 'late'), ['late']);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite webhook registrations', () => {
  it('a registration written by another connection to the same file is seen at the next transaction', async () => {
    const path = join(dir, `shared-${++n}.sqlite`);
    const [a, b] = [openSqliteStore({ path }), openSqliteStore({ path })];
    const [hooksA, hooksB] = [webhookStore(a), webhookStore(b)];
    try {
      assert.deepEqual(await a.transaction(async (tx) => hooksA.in(tx.sql).receiving('client-a', '123456')), []);
      const hook = sampleWebhook();
      await b.transaction(async (tx) => hooksB.in(tx.sql).insert(hook));
      assert.deepEqual(await a.transaction(async (tx) => hooksA.in(tx.sql).receiving('client-a', '123456')), [hook]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('SQLite migrations', () => {
  it('migration 7 gives payments ids, makes their captures, refunds and releases rows, scopes idempotency keys and fills in the outbox rows', async () => {
    const { path, db } = databaseAt(6);
    const p = samplePayment({ reference: 'from-version-6', state: 'AUTHORIZED', authorized: 1000, captured: 300, refunded: 100, cancelled: 700 });
    db.prepare('INSERT INTO payments (msn, reference, state, due_at, version, data, customer_phone, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(p.msn, p.reference, p.state, null, p.version, JSON.stringify(p), null, p.createdAt);
    const rowid = db.prepare<[], number>('SELECT id FROM payments').pluck().get()!;
    const event = db.prepare('INSERT INTO payment_events (id, psp_reference, name, currency, amount, ts, success, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, 1, ?)');
    event.run(rowid * 65536 + 1, 'psp-1', 'CREATED', 'NOK', 1000, 10, 'create-key');
    event.run(rowid * 65536 + 2, 'psp-2', 'AUTHORIZED', 'NOK', 1000, 20, null);
    event.run(rowid * 65536 + 3, 'psp-3', 'CAPTURED', 'NOK', 300, 30, 'capture-key');
    event.run(rowid * 65536 + 4, 'psp-4', 'REFUNDED', 'NOK', 100, 40, 'refund-key');
    event.run(rowid * 65536 + 5, 'psp-5', 'CANCELLED', 'NOK', 700, 50, null);
    const idem = db.prepare('INSERT INTO idempotency (msn, operation, idem_key, request_hash, outcome, created_at, key_hash) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const put = (operation: string, key: string, outcome: unknown) => idem.run('123456', operation, key, `h-${key}`, JSON.stringify(outcome), 5, idempotencyKeyHash('123456', operation, key));
    put('create', 'create-key', { ok: true, value: { msn: '123456', reference: 'from-version-6' } });
    put('capture', 'capture-key', { ok: true, value: { reference: 'from-version-6', captured: 300 } });
    put('capture', 'refused-key', { ok: false, error: { code: '6090', status: 400, title: 't', detail: 'd' } });
    db.prepare("INSERT INTO webhooks (id, client_id, msn, url, events, secret, created_at, faults) VALUES ('hook-1', 'client-a', '123456', 'http://127.0.0.1:9/hook', '[]', 'sekret', 1, '{\"delayMs\":5}')").run();
    db.prepare("INSERT INTO webhook_deliveries (webhook_id, msn, reference, event_type, payload, status, next_attempt_at, created_at) VALUES ('hook-1', '123456', 'from-version-6', 'epayments.payment.captured.v1', '{}', 'pending', 30, 30)").run();
    db.close();

    const store = openSqliteStore({ path });
    try {
      const migrated = (await store.getPayment({ msn: p.msn, reference: p.reference }))!;
      assert.equal(migrated.id, String(rowid));
      assert.deepEqual(await store.getPayment({ id: migrated.id }), migrated);
      assert.deepEqual(
        (await store.listAdjustments(migrated.id)).map((a) => [a.id, a.kind, a.amount, a.at, a.idempotencyKey, a.origin]),
        [[`${rowid}:3`, 'capture', 300, 30, 'capture-key', 'platform'], [`${rowid}:4`, 'refund', 100, 40, 'refund-key', 'platform'], [`${rowid}:5`, 'cancel', 700, 50, null, 'platform']],
      );
      await store.transaction(async (tx) => {
        assert.equal((await tx.getIdempotency('epayment/create/123456', 'create-key'))?.requestHash, 'h-create-key', 'create keys stay per sales unit');
        assert.equal((await tx.getIdempotency('epayment/capture/123456/from-version-6', 'capture-key'))?.requestHash, 'h-capture-key', 'capture keys become per payment');
        assert.equal(await tx.getIdempotency('epayment/capture/123456', 'capture-key'), null);
        assert.equal(await tx.getIdempotency('epayment/capture/123456/from-version-6', 'refused-key'), null, 'a refusal kept no reference: it is dropped');
      });
      const [delivery] = await store.claimDueDeliveries(1_000, 10, 'i', 10_000);
      assert.deepEqual(
        [delivery?.format, delivery?.targetId, delivery?.url, delivery?.secret, delivery?.faults.delayMs, delivery?.subject],
        ['vipps-webhook', 'hook-1', 'http://127.0.0.1:9/hook', 'sekret', 5, String(rowid)],
      );
    } finally {
      await store.close();
    }
  });

  it('migration 6 indexes every idempotency record, which stays findable and prunable', async () => {
    const { path, db } = databaseAt(5);
    const insert = db.prepare('INSERT INTO idempotency (msn, operation, idem_key, request_hash, outcome, created_at, key_hash) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const [key, createdAt] of [['v5-old', 100], ['v5-young', 300]] as const) {
      const r = record(key, createdAt);
      insert.run('123456', 'create', r.key, r.requestHash, JSON.stringify(r.response), r.createdAt, idempotencyKeyHash('123456', 'create', r.key));
    }
    db.close();
    const store = openSqliteStore({ path, keyIndexFlush: NEVER });
    try {
      assert.equal(indexedKeys(path), 2);
      await put(store, 'after-migration');
      assert.deepEqual(await found(store, 'v5-old', 'v5-young', 'after-migration'), ['v5-old', 'v5-young', 'after-migration']);
      assert.equal(await store.pruneIdempotency(200), 1);
      assert.deepEqual(await found(store, 'v5-old', 'v5-young', 'after-migration'), ['v5-young', 'after-migration']);
      assert.equal(indexedKeys(path), 1);
    } finally {
      await store.close();
    }
  });

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
      const firstId = (await store.getPayment({ msn: first.msn, reference: first.reference }))!.id;
      const secondId = (await store.getPayment({ msn: second.msn, reference: second.reference }))!.id;
      assert.deepEqual(
        (await store.listEvents(firstId)).map((e) => [e.msn, e.reference, e.seq, e.pspReference, e.name, e.idempotencyKey]),
        [
          ['123456', 'from-version-4', 1, 'psp-1', 'CREATED', 'key-1'],
          ['123456', 'from-version-4', 2, 'psp-3', 'AUTHORIZED', null],
        ],
      );
      assert.deepEqual((await store.listEvents(secondId)).map((e) => e.pspReference), ['psp-2']);
      await store.transaction(async (tx) =>
        tx.appendEvent({ paymentId: firstId, msn: first.msn, reference: first.reference, seq: 3, pspReference: 'psp-4', name: 'CAPTURED', currency: 'NOK', amount: 500, timestamp: 40, success: true, idempotencyKey: 'key-3' }),
      );
      assert.deepEqual((await store.listEvents(firstId)).map((e) => e.seq), [1, 2, 3]);
      assert.deepEqual(await store.listPaymentsByCustomerPhone('4712345678', 10), [{ ...first, id: firstId }], 'the phone index is rebuilt');
      assert.deepEqual([...(await store.listDuePayments(Number.MAX_SAFE_INTEGER, 10))].sort(), [firstId, secondId].sort());
      await assert.rejects(store.transaction(async (tx) => insertSample(tx, second)), DuplicatePaymentError, 'references stay unique');
    } finally {
      await store.close();
    }
  });

  it('migration 4 keeps every idempotency record findable by its key, and pruning still goes oldest first', async () => {
    const { path, db } = databaseAt(3);
    const put = db.prepare('INSERT INTO idempotency (msn, operation, idem_key, request_hash, outcome, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    put.run('123456', 'create', 'key-old', 'h1', JSON.stringify({ ok: true, value: { reference: 'a' } }), 100);
    put.run('123456', 'capture', 'key-young', 'h2', JSON.stringify({ ok: true, value: { reference: 'b', captured: 100 } }), 300);
    db.close();

    const store = openSqliteStore({ path });
    try {
      await store.transaction(async (tx) => {
        assert.deepEqual(await tx.getIdempotency('epayment/create/123456', 'key-old'), {
          scope: 'epayment/create/123456', key: 'key-old', requestHash: 'h1', response: { ok: true, value: { reference: 'a' } }, createdAt: 100,
        });
        assert.equal((await tx.getIdempotency('epayment/capture/123456/b', 'key-young'))?.requestHash, 'h2');
        assert.equal(await tx.getIdempotency('epayment/refund/123456/b', 'key-young'), null, 'the operation is part of the key');
      });
      assert.equal(await store.pruneIdempotency(200), 1);
      await store.transaction(async (tx) => assert.notEqual(await tx.getIdempotency('epayment/capture/123456/b', 'key-young'), null));
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
      const [listed] = await store.listPaymentsByCustomerPhone('4712345678', 10);
      assert.deepEqual(listed, { ...p, id: listed?.id });
      assert.ok(listed?.id, 'migration 7 gives it an id');
    } finally {
      await store.close();
    }
  });
});
