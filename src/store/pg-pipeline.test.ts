// The pipelined batch (pg-pipeline.ts) on a real PostgreSQL server: one round trip per batch, bound
// parameters of every type the store uses, statements prepared once per connection, and what a
// failure in the middle or a broken connection leaves behind.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, dropTestDatabase, withClient } from '../../test-support/postgres.ts';
import { preparedStatements, runPipeline, type PipelineError, type Statement } from './pg-pipeline.ts';

const INT8_OID = 20;
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

const st = (name: string, text: string, ...values: Statement['values']): Statement => ({ name, text, values });
const BEGIN = st('t_begin', 'BEGIN');
const COMMIT = st('t_commit', 'COMMIT');
const INSERT = (id: string, n: number) => st('t_insert', 'INSERT INTO items (id, n) VALUES ($1, $2)', id, n);

/** Counts what the client sends and receives: Parse messages, and ReadyForQuery (one per round trip). */
function spy(client: pg.ClientBase) {
  const connection = (client as unknown as { connection: pg.Connection & { parse(msg: { name: string }): void } }).connection;
  const counts = { parses: [] as string[], roundTrips: 0 };
  const parse = connection.parse.bind(connection);
  connection.parse = (msg: { name: string }) => {
    counts.parses.push(msg.name);
    (parse as (m: unknown) => void)(msg);
  };
  connection.on('readyForQuery', () => counts.roundTrips++);
  return counts;
}

