// A pipelined batch of statements over PostgreSQL's extended query protocol, on a `pg` client (a
// pooled one too): every statement travels with bound parameters, the whole batch in one write and
// one round trip.
//
//   for each statement: Parse (only the first time its name is used on this connection), Bind,
//   Describe (portal), Execute; then ONE Sync.
//
// What the server does with it (https://www.postgresql.org/docs/current/protocol-flow.html):
// - Statements run in order. The first that fails (an ErrorResponse) makes the server skip every
//   later message up to the Sync. Inside an explicit transaction (a BEGIN earlier in this batch or a
//   previous one) the transaction is then aborted, and the caller must send ROLLBACK; the Sync does
//   not end an explicit transaction. BEGIN and COMMIT may travel in a batch like any statement.
// - Named statements stay prepared on the connection until it closes, whatever happens to the
//   transaction they were parsed in. A Parse that the server skipped (after an earlier failure) did
//   not prepare anything: a statement counts as parsed only once its ParseComplete has arrived.
//
// How it runs on `pg`: a Batch is a custom "Submittable" query (the mechanism of pg-cursor and
// pg-query-stream). client.query(batch) queues it like any query; when its turn comes, pg calls
// submit(connection), and routes the server's answers to the handle* methods until ReadyForQuery.
// Rows are parsed with the client's own type parsers (its `types` option), in text format.
import type pg from 'pg';

/** A bound value. jsonb columns take JSON text (JSON.stringify), bigint columns take numbers. */
export type Param = string | number | boolean | null;

export interface Statement {
  /** Name of the prepared statement on the connection: one name, one text. */
  name: string;
  text: string;
  values: readonly Param[];
}

export interface StatementResult<R = Record<string, unknown>> {
  /** The command tag's verb: SELECT, INSERT, BEGIN, COMMIT, ROLLBACK (a COMMIT of an aborted transaction), ... */
  command: string;
  /** Rows affected or returned, when the command tag says (null for BEGIN, COMMIT, ...). */
  rowCount: number | null;
  rows: R[];
}

/** The failure of one statement of a batch: the server's error (code, message, detail, ...) plus where it happened. */
export type PipelineError = Error & { code?: string; statementIndex?: number; statementName?: string };

type TypeParser = (value: string) => unknown;
type GetTypeParser = (oid: number, format?: 'text' | 'binary') => TypeParser;

/** The bits of pg's Connection a Batch uses (pg passes it to submit). */
interface WireConnection {
  stream: { cork?: () => void; uncork?: () => void };
  parse(msg: { name: string; text: string; types: number[] }): void;
  bind(msg: { portal: string; statement: string; values: Array<string | null>; binary: boolean }): void;
  describe(msg: { type: 'P' | 'S'; name: string }): void;
  execute(msg: { portal: string; rows: number }): void;
  sync(): void;
  sendCopyFail(message: string): void;
  on(event: 'parseComplete', listener: () => void): unknown;
  removeListener(event: 'parseComplete', listener: () => void): unknown;
}

/** Statements prepared on each connection: name → text (the server knows them until the connection closes). */
const parsedOn = new WeakMap<object, Map<string, string>>();

/** The texts of the statements a connection has prepared through pipelines (for tests and diagnostics). */
export function preparedStatements(client: pg.ClientBase): ReadonlyMap<string, string> {
  const connection = (client as unknown as { connection?: object }).connection;
  return (connection && parsedOn.get(connection)) ?? new Map();
}

