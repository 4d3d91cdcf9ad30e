// Idempotency records in SQLite, found through a key index that is written behind (migration 6).
//
// Clients use random keys (UUIDs), so an index kept up to date on every insert writes one random
// leaf per request: about one WAL frame per create, ~16% of a create's CPU (measured with the
// index removed, bench/ab.ts in both orders). Instead, records are appended to the table, and their
// (key hash, id) pairs go into idempotency_keys in sorted batches, which write each leaf at most
// once per batch. Records past the last batch (ids above `idempotency_keys_upto` in settings) are
// found through an in-memory map of this connection. The map is rebuilt from the table whenever it
// may differ from it: at open, after a rollback, after pruning, and when another connection has
// committed. Every candidate a lookup finds is checked against the whole key in its row, so a
// stale or colliding entry only costs a read.
import type Database from 'better-sqlite3';
import { hash } from 'node:crypto';
import type { IdempotencyRecord } from './store.ts';

/**
 * What the key index holds instead of the key text: 48 bits of the SHA-1 of its parts joined by
 * newlines, (scope, key) since migration 7 ((msn, operation, key) before, which migrations 4 and 6 use).
 */
export function idempotencyKeyHash(...parts: string[]): number {
  return (hash('sha1', parts.join('\n'), 'buffer') as Buffer).readIntBE(0, 6);
}

export interface KeyIndexFlush {
  /** Index the young keys once this long has passed since the last batch (ms of wall time)... */
  afterMs: number;
  /** ...or once this many are waiting, whichever comes first. */
  atKeys: number;
}

/** About one batch a second under load: ~8,000 keys, which touch each leaf of a large index about once. */
const DEFAULT_KEY_INDEX_FLUSH: KeyIndexFlush = { afterMs: 1000, atKeys: 20_000 };

export interface SqliteIdempotency {
  get(scope: string, key: string): IdempotencyRecord | null;
  put(rec: IdempotencyRecord): void;
  /** Inside the write transaction, at the start of a batch: writes the young keys into the index when due. */
  flushIfDue(nowMs: number): void;
  /** Rebuilds the young-key map from the table (its view of the committed state may be out of date). */
  resync(): void;
  /** Deletes the records written before the first one created at or after `before`; returns how many. */
  prune(before: number): number;
  /** Deletes every record (the operator's reset). */
  clear(): void;
}

interface RecordRow {
  request_hash: string;
  response: string;
  created_at: number;
}

const UPTO = 'idempotency_keys_upto';

export function sqliteIdempotency(db: Database.Database, flush: KeyIndexFlush = DEFAULT_KEY_INDEX_FLUSH): SqliteIdempotency {
  const q = {
    byId: db.prepare<[number, string, string], RecordRow>('SELECT request_hash, response, created_at FROM idempotency WHERE id = ? AND scope = ? AND idem_key = ?'),
    indexed: db.prepare<[number, string, string], RecordRow>(
      'SELECT d.request_hash, d.response, d.created_at FROM idempotency_keys k JOIN idempotency d ON d.id = k.row WHERE k.key_hash = ? AND d.scope = ? AND d.idem_key = ?',
    ),
    put: db.prepare<[string, string, string, string, number, number]>(
      'INSERT INTO idempotency (scope, idem_key, request_hash, response, created_at, key_hash) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    young: db.prepare<[number], { id: number; key_hash: number }>('SELECT id, key_hash FROM idempotency WHERE id > ?'),
    // Sorted, so that the b-tree is filled leaf by leaf.
    index: db.prepare<[number]>('INSERT INTO idempotency_keys (key_hash, row) SELECT key_hash, id FROM idempotency WHERE id > ? ORDER BY key_hash, id'),
    maxId: db.prepare<[], number | null>('SELECT max(id) FROM idempotency').pluck(),
    upto: db.prepare<[], string>(`SELECT value FROM settings WHERE key = '${UPTO}'`).pluck(),
    setUpto: db.prepare<[number]>(`INSERT INTO settings (key, value) VALUES ('${UPTO}', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
    // Records are written in time order (one writer; the platform clock does not run back), so the
    // old ones are a prefix of the id order: no index on created_at is needed (one b-tree less per
    // write). A wall-clock step back only makes pruning stop early, never delete a young record.
    firstYoung: db.prepare<[number], number>('SELECT id FROM idempotency WHERE created_at >= ? ORDER BY id LIMIT 1').pluck(),
    pruneKeys: db.prepare<[number]>('DELETE FROM idempotency_keys WHERE row < ?'),
    pruneRecords: db.prepare<[number]>('DELETE FROM idempotency WHERE id < ?'),
  };

  /** Every record with an id above this is in `young`; every one at or below it is in idempotency_keys. */
  let upto = 0;
  /** Key hash → id (or ids, when hashes collide) of the records past `upto`. */
  const young = new Map<number, number | number[]>();
  let lastFlush = Date.now();

  const remember = (keyHash: number, id: number) => {
    const ids = young.get(keyHash);
    if (ids === undefined) young.set(keyHash, id);
    else if (typeof ids === 'number') young.set(keyHash, [ids, id]);
    else ids.push(id);
  };

  const setUpto = (id: number) => {
    upto = id;
    q.setUpto.run(id);
  };

  // A unit looks its key up and then writes it: the second hash of the same key is remembered.
  let last = { scope: '', key: '', hash: 0 };
  const keyHash = (scope: string, key: string): number => {
    if (last.key !== key || last.scope !== scope) last = { scope, key, hash: idempotencyKeyHash(scope, key) };
    return last.hash;
  };

  const find = (scope: string, key: string): RecordRow | undefined => {
    const h = keyHash(scope, key);
    const ids = young.get(h);
    if (typeof ids === 'number') {
      const r = q.byId.get(ids, scope, key);
      if (r) return r;
    } else if (ids) {
      for (const id of ids) {
        const r = q.byId.get(id, scope, key);
        if (r) return r;
      }
    }
    return q.indexed.get(h, scope, key);
  };

  const self: SqliteIdempotency = {
    get(scope, key) {
      const r = find(scope, key);
      return r ? { scope, key, requestHash: r.request_hash, response: JSON.parse(r.response), createdAt: r.created_at } : null;
    },
    put(rec) {
      const h = keyHash(rec.scope, rec.key);
      const { lastInsertRowid } = q.put.run(rec.scope, rec.key, rec.requestHash, JSON.stringify(rec.response), rec.createdAt, h);
      remember(h, Number(lastInsertRowid));
    },
    flushIfDue(nowMs) {
      if (young.size === 0 || (young.size < flush.atKeys && nowMs - lastFlush < flush.afterMs)) return;
      q.index.run(upto);
      setUpto(q.maxId.get() ?? upto);
      young.clear();
      lastFlush = nowMs;
    },
    resync() {
      upto = Number(q.upto.get() ?? 0);
      young.clear();
      for (const r of q.young.iterate(upto)) remember(r.key_hash, r.id);
    },
    prune(before) {
      const cutoff = q.firstYoung.get(before) ?? Number.MAX_SAFE_INTEGER;
      q.pruneKeys.run(cutoff);
      const { changes } = q.pruneRecords.run(cutoff);
      // A new record takes the id after the highest one left (1 in an empty table): keep it above `upto`.
      const highest = q.maxId.get() ?? 0;
      if (upto > highest) setUpto(highest);
      self.resync();
      return changes;
    },
    clear() {
      db.exec('DELETE FROM idempotency; DELETE FROM idempotency_keys');
      setUpto(0);
      young.clear();
    },
  };
  self.resync();
  return self;
}
