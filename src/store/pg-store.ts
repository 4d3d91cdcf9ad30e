// PostgreSQL store on `pg`: for shared staging and several vipps-local instances on one database.
// Same semantics as the SQLite store (one contract suite, store-contract.ts), with real concurrency:
//
// - A unit of work runs on one pooled connection inside BEGIN ... COMMIT (READ COMMITTED), in few
//   round trips: BEGIN travels with the first statement, and writes wait in the transaction until
//   the next read or the COMMIT and travel with it, as one pipelined batch of the extended query
//   protocol (pg-pipeline.ts: Bind/Execute per statement, one Sync). A create or capture is four
//   round trips, not eleven. Values are always bound parameters, never SQL text; a statement is
//   prepared (Parse) the first time a connection uses it. The first failing statement of a batch
//   aborts the transaction (the server skips the rest), and the unit of work rejects with it.
// - lockPayment is SELECT ... FOR UPDATE: operations on one payment serialise on its row. It first
//   takes an advisory lock on the reference, so that two creates of one new reference (no row to
//   lock yet) serialise too and the second sees the first's payment (4150), as on SQLite.
// - getIdempotency first takes an advisory lock on (msn, operation, key): concurrent requests with
//   one Idempotency-Key, on any instance, run one after another; the later ones find the record and
//   replay it. The record is written in the same transaction as the effect.
// - Every lock wait is bounded by lock_timeout (a connection setting, 2 s by default); a request that
//   cannot get its lock in time answers 423 / 6160 (ORDER_PROCESSING), which idempotency does not
//   remember, so a retry with the same key runs normally.
// - The outbox is claimed with one UPDATE over a SELECT ... FOR UPDATE SKIP LOCKED, with leases.
// - A connection that breaks (server restart, network) fails the unit of work that holds it, and the
//   pool discards it; one that breaks while idle in the pool is reported through `log`.
import pg from 'pg';
import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from '../domain/reasons.ts';
import { dueAt, type Payment, type PaymentKey } from '../domain/payment.ts';
import { PG_MIGRATIONS } from './pg-migrations.ts';
import { runPipeline, type Param, type Statement, type StatementResult } from './pg-pipeline.ts';
import { toAdjustment, toAttempt, toDelivery, toEvent, toLoggedDelivery, type AdjustmentRow, type AttemptRow, type DeliveryRow, type EventRow } from './rows.ts';
import { DuplicatePaymentError, VersionConflictError, type DeliveryAttempt, type IdempotencyRecord, type SqlStore, type SqlTx, type Store, type StoreTx } from './store.ts';

export interface PgStoreOptions {
  /** postgres://user:password@host:port/database (libpq-style query parameters such as sslmode and options work). */
  url: string;
  /** Connections in this instance's pool (default 10). */
  poolSize?: number;
  /** How long a statement may wait for a lock (row, advisory) before the operation answers 6160 (default 2000 ms). */
  lockTimeoutMs?: number;
  /** Where failures nobody waits for (a pooled connection that breaks while idle) are reported: a function, or a pino-like logger. Default: console.error. */
  log?: PgLog;
}

/** `(message, err, context)`, or a logger with pino's `error(object, message)`. */
export type PgLog = ((message: string, err: Error, context: Record<string, unknown>) => void) | { error(object: object, message?: string): void };

function reporter(log: PgLog | undefined): (message: string, err: Error, context: Record<string, unknown>) => void {
  if (typeof log === 'function') return log;
  if (log) return (message, err, context) => log.error({ err, ...context }, message);
  return (message, err, context) => console.error(`${message}: ${err.message}`, context);
}

