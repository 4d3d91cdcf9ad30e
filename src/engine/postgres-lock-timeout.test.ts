// On PostgreSQL a request waits for a payment another transaction holds only as long as the lock
// timeout, then answers the platform's 423 / 6160, which is not remembered for its Idempotency-Key:
// the retry runs normally. Never a lost update, never an unbounded wait.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startServer, type VippsLocal } from '../index.ts';
import { Api, errorCode } from '../../test-support/api-client.ts';
import { createTestDatabase, dropTestDatabase } from '../../test-support/postgres.ts';

const LOCK_TIMEOUT_MS = 200;

describe('PostgreSQL: a payment held by another transaction', () => {
  let database: string;
  let server: VippsLocal;
  let api: Api;
  let holder: pg.Client | undefined;

  before(async () => {
    database = await createTestDatabase('vipps_locks');
    server = await startServer({ database, postgresLockTimeoutMs: LOCK_TIMEOUT_MS });
    api = new Api(server.url, server.credentials);
  });
  after(async () => {
    await holder?.end().catch(() => undefined);
    await server?.close();
    await dropTestDatabase(database);
  });

  /** Locks the payment's row from outside, as a slow operation on another instance would. */
  async function hold(reference: string): Promise<() => Promise<void>> {
    holder = new pg.Client({ connectionString: database });
    await holder.connect();
    await holder.query('BEGIN');
    const { rowCount } = await holder.query('SELECT 1 FROM payments WHERE msn = $1 AND reference = $2 FOR UPDATE', [server.credentials.msn, reference]);
    assert.equal(rowCount, 1);
    const client = holder;
    return async () => {
      await client.query('ROLLBACK');
      await client.end();
      holder = undefined;
    };
  }

  it('a capture answers 423 with 6160 after the lock timeout; reads still answer; the retry with the same key captures once', async () => {
    const ref = await api.authorized({ amount: { currency: 'NOK', value: 1000 } });
    const release = await hold(ref);

    const started = Date.now();
    const blocked = await api.capture(ref, 300, 'capture-held-1');
    const waited = Date.now() - started;
    assert.equal(blocked.status, 423, blocked.text);
    assert.equal(errorCode(blocked), '6160', blocked.text);
    assert.ok(waited >= LOCK_TIMEOUT_MS * 0.8 && waited < 5_000, `answered after ${waited} ms`);

    const read = await api.getPayment(ref);
    assert.equal(read.status, 200, 'a read does not wait for the lock');
    assert.equal(read.body.aggregate.capturedAmount.value, 0);

    await release();
    const retry = await api.capture(ref, 300, 'capture-held-1');
    assert.equal(retry.status, 200, `6160 must not be remembered for the key: ${retry.text}`);
    assert.equal(retry.body.aggregate.capturedAmount.value, 300);
    const replay = await api.capture(ref, 300, 'capture-held-1');
    assert.equal(replay.status, 200);
    assert.deepEqual(replay.body, retry.body, 'the successful retry is what the key remembers');

    const events = (await api.events(ref)).body as Array<{ name: string }>;
    assert.equal(events.filter((e) => e.name === 'CAPTURED').length, 1);
  });

  it('a cancel without a key answers 423 with 6160 too, and succeeds once the payment is free', async () => {
    const ref = await api.authorized({ amount: { currency: 'NOK', value: 1000 } });
    const release = await hold(ref);
    const blocked = await api.cancel(ref);
    assert.equal(blocked.status, 423, blocked.text);
    assert.equal(errorCode(blocked), '6160');
    await release();
    const cancelled = await api.cancel(ref);
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(cancelled.body.aggregate.cancelledAmount.value, 1000);
  });
});
