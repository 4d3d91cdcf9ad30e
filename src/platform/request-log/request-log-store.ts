// The request log's table and repository. Created by this module's own migrations, emptied by
// reset, queried in the dialect-neutral SQL of store.ts on either store.
//
// One row per written batch, not per request: `request_log` holds each batch's entries as one JSON
// array (each entry an array in the order of ENTRY_FIELDS, oldest first), with the batch's first
// and last arrival time and its number of entries. Measured on create-payment (docs/decisions.md,
// "Request log"): a row per request cost ~8% of the requests/s, mostly SQLite's per-row work and
// the pages it writes; a row per batch costs ~2%. The view `request_log_entries` shows one row per
// request with named columns, for whoever reads the database directly.
//
// Reads go newest batch first and stop at `limit`. A filter's JSON text is matched with LIKE first
// (cheap, and a superset: SQLite's LIKE ignores ASCII case), then exactly on the parsed entries. No
// index: the filters are random-looking values, and the table is bounded (trimTo), which bounds a scan.
//
// Bodies (migration 2) are in a column of their own, `bodies`: a JSON array parallel to `entries`
// (each element null or [request body, response body]), deflated and in base64, NULL when no entry
// of the row has one. A filter's LIKE never reads them, and a listing reads them only for the rows it
// takes entries from. Compressed because writing them whole cost ~10% of create-payment's
// requests/s, nearly all of it the store's per-byte work (docs/decisions.md "Request log").
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Leniency } from '../../faces/lenient/leniency.ts';
import type { ModuleMigration, Store } from '../../store/store.ts';

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
  /** Remarks on the request that are neither errors nor leniencies (a system header longer than documented, a body cut). */
  notes: string[] | null;
  /** The request's body as sent (JSON or form text), at most 8 KiB, secrets redacted (bodies.ts); null when none. */
  requestBody: string | null;
  /** The response's body, likewise; an access token answer only as token_type and expires_in. */
  responseBody: string | null;
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
  /** Read the bodies too (default true); the go-live check needs none. */
  bodies?: boolean;
}

export const REQUEST_LOG_MODULE = 'request-log';
const TABLE = 'request_log';
/** Most entries in one row; their ids are `row id × 1000 + position`. */
export const MAX_ENTRIES_PER_ROW = 1000;

/**
 * The order of an entry's values in its JSON array (and the view's columns). What most entries lack
 * comes last, and trailing nulls are left out: a successful create without system headers is ~40%
 * shorter, and the view reads a missing value as NULL.
 */
export const ENTRY_FIELDS = [
  'at', 'method', 'path', 'route', 'api', 'status', 'latency_ms', 'client_id', 'msn', 'reference', 'idempotency_key',
  'system_name', 'system_version', 'plugin_name', 'plugin_version', 'leniencies', 'notes', 'trace_id', 'error_code', 'error_detail',
] as const;

const view = (dialect: 'sqlite' | 'postgres') => {
  const cast: Record<string, string> = dialect === 'postgres' ? { at: 'bigint', status: 'integer', latency_ms: 'double precision' } : {};
  const columns = ENTRY_FIELDS.map((name, i) => (cast[name] ? `(e.value ->> ${i})::${cast[name]} AS ${name}` : `e.value ->> ${i} AS ${name}`));
  return dialect === 'postgres'
    ? `CREATE VIEW request_log_entries AS SELECT c.id * ${MAX_ENTRIES_PER_ROW} + e.n - 1 AS id, ${columns.join(', ')}
       FROM ${TABLE} AS c, json_array_elements(c.entries::json) WITH ORDINALITY AS e(value, n)`
    : `CREATE VIEW request_log_entries AS SELECT c.id * ${MAX_ENTRIES_PER_ROW} + e.key AS id, ${columns.join(', ')}
       FROM ${TABLE} AS c, json_each(c.entries) AS e`;
};