/** A value as the text PostgreSQL parses for its parameter (all parameters travel in text format). */
function toWire(value: Param, at: string): string | null {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${at}: not a storable number: ${value}`);
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      throw new TypeError(`${at}: unsupported parameter type ${typeof value} (bind jsonb as JSON text)`);
  }
}

const COMMAND_TAG = /^([A-Za-z]+)(?: (\d+))?(?: (\d+))?/;

class Batch {
  /** The results so far, one per completed statement. */
  private readonly results: StatementResult[] = [];
  private current: StatementResult = { command: '', rowCount: null, rows: [] };
  private parsers: TypeParser[] = [];
  private names: string[] = [];
  /** Statements whose Parse this batch sent, in order: each ParseComplete confirms the first one left. */
  private readonly awaitingParse: Array<[string, string]> = [];
  private parsed?: Map<string, string>;
  private connection?: WireConnection;
  /** A row that could not be parsed: reported once the server is done with the batch. */
  private rowError?: Error;
  private settled = false;
  private readonly onParseComplete = () => {
    const next = this.awaitingParse.shift();
    if (next) this.parsed!.set(next[0], next[1]);
  };

  constructor(
    private readonly statements: readonly Statement[],
    private readonly wireValues: ReadonlyArray<Array<string | null>>,
    private readonly getTypeParser: GetTypeParser,
    private readonly resolve: (results: StatementResult[]) => void,
    private readonly reject: (err: PipelineError) => void,
  ) {}

  /** Called by pg when the batch's turn comes: writes every message, then one Sync, in one write. */
  submit(connection: WireConnection): Error | null {
    let parsed = parsedOn.get(connection);
    if (!parsed) parsedOn.set(connection, (parsed = new Map()));
    const toParse = new Set<string>();
    for (const s of this.statements) {
      const known = parsed.get(s.name);
      if (known !== undefined && known !== s.text) return new Error(`prepared statement "${s.name}" is already prepared with another text`);
      if (known === undefined && !toParse.has(s.name)) {
        const other = this.statements.find((t) => t.name === s.name && t.text !== s.text);
        if (other) return new Error(`prepared statement "${s.name}" is given two texts in one batch`);
        toParse.add(s.name);
      }
    }
    this.parsed = parsed;
    this.connection = connection;
    connection.on('parseComplete', this.onParseComplete);
    connection.stream.cork?.();
    try {
      this.statements.forEach((s, i) => {
        if (toParse.delete(s.name)) {
          connection.parse({ name: s.name, text: s.text, types: [] });
          this.awaitingParse.push([s.name, s.text]);
        }
        connection.bind({ portal: '', statement: s.name, values: this.wireValues[i]!, binary: false });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '', rows: 0 });
      });
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  handleRowDescription(msg: { fields: Array<{ name: string; dataTypeID: number; format: 'text' | 'binary' }> }): void {
    this.names = msg.fields.map((f) => f.name);
    this.parsers = msg.fields.map((f) => this.getTypeParser(f.dataTypeID, f.format));
  }

  handleDataRow(msg: { fields: Array<string | null> }): void {
    if (this.rowError) return;
    const row: Record<string, unknown> = {};
    try {
      for (let i = 0; i < msg.fields.length; i++) {
        const raw = msg.fields[i];
        row[this.names[i]!] = raw === null || raw === undefined ? null : this.parsers[i]!(raw);
      }
    } catch (err) {
      this.rowError = err as Error;
      return;
    }
    this.current.rows.push(row);
  }

  handleCommandComplete(msg: { text: string }): void {
    const match = COMMAND_TAG.exec(msg.text);
    this.current.command = match?.[1] ?? msg.text;
    const count = match?.[3] ?? match?.[2];
    if (count !== undefined) this.current.rowCount = Number(count);
    this.next();
  }

  /** An empty statement text: the server answers EmptyQueryResponse instead of CommandComplete. */
  handleEmptyQuery(): void {
    this.next();
  }

  handlePortalSuspended(): void {
    // Execute asks for all rows (0 = no limit): a portal is never suspended.
  }

  handleCopyInResponse(connection: WireConnection): void {
    connection.sendCopyFail('COPY FROM STDIN is not supported in a pipelined batch');
  }

  handleCopyData(): void {
    // nothing: COPY TO STDOUT rows are not collected
  }

  /**
   * The server's ErrorResponse for the first failing statement (it skips the rest up to the Sync), or
   * the connection's failure. pg forgets the query after an ErrorResponse, so this settles the batch;
   * the ReadyForQuery that follows goes to the next query.
   */
  handleError(err: PipelineError): void {
    if (this.statements[this.results.length] && (err as { severity?: string }).severity !== undefined) {
      err.statementIndex = this.results.length;
      err.statementName = this.statements[this.results.length]!.name;
    }
    this.settle(err);
  }

  handleReadyForQuery(): void {
    if (this.rowError) return this.settle(this.rowError);
    if (this.results.length !== this.statements.length) {
      return this.settle(new Error(`pipelined batch ended after ${this.results.length} of ${this.statements.length} statements`));
    }
    this.settle(undefined);
  }

  private next(): void {
    this.results.push(this.current);
    this.current = { command: '', rowCount: null, rows: [] };
    this.names = [];
    this.parsers = [];
  }

  private settle(err: PipelineError | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.connection?.removeListener('parseComplete', this.onParseComplete);
    if (err) this.reject(err);
    else this.resolve(this.results);
  }
}

/**
 * Runs `statements` in one round trip on `client` (which must not be used by anyone else meanwhile:
 * take it from the pool for the whole unit of work). Resolves with one result per statement, in
 * order; rejects with the first failure (the server's error, with `code` and `statementIndex`),
 * after which nothing later in the batch has run. An empty batch sends nothing.
 */
export function runPipeline<R = Record<string, unknown>>(client: pg.ClientBase, statements: readonly Statement[]): Promise<Array<StatementResult<R>>> {
  if (statements.length === 0) return Promise.resolve([]);
  // Every value is converted before anything is queued: a bad value fails the batch without sending a byte.
  let wire: Array<Array<string | null>>;
  try {
    wire = statements.map((s, i) => s.values.map((v, j) => toWire(v, `statement ${i} (${s.name}), $${j + 1}`)));
  } catch (err) {
    return Promise.reject(err);
  }
  const getTypeParser = (client as unknown as { getTypeParser: GetTypeParser }).getTypeParser.bind(client);
  return new Promise((resolve, reject) => {
    const batch = new Batch(statements, wire, getTypeParser, resolve as (r: StatementResult[]) => void, reject);
    client.query(batch as unknown as pg.Submittable);
  });
}
