// PostgreSQL store on `pg`: for shared staging and several vipps-local instances on one database.
// Same semantics as the SQLite store (one contract suite, store-contract.ts), with real concurrency:
//
// - A unit of work runs on one pooled connection inside BEGIN ... COMMIT (READ COMMITTED).
// - lockPayment is SELECT ... FOR UPDATE: operations on one payment serialise on its row. A reference
//   that does not exist yet is locked with an advisory lock instead, so two creates of one reference
//   serialise too and the second sees the first's payment (4150), as on SQLite.
// - getIdempotency first takes an advisory lock on (msn, operation, key): concurrent requests with
//   one Idempotency-Key, on any instance, run one after another; the later ones find the record and
//   replay it. The record is written in the same transaction as the effect.
// - Every lock wait is bounded by lock_timeout (a connection setting, 2 s by default); a request that
//   cannot get its lock in time answers 423 / 6160 (ORDER_PROCESSING), which idempotency does not
//   remember, so a retry with the same key runs normally.
// - The outbox is claimed with one UPDATE over a SELECT ... FOR UPDATE SKIP LOCKED, with leases.
import pg from 'pg';
import { DomainError, ERRORS } from '../domain/error-catalogue.ts';
import type { Payment, PaymentEvent } from '../domain/payment.ts';
import { PG_MIGRATIONS } from './pg-migrations.ts';
import {
  DuplicatePaymentError,
  NO_FAULTS,
  VersionConflictError,
  type DeliveryAttempt,
  type DeliveryStatus,
  type IdempotencyRecord,
  type PaymentRef,
  type Store,
  type StoreTx,
  type WebhookDelivery,
  type WebhookFaults,
  type WebhookRegistration,
} from './store.ts';

export interface PgStoreOptions {
  /** postgres://user:password@host:port/database (libpq-style query parameters such as sslmode and options work). */
  url: string;
  /** Connections in this instance's pool (default 10). */
  poolSize?: number;
  /** How long a statement may wait for a lock (row, advisory) before the operation answers 6160 (default 2000 ms). */
  lockTimeoutMs?: number;
}

export const PG_DEFAULT_POOL_SIZE = 10;
export const PG_DEFAULT_LOCK_TIMEOUT_MS = 2000;

/** First key of vipps-local's advisory locks (pg_advisory_xact_lock(int, int)), so they cannot collide with other applications' locks. */
const LOCK_MIGRATIONS = 0x7670_0001;
const LOCK_IDEMPOTENCY = 0x7670_0002;
const LOCK_REFERENCE = 0x7670_0003;

// int8 (bigint) arrives as a string by default; every bigint here is an epoch-ms time or an amount in
// minor units (at most 65,000,000), far inside Number's exact range.
const INT8_OID = 20;
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

