// The request log's repository on the store under test (SQLite, and PostgreSQL in npm test's second
// pass): one contract for both dialects.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import { freshTestDatabase, type TestDatabase } from '../../../test-support/test-database.ts';
import { MAX_ENTRIES_PER_ROW, REQUEST_LOG_MIGRATIONS, REQUEST_LOG_MODULE, requestLogStore, type RequestLogRepository, type RequestRecord } from './request-log-store.ts';

const T0 = Date.UTC(2030, 0, 1);

function entry(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    at: T0,
    method: 'POST',
    path: '/epayment/v1/payments',
    route: '/epayment/v1/payments',
    api: 'epayment',
    status: 201,
    latencyMs: 1.25,
    clientId: 'client-a',
    msn: '123456',
    reference: 'order-1',
    idempotencyKey: 'key-1',
    systemName: 'woocommerce',
    systemVersion: '6.4.2/8.0.1',
    pluginName: 'woo-vipps',
    pluginVersion: '2.1.0',
    traceId: null,
    errorCode: null,
    errorDetail: null,
    leniencies: null,
    notes: null,
    requestBody: null,
    responseBody: null,
    ...overrides,
  };
}

describe('request log (repository)', () => {
  let db: TestDatabase;
  let store: Store;
  let log: RequestLogRepository;
  beforeEach(async () => {
    db = await freshTestDatabase();
    store = await openStore(db.database);
    log = await requestLogStore(store);
  });
  afterEach(async () => {
    await store.close();
    await db.remove();
  });

  it('keeps every field, JSON lists included, and lists newest first', async () => {
    const refused = entry({
      at: T0 + 1,
      path: '/ePayment/v1/payments/order-1/capture/',
      route: '/epayment/v1/payments/:reference/capture',
      status: 400,
      traceId: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01',
      errorCode: '6080',
      errorDetail: 'The payment must be authorized.',
      leniencies: [{ kind: 'path-case', field: '/ePayment/v1/payments/order-1/capture/', detail: 'ø "quoted" \\ %' }],
      notes: ['Vipps-System-Name is 33 characters long.'],
      systemName: null,
    });
    await log.insert([entry(), refused]);
    const listed = await log.list({ limit: 10 });
    assert.deepEqual(
      listed.map(({ id: _id, ...rest }) => rest),
      [refused, entry()],
    );
    assert.ok(listed[0]!.id > listed[1]!.id, 'ids grow in writing order');
  });

  it('filters by reference, msn, traceId and Idempotency-Key, together, with a limit', async () => {
    await log.insert([
      entry({ reference: 'order-1', msn: '123456', idempotencyKey: 'a' }),
      entry({ reference: 'order-1', msn: '234567', idempotencyKey: 'b' }),
      entry({ reference: 'order-2', msn: '123456', idempotencyKey: 'c', traceId: 'trace-c' }),
      entry({ reference: null, msn: null, idempotencyKey: null, api: 'accesstoken' }),
    ]);
    const keys = async (filter: Parameters<RequestLogRepository['list']>[0]) => (await log.list(filter)).map((e) => e.idempotencyKey);
    assert.deepEqual(await keys({ reference: 'order-1', limit: 10 }), ['b', 'a']);
    assert.deepEqual(await keys({ msn: '123456', limit: 10 }), ['c', 'a']);
    assert.deepEqual(await keys({ reference: 'order-1', msn: '123456', limit: 10 }), ['a']);
    assert.deepEqual(await keys({ traceId: 'trace-c', limit: 10 }), ['c']);
    assert.deepEqual(await keys({ idempotencyKey: 'b', limit: 10 }), ['b']);
    assert.deepEqual(await keys({ msn: '999999', limit: 10 }), []);
    assert.deepEqual(await keys({ limit: 2 }), [null, 'c']);
  });

  it('writes a batch of any size in rows of at most 1000 entries, and lists across rows in order', async () => {
    const many = Array.from({ length: 2 * MAX_ENTRIES_PER_ROW + 5 }, (_, i) => entry({ at: T0 + i, idempotencyKey: `k${i}` }));
    await log.insert(many);
    assert.deepEqual(await store.sql.query('SELECT entry_count FROM request_log ORDER BY id'), [{ entry_count: 1000 }, { entry_count: 1000 }, { entry_count: 5 }]);
    const listed = await log.list({ limit: 2500 });
    assert.deepEqual(listed.map((e) => e.idempotencyKey), many.map((e) => e.idempotencyKey).reverse());
    const ids = listed.map((e) => e.id);
    assert.deepEqual([...ids].sort((a, b) => b - a), ids, 'ids are unique and fall newest first');
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual((await log.list({ idempotencyKey: 'k3', limit: 10 })).map((e) => e.at), [T0 + 3]);
  });

  it('filters exactly: a value in another case, or inside another value, does not match', async () => {
    await log.insert([
      entry({ reference: 'Order-1', idempotencyKey: 'a' }),
      entry({ reference: 'order-1', idempotencyKey: 'b' }),
      entry({ reference: 'order-10', idempotencyKey: 'c' }),
      entry({ reference: '100%_\\"x"', idempotencyKey: 'd' }),
    ]);
    const keys = async (reference: string) => (await log.list({ reference, limit: 10 })).map((e) => e.idempotencyKey);
    assert.deepEqual(await keys('order-1'), ['b']);
    assert.deepEqual(await keys('Order-1'), ['a']);
    assert.deepEqual(await keys('100%_\\"x"'), ['d'], 'LIKE wildcards, quotes and backslashes in a value are literal');
    assert.deepEqual(await keys('100'), []);
  });

  it('trims to the newest entries when asked, in whole rows, in the same transaction', async () => {
    for (let row = 0; row < 3; row++) await log.insert(Array.from({ length: 10 }, (_, i) => entry({ idempotencyKey: `k${row * 10 + i}` })));
    await log.insert([entry({ idempotencyKey: 'k30' })], 15);
    const listed = await log.list({ limit: 1000 });
    assert.deepEqual(listed.map((e) => e.idempotencyKey), Array.from({ length: 11 }, (_, i) => `k${30 - i}`), 'the newest rows holding at most 15 entries');
  });

  it('shows one row per request in the view request_log_entries', async () => {
    await log.insert([
      entry({ idempotencyKey: 'a', status: 201 }),
      entry({ idempotencyKey: 'b', status: 400, errorCode: '6080', leniencies: [{ kind: 'null-as-absent', field: 'x', detail: 'd' }] }),
    ]);
    const rows = await store.sql.query<{ id: number; at: number; status: number; idempotency_key: string; msn: string; leniencies: string | null; system_name: string | null; error_code: string | null }>(
      'SELECT id, at, status, idempotency_key, msn, leniencies, system_name, error_code FROM request_log_entries ORDER BY id',
    );
    const listed = (await log.list({ limit: 10 })).reverse();
    assert.deepEqual(
      rows.map((r) => [Number(r.id), Number(r.at), Number(r.status), r.idempotency_key, r.msn, r.leniencies === null ? null : JSON.parse(r.leniencies), r.system_name, r.error_code]),
      listed.map((e) => [e.id, e.at, e.status, e.idempotencyKey, e.msn, e.leniencies, e.systemName, e.errorCode]),
    );
  });

  it('keeps request and response bodies in their own column, compressed, read only when asked', async () => {
    const body = '{"reference":"order-1","note":"ø \\"quoted\\" 100%_"}';
    await log.insert([
      entry({ idempotencyKey: 'none' }),
      entry({ idempotencyKey: 'both', requestBody: body, responseBody: '{"ok":true}' }),
      entry({ idempotencyKey: 'form', method: 'GET', requestBody: 'amount=100&currency=nok', responseBody: null }),
    ]);
    const listed = await log.list({ limit: 10 });
    assert.deepEqual(listed.map((e) => [e.idempotencyKey, e.requestBody, e.responseBody]), [
      ['form', 'amount=100&currency=nok', null],
      ['both', body, '{"ok":true}'],
      ['none', null, null],
    ]);
    const bare = await log.list({ limit: 10, bodies: false });
    assert.deepEqual(bare.map((e) => [e.requestBody, e.responseBody]), [[null, null], [null, null], [null, null]]);
    assert.deepEqual((await log.list({ idempotencyKey: 'both', limit: 10 })).map((e) => e.requestBody), [body]);
    // A filter matches entries, never a body that happens to hold the value.
    assert.deepEqual(await log.list({ reference: 'order-1', idempotencyKey: 'none', limit: 10 }).then((l) => l.length), 1);
    // Stored compressed: the column does not hold the text.
    const stored = await store.sql.query<{ bodies: string | null }>('SELECT bodies FROM request_log ORDER BY id DESC LIMIT 1');
    assert.ok(stored[0]!.bodies !== null && !stored[0]!.bodies.includes('order-1'));
    // A row without any body stores NULL.
    await log.insert([entry({ idempotencyKey: 'plain' })]);
    const [last] = await store.sql.query<{ bodies: string | null }>('SELECT bodies FROM request_log ORDER BY id DESC LIMIT 1');
    assert.equal(last!.bodies, null);
  });

  it('migrates a table written before bodies were kept: old entries read without bodies', async () => {
    await store.close();
    await db.remove();
    db = await freshTestDatabase();
    store = await openStore(db.database);
    await store.applyMigrations(REQUEST_LOG_MODULE, REQUEST_LOG_MIGRATIONS.slice(0, 1));
    await store.sql.execute('INSERT INTO request_log (first_at, last_at, entry_count, entries) VALUES (?, ?, ?, ?)', [T0, T0, 1, JSON.stringify([[T0, 'GET', '/epayment/v1/payments/old', null, 'epayment', 200, 1.5]])]);
    log = await requestLogStore(store);
    await log.insert([entry({ at: T0 + 1, requestBody: '{"a":1}', responseBody: '{"b":2}' })]);
    const listed = await log.list({ limit: 10 });
    assert.deepEqual(listed.map((e) => [e.path, e.requestBody, e.responseBody]), [
      ['/epayment/v1/payments', '{"a":1}', '{"b":2}'],
      ['/epayment/v1/payments/old', null, null],
    ]);
    const rows = await store.sql.query<{ path: string }>('SELECT path FROM request_log_entries ORDER BY id');
    assert.deepEqual(rows.map((r) => r.path), ['/epayment/v1/payments/old', '/epayment/v1/payments'], 'the view reads old and new rows');
  });

  it('prunes entries older than a time, and reset empties the table', async () => {
    await log.insert([entry({ at: T0, idempotencyKey: 'old' })]);
    await log.insert([entry({ at: T0 + 10, idempotencyKey: 'young' })]);
    assert.equal(await log.pruneBefore(T0 + 10), 1);
    assert.deepEqual((await log.list({ limit: 10 })).map((e) => e.idempotencyKey), ['young']);
    await store.reset();
    assert.deepEqual(await log.list({ limit: 10 }), []);
  });

  it('survives reopening the store; its migration runs once', async () => {
    await log.insert([entry()]);
    await store.close();
    store = await openStore(db.database);
    log = await requestLogStore(store);
    assert.equal((await log.list({ limit: 10 })).length, 1);
  });
});