export const PG_DEFAULT_POOL_SIZE = 10;
export const PG_DEFAULT_LOCK_TIMEOUT_MS = 2000;
/** Connections opened at start (at most the pool size). */
const WARM_CONNECTIONS = 10;

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
  paymentById: 'SELECT data FROM payments WHERE id = $1',
  paymentByRef: 'SELECT data FROM payments WHERE msn = $1 AND reference = $2',
  listEvents: 'SELECT e.*, p.msn, p.reference FROM payment_events e JOIN payments p ON p.id = e.payment_id WHERE e.payment_id = $1 ORDER BY e.seq',
  listAdjustments: 'SELECT * FROM payment_adjustments WHERE payment_id = $1 ORDER BY seq',
  due: 'SELECT id FROM payments WHERE due_at IS NOT NULL AND due_at <= $1 ORDER BY due_at LIMIT $2',
  byCustomerPhone: "SELECT data FROM payments WHERE (data->>'customerPhone') = $1 ORDER BY (data->>'createdAt')::bigint DESC LIMIT $2",
  pruneIdem: 'DELETE FROM idempotency WHERE created_at < $1',
  // One statement: walk the targets that have pending rows (one index step per target), take each
  // one's oldest due rows (each the oldest pending one of its target and subject, unless order is
  // ignored; rows another claimer is locking right now are skipped), rank them within their target,
  // claim every target's first before any target's second, and lease them. Excluded targets ($6) and sales
  // units ($7) are left out; $8 rows at most per target.
  claim: `
    WITH RECURSIVE targets(t) AS (
      (SELECT target_id FROM webhook_deliveries WHERE status = 'pending' ORDER BY target_id LIMIT 1)
      UNION ALL
      SELECT (SELECT w.target_id FROM webhook_deliveries w WHERE w.status = 'pending' AND w.target_id > targets.t ORDER BY w.target_id LIMIT 1)
      FROM targets WHERE targets.t IS NOT NULL
    ),
    candidates AS (
      SELECT c.id, c.next_attempt_at, ROW_NUMBER() OVER (PARTITION BY c.target_id ORDER BY c.next_attempt_at, c.id) AS fair_rank
      FROM (SELECT t FROM targets WHERE t IS NOT NULL AND NOT (t = ANY($6::text[]))) tt
      CROSS JOIN LATERAL (
        SELECT d.id, d.target_id, d.next_attempt_at FROM webhook_deliveries d
        WHERE d.target_id = tt.t AND d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.claimed_until IS NULL OR d.claimed_until <= $1)
          AND NOT (d.msn = ANY($7::text[]))
          AND ($3::boolean OR (d.faults->>'outOfOrder')::boolean IS TRUE OR NOT EXISTS (
            SELECT 1 FROM webhook_deliveries e
            WHERE e.target_id = d.target_id AND e.subject = d.subject AND e.status = 'pending' AND e.id < d.id))
        ORDER BY d.next_attempt_at, d.id
        LIMIT $8
        FOR UPDATE OF d SKIP LOCKED
      ) c
    ),
    due AS (
      SELECT id FROM candidates ORDER BY fair_rank, next_attempt_at, id LIMIT $2
    )
    UPDATE webhook_deliveries d SET claimed_by = $4, claimed_until = $5
    FROM due
    WHERE d.id = due.id
    RETURNING d.*`,
  release: 'UPDATE webhook_deliveries SET claimed_by = NULL, claimed_until = NULL WHERE id = ANY($1::bigint[]) AND claimed_by = $2',
  completeAttempt: `
    WITH done AS (
      UPDATE webhook_deliveries
      SET status = $2, attempts = attempts + $3, next_attempt_at = $4, delivered_at = $5, claimed_by = NULL, claimed_until = NULL
      WHERE id = $1
    )
    INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, latency_ms, response_excerpt, note)
    VALUES ($1, $6, $7, $8, $9, $10, $11, $12)`,
  nextDue: "SELECT MIN(next_attempt_at) AS due FROM webhook_deliveries WHERE status = 'pending'",
  paymentsByState: 'SELECT state, COUNT(*) AS n FROM payments GROUP BY state',
  pendingDeliveries: "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending'",
  attemptsOf: 'SELECT * FROM webhook_attempts WHERE delivery_id = ANY($1::bigint[]) ORDER BY delivery_id, id',
  getSetting: 'SELECT value FROM settings WHERE key = $1',
  initSetting: 'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
  appliedModules: 'SELECT version FROM module_migrations WHERE module = $1',
} as const;

type QueryName = keyof typeof Q;

/** A named (prepared once per connection) query. */
const named = (name: QueryName, values: unknown[]): pg.QueryConfig => ({ name: `vl_${name}`, text: Q[name], values });

