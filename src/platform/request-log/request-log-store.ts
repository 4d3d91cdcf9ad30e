// The request log's table and repository: `request_log`, one row per API request, written in
// batches behind the requests (batch-writer.ts), read by the operator API newest first, pruned by
// age with the idempotency records and trimmed to a number of rows. Created by this module's own
// migrations, emptied by reset, queried in the dialect-neutral SQL of store.ts on either store.
//
// No secondary index, on purpose: the filters (reference, msn, traceId, Idempotency-Key) are
// random-looking values, and an index on one lands each new row on a random leaf: about one page
// written per request per index, which is what a create costs most of on SQLite (docs/decisions.md,
// "SQLite write path"). Reads scan newest first and stop at `limit`; the table is bounded by
// `maxRows`, which bounds a scan.
import type { Leniency } from '../../faces/lenient/leniency.ts';
import { sqlJson, type Json } from '../../store/rows.ts';
import type { ModuleMigration, SqlTx, Store } from '../../store/store.ts';

/** One request, as stored. Times are the platform clock's epoch ms. */
export interface RequestRecord {
  /** When the request arrived. */
  at: number;
  method: string;
  /** The path as sent, without the query string. */
  path: string;
  /** The route it matched (`/epayment/v1/payments/:reference`), or null when none did (404). */
  route: string | null;
  /** The API: its path's first segment (`epayment`, `accesstoken`, `webhooks`, …). */
  api: string;
  status: number;
  /** From arrival to the response being handed to the socket. */
  latencyMs: number;
  clientId: string | null;
  msn: string | null;
  reference: string | null;
  idempotencyKey: string | null;
  systemName: string | null;
  systemVersion: string | null;
  pluginName: string | null;
  pluginVersion: string | null;
  /** The error response's trace id (problem `traceId`, the identity provider's `trace_id`). */
  traceId: string | null;
  /** The error response's code (ePayment `ErrorCode`, the identity provider's `error`). */
  errorCode: string | null;
  /** What the error response said, in one line. */
  errorDetail: string | null;
  leniencies: Leniency[] | null;
  /** Remarks on the request that are neither errors nor leniencies (a system header longer than documented). */
  notes: string[] | null;
}

export interface LoggedRequest extends RequestRecord {
  /** Store-assigned, increasing in the order entries were written. */
  id: number;
}

export interface RequestFilter {
  reference?: string;
  msn?: string;
  traceId?: string;
  idempotencyKey?: string;
  limit: number;
}

export const REQUEST_LOG_MODULE = 'request-log';
const TABLE = 'request_log';

export const REQUEST_LOG_MIGRATIONS: readonly ModuleMigration[] = [
  {
    version: 1,
    sqlite: `CREATE TABLE ${TABLE} (
      id INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      method TEXT NOT NULL,
      path TEXT NOT NULL,
      route TEXT,
      api TEXT NOT NULL,
      status INTEGER NOT NULL,
      latency_ms REAL NOT NULL,
      client_id TEXT,
      msn TEXT,
      reference TEXT,
      idempotency_key TEXT,
      system_name TEXT,
      system_version TEXT,
      plugin_name TEXT,
      plugin_version TEXT,
      trace_id TEXT,
      error_code TEXT,
      error_detail TEXT,
      leniencies TEXT,
      notes TEXT
    )`,
    postgres: `CREATE TABLE ${TABLE} (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at bigint NOT NULL,
      method text NOT NULL,
      path text NOT NULL,
      route text,
      api text NOT NULL,
      status integer NOT NULL,
      latency_ms double precision NOT NULL,
      client_id text,
      msn text,
      reference text,
      idempotency_key text,
      system_name text,
      system_version text,
      plugin_name text,
      plugin_version text,
      trace_id text,
      error_code text,
      error_detail text,
      leniencies jsonb,
      notes jsonb
    )`,
  },
];

const INSERT_COLUMNS =
  'at, method, path, route, api, status, latency_ms, client_id, msn, reference, idempotency_key, system_name, system_version, plugin_name, plugin_version, trace_id, error_code, error_detail, leniencies, notes';
const COLUMN_COUNT = INSERT_COLUMNS.split(',').length;