describe('pipelined batches', () => {
  let url: string;
  let pool: pg.Pool;
  let client: pg.PoolClient;
  const clientErrors: Error[] = [];

  before(async () => {
    url = await createTestDatabase('vipps_pipeline');
    await withClient(url, (c) =>
      c.query(`
        CREATE TABLE items (id text PRIMARY KEY, n bigint, flag boolean, doc jsonb, note text);
        CREATE SEQUENCE ticks;`),
    );
    pool = new pg.Pool({ connectionString: url, max: 4, types });
    pool.on('error', () => undefined);
  });
  after(async () => {
    await pool.end();
    await dropTestDatabase(url);
  });
  beforeEach(async () => {
    await withClient(url, (c) => c.query('TRUNCATE items'));
    client = await pool.connect();
    clientErrors.length = 0;
    client.on('error', (err) => clientErrors.push(err));
  });
  afterEach(() => {
    client.removeAllListeners('error');
    client.release(true); // a fresh connection per test: nothing prepared yet
  });

  it('runs a batch in one round trip and returns each statement\'s rows and command', async () => {
    const counts = spy(client);
    const results = await runPipeline(client, [
      BEGIN,
      INSERT('a', 1),
      INSERT('b', 2),
      st('t_update', 'UPDATE items SET n = n + $1 WHERE id = ANY(string_to_array($2, \',\'))', 10, 'a,b'),
      st('t_select', 'SELECT id, n FROM items ORDER BY id'),
      COMMIT,
    ]);
    assert.equal(counts.roundTrips, 1);
    assert.deepEqual(
      results.map((r) => [r.command, r.rowCount]),
      [['BEGIN', null], ['INSERT', 1], ['INSERT', 1], ['UPDATE', 2], ['SELECT', 2], ['COMMIT', null]],
    );
    assert.deepEqual(results[4]!.rows, [{ id: 'a', n: 11 }, { id: 'b', n: 12 }]);
    assert.deepEqual(results[1]!.rows, []);
  });

  it('binds every parameter type the store uses, and values never become SQL', async () => {
    const nasty = "it's \\ a \"quote\"; DROP TABLE items; -- æøå 🙂 $1";
    const doc = { customerPhone: '4712345678', amount: { value: 65_000_000, currency: 'NOK' }, note: nasty, list: [1, null, true] };
    const insert = st(
      't_insert_all',
      'INSERT INTO items (id, n, flag, doc, note) VALUES ($1, $2, $3, $4, $5) RETURNING n, flag, doc, note',
      nasty,
      4_102_444_800_000,
      true,
      JSON.stringify(doc),
      null,
    );
    const [inserted] = await runPipeline(client, [insert]);
    assert.deepEqual(inserted!.rows, [{ n: 4_102_444_800_000, flag: true, doc, note: null }]);
    const [read] = await runPipeline(client, [
      st('t_read_all', 'SELECT id, n, flag, doc->>\'note\' AS note FROM items WHERE id = $1 AND flag = $2 AND n = $3 AND note IS NULL', nasty, true, 4_102_444_800_000),
    ]);
    assert.deepEqual(read!.rows, [{ id: nasty, n: 4_102_444_800_000, flag: true, note: nasty }]);
    const [none] = await runPipeline(client, [st('t_flag', 'SELECT count(*) AS c FROM items WHERE flag = $1', false)]);
    assert.deepEqual(none!.rows, [{ c: 0 }]);
  });

  it('refuses a value it cannot bind before sending anything', async () => {
    const counts = spy(client);
    await assert.rejects(runPipeline(client, [INSERT('x', Number.NaN)]), /not a storable number/);
    await assert.rejects(runPipeline(client, [st('t_obj', 'SELECT $1::jsonb', { a: 1 } as unknown as string)]), /bind jsonb as JSON text/);
    assert.equal(counts.roundTrips, 0);
    assert.deepEqual(counts.parses, []);
  });

  it('a failure in the middle: later statements do not run, the transaction is aborted, the error surfaces, and the connection works after ROLLBACK', async () => {
    const counts = spy(client);
    const [ticks] = await runPipeline<{ v: number }>(client, [st('t_tick', 'SELECT last_value AS v FROM ticks')]);
    const before = ticks!.rows[0];
    await assert.rejects(
      runPipeline(client, [
        BEGIN,
        INSERT('a', 1),
        st('t_fail', 'SELECT 1 / $1::int AS x', 0),
        st('t_next', "SELECT nextval('ticks')"),
        INSERT('b', 2),
        COMMIT,
      ]),
      (err: PipelineError) => err.code === '22012' && err.statementIndex === 2 && err.statementName === 't_fail',
    );
    // The server is waiting for ROLLBACK: anything else fails as "current transaction is aborted".
    await assert.rejects(runPipeline(client, [st('t_select', 'SELECT id, n FROM items ORDER BY id')]), (err: PipelineError) => err.code === '25P02');
    const [rollback] = await runPipeline(client, [st('t_rollback', 'ROLLBACK')]);
    assert.equal(rollback!.command, 'ROLLBACK');
    const [after, items] = await runPipeline<{ v: number }>(client, [st('t_tick', 'SELECT last_value AS v FROM ticks'), st('t_select', 'SELECT id, n FROM items ORDER BY id')]);
    assert.deepEqual(after!.rows, [before], 'a statement after the failing one ran');
    assert.deepEqual(items!.rows, [], 'a write of the aborted transaction stayed');
    assert.equal(counts.roundTrips, 5);
    assert.deepEqual(clientErrors, []);
  });

  it('without BEGIN, a batch is one implicit transaction: a failure takes the earlier statements of the batch with it', async () => {
    await assert.rejects(runPipeline(client, [INSERT('a', 1), INSERT('a', 2)]), (err: PipelineError) => err.code === '23505' && err.statementIndex === 1);
    const [items] = await runPipeline(client, [st('t_select', 'SELECT id FROM items')]);
    assert.deepEqual(items!.rows, []);
  });

  it('parses a statement once per connection, also across failures; a skipped or failed Parse is sent again', async () => {
    const counts = spy(client);
    await runPipeline(client, [BEGIN, INSERT('a', 1), INSERT('b', 2), COMMIT]);
    assert.deepEqual(counts.parses, ['t_begin', 't_insert', 't_commit']);
    await runPipeline(client, [BEGIN, INSERT('c', 3), COMMIT]);
    assert.deepEqual(counts.parses, ['t_begin', 't_insert', 't_commit'], 'parsed again');

    // t_late is after the failure: its Parse is skipped by the server, so it is not prepared.
    // t_dup is parsed, then fails in Execute: it stays prepared (prepared statements outlive the transaction).
    counts.parses.length = 0;
    await assert.rejects(
      runPipeline(client, [BEGIN, st('t_dup', 'INSERT INTO items (id) VALUES ($1)', 'a'), st('t_late', 'SELECT $1::int AS v', 7), COMMIT]),
      (err: PipelineError) => err.code === '23505',
    );
    await runPipeline(client, [st('t_rollback', 'ROLLBACK')]);
    assert.deepEqual(counts.parses, ['t_dup', 't_late', 't_rollback']);
    assert.deepEqual([...preparedStatements(client).keys()].sort(), ['t_begin', 't_commit', 't_dup', 't_insert', 't_rollback']);

    counts.parses.length = 0;
    const [late, dup] = await runPipeline(client, [st('t_late', 'SELECT $1::int AS v', 7), st('t_dup', 'INSERT INTO items (id) VALUES ($1)', 'z')]);
    assert.deepEqual(late!.rows, [{ v: 7 }]);
    assert.equal(dup!.rowCount, 1);
    assert.deepEqual(counts.parses, ['t_late']);

    // A Parse that fails (a syntax error) prepares nothing: fixing nothing, it fails the same way again.
    for (let i = 0; i < 2; i++) {
      await assert.rejects(runPipeline(client, [st('t_bad', 'SELEC 1')]), (err: PipelineError) => err.code === '42601' && err.statementIndex === 0);
    }
    const { rows } = await client.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name');
    assert.deepEqual(rows.map((r) => r.name), ['t_begin', 't_commit', 't_dup', 't_insert', 't_late', 't_rollback']);
  });

  it('refuses one name with two texts on a connection', async () => {
    await runPipeline(client, [st('t_same', 'SELECT 1 AS v')]);
    await assert.rejects(runPipeline(client, [st('t_same', 'SELECT 2 AS v')]), /already prepared with another text/);
    await assert.rejects(runPipeline(client, [st('t_two', 'SELECT 1 AS v'), st('t_two', 'SELECT 2 AS v')]), /two texts in one batch/);
    const [r] = await runPipeline(client, [st('t_same', 'SELECT 1 AS v')]);
    assert.deepEqual(r!.rows, [{ v: 1 }]);
  });

  it('an empty batch sends nothing and returns no results', async () => {
    const counts = spy(client);
    assert.deepEqual(await runPipeline(client, []), []);
    assert.equal(counts.roundTrips, 0);
  });

  it('a large batch (5,000 statements, 1 MB of parameters) is still one round trip', async () => {
    const counts = spy(client);
    const note = 'x'.repeat(200);
    const statements = [
      BEGIN,
      ...Array.from({ length: 5_000 }, (_, i) => st('t_insert_note', 'INSERT INTO items (id, n, note) VALUES ($1, $2, $3)', `k${i}`, i, note)),
      st('t_sum', 'SELECT count(*) AS c, sum(n)::bigint AS s, sum(length(note))::int AS l FROM items'),
      COMMIT,
    ];
    const results = await runPipeline<{ c: number; s: number; l: number }>(client, statements);
    assert.equal(results.length, statements.length);
    assert.deepEqual(results.at(-2)!.rows, [{ c: 5_000, s: (4_999 * 5_000) / 2, l: 5_000 * 200 }]);
    assert.equal(counts.roundTrips, 1);
    assert.deepEqual(counts.parses, ['t_begin', 't_insert_note', 't_sum', 't_commit']);
  });

  it('batches queued on one client run one after another, in order', async () => {
    const [a, b] = await Promise.all([
      runPipeline(client, [BEGIN, INSERT('a', 1)]),
      runPipeline(client, [st('t_select', 'SELECT id FROM items'), COMMIT]),
    ]);
    assert.equal(a.length, 2);
    assert.deepEqual(b[0]!.rows, [{ id: 'a' }]);
  });

  it('a connection killed mid-batch: the batch fails, the client is unusable, and the pool replaces it', async () => {
    const pid = (await runPipeline<{ pid: number }>(client, [st('t_pid', 'SELECT pg_backend_pid() AS pid')]))[0]!.rows[0]!.pid;
    const batch = runPipeline(client, [BEGIN, INSERT('a', 1), st('t_sleep', 'SELECT pg_sleep($1)', 5), INSERT('b', 2), COMMIT]);
    setTimeout(() => void withClient(url, (c) => c.query('SELECT pg_terminate_backend($1)', [pid])), 200);
    const started = Date.now();
    await assert.rejects(batch, (err: PipelineError) => err.code === '57P01' && err.statementIndex === 2);
    assert.ok(Date.now() - started < 4_000);
    await assert.rejects(runPipeline(client, [st('t_select', 'SELECT 1')]), /not queryable|terminated/);
    assert.ok(clientErrors.length >= 1, 'the client reports its broken connection');
    // afterEach releases it with an error: the pool discards it and opens a fresh connection.
    const other = await pool.connect();
    try {
      const [items] = await runPipeline(other, [st('t_select', 'SELECT id FROM items')]);
      assert.deepEqual(items!.rows, [], 'the killed transaction committed something');
    } finally {
      other.release();
    }
  });

  it('a socket that fails mid-batch rejects the batch with the socket error', async () => {
    const batch = runPipeline(client, [BEGIN, st('t_sleep', 'SELECT pg_sleep($1)', 5), COMMIT]);
    setTimeout(() => (client as unknown as { connection: pg.Connection }).connection.stream.destroy(new Error('cable cut')), 100);
    await assert.rejects(batch, /cable cut/);
    await assert.rejects(runPipeline(client, [st('t_select', 'SELECT 1')]), /not queryable/);
  });
});