const SQLSTATE = {
  lockNotAvailable: '55P03',
  deadlockDetected: '40P01',
  /** Raised by vl_expect_one (migration 2): an insert met an existing payment. */
  duplicatePayment: 'VLDUP',
  /** Raised by vl_expect_one: an update found the payment at another version. */
  versionConflict: 'VL409',
} as const;

/**
 * The statements of transactions, sent in pipelined batches (pg-pipeline.ts) with bound parameters,
 * and prepared (Parse) the first time a connection uses them. As unprepared statements, PostgreSQL
 * parsed and planned every one of them every time: planning alone was ~200 µs of the server's CPU
 * per create, more than the execution (pg_stat_statements). Parameter types are inferred from the
 * statements. The names must differ from `Q`'s, which pg prepares on the same connections.
 */
const PREPARED = {
  vl_begin: 'BEGIN',
  vl_commit: 'COMMIT',
  vl_lock: 'SELECT pg_advisory_xact_lock($1, hashtext($2))',
  vl_payment_for_update: 'SELECT data FROM payments WHERE msn = $1 AND reference = $2 FOR UPDATE',
  vl_payment_by_id_for_update: 'SELECT data FROM payments WHERE id = $1 FOR UPDATE',
  vl_insert_payment:
    'WITH written AS (INSERT INTO payments (id, msn, reference, state, due_at, version, data) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING 1) ' +
    'SELECT vl_expect_one((SELECT count(*) FROM written), $8, $9)',
  vl_update_payment:
    'WITH written AS (UPDATE payments SET state = $2, due_at = $3, version = $4, data = $5 WHERE id = $1 AND version = $8 RETURNING 1) ' +
    'SELECT vl_expect_one((SELECT count(*) FROM written), $6, $7)',
  vl_append_event:
    'INSERT INTO payment_events (payment_id, seq, psp_reference, name, currency, amount, ts, success, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
  vl_insert_adjustment:
    'INSERT INTO payment_adjustments (payment_id, seq, kind, amount, currency, at, idempotency_key, origin, psp_reference) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
  vl_get_idempotency: 'SELECT request_hash, response, created_at FROM idempotency WHERE scope = $1 AND idem_key = $2',
  vl_put_idempotency: 'INSERT INTO idempotency (scope, idem_key, request_hash, response, created_at) VALUES ($1, $2, $3, $4, $5)',
  vl_insert_delivery:
    "INSERT INTO webhook_deliveries (format, target_id, url, secret, faults, subject, msn, reference, event_type, payload, status, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $12)",
  vl_reset_lock_timeout: "SELECT set_config('lock_timeout', $1, true)",
} as const;

/** A statement of PREPARED with its bound values (jsonb as JSON text). */
const execute = (name: keyof typeof PREPARED, ...values: Param[]): Statement => ({ name, text: PREPARED[name], values });

/** What vl_expect_one raises, with `code`, unless exactly one row was written (a new payment, an update from the expected version). */
const expectOne = (code: string, p: Payment) => [code, JSON.stringify({ id: p.id, msn: p.msn, reference: p.reference })];

const sqlState = (err: unknown): string | undefined => (err as { code?: string } | null)?.code;

/**
 * The store's meaning of a failed statement. A lock wait that ran out (or a deadlock PostgreSQL
 * broke) is the platform's "another operation holds this payment": 423 / 6160.
 */
function translate(err: unknown): unknown {
  const code = sqlState(err);
  if (code === SQLSTATE.lockNotAvailable || code === SQLSTATE.deadlockDetected) return new DomainError('PAYMENT_BUSY');
  if (code === SQLSTATE.duplicatePayment || code === SQLSTATE.versionConflict) {
    let ref = { id: '?', msn: '?', reference: '?' };
    try {
      ref = JSON.parse((err as Error).message) as typeof ref;
    } catch {
      // keep the placeholder
    }
    return code === SQLSTATE.duplicatePayment ? new DuplicatePaymentError(ref) : new VersionConflictError(ref);
  }
  return err;
}

interface TxState {
  /** BEGIN has been sent (it travels with the first statement). */
  begun: boolean;
  /** Writes not sent yet: they go with the next read, or with COMMIT. */
  pending: Statement[];
  /** The first failure: the transaction is aborted, nothing of it may commit. */
  failure?: unknown;
}