const Q = {
  lockPayment: 'SELECT data FROM payments WHERE msn = $1 AND reference = $2 FOR UPDATE',
  getPayment: 'SELECT data FROM payments WHERE msn = $1 AND reference = $2',
  insertPayment: 'INSERT INTO payments (msn, reference, state, due_at, version, data) VALUES ($1, $2, $3, $4, $5, $6)',
  updatePayment: 'UPDATE payments SET state = $3, due_at = $4, version = $5, data = $6 WHERE msn = $1 AND reference = $2 AND version = $7',
  appendEvent:
    'INSERT INTO payment_events (msn, reference, seq, psp_reference, name, currency, amount, ts, success, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
  listEvents: 'SELECT * FROM payment_events WHERE msn = $1 AND reference = $2 ORDER BY seq',
  due: 'SELECT msn, reference FROM payments WHERE due_at IS NOT NULL AND due_at <= $1 ORDER BY due_at LIMIT $2',
  byCustomerPhone: "SELECT data FROM payments WHERE (data->>'customerPhone') = $1 ORDER BY (data->>'createdAt')::bigint DESC LIMIT $2",
  advisoryLock: 'SELECT pg_advisory_xact_lock($1, hashtext($2))',
  getIdem: 'SELECT request_hash, outcome, created_at FROM idempotency WHERE msn = $1 AND operation = $2 AND idem_key = $3',
  putIdem: 'INSERT INTO idempotency (msn, operation, idem_key, request_hash, outcome, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
  pruneIdem: 'DELETE FROM idempotency WHERE created_at < $1',
  listWebhooks: 'SELECT * FROM webhooks WHERE client_id = $1 AND msn IS NOT DISTINCT FROM $2 ORDER BY created_at, id',
  webhooksReceiving: 'SELECT * FROM webhooks WHERE client_id = $1 AND (msn = $2 OR msn IS NULL) ORDER BY created_at, id',
  insertWebhook: 'INSERT INTO webhooks (id, client_id, msn, url, events, secret, created_at, faults) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
  deleteWebhook: 'DELETE FROM webhooks WHERE id = $1 AND client_id = $2 AND msn IS NOT DISTINCT FROM $3',
  deletePendingDeliveries: "DELETE FROM webhook_deliveries WHERE webhook_id = $1 AND status = 'pending'",
  setFaults: 'UPDATE webhooks SET faults = $1 WHERE id = $2',
  insertDelivery:
    "INSERT INTO webhook_deliveries (webhook_id, msn, reference, event_type, payload, status, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)",
  // One statement: pick the due rows (each the oldest pending one of its registration and payment,
  // unless order is ignored), skip rows another claimer is locking right now, and lease them.
  claim: `
    WITH due AS (
      SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
      WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.claimed_until IS NULL OR d.claimed_until <= $1)
        AND ($3::boolean OR (w.faults->>'outOfOrder')::boolean IS TRUE OR NOT EXISTS (
          SELECT 1 FROM webhook_deliveries e
          WHERE e.webhook_id = d.webhook_id AND e.msn = d.msn AND e.reference = d.reference AND e.status = 'pending' AND e.id < d.id))
      ORDER BY d.next_attempt_at, d.id
      LIMIT $2
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE webhook_deliveries d SET claimed_by = $4, claimed_until = $5
    FROM due, webhooks w
    WHERE d.id = due.id AND w.id = d.webhook_id
    RETURNING d.*, w.url, w.secret, w.faults`,
  completeAttempt: `
    WITH done AS (
      UPDATE webhook_deliveries
      SET status = $2, attempts = attempts + $3, next_attempt_at = $4, delivered_at = $5, claimed_by = NULL, claimed_until = NULL
      WHERE id = $1
    )
    INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, latency_ms, response_excerpt, note)
    VALUES ($1, $6, $7, $8, $9, $10, $11, $12)`,
  nextDue: "SELECT MIN(next_attempt_at) AS due FROM webhook_deliveries WHERE status = 'pending'",
  attemptsOf: 'SELECT * FROM webhook_attempts WHERE delivery_id = ANY($1::bigint[]) ORDER BY delivery_id, id',
  getSetting: 'SELECT value FROM settings WHERE key = $1',
  initSetting: 'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
} as const;

type QueryName = keyof typeof Q;

/** A named (prepared once per connection) query. */
const named = (name: QueryName, values: unknown[]): pg.QueryConfig => ({ name: `vl_${name}`, text: Q[name], values });

const SQLSTATE = {
  uniqueViolation: '23505',
  lockNotAvailable: '55P03',
  deadlockDetected: '40P01',
} as const;

const sqlState = (err: unknown): string | undefined => (err as { code?: string } | null)?.code;

/** Lock waits that ran out (or a deadlock PostgreSQL broke): the platform's "another operation holds this payment". */
function lockFailure(err: unknown): DomainError | undefined {
  const code = sqlState(err);
  if (code !== SQLSTATE.lockNotAvailable && code !== SQLSTATE.deadlockDetected) return undefined;
  return new DomainError(ERRORS.ORDER_PROCESSING);
}