export const REQUEST_LOG_MIGRATIONS: readonly ModuleMigration[] = [
  {
    version: 1,
    sqlite: `CREATE TABLE ${TABLE} (
      id INTEGER PRIMARY KEY,
      first_at INTEGER NOT NULL,
      last_at INTEGER NOT NULL,
      entry_count INTEGER NOT NULL,
      entries TEXT NOT NULL
    );
    ${view('sqlite')}`,
    // text, not jsonb: stored as written (no parse on insert), and LIKE sees the same text on both stores.
    postgres: `CREATE TABLE ${TABLE} (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      first_at bigint NOT NULL,
      last_at bigint NOT NULL,
      entry_count integer NOT NULL,
      entries text NOT NULL
    );
    ${view('postgres')}`,
  },
  {
    version: 2,
    // Compressed (see bodiesOf), so not in the view request_log_entries.
    sqlite: `ALTER TABLE ${TABLE} ADD COLUMN bodies TEXT`,
    postgres: `ALTER TABLE ${TABLE} ADD COLUMN bodies text`,
  },
];

type EntryArray = [
  at: number, method: string, path: string, route: string | null, api: string, status: number, latencyMs: number,
  clientId: string | null, msn: string | null, reference: string | null, idempotencyKey: string | null,
  systemName: string | null, systemVersion: string | null, pluginName: string | null, pluginVersion: string | null,
  leniencies: Leniency[] | null, notes: string[] | null, traceId: string | null, errorCode: string | null, errorDetail: string | null,
];

function toArray(r: RequestRecord): unknown[] {
  const a: unknown[] = [
    r.at, r.method, r.path, r.route, r.api, r.status, r.latencyMs, r.clientId, r.msn, r.reference, r.idempotencyKey,
    r.systemName, r.systemVersion, r.pluginName, r.pluginVersion, r.leniencies, r.notes, r.traceId, r.errorCode, r.errorDetail,
  ];
  let n = a.length;
  while (a[n - 1] === null) n--;
  a.length = n;
  return a;
}

/** An entry as stored: trailing nulls may be missing. Bodies come from their own column. */
const fromArray = (a: Partial<EntryArray>, id: number, bodies: readonly [string | null, string | null] | null | undefined): LoggedRequest => ({
  id,
  at: a[0]!, method: a[1]!, path: a[2]!, route: a[3] ?? null, api: a[4]!, status: a[5]!, latencyMs: a[6]!, clientId: a[7] ?? null,
  msn: a[8] ?? null, reference: a[9] ?? null, idempotencyKey: a[10] ?? null, systemName: a[11] ?? null, systemVersion: a[12] ?? null,
  pluginName: a[13] ?? null, pluginVersion: a[14] ?? null, leniencies: a[15] ?? null, notes: a[16] ?? null, traceId: a[17] ?? null,
  errorCode: a[18] ?? null, errorDetail: a[19] ?? null, requestBody: bodies?.[0] ?? null, responseBody: bodies?.[1] ?? null,
});

type BodiesArray = Array<[string | null, string | null] | null>;

/** A row's bodies column: the JSON array deflated (fastest level: a batch's bodies repeat each other's keys and URLs), in base64; null when no entry has a body. */
function bodiesOf(part: readonly RequestRecord[]): string | null {
  let any = false;
  const out: BodiesArray = part.map((e) => {
    if (e.requestBody === null && e.responseBody === null) return null;
    any = true;
    return [e.requestBody, e.responseBody];
  });
  return any ? deflateRawSync(JSON.stringify(out), { level: 1 }).toString('base64') : null;
}

/** The filters, by the position of their value in an entry. */
const FILTERS = [
  ['reference', 9],
  ['msn', 8],
  ['traceId', 17],
  ['idempotencyKey', 10],
] as const;

