// npm run bench: autocannon against vipps-local and against a bare Fastify route with the same
// request validation (the framework's ceiling). Each server runs in its own child process, so the
// load generator (this process) and the server under test do not share a CPU.
// Every vipps-local scenario runs on both stores, side by side: SQLite (a fresh temporary file) and
// PostgreSQL (a fresh database on a cluster the bench starts with PostgreSQL's durable defaults, or on
// the server named by BENCH_PG_URL).
// BENCH_DURATION=3 for a quick run; BENCH_WARMUP=<s> sets the warm-up (default 10 s, at most the
// duration); BENCH_CPU_PROF=<dir> writes a CPU profile of each server process; BENCH_STORES=sqlite or
// =postgres measures one store only.
import autocannon from 'autocannon';
import { readdirSync, readFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { runWebhookBench, webhookFlowsPerSecond } from './webhooks.ts';
import { postgresAvailable, startPostgresCluster, withClient, withDatabase, type PostgresCluster } from '../test-support/postgres.ts';
import { fixed } from './format.ts';
import { processCpuSeconds } from './process-cpu.ts';
import { positive, spawnServer, type Server } from './server-child.ts';
import { AMOUNT, CREATE_PATH, createBody, createRequest, jsonHeaders, merchantHeaders, nextReference, RUN_ID, type Headers } from './requests.ts';

const DURATION = positive(process.env.BENCH_DURATION, 10);
// A fresh server is slower for its first seconds under load: per-second counts of create-payment
// on SQLite read about 1.5k and 4.4k in the first two seconds, then ~6-7k, creeping up to ~7-8.5k
// after about 10 s (JIT, the WAL file's first growth). The figures and ratios are of the steady
// state after the warm-up; the warm-up's own rate is printed next to them.
const WARMUP = Math.min(positive(process.env.BENCH_WARMUP, 10), DURATION);
/** The webhook scenarios run at a fixed, light rate, where a short warm-up is enough. */
const WEBHOOK_WARMUP = Math.min(3, WARMUP);
const CONNECTIONS = 10;
const PRECREATED = 1000;
const AIMS = { create: 0.35, get: 0.6 };

type Mode = 'vipps' | 'bare';

interface Row {
  name: string;
  /** Requests/s of the warm-up run (not counted in the other figures). */
  warmupRps: number;
  /** Which store the server ran on ('' for the bare route). */
  store: string;
  rps: number;
  p50: number;
  p99: number;
  responses: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  firstFailure?: string;
  flowsPerSecond?: number;
  /** Share of one core used during the measured run by the server process and by this process. */
  serverCpu: number;
  /** Share of one core used by the PostgreSQL server processes (NaN for SQLite, which runs inside the server). */
  dbCpu: number;
  benchCpu: number;
}

const is2xx = (status: number) => status >= 200 && status < 300;

// ---- requests --------------------------------------------------------------------------------

/** GET /epayment/v1/payments/{reference}, cycling through existing payments. */
function getRequest(headers: Headers, references: string[]): autocannon.Request {
  let i = 0;
  return {
    method: 'GET',
    setupRequest: (req) => ({ ...req, headers, path: `${CREATE_PATH}/${references[i++ % references.length]}` }),
  };
}

/** Create → force approve → capture; the reference travels in the context from the create response. */
function flowRequests(headers: Headers, flowDone: () => void): autocannon.Request[] {
  const reference = (context: autocannon.Context) => (typeof context.reference === 'string' ? context.reference : undefined);
  return [
    {
      ...createRequest(headers),
      onResponse: (status, body, context) => {
        if (status === 201) context.reference = (JSON.parse(body) as { reference: string }).reference;
      },
    },
    {
      method: 'POST',
      setupRequest: (req, context) => {
        const ref = reference(context);
        return ref ? { ...req, path: `/epayment/v1/test/payments/${ref}/approve`, headers: jsonHeaders(headers, false), body: '{}' } : null;
      },
    },
    {
      method: 'POST',
      setupRequest: (req, context) => {
        const ref = reference(context);
        const body = JSON.stringify({ modificationAmount: { currency: 'NOK', value: AMOUNT } });
        return ref ? { ...req, path: `${CREATE_PATH}/${ref}/capture`, headers: jsonHeaders(headers, true), body } : null;
      },
      onResponse: (status) => {
        if (is2xx(status)) flowDone();
      },
    },
  ];
}

async function precreate(url: string, headers: Headers, count: number): Promise<string[]> {
  const references: string[] = [];
  const createOne = async () => {
    const reference = nextReference();
    const res = await fetch(url + CREATE_PATH, { method: 'POST', headers: jsonHeaders(headers, true), body: createBody(reference) });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`pre-creating payments: ${res.status} ${text}`);
    references.push(reference);
  };
  while (references.length < count) {
    await Promise.all(Array.from({ length: Math.min(25, count - references.length) }, createOne));
  }
  return references;
}