export async function openPgStore(options: PgStoreOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? PG_DEFAULT_POOL_SIZE,
    // A startup parameter: every statement's lock waits are bounded, at no cost per transaction.
    lock_timeout: options.lockTimeoutMs ?? PG_DEFAULT_LOCK_TIMEOUT_MS,
    application_name: 'vipps-local',
    types,
  });
  // An idle connection that breaks (server restart, network) must not crash the process: the pool
  // drops it and the next unit of work opens a new one.
  pool.on('error', () => undefined);
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }

  const row = (p: Payment): unknown[] => [p.msn, p.reference, p.state, p.state === 'CREATED' ? p.expiresAt : null, p.version, JSON.stringify(p)];

  /** The operations of one transaction on one connection. A failed statement aborts the transaction: remember it. */
  function txOn(client: pg.PoolClient, state: { failure?: unknown }): StoreTx {
    const run = async <R extends pg.QueryResultRow>(query: pg.QueryConfig, translate?: (err: unknown) => unknown): Promise<pg.QueryResult<R>> => {
      if (state.failure !== undefined) throw state.failure;
      try {
        return await client.query<R>(query);
      } catch (err) {
        state.failure = translate?.(err) ?? lockFailure(err) ?? err;
        throw state.failure;
      }
    };
    const selectPayment = async (msn: string, reference: string) =>
      (await run<{ data: Payment }>(named('lockPayment', [msn, reference]))).rows[0]?.data ?? null;

    return {
      async lockPayment(msn, reference) {
        const found = await selectPayment(msn, reference);
        if (found) return found;
        // No row to lock: hold the reference instead, then look again (a create that held it may
        // just have committed the payment).
        await run(named('advisoryLock', [LOCK_REFERENCE, `${msn}/${reference}`]));
        return selectPayment(msn, reference);
      },
      async insertPayment(p) {
        await run(named('insertPayment', row(p)), (err) =>
          sqlState(err) === SQLSTATE.uniqueViolation ? new DuplicatePaymentError(p) : undefined,
        );
      },
      async updatePayment(p) {
        const result = await run(named('updatePayment', [...row(p), p.version - 1]));
        if (result.rowCount !== 1) throw new VersionConflictError(p);
      },
      async appendEvent(e) {
        await run(
          named('appendEvent', [e.msn, e.reference, e.seq, e.pspReference, e.name, e.currency, e.amount, e.timestamp, e.success, e.idempotencyKey]),
        );
      },
      async getIdempotency(msn, operation, key) {
        // Held until the transaction ends: a concurrent request with this key waits here, then
        // reads the record this one writes.
        await run(named('advisoryLock', [LOCK_IDEMPOTENCY, `${msn}/${operation}/${key}`]));
        const r = (await run<{ request_hash: string; outcome: string; created_at: number }>(named('getIdem', [msn, operation, key]))).rows[0];
        if (!r) return null;
        return { msn, operation, key, requestHash: r.request_hash, outcome: JSON.parse(r.outcome), createdAt: r.created_at };
      },
      async putIdempotency(rec: IdempotencyRecord) {
        await run(named('putIdem', [rec.msn, rec.operation, rec.key, rec.requestHash, JSON.stringify(rec.outcome), rec.createdAt]));
      },
      async listWebhooks(clientId, msn) {
        return (await run<WebhookRow>(named('listWebhooks', [clientId, msn]))).rows.map(toWebhook);
      },
      async webhooksReceiving(clientId, msn) {
        return (await run<WebhookRow>(named('webhooksReceiving', [clientId, msn]))).rows.map(toWebhook);
      },
      async insertWebhook(w) {
        await run(
          named('insertWebhook', [w.id, w.clientId, w.msn, w.url, JSON.stringify(w.events), w.secret, w.createdAt, JSON.stringify(w.faults)]),
        );
      },
      async deleteWebhook(clientId, msn, id) {
        const deleted = (await run(named('deleteWebhook', [id, clientId, msn]))).rowCount === 1;
        if (deleted) await run(named('deletePendingDeliveries', [id]));
        return deleted;
      },
      async insertDelivery(d) {
        await run(named('insertDelivery', [d.webhookId, d.msn, d.reference, d.eventType, d.payload, d.nextAttemptAt, d.createdAt]));
      },
    };
  }

  let closed: Promise<void> | undefined;

  async function transaction<T>(fn: (tx: StoreTx) => Promise<T>, setup?: string): Promise<T> {
    if (closed) throw new Error('the store is closed');
    const client = await pool.connect();
    const state: { failure?: unknown } = {};
    let broken: Error | undefined;
    try {
      await client.query(setup ? `BEGIN; ${setup}` : 'BEGIN');
      const value = await fn(txOn(client, state));
      // fn caught a failed statement and carried on: the transaction is aborted, so nothing of it may commit.
      if (state.failure !== undefined) throw state.failure;
      const commit = await client.query('COMMIT');
      if (commit.command !== 'COMMIT') throw new Error(`the transaction was rolled back (${commit.command})`);
      return value;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError as Error; // the connection is unusable: the pool discards it
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }

  const query = async <R extends pg.QueryResultRow>(name: QueryName, values: unknown[]): Promise<R[]> => {
    if (closed) throw new Error('the store is closed');
    return (await pool.query<R>(named(name, values))).rows;
  };

  return {
    kind: 'postgres',
    transaction: (fn) => transaction(fn),
    async getPayment(msn, reference) {
      return (await query<{ data: Payment }>('getPayment', [msn, reference]))[0]?.data ?? null;
    },
    async listEvents(msn, reference) {
      return (await query<EventRow>('listEvents', [msn, reference])).map(toEvent);
    },
    listDuePayments(now, limit) {
      return query<PaymentRef>('due', [now, limit]);
    },
    async listPaymentsByCustomerPhone(phone, limit) {
      return (await query<{ data: Payment }>('byCustomerPhone', [phone, limit])).map((r) => r.data);
    },
    async claimDueDeliveries(now, limit, claimer, leaseMs, ignoreOrder = false) {
      const rows = await query<DeliveryRow>('claim', [now, limit, ignoreOrder, claimer, now + leaseMs]);
      return rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id).map(toDelivery);
    },
    async completeAttempt(result) {
      const a = result.attempt;
      await query('completeAttempt', [
        a.deliveryId,
        result.status,
        result.countsAsAttempt ? 1 : 0,
        result.nextAttemptAt,
        result.status === 'delivered' ? a.at : null,
        a.attempt,
        a.at,
        a.statusCode,
        a.error,
        a.latencyMs,
        a.responseExcerpt,
        a.note,
      ]);
    },
    async nextDeliveryDue() {
      return (await query<{ due: number | null }>('nextDue', []))[0]?.due ?? null;
    },
    async listDeliveries(filter) {
      if (closed) throw new Error('the store is closed');
      const where: string[] = [];
      const values: unknown[] = [];
      const add = (column: string, value: string | undefined) => {
        if (value === undefined) return;
        values.push(value);
        where.push(`${column} = $${values.length}`);
      };
      add('w.client_id', filter.clientId);
      add('d.msn', filter.msn);
      add('d.reference', filter.reference);
      add('d.webhook_id', filter.webhookId);
      values.push(filter.limit);
      const { rows } = await pool.query<DeliveryRow>(
        `SELECT d.*, w.url, w.secret, w.faults FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.id DESC LIMIT $${values.length}`,
        values,
      );
      const attempts = rows.length ? await query<AttemptRow>('attemptsOf', [rows.map((r) => r.id)]) : [];
      const byDelivery = new Map<number, DeliveryAttempt[]>();
      for (const a of attempts) {
        const list = byDelivery.get(a.delivery_id) ?? [];
        list.push(toAttempt(a));
        byDelivery.set(a.delivery_id, list);
      }
      return rows.map((r) => ({ ...toDelivery(r), attemptLog: byDelivery.get(r.id) ?? [] }));
    },
    async setWebhookFaults(id, faults) {
      if (closed) throw new Error('the store is closed');
      return (await pool.query(named('setFaults', [JSON.stringify(faults), id]))).rowCount === 1;
    },
    async pruneIdempotency(before) {
      if (closed) throw new Error('the store is closed');
      return (await pool.query(named('pruneIdem', [before]))).rowCount ?? 0;
    },
    async getSetting(key) {
      return (await query<{ value: string }>('getSetting', [key]))[0]?.value ?? null;
    },
    async initSetting(key, value) {
      // Two statements: the read must see a value another instance committed while this insert waited.
      await query('initSetting', [key, value]);
      return (await query<{ value: string }>('getSetting', [key]))[0]!.value;
    },
    async reset() {
      // TRUNCATE needs every table to itself: wait for running operations rather than fail after lock_timeout.
      await transaction(async () => undefined, [
        "SET LOCAL lock_timeout = '60s'",
        'TRUNCATE payment_events, idempotency, payments, webhook_attempts, webhook_deliveries, webhooks',
      ].join('; '));
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}

/** Applies missing migrations in one transaction, under an advisory lock per schema: instances starting together take turns. */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL lock_timeout = '0'");
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), \'\')))', [LOCK_MIGRATIONS]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)');
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of PG_MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [m.version, Date.now()]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken);
  }
}