/** `%<the value as JSON>%` for LIKE ... ESCAPE '\\'. */
const containing = (value: string) => `%${JSON.stringify(value).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Rows read per query while listing (newest first). */
const PAGE = 20;

export interface RequestLogRepository {
  /**
   * Writes entries in one transaction of their own (never a request's), in rows of at most
   * MAX_ENTRIES_PER_ROW. With `trimTo`, the oldest rows are deleted until at most that many entries
   * remain (whole rows: up to MAX_ENTRIES_PER_ROW fewer may remain).
   */
  insert(entries: readonly RequestRecord[], trimTo?: number): Promise<void>;
  /** Entries matching every given filter, newest first. */
  list(filter: RequestFilter): Promise<LoggedRequest[]>;
  /** Deletes the rows whose entries all arrived before `before`. Returns how many entries went. */
  pruneBefore(before: number): Promise<number>;
}

export async function requestLogStore(store: Store): Promise<RequestLogRepository> {
  await store.applyMigrations(REQUEST_LOG_MODULE, REQUEST_LOG_MIGRATIONS);
  store.resetsTable(TABLE);

  return {
    insert(entries, trimTo) {
      return store.transaction(async (tx) => {
        for (let i = 0; i < entries.length; i += MAX_ENTRIES_PER_ROW) {
          const part = entries.slice(i, i + MAX_ENTRIES_PER_ROW);
          let first = part[0]!.at;
          let last = first;
          for (const e of part) {
            if (e.at < first) first = e.at;
            if (e.at > last) last = e.at;
          }
          await tx.sql.execute(`INSERT INTO ${TABLE} (first_at, last_at, entry_count, entries, bodies) VALUES (?, ?, ?, ?, ?)`, [
            first, last, part.length, JSON.stringify(part.map(toArray)), bodiesOf(part),
          ]);
        }
        if (trimTo !== undefined) {
          // The oldest row kept is the oldest whose entries, counted from the newest row, still fit.
          await tx.sql.execute(
            `DELETE FROM ${TABLE} WHERE id < (SELECT min(id) FROM (SELECT id, SUM(entry_count) OVER (ORDER BY id DESC) AS newer FROM ${TABLE}) AS counted WHERE newer <= ?)`,
            [trimTo],
          );
        }
      });
    },
    async list(filter) {
      const wanted = FILTERS.filter(([name]) => filter[name] !== undefined).map(([name, at]) => [filter[name]!, at] as const);
      const like = wanted.map(() => ` AND entries LIKE ? ESCAPE '\\'`).join('');
      const patterns = wanted.map(([value]) => containing(value));
      const found: LoggedRequest[] = [];
      const withBodies = filter.bodies !== false;
      let below = Number.MAX_SAFE_INTEGER;
      while (found.length < filter.limit) {
        const rows = await store.sql.query<{ id: number; entries: string }>(
          `SELECT id, entries FROM ${TABLE} WHERE id < ?${like} ORDER BY id DESC LIMIT ${PAGE}`,
          [below, ...patterns],
        );
        for (const row of rows) {
          const list = JSON.parse(row.entries) as Partial<EntryArray>[];
          const taken: Array<[entry: Partial<EntryArray>, index: number]> = [];
          for (let i = list.length - 1; i >= 0 && found.length + taken.length < filter.limit; i--) {
            const e = list[i]!;
            if (wanted.every(([value, at]) => e[at] === value)) taken.push([e, i]);
          }
          if (taken.length === 0) continue;
          // The row's bodies, read only when entries were taken from it (and wanted).
          let bodies: BodiesArray | null = null;
          if (withBodies) {
            const [b] = await store.sql.query<{ bodies: string | null }>(`SELECT bodies FROM ${TABLE} WHERE id = ?`, [row.id]);
            bodies = b?.bodies ? (JSON.parse(inflateRawSync(Buffer.from(b.bodies, 'base64')).toString('utf8')) as BodiesArray) : null;
          }
          for (const [e, i] of taken) found.push(fromArray(e, Number(row.id) * MAX_ENTRIES_PER_ROW + i, bodies?.[i]));
        }
        if (rows.length < PAGE) break;
        below = Number(rows[rows.length - 1]!.id);
      }
      return found;
    },
    async pruneBefore(before) {
      const gone = await store.sql.query<{ entry_count: number }>(`DELETE FROM ${TABLE} WHERE last_at < ? RETURNING entry_count`, [before]);
      return gone.reduce((n, r) => n + Number(r.entry_count), 0);
    },
  };
}