interface RequestRow {
  id: number;
  at: number;
  method: string;
  path: string;
  route: string | null;
  api: string;
  status: number;
  latency_ms: number;
  client_id: string | null;
  msn: string | null;
  reference: string | null;
  idempotency_key: string | null;
  system_name: string | null;
  system_version: string | null;
  plugin_name: string | null;
  plugin_version: string | null;
  trace_id: string | null;
  error_code: string | null;
  error_detail: string | null;
  leniencies: Json<Leniency[]> | null;
  notes: Json<string[]> | null;
}

const toLogged = (r: RequestRow): LoggedRequest => ({
  id: Number(r.id),
  at: Number(r.at),
  method: r.method,
  path: r.path,
  route: r.route,
  api: r.api,
  status: r.status,
  latencyMs: r.latency_ms,
  clientId: r.client_id,
  msn: r.msn,
  reference: r.reference,
  idempotencyKey: r.idempotency_key,
  systemName: r.system_name,
  systemVersion: r.system_version,
  pluginName: r.plugin_name,
  pluginVersion: r.plugin_version,
  traceId: r.trace_id,
  errorCode: r.error_code,
  errorDetail: r.error_detail,
  leniencies: r.leniencies === null ? null : sqlJson(r.leniencies),
  notes: r.notes === null ? null : sqlJson(r.notes),
});

/** Rows per INSERT statement: a few fixed sizes, so that few statement texts are ever prepared. */
const CHUNKS = [64, 8, 1] as const;
const insertText = (rows: number) => `INSERT INTO ${TABLE} (${INSERT_COLUMNS}) VALUES ${Array.from({ length: rows }, () => `(${Array(COLUMN_COUNT).fill('?').join(', ')})`).join(', ')}`;
const INSERTS = new Map<number, string>(CHUNKS.map((n) => [n, insertText(n)]));

function pushValues(values: unknown[], r: RequestRecord): void {
  values.push(
    r.at, r.method, r.path, r.route, r.api, r.status, r.latencyMs, r.clientId, r.msn, r.reference, r.idempotencyKey,
    r.systemName, r.systemVersion, r.pluginName, r.pluginVersion, r.traceId, r.errorCode, r.errorDetail, r.leniencies, r.notes,
  );
}

export interface RequestLogRepository {
  /**
   * Writes entries in one transaction (never a request's own). With `trimTo`, the oldest rows
   * beyond that many are deleted in the same transaction.
   */
  insert(entries: readonly RequestRecord[], trimTo?: number): Promise<void>;
  /** Entries matching every given filter, newest first. */
  list(filter: RequestFilter): Promise<LoggedRequest[]>;
  /** Deletes entries of requests that arrived before `before`. Returns how many. */
  pruneBefore(before: number): Promise<number>;
}

export async function requestLogStore(store: Store): Promise<RequestLogRepository> {
  await store.applyMigrations(REQUEST_LOG_MODULE, REQUEST_LOG_MIGRATIONS);
  store.resetsTable(TABLE);

  const insertAll = async (sql: SqlTx, entries: readonly RequestRecord[]) => {
    let i = 0;
    for (const size of CHUNKS) {
      while (entries.length - i >= size) {
        const values: unknown[] = [];
        for (let k = 0; k < size; k++) pushValues(values, entries[i + k]!);
        await sql.execute(INSERTS.get(size)!, values);
        i += size;
      }
    }
  };

  return {
    insert(entries, trimTo) {
      return store.transaction(async (tx) => {
        await insertAll(tx.sql, entries);
        // The row `trimTo` places from the newest is the oldest kept. OFFSET walks the primary key only.
        if (trimTo !== undefined) {
          await tx.sql.execute(`DELETE FROM ${TABLE} WHERE id < (SELECT id FROM ${TABLE} ORDER BY id DESC LIMIT 1 OFFSET ?)`, [trimTo - 1]);
        }
      });
    },
    async list(filter) {
      const where: string[] = [];
      const values: unknown[] = [];
      for (const [column, value] of [
        ['reference', filter.reference],
        ['msn', filter.msn],
        ['trace_id', filter.traceId],
        ['idempotency_key', filter.idempotencyKey],
      ] as const) {
        if (value === undefined) continue;
        where.push(`${column} = ?`);
        values.push(value);
      }
      values.push(filter.limit);
      const rows = await store.sql.query<RequestRow>(
        `SELECT * FROM ${TABLE}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
        values,
      );
      return rows.map(toLogged);
    },
    pruneBefore(before) {
      return store.sql.execute(`DELETE FROM ${TABLE} WHERE at < ?`, [before]);
    },
  };
}
