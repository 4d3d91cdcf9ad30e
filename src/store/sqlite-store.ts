// SQLite store (the embedded default) on better-sqlite3, in WAL mode.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Payment, PaymentEvent } from '../domain/payment.ts';
import { AsyncMutex } from './async-mutex.ts';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.ts';
import {
  DuplicatePaymentError,
  VersionConflictError,
  type IdempotencyRecord,
  type IdempotentOperation,
  type PaymentRef,
  type Store,
  type StoreTx,
} from './store.ts';

export interface SqliteStoreOptions {
  /** File path, or ':memory:'. */
  path: string;
  /** 'normal' survives a process crash; 'full' also survives power loss, at a cost per commit. */
  synchronous?: 'normal' | 'full';
}

interface EventRow {
  msn: string;
  reference: string;
  psp_reference: string;
  name: PaymentEvent['name'];
  currency: PaymentEvent['currency'];
  amount: number;
  ts: number;
  success: number;
  idempotency_key: string | null;
}

export function openSqliteStore(options: SqliteStoreOptions): Store {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);

  const q = {
    getPayment: db.prepare<[string, string], { data: string }>('SELECT data FROM payments WHERE msn = ? AND reference = ?'),
    getByToken: db.prepare<[string], { data: string }>('SELECT data FROM payments WHERE token = ?'),
    insertPayment: db.prepare(
      'INSERT INTO payments (msn, reference, token, state, due_at, version, data) VALUES (@msn, @reference, @token, @state, @due_at, @version, @data)',
    ),
    updatePayment: db.prepare(
      'UPDATE payments SET state = @state, due_at = @due_at, version = @version, data = @data WHERE msn = @msn AND reference = @reference AND version = @prev',
    ),
    appendEvent: db.prepare(
      'INSERT INTO payment_events (msn, reference, psp_reference, name, currency, amount, ts, success, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    listEvents: db.prepare<[string, string], EventRow>('SELECT * FROM payment_events WHERE msn = ? AND reference = ? ORDER BY id'),
    due: db.prepare<[number, number], PaymentRef>("SELECT msn, reference FROM payments WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at LIMIT ?"),
    getIdem: db.prepare<[string, string, string], { request_hash: string; outcome: string; created_at: number }>(
      'SELECT request_hash, outcome, created_at FROM idempotency WHERE msn = ? AND operation = ? AND idem_key = ?',
    ),
    putIdem: db.prepare('INSERT INTO idempotency (msn, operation, idem_key, request_hash, outcome, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    pruneIdem: db.prepare('DELETE FROM idempotency WHERE created_at < ?'),
    getSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    initSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
  };

  const row = (p: Payment) => ({
    msn: p.msn,
    reference: p.reference,
    token: p.token,
    state: p.state,
    due_at: p.state === 'CREATED' ? p.expiresAt : null,
    version: p.version,
    data: JSON.stringify(p),
  });

  const tx: StoreTx = {
    async lockPayment(msn, reference) {
      const r = q.getPayment.get(msn, reference);
      return r ? (JSON.parse(r.data) as Payment) : null;
    },
    async insertPayment(p) {
      try {
        q.insertPayment.run(row(p));
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new DuplicatePaymentError(p);
        throw err;
      }
    },
    async updatePayment(p) {
      const result = q.updatePayment.run({ ...row(p), prev: p.version - 1 });
      if (result.changes !== 1) throw new VersionConflictError(p);
    },
    async appendEvent(e) {
      q.appendEvent.run(e.msn, e.reference, e.pspReference, e.name, e.currency, e.amount, e.timestamp, e.success ? 1 : 0, e.idempotencyKey);
    },
    async getIdempotency(msn, operation, key) {
      const r = q.getIdem.get(msn, operation, key);
      if (!r) return null;
      return { msn, operation, key, requestHash: r.request_hash, outcome: JSON.parse(r.outcome), createdAt: r.created_at };
    },
    async putIdempotency(rec: IdempotencyRecord) {
      q.putIdem.run(rec.msn, rec.operation, rec.key, rec.requestHash, JSON.stringify(rec.outcome), rec.createdAt);
    },
  };

  const mutex = new AsyncMutex();
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');

  return {
    kind: 'sqlite',
    transaction(fn) {
      return mutex.run(async () => {
        begin.run();
        try {
          const result = await fn(tx);
          commit.run();
          return result;
        } catch (err) {
          if (db.inTransaction) rollback.run();
          throw err;
        }
      });
    },
    // Reads queue behind the lock too: on one connection they would otherwise see the
    // uncommitted writes of a transaction that is waiting between two statements.
    getPayment(msn, reference) {
      return mutex.run(() => tx.lockPayment(msn, reference));
    },
    getPaymentByToken(token) {
      return mutex.run(async () => {
        const r = q.getByToken.get(token);
        return r ? (JSON.parse(r.data) as Payment) : null;
      });
    },
    listEvents(msn, reference) {
      return mutex.run(async () => q.listEvents.all(msn, reference).map(toEvent));
    },
    listDuePayments(now, limit) {
      return mutex.run(async () => q.due.all(now, limit));
    },
    async pruneIdempotency(before) {
      return mutex.run(async () => q.pruneIdem.run(before).changes);
    },
    async getSetting(key) {
      return q.getSetting.get(key)?.value ?? null;
    },
    async initSetting(key, value) {
      q.initSetting.run(key, value);
      return q.getSetting.get(key)!.value;
    },
    reset() {
      return mutex.run(async () => {
        db.exec('DELETE FROM payment_events; DELETE FROM idempotency; DELETE FROM payments;');
      });
    },
    close() {
      return mutex.run(async () => {
        db.close();
      });
    },
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
    success: r.success === 1,
    idempotencyKey: r.idempotency_key,
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