interface EventRow {
  msn: string;
  reference: string;
  seq: number;
  psp_reference: string;
  name: PaymentEvent['name'];
  currency: PaymentEvent['currency'];
  amount: number;
  ts: number;
  success: boolean;
  idempotency_key: string | null;
}

interface WebhookRow {
  id: string;
  client_id: string;
  msn: string | null;
  url: string;
  events: string[];
  secret: string;
  created_at: number;
  faults: Partial<WebhookFaults>;
}

interface DeliveryRow {
  id: number;
  webhook_id: string;
  msn: string;
  reference: string;
  event_type: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  delivered_at: number | null;
  url: string;
  secret: string;
  faults: Partial<WebhookFaults>;
}

interface AttemptRow {
  delivery_id: number;
  attempt: number;
  at: number;
  status_code: number | null;
  error: string | null;
  latency_ms: number;
  response_excerpt: string | null;
  note: string | null;
}

function toWebhook(r: WebhookRow): WebhookRegistration {
  return {
    id: r.id,
    clientId: r.client_id,
    msn: r.msn,
    url: r.url,
    events: r.events,
    secret: r.secret,
    createdAt: r.created_at,
    faults: { ...NO_FAULTS, ...r.faults },
  };
}

function toDelivery(r: DeliveryRow): WebhookDelivery {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    msn: r.msn,
    reference: r.reference,
    eventType: r.event_type,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    url: r.url,
    secret: r.secret,
    faults: { ...NO_FAULTS, ...r.faults },
  };
}

function toAttempt(r: AttemptRow): DeliveryAttempt {
  return {
    deliveryId: r.delivery_id,
    attempt: r.attempt,
    at: r.at,
    statusCode: r.status_code,
    error: r.error,
    latencyMs: r.latency_ms,
    responseExcerpt: r.response_excerpt,
    note: r.note,
  };
}

function toEvent(r: EventRow): PaymentEvent {
  return {
    msn: r.msn,
    reference: r.reference,
    pspReference: r.psp_reference,
    name: r.name,
    currency: r.currency,
    amount: r.amount,
    timestamp: r.ts,
    success: r.success,
    idempotencyKey: r.idempotency_key,
    seq: r.seq,
  };
}