// ---- measuring -------------------------------------------------------------------------------

function percentile(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

// ---- stores ----------------------------------------------------------------------------------

interface BenchStore {
  name: 'SQLite' | 'PostgreSQL';
  /** A fresh, empty database for one scenario; undefined: the server makes a temporary SQLite file. */
  database(): Promise<string | undefined>;
  /** CPU seconds the database server has used so far (NaN when it is not measured). */
  cpuSeconds(): number;
}

const sqliteStore: BenchStore = { name: 'SQLite', database: async () => undefined, cpuSeconds: () => NaN };

/** CPU seconds of a PostgreSQL cluster: the postmaster and every process it started. */
function clusterCpuSeconds(cluster: PostgresCluster): number {
  let postmaster: number;
  try {
    postmaster = Number(readFileSync(`${cluster.dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  } catch {
    return NaN;
  }
  let total = processCpuSeconds(postmaster);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(fields[1]) === postmaster) total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

/** PostgreSQL for the bench: BENCH_PG_URL, or a private cluster with the durable defaults (fsync, synchronous_commit on). */
async function postgresStore(): Promise<{ store: BenchStore; describe: string; stop(): void } | { skipped: string }> {
  let serverUrl = process.env.BENCH_PG_URL;
  let cluster: PostgresCluster | undefined;
  if (!serverUrl) {
    if (!postgresAvailable()) return { skipped: 'PostgreSQL server binaries not found (install postgresql-15, or set BENCH_PG_URL)' };
    cluster = await startPostgresCluster({ durable: true, maxConnections: 100 });
    serverUrl = cluster.url;
    const stop = () => cluster?.stop();
    process.once('exit', stop);
  }
  let n = 0;
  const store: BenchStore = {
    name: 'PostgreSQL',
    async database() {
      const name = `vipps_bench_${RUN_ID}_${++n}`;
      await withClient(serverUrl!, (c) => c.query(`CREATE DATABASE ${name}`));
      return withDatabase(serverUrl!, name);
    },
    cpuSeconds: () => (cluster ? clusterCpuSeconds(cluster) : NaN),
  };
  const version = await withClient(serverUrl, async (client) => {
    const { rows } = await client.query<{ v: string; fsync: string; sc: string }>(
      "SELECT current_setting('server_version') AS v, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc",
    );
    const durable = rows[0]!.fsync === 'on' && rows[0]!.sc !== 'off';
    return `PostgreSQL ${rows[0]!.v} (fsync ${rows[0]!.fsync}, synchronous_commit ${rows[0]!.sc}${durable ? ': a commit waits for its WAL fsync' : ''})`;
  });
  return {
    store,
    describe: `${version} ${cluster ? 'in a private cluster started by the bench' : 'at BENCH_PG_URL'}, a fresh database per scenario`,
    stop: () => cluster?.stop(),
  };
}

/** Every answered request of a run, whatever its status. */
const responsesOf = (result: autocannon.Result) => Object.values(result.statusCodeStats).reduce((a, { count }) => a + count, 0);

/** A warm-up run that is thrown away, then the measured run. `build` makes fresh request objects per run. */
async function measure(
  name: string,
  server: Server,
  build: (flowDone: () => void) => autocannon.Request[],
  store?: BenchStore,
): Promise<Row> {
  const run = (duration: number, requests: autocannon.Request[]) =>
    autocannon({ url: server.url, connections: CONNECTIONS, duration, requests });
  const warmup = await run(WARMUP, build(() => {}));

  let flows = 0;
  let firstFailure: string | undefined;
  const requests = build(() => flows++).map((r, index) => ({
    ...r,
    onResponse: (status: number, body: string, context: autocannon.Context, headers: Record<string, string | string[]>) => {
      if (!is2xx(status)) firstFailure ??= `request #${index + 1} (${r.method}) → ${status} ${body.slice(0, 300)}`;
      r.onResponse?.(status, body, context, headers);
    },
  }));
  const latencies: number[] = [];
  const serverCpuBefore = server.cpuSeconds();
  const dbCpuBefore = store?.cpuSeconds() ?? NaN;
  const benchCpuBefore = process.cpuUsage();
  const instance = run(DURATION, requests);
  instance.on('response', (_client, status, _bytes, ms) => {
    if (is2xx(status)) latencies.push(ms); // like autocannon, latency of successful responses only
  });
  const result = await instance;
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const serverCpu = (server.cpuSeconds() - serverCpuBefore) / result.duration;
  const dbCpu = ((store?.cpuSeconds() ?? NaN) - dbCpuBefore) / result.duration;
  const sorted = Float64Array.from(latencies).sort();
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
  const responses = responsesOf(result);
  return {
    name,
    warmupRps: responsesOf(warmup) / warmup.duration,
    store: store?.name ?? '',
    rps: responses / result.duration,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    responses,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statusCodes,
    ...(firstFailure !== undefined ? { firstFailure } : {}),
    ...(flows > 0 ? { flowsPerSecond: flows / result.duration } : {}),
    serverCpu,
    dbCpu,
    benchCpu: (benchCpu.user + benchCpu.system) / 1e6 / result.duration,
  };
}

