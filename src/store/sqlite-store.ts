// SQLite store (the embedded default) on better-sqlite3, in WAL mode.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { dueAt, type Payment, type PaymentKey } from '../domain/payment.ts';
import { startCheckpointer } from './sqlite-checkpointer.ts';
import { idempotencyKeyHash, sqliteIdempotency, type KeyIndexFlush } from './sqlite-idempotency.ts';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.ts';
import { toAdjustment, toAttempt, toDelivery, toEvent, toLoggedDelivery, type AdjustmentRow, type AttemptRow, type DeliveryRow, type EventRow } from './rows.ts';
import { sqliteSql } from './sqlite-sql.ts';
import { DuplicatePaymentError, VersionConflictError, type Store, type StoreTx } from './store.ts';

export interface SqliteStoreOptions {
  /** File path, or ':memory:'. */
  path: string;
  /** 'normal' survives a process crash; 'full' also survives power loss, at a cost per commit. */
  synchronous?: 'normal' | 'full';
  /** When the idempotency key index is written (sqlite-idempotency.ts); tests set it to index at every batch. */
  keyIndexFlush?: KeyIndexFlush;
  /** Where failures nobody waits for (the checkpointer's) are reported; console.error by default. */
  onError?: (err: Error) => void;
}

type PaymentColumns = [state: string, dueAt: number | null, version: number, data: string, customerPhone: string | null];

/** At most this many units of work share one COMMIT. */
const MAX_BATCH = 64;
/**
 * The drain waits up to this many turns of the event loop while new units keep arriving: a bigger
 * batch shares one COMMIT among more units (measured with 10 clients creating payments: about 17%
 * more creates per second than draining on the first turn). It drains as soon as a turn brings none.
 */
const MAX_GATHER_TURNS = 6;