/**
 * The WHERE clause of a filtered, newest-first list: `column = $n` for each filter that is set, and
 * `id < $n` for the keyset cursor; the values in placeholder order (the caller adds its LIMIT).
 */
function keysetWhere(filters: [column: string, value: string | undefined][], before: string | number | undefined): { where: string; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  for (const [column, value] of filters) {
    if (value === undefined) continue;
    values.push(value);
    where.push(`${column} = $${values.length}`);
  }
  if (before !== undefined) {
    values.push(before);
    where.push(`id < $${values.length}`);
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', values };
}

export async function openPgStore(options: PgStoreOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? PG_DEFAULT_POOL_SIZE,
    // A startup parameter: every statement's lock waits are bounded, at no cost per transaction.
    lock_timeout: options.lockTimeoutMs ?? PG_DEFAULT_LOCK_TIMEOUT_MS,
    application_name: 'vipps-local',
    types,
    // Connections stay open: a new one costs a process on the server and a cold catalog cache,
    // tens of milliseconds that would land on the first requests after every quiet spell.
    idleTimeoutMillis: 0,
  });
  // An idle connection that breaks (server restart, network) must not crash the process: the pool
  // drops it and the next unit of work opens a new one. Said, not swallowed.
  const report = reporter(options.log);
  pool.on('error', (err) => {
    report('PostgreSQL: an idle pooled connection failed; the pool dropped it and opens a new one when needed', err, {
      code: sqlState(err),
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    });
  });
  try {
    await migrate(pool);
    // Open the pool's connections now rather than during the first burst of requests.
    const warm = await Promise.all(Array.from({ length: Math.min(pool.options.max, WARM_CONNECTIONS) }, () => pool.connect()));
    for (const client of warm) client.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }

  const paymentColumns = (p: Payment): Param[] => [p.state, dueAt(p), p.version, JSON.stringify(p)];

  /**
   * Sends `statements` with whatever the transaction still owes (BEGIN, pending writes) as one
   * pipelined batch (one round trip), and returns the results of `statements`.
   */
  async function send(client: pg.PoolClient, state: TxState, statements: Statement[]): Promise<StatementResult[]> {
    if (state.failure !== undefined) throw state.failure;
    const batch = [...(state.begun ? [] : [execute('vl_begin')]), ...state.pending, ...statements];
    state.begun = true;
    state.pending = [];
    try {
      const results = await runPipeline(client, batch);
      return results.slice(results.length - statements.length);
    } catch (err) {
      state.failure = translate(err);
      throw state.failure;
    }
  }

  /** The operations of one transaction on one connection. */
  function txOn(client: pg.PoolClient, state: TxState): StoreTx {
    const read = async <R extends pg.QueryResultRow>(statements: Statement[]): Promise<R[]> => {
      const results = await send(client, state, statements);
      return results[results.length - 1]!.rows as R[];
    };
    const write = (statement: Statement) => {
      if (state.failure !== undefined) throw state.failure;
      state.pending.push(statement);
    };
    const sql: SqlTx = {
      dialect: 'postgres',
      query: async <R>(text: string, list: readonly unknown[] = []) => (await read([faceStatement(text, list)])) as R[],
      execute: async (text, list = []) => write(faceStatement(text, list)),
    };

    return {
      newPaymentId,
      async lockPayment(key: PaymentKey) {
        if ('id' in key) return (await read<{ data: Payment }>([execute('vl_payment_by_id_for_update', key.id)]))[0]?.data ?? null;
        // The advisory lock holds the reference even when no payment row exists yet (a create).
        const rows = await read<{ data: Payment }>([execute('vl_lock', LOCK_REFERENCE, `${key.msn}/${key.reference}`), execute('vl_payment_for_update', key.msn, key.reference)]);
        return rows[0]?.data ?? null;
      },
      async insertPayment(p) {
        write(execute('vl_insert_payment', p.id, p.msn, p.reference, ...paymentColumns(p), ...expectOne(SQLSTATE.duplicatePayment, p)));
      },
      async updatePayment(p, fromVersion = p.version - 1) {
        // Updates only from the version it was read at.
        write(execute('vl_update_payment', p.id, ...paymentColumns(p), ...expectOne(SQLSTATE.versionConflict, p), fromVersion));
      },
      async appendEvent(e) {
        write(execute('vl_append_event', e.paymentId, e.seq, e.pspReference, e.name, e.currency, e.amount, e.timestamp, e.success, e.idempotencyKey));
      },
      async insertAdjustment(a) {
        write(execute('vl_insert_adjustment', a.paymentId, a.seq, a.kind, a.amount, a.currency, a.at, a.idempotencyKey, a.origin, a.pspReference));
      },
      async getIdempotency(scope, key) {
        // The advisory lock is held until the transaction ends: a concurrent request with this key,
        // on any instance, waits here, then reads the record this one writes.
        const [r] = await read<{ request_hash: string; response: string; created_at: number }>([
          execute('vl_lock', LOCK_IDEMPOTENCY, `${scope}/${key}`),
          execute('vl_get_idempotency', scope, key),
        ]);
        if (!r) return null;
        return { scope, key, requestHash: r.request_hash, response: JSON.parse(r.response), createdAt: r.created_at };
      },
      async putIdempotency(rec: IdempotencyRecord) {
        write(execute('vl_put_idempotency', rec.scope, rec.key, rec.requestHash, JSON.stringify(rec.response), rec.createdAt));
      },
      async insertDelivery(d) {
        write(execute('vl_insert_delivery', d.format, d.targetId, d.url, d.secret, JSON.stringify(d.faults), d.subject, d.msn, d.reference, d.eventType, d.payload, d.nextAttemptAt, d.createdAt));
      },
      async setPendingDeliveryFaults(targetId, faults) {
        await sql.execute("UPDATE webhook_deliveries SET faults = ? WHERE target_id = ? AND status = 'pending'", [faults, targetId]);
      },
      async forgetTarget(targetId) {
        await sql.execute("DELETE FROM webhook_deliveries WHERE target_id = ? AND status = 'pending'", [targetId]);
        await sql.execute('UPDATE webhook_deliveries SET url = NULL WHERE target_id = ?', [targetId]);
      },
      sql,
    };
  }

  let closed: Promise<void> | undefined;

  /**
   * Takes a connection for a unit of work. While it is checked out, pg-pool listens for nothing on
   * it: a connection that breaks then (server restart, network) would emit an unhandled 'error' and
   * end the process. The failure reaches the unit of work through its next statement; here it only
   * marks the connection for the pool to discard.
   */
  async function checkout(): Promise<{ client: pg.PoolClient; release(err?: Error): void }> {
    const client = await pool.connect();
    let failed: Error | undefined;
    const onError = (err: Error) => (failed ??= err);
    client.on('error', onError);
    return {
      client,
      release(err) {
        client.removeListener('error', onError);
        client.release(err ?? failed);
      },
    };
  }

  async function transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    if (closed) throw new Error('the store is closed');
    const { client, release } = await checkout();
    const state: TxState = { begun: false, pending: [] };
    let broken: Error | undefined;
    try {
      const value = await fn(txOn(client, state));
      // fn caught a failed statement and carried on: the transaction is aborted, so nothing of it may commit.
      if (state.failure !== undefined) throw state.failure;
      if (state.begun || state.pending.length > 0) {
        const [commit] = await send(client, state, [execute('vl_commit')]);
        if (commit!.command !== 'COMMIT') throw new Error(`the transaction was rolled back (${commit!.command})`);
      }
      return value;
    } catch (err) {
      if (state.begun) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError as Error; // the connection is unusable: the pool discards it
        }
      }
      throw err;
    } finally {
      release(broken);
    }
  }

  const query = async <R extends pg.QueryResultRow>(name: QueryName, values: unknown[]): Promise<R[]> => {
    if (closed) throw new Error('the store is closed');
    return (await pool.query<R>(named(name, values))).rows;
  };

  const faceTables: string[] = [];

  const sql: SqlStore = {
    dialect: 'postgres',
    async query<R>(text: string, list: readonly unknown[] = []) {
      if (closed) throw new Error('the store is closed');
      return (await pool.query(numbered(text), list.map(pgValue))).rows as R[];
    },
    async execute(text, list = []) {
      if (closed) throw new Error('the store is closed');
      return (await pool.query(numbered(text), list.map(pgValue))).rowCount ?? 0;
    },
  };

  return {
    kind: 'postgres',
    transaction,
    sql,
    async getPayment(key) {
      const rows = 'id' in key ? await query<{ data: Payment }>('paymentById', [key.id]) : await query<{ data: Payment }>('paymentByRef', [key.msn, key.reference]);
      return rows[0]?.data ?? null;
    },
    async listEvents(id) {
      return (await query<EventRow>('listEvents', [id])).map(toEvent);
    },
    async listAdjustments(id) {
      return (await query<AdjustmentRow>('listAdjustments', [id])).map(toAdjustment);
    },
    async listDuePayments(now, limit) {
      return (await query<{ id: string }>('due', [now, limit])).map((r) => r.id);
    },
    async listPaymentsByCustomerPhone(phone, limit) {
      return (await query<{ data: Payment }>('byCustomerPhone', [phone, limit])).map((r) => r.data);
    },
    async claimDueDeliveries(now, limit, claimer, leaseMs, ignoreOrder = false, fairness = {}) {
      const perTarget = Math.max(1, Math.min(limit, fairness.perTarget ?? limit));
      const rows = await query<DeliveryRow>('claim', [now, limit, ignoreOrder, claimer, now + leaseMs, [...(fairness.excludeTargets ?? [])], [...(fairness.excludeMsns ?? [])], perTarget]);
      return rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id).map(toDelivery);
    },
    async releaseClaims(ids, claimer) {
      if (ids.length > 0) await query('release', [[...ids], claimer]);
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
    async counts() {
      const [states, pending] = await Promise.all([query<{ state: string; n: string }>('paymentsByState', []), query<{ n: string }>('pendingDeliveries', [])]);
      return { paymentsByState: Object.fromEntries(states.map((r) => [r.state, Number(r.n)])), pendingDeliveries: Number(pending[0]?.n ?? 0) };
    },
    async listDeliveries(filter) {
      if (closed) throw new Error('the store is closed');
      const { where, values } = keysetWhere(
        [
          ['msn', filter.msn],
          ['reference', filter.reference],
          ['target_id', filter.targetId],
          ['status', filter.status],
          ['event_type', filter.eventType],
        ],
        filter.before,
      );
      values.push(filter.limit);
      const { rows } = await pool.query<DeliveryRow>(`SELECT * FROM webhook_deliveries ${where} ORDER BY id DESC LIMIT $${values.length}`, values);
      const attempts = rows.length ? await query<AttemptRow>('attemptsOf', [rows.map((r) => r.id)]) : [];
      const byDelivery = new Map<number, DeliveryAttempt[]>();
      for (const a of attempts) {
        const list = byDelivery.get(a.delivery_id) ?? [];
        list.push(toAttempt(a));
        byDelivery.set(a.delivery_id, list);
      }
      return rows.map((r) => toLoggedDelivery(r, byDelivery.get(r.id) ?? []));
    },
    async redeliver(id, now) {
      if (closed) throw new Error('the store is closed');
      const { rows } = await pool.query<{ url: string | null; updated: boolean }>(
        `WITH target AS (SELECT id, url FROM webhook_deliveries WHERE id = $1),
              updated AS (UPDATE webhook_deliveries d SET status = 'pending', next_attempt_at = $2, delivered_at = NULL
                          FROM target t WHERE d.id = t.id AND t.url IS NOT NULL RETURNING d.id)
         SELECT t.url, EXISTS (SELECT 1 FROM updated) AS updated FROM target t`,
        [id, now],
      );
      if (rows.length === 0) return 'not-found';
      return rows[0]!.updated ? 'scheduled' : 'no-target';
    },
    async listPayments(filter) {
      if (closed) throw new Error('the store is closed');
      // Newest first is id order (ids are time-ordered, newPaymentId); each filter has an index in
      // that order (migration 6), so a page reads about `limit` rows whatever the table's size.
      const { where, values } = keysetWhere(
        [
          ['msn', filter.msn],
          ['state', filter.state],
          ['reference', filter.reference],
          ["(data->>'customerPhone')", filter.customerPhone],
        ],
        filter.before,
      );
      const limit = Math.max(1, Math.floor(filter.limit));
      values.push(limit + 1);
      const { rows } = await pool.query<{ id: string; data: Payment }>(`SELECT id, data FROM payments ${where} ORDER BY id DESC LIMIT $${values.length}`, values);
      const page = rows.slice(0, limit);
      return { payments: page.map((r) => r.data), next: rows.length > limit ? page[page.length - 1]!.id : null };
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
    async applyMigrations(module, migrations) {
      await migrateModule(pool, module, migrations);
    },
    resetsTable(table) {
      if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
      if (!faceTables.includes(table)) faceTables.push(table);
    },
    onStale() {
      // Another instance may commit at any time, unseen: nothing can be remembered safely.
      return false;
    },
    async reset() {
      if (closed) throw new Error('the store is closed');
      // TRUNCATE needs every table to itself: wait for running operations rather than fail after lock_timeout.
      const { client, release } = await checkout();
      let broken: Error | undefined;
      try {
        const tables = ['payment_events', 'payment_adjustments', 'idempotency', 'payments', 'webhook_attempts', 'webhook_deliveries', ...faceTables];
        await runPipeline(client, [execute('vl_begin'), execute('vl_reset_lock_timeout', '60s'), faceStatement(`TRUNCATE ${tables.join(', ')}`, []), execute('vl_commit')]);
      } catch (err) {
        await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw err;
      } finally {
        release(broken);
      }
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}

/**
 * A payment id made without a round trip: the time in ms (base 36, so ids sort by creation and new
 * rows go to the right edge of the index), a counter within the ms (ids this process makes sort in
 * the order they were made: the dashboard lists newest first by id) and 48 random bits.
 */
let lastIdMs = 0;
let idsThisMs = 0;
function newPaymentId(): string {
  const ms = Date.now();
  if (ms === lastIdMs) idsThisMs++;
  else {
    lastIdMs = ms;
    idsThisMs = 0;
  }
  return `p${ms.toString(36).padStart(9, '0')}${(idsThisMs & 0xffff).toString(16).padStart(4, '0')}${randomBytes(6).toString('hex')}`;
}

/** `?` placeholders (the faces' dialect-neutral SQL) → `$1, $2, …`; a `?` inside quotes stays. */
export function numbered(text: string): string {
  let n = 0;
  let quoted = false;
  let out = '';
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  return out;
}

/** How a face's value is bound on PostgreSQL: objects and arrays as JSON (jsonb columns take it). */
function pgValue(value: unknown): Param {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object') return JSON.stringify(value);
  return value as Param;
}

/**
 * A face's statement (dialect-neutral SQL with `?` placeholders) for a pipelined batch: numbered
 * placeholders, bound values, and a name made from its text, so that each text is prepared once per
 * connection like the core's statements.
 */
function faceStatement(text: string, list: readonly unknown[]): Statement {
  const numberedText = numbered(text);
  return { name: `vl_f_${createHash('sha1').update(numberedText).digest('hex').slice(0, 16)}`, text: numberedText, values: list.map(pgValue) };
}

/** Applies a face's migrations like the core ones: one transaction under the schema's advisory lock. */
async function migrateModule(pool: pg.Pool, module: string, migrations: readonly { version: number; postgres: string }[]): Promise<void> {
  await inMigrationLock(pool, async (client) => {
    const applied = new Set((await client.query<{ version: number }>(Q.appliedModules, [module])).rows.map((r) => r.version));
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      await client.query(m.postgres);
      await client.query('INSERT INTO module_migrations (module, version, applied_at) VALUES ($1, $2, $3)', [module, m.version, Date.now()]);
    }
  });
}

/** Runs `work` in one transaction under an advisory lock per schema: instances starting together take turns. */
async function inMigrationLock(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL lock_timeout = '0'");
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), \'\')))', [LOCK_MIGRATIONS]);
    await work(client);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken);
  }
}

/** Applies missing core migrations in one transaction, under the migration lock. */
async function migrate(pool: pg.Pool): Promise<void> {
  await inMigrationLock(pool, async (client) => {
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)');
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of PG_MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [m.version, Date.now()]);
    }
  });
}