async function withServer<T>(mode: Mode, database: string | undefined, body: (server: Server) => Promise<T>): Promise<T> {
  const server = await spawnServer(mode, database);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

// ---- report ----------------------------------------------------------------------------------

function printTable(rows: Row[]): void {
  const header = ['scenario', 'store', 'warm-up req/s', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'server CPU', 'db CPU', 'bench CPU'];
  const cells = rows.map((r) => [
    r.name,
    r.store,
    fixed(r.warmupRps, 0),
    fixed(r.rps, 0),
    fixed(r.p50, 2),
    fixed(r.p99, 2),
    `${r.non2xx}/${r.responses}${r.errors > 0 ? ` (+${r.errors} errors)` : ''}`,
    `${fixed(100 * r.serverCpu, 0)}%`,
    Number.isFinite(r.dbCpu) ? `${fixed(100 * r.dbCpu, 0)}%` : '-',
    `${fixed(100 * r.benchCpu, 0)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('   ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('   '));
  cells.forEach((c) => console.log(line(c)));
  console.log('');
  for (const r of rows) {
    if (r.flowsPerSecond !== undefined) console.log(`${r.name} (${r.store}): ${fixed(r.flowsPerSecond, 0)} flows/s (3 requests per flow)`);
  }
}

/** Share of requests that got a non-2xx answer or none at all. */
const failureRate = (r: Row) => (r.non2xx + r.errors) / Math.max(1, r.responses + r.errors);
const FAILURE_LIMIT = 0.01;

function printFailures(rows: Row[]): void {
  for (const r of rows) {
    if (r.responses > 0 && failureRate(r) <= FAILURE_LIMIT) continue;
    console.log(`\n!!! ${r.name}: ${r.non2xx + r.errors} of ${r.responses + r.errors} requests failed (${fixed(100 * failureRate(r), 1)}%).`);
    console.log(`!!! This scenario measures errors, not work. Status codes: ${JSON.stringify(r.statusCodes)}`);
    if (r.firstFailure) console.log(`!!! First failure: ${r.firstFailure}`);
  }
}

function printRatio(label: string, row: Row, bare: Row, aim: number): void {
  const ratio = row.rps / bare.rps;
  const invalid = failureRate(row) > FAILURE_LIMIT || failureRate(bare) > FAILURE_LIMIT;
  const verdict = invalid ? 'INVALID (failed requests, see above)' : ratio >= aim ? 'PASS' : 'BELOW';
  console.log(`${label.padEnd(36)} ${fixed(100 * ratio, 1).padStart(5)}%   aim ≥ ${fixed(100 * aim, 0)}%   ${verdict}`);
}

async function main(): Promise<void> {
  const cpu = cpus();
  console.log('vipps-local benchmark');
  console.log(`node ${process.version} · ${platform()} ${arch()} · ${cpu.length} CPUs · ${cpu[0]?.model.trim() ?? 'unknown CPU'}`);
  console.log(
    `${CONNECTIONS} connections · ${WARMUP} s warm-up + ${DURATION} s measured per scenario · ` +
      'each server in its own child process, on a fresh database per scenario',
  );
  console.log('The warm-up is not counted in the figures and ratios; its rate is shown (a fresh server on a fresh database starts slower).');

  const wanted = (process.env.BENCH_STORES ?? 'sqlite,postgres').toLowerCase().split(',').map((x) => x.trim());
  const stores: BenchStore[] = [];
  let stopPostgres = () => {};
  if (wanted.includes('sqlite')) {
    stores.push(sqliteStore);
    console.log("SQLite: a temporary file, the server's defaults (WAL, synchronous NORMAL: a commit does not wait for fsync)");
  }
  if (wanted.includes('postgres') || wanted.includes('postgresql')) {
    const started = Date.now();
    const postgres = await postgresStore();
    if ('skipped' in postgres) {
      console.log(`PostgreSQL: skipped: ${postgres.skipped}`);
    } else {
      stores.push(postgres.store);
      stopPostgres = postgres.stop;
      console.log(`PostgreSQL: ${postgres.describe} (ready in ${fixed((Date.now() - started) / 1000, 1)} s)`);
    }
  }
  if (stores.length === 0) throw new Error(`BENCH_STORES=${process.env.BENCH_STORES} names no store this machine can run`);
  console.log('');

  let lastHeaders: Headers = {};
  const rows: Row[] = [];
  const started = Date.now();
  const scenarios: Array<(server: Server, store: BenchStore) => Promise<Row>> = [
    async (server, store) => {
      const headers = (lastHeaders = await merchantHeaders(server.url));
      return measure('create-payment', server, () => [createRequest(headers)], store);
    },
    async (server, store) => {
      const headers = (lastHeaders = await merchantHeaders(server.url));
      const references = await precreate(server.url, headers, PRECREATED);
      return measure(`get-payment (${PRECREATED} cycled)`, server, () => [getRequest(headers, references)], store);
    },
    async (server, store) => {
      const headers = (lastHeaders = await merchantHeaders(server.url));
      return measure('create → approve → capture', server, (flowDone) => flowRequests(headers, flowDone), store);
    },
  ];
  // Same request bytes as create-payment (the bare route ignores the auth headers).
  const measureBare = () =>
    withServer('bare', undefined, (server) => measure('bare Fastify route (ceiling)', server, () => [createRequest(lastHeaders)]));
  try {
    // The machine's speed drifts over minutes, so the ceiling is measured twice, right after
    // create-payment and at the end, and the higher figure is the one the ratios divide by.
    const bareRuns: Row[] = [];
    for (const [i, scenario] of scenarios.entries()) {
      for (const store of stores) rows.push(await withServer('vipps', await store.database(), (server) => scenario(server, store)));
      if (i === 0) bareRuns.push(await measureBare());
    }
    bareRuns.push(await measureBare());
    const bare = bareRuns.reduce((a, b) => (b.rps > a.rps ? b : a));
    rows.unshift(bare);

    printTable(rows);
    console.log(
      '\nCPU columns: share of one core during the measured run, for the server process, for the PostgreSQL server ' +
        '(all its processes; SQLite runs inside the server process) and for autocannon (this process).',
    );
    if (bare.serverCpu < 0.85) {
      console.log(
        `Note: the bare server was only ${fixed(100 * bare.serverCpu, 0)}% busy, so the load generator set its pace: ` +
          'its real ceiling is higher and the ratios below flatter vipps-local.',
      );
    }
    console.log(
      `The bare route was measured twice (after create-payment, and at the end): ${bareRuns.map((r) => fixed(r.rps, 0)).join(' and ')} req/s; ` +
        'the table shows the higher, which the ratios use.',
    );
    printFailures(rows);
    console.log('');
    for (const store of stores) {
      const row = (name: string) => rows.find((r) => r.store === store.name && r.name.startsWith(name))!;
      printRatio(`create-payment / bare, ${store.name}`, row('create-payment'), bare, AIMS.create);
      printRatio(`get-payment / bare, ${store.name}`, row('get-payment'), bare, AIMS.get);
    }
    console.log('');
    // Webhooks (bench/webhooks.ts): delivered events/s and latency with 1 and 10 registrations.
    await runWebhookBench({ warmupSeconds: WEBHOOK_WARMUP, durationSeconds: DURATION, flowsPerSecond: webhookFlowsPerSecond() }, stores);
  } finally {
    stopPostgres();
  }
  console.log(`\n(total ${fixed((Date.now() - started) / 1000, 0)} s; a benchmark, not a test: the exit code is 0 either way)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