export function openSqliteStore(options: SqliteStoreOptions): Store {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  // Checkpoints (which sync to disk) run on a worker thread; this is only the backstop.
  db.pragma(`wal_autocheckpoint = ${options.path === ':memory:' ? 1000 : 20000}`);
  db.pragma('foreign_keys = ON');
  // Migrations 4 and 6 hash (msn, operation, key), migration 7 and the store (scope, key).
  db.function('vl_key_hash', { deterministic: true, varargs: true }, (...parts: unknown[]) => idempotencyKeyHash(...parts.map(String)));
  migrate(db);

  // A bound LIMIT makes SQLite re-plan the statement on every run (it plans with the value):
  // 15-30 µs each time. Statements with a LIMIT therefore get it as a literal, one per value used.
  const withLimit = <P extends unknown[] | {}, R>(sql: (limit: number) => string) => {
    const cache = new Map<number, Database.Statement<P, R>>();
    return (limit: number): Database.Statement<P, R> => {
      const n = Math.max(0, Math.floor(limit));
      let stmt = cache.get(n);
      if (!stmt) cache.set(n, (stmt = db.prepare<P, R>(sql(n))));
      return stmt;
    };
  };

  const q = {
    paymentById: db.prepare<[number], { data: string }>('SELECT data FROM payments WHERE id = ?'),
    paymentByRef: db.prepare<[string, string], { data: string }>('SELECT data FROM payments WHERE msn = ? AND reference = ?'),
    maxPaymentId: db.prepare<[], number | null>('SELECT max(id) FROM payments').pluck(),
    // Payments are bound by position: by name, better-sqlite3 looks up every parameter on the object.
    insertPayment: db.prepare<[...PaymentColumns, number, string, string, number]>(
      'INSERT INTO payments (state, due_at, version, data, customer_phone, id, msn, reference, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    updatePayment: db.prepare<[...PaymentColumns, number, number]>(
      'UPDATE payments SET state = ?, due_at = ?, version = ?, data = ?, customer_phone = ? WHERE id = ? AND version = ?',
    ),
    // An event's id is its payment's id * 65536 + its seq (migration 5): a payment's events are
    // neighbours, and a new payment's first event is appended at the end of the table.
    appendEvent: db.prepare<[number, string, string, string, number, number, number, string | null]>(
      'INSERT INTO payment_events (id, psp_reference, name, currency, amount, ts, success, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    // Adjustments are keyed like the events that made them (migration 7).
    insertAdjustment: db.prepare<[number, string, number, string, number, string | null, string, string]>(
      'INSERT INTO payment_adjustments (id, kind, amount, currency, at, idempotency_key, origin, psp_reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    listEvents: db.prepare<[number], EventRow>(
      'SELECT p.id AS payment_id, p.msn, p.reference, e.id % 65536 AS seq, e.psp_reference, e.name, e.currency, e.amount, e.ts, e.success, e.idempotency_key FROM payments p JOIN payment_events e ON e.id BETWEEN p.id * 65536 AND p.id * 65536 + 65535 WHERE p.id = ? ORDER BY e.id',
    ),
    listAdjustments: db.prepare<[number, number], AdjustmentRow>(
      'SELECT id / 65536 AS payment_id, id % 65536 AS seq, kind, amount, currency, at, idempotency_key, origin, psp_reference FROM payment_adjustments WHERE id BETWEEN ? AND ? ORDER BY id',
    ),
    due: withLimit<[number], number>((n) => `SELECT id FROM payments WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at LIMIT ${n}`),
    // Served by the partial index payments_phone (migration 3).
    byCustomerPhone: withLimit<[string], { data: string }>(
      (n) => `SELECT data FROM payments WHERE customer_phone = ? ORDER BY created_at DESC LIMIT ${n}`,
    ),
    insertDelivery: db.prepare<[string, string, string, string, string, string, string, string, string, string, number, number]>(
      "INSERT INTO webhook_deliveries (format, target_id, url, secret, faults, subject, msn, reference, event_type, payload, status, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
    ),
    // The targets that have pending rows, by a walk over the index (one step per target, not per row).
    pendingTargets: db
      .prepare<[], string>(
        `WITH RECURSIVE t(id) AS (
           SELECT MIN(target_id) FROM webhook_deliveries WHERE status = 'pending'
           UNION ALL
           SELECT (SELECT MIN(target_id) FROM webhook_deliveries WHERE status = 'pending' AND target_id > t.id) FROM t WHERE t.id IS NOT NULL
         ) SELECT id FROM t WHERE id IS NOT NULL`,
      )
      .pluck(),
    // One target's due rows, oldest first: each the oldest pending one of its (target, subject),
    // unless order is ignored.
    dueOfTarget: withLimit<[{ target: string; now: number; ignoreOrder: number; excludeMsns: string }], DeliveryRow>((n) => `
      SELECT d.* FROM webhook_deliveries d
      WHERE d.target_id = @target AND d.status = 'pending' AND d.next_attempt_at <= @now AND (d.claimed_until IS NULL OR d.claimed_until <= @now)
        AND d.msn NOT IN (SELECT value FROM json_each(@excludeMsns))
        AND (@ignoreOrder = 1 OR json_extract(d.faults, '$.outOfOrder') = 1 OR NOT EXISTS (
          SELECT 1 FROM webhook_deliveries e
          WHERE e.target_id = d.target_id AND e.subject = d.subject AND e.status = 'pending' AND e.id < d.id))
      ORDER BY d.next_attempt_at, d.id LIMIT ${n}`),
    release: db.prepare<[number, string]>('UPDATE webhook_deliveries SET claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?'),
    claim: db.prepare<[string, number, number]>('UPDATE webhook_deliveries SET claimed_by = ?, claimed_until = ? WHERE id = ?'),
    completeDelivery: db.prepare(
      'UPDATE webhook_deliveries SET status = @status, attempts = attempts + @counts, next_attempt_at = @nextAttemptAt, delivered_at = @deliveredAt, claimed_by = NULL, claimed_until = NULL WHERE id = @id',
    ),
    insertAttempt: db.prepare(
      'INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, latency_ms, response_excerpt, note) VALUES (@deliveryId, @attempt, @at, @statusCode, @error, @latencyMs, @responseExcerpt, @note)',
    ),
    paymentsByState: db.prepare<[], { state: string; n: number }>('SELECT state, COUNT(*) AS n FROM payments GROUP BY state'),
    pendingDeliveries: db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending'"),
    nextDue: db.prepare<[], { due: number | null }>("SELECT MIN(next_attempt_at) AS due FROM webhook_deliveries WHERE status = 'pending'"),
    attemptsOf: db.prepare<[number], AttemptRow>('SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY id'),
    setPendingFaults: db.prepare<[string, string]>("UPDATE webhook_deliveries SET faults = ? WHERE target_id = ? AND status = 'pending'"),
    dropPending: db.prepare<[string]>("DELETE FROM webhook_deliveries WHERE target_id = ? AND status = 'pending'"),
    forgetUrl: db.prepare<[string]>('UPDATE webhook_deliveries SET url = NULL WHERE target_id = ?'),
    getSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    initSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
    appliedModules: db.prepare<[string], number>('SELECT version FROM module_migrations WHERE module = ?').pluck(),
    moduleApplied: db.prepare<[string, number, number]>('INSERT INTO module_migrations (module, version, applied_at) VALUES (?, ?, ?)'),
  };

  const idempotency = sqliteIdempotency(db, options.keyIndexFlush);

  // What faces remember of their tables (who receives webhooks) is dropped when it may be stale: after
  // a rollback, and when another connection has committed (PRAGMA data_version, read once per batch).
  const staleListeners: Array<() => void> = [];
  const stale = () => {
    for (const listener of staleListeners) listener();
  };
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  let seenDataVersion = dataVersion.get();
  /** What this connection remembers of the tables is redone when another connection has committed. */
  const catchUpWithOtherConnections = () => {
    const v = dataVersion.get();
    if (v !== seenDataVersion) {
      seenDataVersion = v;
      stale();
      idempotency.resync();
    }
  };

  /** state, due_at, version, data, customer_phone: what an insert and an update both write. */
  const columns = (p: Payment): PaymentColumns => [
    p.state,
    dueAt(p),
    p.version,
    JSON.stringify(p),
    // Only payments with a phone are indexed (the app simulator's list); created_at orders that list.
    p.customerPhone ?? null,
  ];

  /** The rowid a payment id names, or null for an id this store did not make. */
  const rowId = (id: string): number | null => {
    const n = Number(id);
    return Number.isSafeInteger(n) && n > 0 && String(n) === id ? n : null;
  };
  const readPayment = (key: PaymentKey): Payment | null => {
    let r: { data: string } | undefined;
    if ('id' in key) {
      const n = rowId(key.id);
      r = n === null ? undefined : q.paymentById.get(n);
    } else {
      r = q.paymentByRef.get(key.msn, key.reference);
    }
    return r ? (JSON.parse(r.data) as Payment) : null;
  };
  const eventId = (paymentId: string, seq: number, what: string): number => {
    const n = rowId(paymentId);
    if (n === null) throw new Error(`${what} of payment ${paymentId}, which this store did not make.`);
    if (!(seq >= 0 && seq < 65536)) throw new Error(`${what} number ${seq} of payment ${paymentId} is outside what the SQLite store keeps (0-65535).`);
    return n * 65536 + seq;
  };

  // Payment ids are the rowids: the next one is counted in memory within a batch (one writer holds
  // the database from BEGIN IMMEDIATE to COMMIT) and read again at the start of the next.
  let nextPaymentId: number | null = null;

  const sql = sqliteSql(db);

  const tx: StoreTx = {
    newPaymentId() {
      nextPaymentId ??= (q.maxPaymentId.get() ?? 0) + 1;
      return String(nextPaymentId++);
    },
    async lockPayment(key) {
      return readPayment(key);
    },
    async insertPayment(p) {
      const id = rowId(p.id);
      if (id === null) throw new Error(`Payment id ${p.id} was not made by this store.`);
      try {
        q.insertPayment.run(...columns(p), id, p.msn, p.reference, p.createdAt);
      } catch (err) {
        if (/^SQLITE_CONSTRAINT_(PRIMARYKEY|UNIQUE)$/.test((err as { code?: string }).code ?? '')) throw new DuplicatePaymentError(p);
        throw err;
      }
    },
    async updatePayment(p, fromVersion = p.version - 1) {
      const id = rowId(p.id);
      const result = id === null ? { changes: 0 } : q.updatePayment.run(...columns(p), id, fromVersion);
      if (result.changes !== 1) throw new VersionConflictError(p);
    },
    async appendEvent(e) {
      q.appendEvent.run(eventId(e.paymentId, e.seq, 'Event'), e.pspReference, e.name, e.currency, e.amount, e.timestamp, e.success ? 1 : 0, e.idempotencyKey);
    },
    async insertAdjustment(a) {
      q.insertAdjustment.run(eventId(a.paymentId, a.seq, 'Adjustment'), a.kind, a.amount, a.currency, a.at, a.idempotencyKey, a.origin, a.pspReference);
    },
    async getIdempotency(scope, key) {
      return idempotency.get(scope, key);
    },
    async putIdempotency(rec) {
      idempotency.put(rec);
    },
    async insertDelivery(d) {
      q.insertDelivery.run(d.format, d.targetId, d.url, d.secret, JSON.stringify(d.faults), d.subject, d.msn, d.reference, d.eventType, d.payload, d.nextAttemptAt, d.createdAt);
    },
    async setPendingDeliveryFaults(targetId, faults) {
      q.setPendingFaults.run(JSON.stringify(faults), targetId);
    },
    async forgetTarget(targetId) {
      q.dropPending.run(targetId);
      q.forgetUrl.run(targetId);
    },
    sql: sql.tx,
  };

  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  /** Undoes the open transaction, and forgets what was remembered inside it (it may be its own writes). */
  const abandon = () => {
    if (db.inTransaction) rollback.run();
    stale();
    idempotency.resync();
  };

  // Group commit: units of work that arrive together run one after another inside ONE
  // transaction and are answered only after the shared COMMIT. Same durability, a fraction of the
  // commits.
  interface Pending {
    fn: (tx: StoreTx) => Promise<unknown>;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }
  const queue: Pending[] = [];
  let draining = false;
  let closed = false;

  /**
   * One shared transaction. A unit that throws may have written part of its work, which cannot be
   * undone alone: the transaction is rolled back, that unit fails, and the others run again
   * without it. Units rarely throw (the engine returns rule violations as values), so this costs
   * less than a savepoint around every unit, which copies each page a unit first touches.
   */
  const runShared = async (batch: Pending[]): Promise<void> => {
    let units = batch;
    while (units.length > 0) {
      const values: unknown[] = [];
      let failed = -1;
      let error: unknown;
      begin.run();
      nextPaymentId = null;
      catchUpWithOtherConnections();
      idempotency.flushIfDue(Date.now());
      for (let i = 0; i < units.length && failed < 0; i++) {
        try {
          values.push(await units[i]!.fn(tx));
        } catch (err) {
          failed = i;
          error = err;
        }
      }
      if (failed < 0) {
        commit.run();
        units.forEach((unit, i) => unit.resolve(values[i]));
        return;
      }
      abandon();
      units[failed]!.reject(error);
      units = units.filter((_, i) => i !== failed);
    }
  };

  const drain = async () => {
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      try {
        await runShared(batch);
      } catch (err) {
        // BEGIN or COMMIT failed (disk full, another process holding the lock): nothing committed.
        abandon();
        for (const unit of batch) unit.reject(err);
      }
    }
    draining = false;
  };

  /** Drains on a later turn of the event loop, once a turn passes that queued nothing new. */
  const gather = (turn: number, seen: number): void => {
    setImmediate(() => {
      if (turn < MAX_GATHER_TURNS && queue.length > seen && queue.length < MAX_BATCH) gather(turn + 1, queue.length);
      else void drain();
    });
  };

  /** Queues a unit of work; the queue is drained once arrivals pause (gather), so that requests parsed together commit together. */
  const enqueue = <T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (closed) return reject(new Error('the store is closed'));
      queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!draining) {
        draining = true;
        gather(1, 0);
      }
    });

  /** A read needs no transaction of its own, but must not see the uncommitted writes of a batch. */
  const read = <T>(fn: () => T): Promise<T> => (draining ? enqueue(async () => fn()) : Promise.resolve().then(fn));

  const checkpointer = options.path === ':memory:' ? null : startCheckpointer(options.path, undefined, options.onError ?? ((err) => console.error(err.message)));

  /** Tables of faces that reset empties too. */
  const faceTables: string[] = [];

  return {
    kind: 'sqlite',
    transaction: enqueue,
    sql: sql.store(read, enqueue),
    getPayment(key) {
      return read(() => readPayment(key));
    },
    listEvents(id) {
      const n = rowId(id);
      return read(() => (n === null ? [] : q.listEvents.all(n).map(toEvent)));
    },
    listAdjustments(id) {
      const n = rowId(id);
      return read(() => (n === null ? [] : q.listAdjustments.all(n * 65536, n * 65536 + 65535).map(toAdjustment)));
    },
    listDuePayments(now, limit) {
      return read(() => q.due(limit).pluck().all(now).map(String));
    },
    listPaymentsByCustomerPhone(phone, limit) {
      return read(() => q.byCustomerPhone(limit).all(phone).map((r) => JSON.parse(r.data) as Payment));
    },
    claimDueDeliveries(now, limit, claimer, leaseMs, ignoreOrder = false, fairness = {}) {
      return enqueue(async () => {
        const excluded = new Set(fairness.excludeTargets ?? []);
        const perTarget = Math.max(1, Math.min(limit, fairness.perTarget ?? limit));
        const args = { now, ignoreOrder: ignoreOrder ? 1 : 0, excludeMsns: JSON.stringify(fairness.excludeMsns ?? []) };
        // Each target's oldest due rows, ranked within the target; every target's first before any target's second.
        const ranked: Array<{ row: DeliveryRow; rank: number }> = [];
        for (const target of q.pendingTargets.all()) {
          if (excluded.has(target)) continue;
          q.dueOfTarget(perTarget).all({ target, ...args }).forEach((row, rank) => ranked.push({ row, rank }));
        }
        ranked.sort((a, b) => a.rank - b.rank || a.row.next_attempt_at - b.row.next_attempt_at || a.row.id - b.row.id);
        const rows = ranked.slice(0, limit).map((r) => r.row);
        for (const r of rows) q.claim.run(claimer, now + leaseMs, r.id);
        return rows.map(toDelivery);
      });
    },
    releaseClaims(ids, claimer) {
      return enqueue(async () => {
        for (const id of ids) q.release.run(id, claimer);
      });
    },
    completeAttempt(result) {
      return enqueue(async () => {
        const a = result.attempt;
        q.completeDelivery.run({
          id: a.deliveryId,
          status: result.status,
          counts: result.countsAsAttempt ? 1 : 0,
          nextAttemptAt: result.nextAttemptAt,
          deliveredAt: result.status === 'delivered' ? a.at : null,
        });
        q.insertAttempt.run(a);
      });
    },
    nextDeliveryDue() {
      return read(() => q.nextDue.get()?.due ?? null);
    },
    counts() {
      return read(() => ({
        paymentsByState: Object.fromEntries(q.paymentsByState.all().map((r) => [r.state, r.n])),
        pendingDeliveries: q.pendingDeliveries.get()?.n ?? 0,
      }));
    },
    listDeliveries(filter) {
      return read(() => {
        const where: string[] = [];
        const args: Record<string, unknown> = { limit: filter.limit };
        for (const [col, key] of [['msn', 'msn'], ['reference', 'reference'], ['target_id', 'targetId'], ['status', 'status'], ['event_type', 'eventType']] as const) {
          if (filter[key] !== undefined) {
            where.push(`${col} = @${key}`);
            args[key] = filter[key];
          }
        }
        if (filter.before !== undefined) {
          where.push('id < @before');
          args.before = filter.before;
        }
        const rows = db
          .prepare<Record<string, unknown>, DeliveryRow>(
            `SELECT * FROM webhook_deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`,
          )
          .all(args);
        return rows.map((r) => toLoggedDelivery(r, q.attemptsOf.all(r.id).map(toAttempt)));
      });
    },
    redeliver(id, now) {
      return enqueue(async () => {
        const row = db.prepare<[number], { url: string | null }>('SELECT url FROM webhook_deliveries WHERE id = ?').get(id);
        if (!row) return 'not-found' as const;
        if (row.url === null) return 'no-target' as const;
        db.prepare<[number, number]>("UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, delivered_at = NULL WHERE id = ?").run(now, id);
        return 'scheduled' as const;
      });
    },
    listPayments(filter) {
      return read(() => {
        // Newest first is rowid order; each filter has an index whose entries end in the rowid
        // (sqlite migration 9), so a page reads about `limit` rows whatever the table's size.
        const where: string[] = [];
        const args: unknown[] = [];
        for (const [col, value] of [['msn', filter.msn], ['state', filter.state], ['reference', filter.reference], ['customer_phone', filter.customerPhone]] as const) {
          if (value === undefined) continue;
          where.push(`${col} = ?`);
          args.push(value);
        }
        if (filter.before !== undefined) {
          const n = rowId(filter.before);
          if (n === null) return { payments: [], next: null };
          where.push('id < ?');
          args.push(n);
        }
        const limit = Math.max(1, Math.floor(filter.limit));
        const rows = db
          .prepare<unknown[], { id: number; data: string }>(`SELECT id, data FROM payments ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit + 1}`)
          .all(...args);
        const page = rows.slice(0, limit);
        return { payments: page.map((r) => JSON.parse(r.data) as Payment), next: rows.length > limit ? String(page[page.length - 1]!.id) : null };
      });
    },
    pruneIdempotency(before) {
      return enqueue(async () => idempotency.prune(before));
    },
    async getSetting(key) {
      return q.getSetting.get(key)?.value ?? null;
    },
    async initSetting(key, value) {
      q.initSetting.run(key, value);
      return q.getSetting.get(key)!.value;
    },
    applyMigrations(module, migrations) {
      return enqueue(async () => {
        const applied = new Set(q.appliedModules.all(module));
        for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
          if (applied.has(m.version)) continue;
          db.exec(m.sqlite);
          q.moduleApplied.run(module, m.version, Date.now());
        }
      });
    },
    resetsTable(table) {
      if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
      if (!faceTables.includes(table)) faceTables.push(table);
    },
    onStale(listener) {
      staleListeners.push(listener);
      return true;
    },
    reset() {
      return enqueue(async () => {
        stale();
        db.exec(
          'DELETE FROM payment_events; DELETE FROM payment_adjustments; DELETE FROM payments; DELETE FROM webhook_attempts; DELETE FROM webhook_deliveries;' +
            faceTables.map((t) => ` DELETE FROM ${t};`).join(''),
        );
        idempotency.clear();
      });
    },
    async close() {
      await enqueue(async () => undefined);
      closed = true;
      await checkpointer?.stop();
      db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set(db.prepare<[], { version: number }>('SELECT version FROM schema_migrations').all().map((r) => r.version));
  for (const m of SQLITE_MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, Date.now());
    }).immediate();
  }
}
