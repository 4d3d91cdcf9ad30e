// npm run bench: autocannon against vipps-local and against a bare Fastify route with the same
// request validation (the framework's ceiling). Each server runs in its own child process, so the
// load generator (this process) and the server under test do not share a CPU.
// Every vipps-local scenario runs on both stores, side by side: SQLite (a fresh temporary file) and
// PostgreSQL (a fresh database on a cluster the bench starts with PostgreSQL's durable defaults, or on
// the server named by BENCH_PG_URL). create-payment and get-payment are measured in short rounds,
// each right beside a round of the bare route (which stays up for the whole run), so every ratio
// compares two figures from the same minute.
// BENCH_DURATION=3 for a quick run; BENCH_WARMUP=<s> sets the warm-up (default 10 s, at most the
// duration); BENCH_ROUND=<s> sets the length of a round (default 2 s); BENCH_CPU_PROF=<dir> writes
// a CPU profile of each server process; BENCH_STORES=sqlite or =postgres measures one store only;
// BENCH_COLD=0 leaves out the cold-start figures (bench/cold-start.ts).
import autocannon from 'autocannon';
import { readdirSync, readFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { runWebhookBench, webhookFlowsPerSecond } from './webhooks.ts';
import { runColdStartBench } from './cold-start.ts';
import { STRIPE_FLOW_REQUESTS, stripeFlowRequests } from './stripe-flow.ts';
import { postgresAvailable, startPostgresCluster, withClient, withDatabase, type PostgresCluster } from '../test-support/postgres.ts';
import { fixed } from './format.ts';
import { median, percentile } from './stats.ts';
import { processCpuSeconds } from './process-cpu.ts';
import { positive, spawnServer, type Server } from './server-child.ts';
import { AMOUNT, CREATE_PATH, createBody, createRequest, jsonHeaders, merchantHeaders, nextReference, RUN_ID, type Headers } from './requests.ts';
import { seedPayments } from './seed.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DURATION = positive(process.env.BENCH_DURATION, 10);
// A fresh server is slower for its first seconds under load: per-second counts of create-payment
// on SQLite read about 1.5k and 4.4k in the first two seconds, then ~6-7k, creeping up to ~7-8.5k
// after about 10 s (JIT, the WAL file's first growth). The figures and ratios are of the steady
// state after the warm-up; the warm-up's own rate is printed next to them.
const WARMUP = Math.min(positive(process.env.BENCH_WARMUP, 10), DURATION);
/** The webhook scenarios run at a fixed, light rate, where a short warm-up is enough. */
const WEBHOOK_WARMUP = Math.min(3, WARMUP);
/** The measured time of a scenario is cut into rounds of this many seconds (BENCH_ROUND)... */
const ROUND = Math.min(positive(process.env.BENCH_ROUND, 2), DURATION);
/** ...this many. */
const ROUNDS = Math.max(1, Math.round(DURATION / ROUND));
const CONNECTIONS = 10;
const PRECREATED = 1000;
const AIMS = { create: 0.35, get: 0.6 };
/** The scale comparison: payments already stored in the large database (BENCH_LARGE; 0 skips it), and in the small one. */
const LARGE = process.env.BENCH_LARGE === undefined ? 1_000_000 : Math.max(0, Math.floor(Number(process.env.BENCH_LARGE) || 0));
const SMALL = 1_000;
/** Within 1.2×: the large database's rate at least 1/1.2 of the small one's. */
const SCALE_AIM = 1 / 1.2;

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
  /** Scenarios measured beside the bare route: its rate / the bare route's, per paired round, and the bare route's rate in those rounds. */
  ratios?: number[];
  bareRps?: number;
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

/** One autocannon run against one server, with the CPU each process used meanwhile. */
interface Run {
  seconds: number;
  responses: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  /** Latencies of the 2xx answers, ms. */
  latencies: number[];
  firstFailure?: string;
  flows: number;
  /** CPU seconds used during the run by the server process, the PostgreSQL cluster and this process. */
  serverCpu: number;
  dbCpu: number;
  benchCpu: number;
}

async function runFor(server: Server, build: (flowDone: () => void) => autocannon.Request[], seconds: number, store?: BenchStore): Promise<Run> {
  let flows = 0;
  let unexpected = 0;
  let firstFailure: string | undefined;
  const requests = build(() => flows++).map((r: autocannon.Request & { expectedStatus?: number }, index) => ({
    ...r,
    onResponse: (status: number, body: string, context: autocannon.Context, headers: Record<string, string | string[]>) => {
      // A request may expect another answer than a 2xx (a form's 303 redirect).
      if (r.expectedStatus !== undefined ? status !== r.expectedStatus : !is2xx(status)) {
        unexpected++;
        firstFailure ??= `request #${index + 1} (${r.method}) → ${status} ${body.slice(0, 300)}`;
      }
      r.onResponse?.(status, body, context, headers);
    },
  }));
  const latencies: number[] = [];
  const serverCpuBefore = server.cpuSeconds();
  const dbCpuBefore = store?.cpuSeconds() ?? NaN;
  const benchCpuBefore = process.cpuUsage();
  const instance = autocannon({ url: server.url, connections: CONNECTIONS, duration: seconds, requests });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status < 400) latencies.push(ms); // like autocannon, latency of successful responses only (redirects included)
  });
  const result = await instance;
  const benchCpu = process.cpuUsage(benchCpuBefore);
  return {
    seconds: result.duration,
    responses: responsesOf(result),
    non2xx: unexpected,
    errors: result.errors + result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
    latencies,
    ...(firstFailure !== undefined ? { firstFailure } : {}),
    flows,
    serverCpu: server.cpuSeconds() - serverCpuBefore,
    dbCpu: (store?.cpuSeconds() ?? NaN) - dbCpuBefore,
    benchCpu: (benchCpu.user + benchCpu.system) / 1e6,
  };
}

/** Requests per second over several runs together. */
const rateOf = (runs: Run[]) => runs.reduce((a, r) => a + r.responses, 0) / runs.reduce((a, r) => a + r.seconds, 0);

/** One row of the table: the runs of one scenario on one server, added up. */
function summarize(name: string, store: string, warmupRps: number, runs: Run[]): Row {
  const sum = (f: (r: Run) => number) => runs.reduce((a, r) => a + f(r), 0);
  const seconds = sum((r) => r.seconds);
  const statusCodes: Record<string, number> = {};
  for (const r of runs) for (const [code, count] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  const sorted = Float64Array.from(runs.flatMap((r) => r.latencies)).sort();
  const firstFailure = runs.find((r) => r.firstFailure !== undefined)?.firstFailure;
  const flows = sum((r) => r.flows);
  return {
    name,
    warmupRps,
    store,
    rps: rateOf(runs),
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    responses: sum((r) => r.responses),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    statusCodes,
    ...(firstFailure !== undefined ? { firstFailure } : {}),
    ...(flows > 0 ? { flowsPerSecond: flows / seconds } : {}),
    serverCpu: sum((r) => r.serverCpu) / seconds,
    dbCpu: sum((r) => r.dbCpu) / seconds,
    benchCpu: sum((r) => r.benchCpu) / seconds,
  };
}

const rpsOf = (run: Run) => rateOf([run]);

/**
 * Waits until none of these processes is using the CPU (at most 3 s), so that one server's
 * leftovers (a SQLite checkpoint, a PostgreSQL background write) do not run inside the other's round.
 */
async function quiet(cpuSeconds: Array<() => number>): Promise<void> {
  const until = Date.now() + 3000;
  while (Date.now() < until) {
    const before = cpuSeconds.map((cpu) => cpu());
    await new Promise((resolve) => setTimeout(resolve, 200));
    // NaN (not measured) counts as quiet.
    if (cpuSeconds.every((cpu, i) => !(cpu() - before[i]! > 0.02))) return;
  }
}

/** The bare route, up for the whole run: its warm-up (run once, beside the first scenario) and its measured rounds. */
interface BareRoute {
  server: Server;
  warmup?: Run;
  runs: Run[];
}

/**
 * A thrown-away warm-up, then ROUNDS rounds of ROUND seconds. `beside` the bare route, each round
 * is a pair: the scenario and the bare route, one right after the other (in alternating order), so
 * that both figures of a pair come from the same minute of a machine whose speed drifts.
 */
async function measure(
  name: string,
  server: Server,
  build: (flowDone: () => void) => autocannon.Request[],
  store: BenchStore,
  beside?: { bare: BareRoute; build: () => autocannon.Request[] },
): Promise<Row> {
  const bare = beside?.bare;
  if (bare && !bare.warmup) bare.warmup = await runFor(bare.server, beside.build, WARMUP);
  const warmup = await runFor(server, build, WARMUP, store);
  const runs: Run[] = [];
  const bareRuns: Run[] = [];
  const ratios: number[] = [];
  const busy = [server.cpuSeconds, store.cpuSeconds, ...(bare ? [bare.server.cpuSeconds] : [])];
  for (let round = 0; round < ROUNDS; round++) {
    if (!bare) {
      runs.push(await runFor(server, build, ROUND, store));
      continue;
    }
    const measureScenario = async () => {
      await quiet(busy);
      return runFor(server, build, ROUND, store);
    };
    const measureBare = async () => {
      await quiet(busy);
      return runFor(bare.server, beside.build, ROUND);
    };
    let run: Run;
    let bareRun: Run;
    if (round % 2 === 0) {
      run = await measureScenario();
      bareRun = await measureBare();
    } else {
      bareRun = await measureBare();
      run = await measureScenario();
    }
    runs.push(run);
    bareRuns.push(bareRun);
    ratios.push(rpsOf(run) / rpsOf(bareRun));
  }
  const row = summarize(name, store.name, rpsOf(warmup), runs);
  if (!bare) return row;
  bare.runs.push(...bareRuns);
  return { ...row, ratios, bareRps: rateOf(bareRuns) };
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
    const perFlow = r.name.startsWith('Stripe') ? STRIPE_FLOW_REQUESTS : 3;
    if (r.flowsPerSecond !== undefined) console.log(`${r.name} (${r.store}): ${fixed(r.flowsPerSecond, 0)} flows/s (${perFlow} requests per flow)`);
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
  const ratios = row.ratios ?? [];
  const ratio = median(ratios);
  const invalid = failureRate(row) > FAILURE_LIMIT || failureRate(bare) > FAILURE_LIMIT;
  const verdict = invalid ? 'INVALID (failed requests, see above)' : ratio >= aim ? 'PASS' : 'BELOW';
  const spread = `rounds ${fixed(100 * Math.min(...ratios), 1)}-${fixed(100 * Math.max(...ratios), 1)}%; ${fixed(row.rps, 0)} vs ${fixed(row.bareRps ?? NaN, 0)} req/s`;
  console.log(`${label.padEnd(36)} ${fixed(100 * ratio, 1).padStart(5)}%   aim ≥ ${fixed(100 * aim, 0)}%   ${verdict.padEnd(5)}   (${spread})`);
}

// ---- scale: the same requests on a database with 1,000 payments and on one with 1,000,000 -------

/** A database of `store`'s kind seeded with `count` payments; returns where it is and the references to read. */
async function seededDatabase(store: BenchStore, count: number): Promise<{ database: string; references: string[]; remove(): void }> {
  let database = await store.database();
  let remove = () => {};
  if (database === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'vipps-local-bench-seed-'));
    database = join(dir, 'seeded.sqlite');
    remove = () => rmSync(dir, { recursive: true, force: true });
  }
  const started = Date.now();
  let shown = 0;
  const references = await seedPayments(database, count, PRECREATED, (done) => {
    if (done - shown >= 250_000) {
      shown = done;
      process.stdout.write(`  seeding ${store.name}: ${done.toLocaleString('en')} of ${count.toLocaleString('en')}\n`);
    }
  });
  console.log(`  ${store.name}: ${count.toLocaleString('en')} payments seeded in ${fixed((Date.now() - started) / 1000, 1)} s`);
  return { database, references, remove };
}

/**
 * create-payment and get-payment on two servers side by side, one on a database with SMALL payments
 * and one with LARGE, in alternating rounds (as bench/ab.ts does for two checkouts): how much a
 * large database costs a request, from pairs taken in the same minute.
 */
async function scaleComparison(store: BenchStore): Promise<void> {
  const small = await seededDatabase(store, SMALL);
  const large = await seededDatabase(store, LARGE);
  const servers = [await spawnServer('vipps', small.database), await spawnServer('vipps', large.database)] as const;
  try {
    const headers = [await merchantHeaders(servers[0].url), await merchantHeaders(servers[1].url)] as const;
    const references = [small.references, large.references] as const;
    const kinds = {
      'get-payment': (i: 0 | 1) => () => [getRequest(headers[i], references[i])],
      'create-payment': (i: 0 | 1) => () => [createRequest(headers[i])],
    };
    // Reads first: the create rounds add payments to both databases as they go.
    for (const [name, build] of Object.entries(kinds)) {
      for (const i of [0, 1] as const) await runFor(servers[i], build(i), WARMUP, store);
      const ratios: number[] = [];
      const rates: Array<[number, number]> = [];
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const);
        const rps: [number, number] = [0, 0];
        for (const i of order) {
          await quiet([servers[0].cpuSeconds, servers[1].cpuSeconds, store.cpuSeconds]);
          const run = await runFor(servers[i], build(i), ROUND, store);
          if (run.non2xx + run.errors > 0) throw new Error(`scale ${name}: ${run.non2xx + run.errors} failed requests (${run.firstFailure ?? ''})`);
          rps[i] = rpsOf(run);
        }
        rates.push(rps);
        ratios.push(rps[1] / rps[0]);
      }
      const ratio = median(ratios);
      const label = `${name}, ${LARGE.toLocaleString('en')} / ${SMALL.toLocaleString('en')} stored, ${store.name}`;
      const spread = `rounds ×${fixed(Math.min(...ratios), 2)}-×${fixed(Math.max(...ratios), 2)}; ${fixed(median(rates.map((r) => r[1])), 0)} vs ${fixed(median(rates.map((r) => r[0])), 0)} req/s`;
      console.log(`${label.padEnd(58)} ×${fixed(ratio, 3)}   aim ≥ ×${fixed(SCALE_AIM, 3)} (within 1.2×)   ${ratio >= SCALE_AIM ? 'PASS ' : 'BELOW'}   (${spread})`);
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    small.remove();
    large.remove();
  }
}

async function main(): Promise<void> {
  const cpu = cpus();
  console.log('vipps-local benchmark');
  console.log(`node ${process.version} · ${platform()} ${arch()} · ${cpu.length} CPUs · ${cpu[0]?.model.trim() ?? 'unknown CPU'}`);
  console.log(
    `${CONNECTIONS} connections · ${WARMUP} s warm-up + ${ROUNDS} rounds of ${ROUND} s measured per scenario · ` +
      'each server in its own child process, vipps-local on a fresh database per scenario',
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
  // Cold start first, on a machine the load scenarios have not warmed (bench/cold-start.ts).
  if (process.env.BENCH_COLD !== '0') await runColdStartBench();

  const rows: Row[] = [];
  const started = Date.now();
  // The bare route stays up for the whole run: it is measured in the rounds of create-payment and
  // get-payment, right beside them (measure). It gets the same request bytes as create-payment
  // (it ignores the auth headers).
  const bare: BareRoute = { server: await spawnServer('bare'), runs: [] };
  /** The bare route beside a scenario gets the same request bytes as create-payment, with that scenario's headers. */
  const bareBeside = (headers: Headers) => ({ bare, build: () => [createRequest(headers)] });
  const scenarios: Array<(server: Server, store: BenchStore) => Promise<Row>> = [
    async (server, store) => {
      const headers = await merchantHeaders(server.url);
      return measure('create-payment', server, () => [createRequest(headers)], store, bareBeside(headers));
    },
    async (server, store) => {
      const headers = await merchantHeaders(server.url);
      const references = await precreate(server.url, headers, PRECREATED);
      return measure(`get-payment (${PRECREATED} cycled)`, server, () => [getRequest(headers, references)], store, bareBeside(headers));
    },
    async (server, store) => {
      const headers = await merchantHeaders(server.url);
      return measure('create → approve → capture', server, (flowDone) => flowRequests(headers, flowDone), store);
    },
    async (server, store) => measure('Stripe: create → confirm → authorize', server, (flowDone) => stripeFlowRequests(server.url, AMOUNT, flowDone), store),
  ];
  try {
    for (const scenario of scenarios) {
      for (const store of stores) rows.push(await withServer('vipps', await store.database(), (server) => scenario(server, store)));
    }
    const bareRow = summarize('bare Fastify route (ceiling)', '', bare.warmup ? rpsOf(bare.warmup) : NaN, bare.runs);
    rows.unshift(bareRow);

    printTable(rows);
    console.log(
      '\nCPU columns: share of one core during the measured run, for the server process, for the PostgreSQL server ' +
        '(all its processes; SQLite runs inside the server process) and for autocannon (this process).',
    );
    console.log(
      `The bare route's row adds up its ${bare.runs.length} rounds, each run right beside a round of create-payment or get-payment ` +
        `(${fixed(Math.min(...bare.runs.map(rpsOf)), 0)} to ${fixed(Math.max(...bare.runs.map(rpsOf)), 0)} req/s).`,
    );
    if (bareRow.serverCpu < 0.85) {
      console.log(
        `Note: the bare server was only ${fixed(100 * bareRow.serverCpu, 0)}% busy, so the load generator set its pace: ` +
          'its real ceiling is higher and the ratios below flatter vipps-local.',
      );
    }
    printFailures(rows);
    console.log(`\nRatios: the median of ${ROUNDS} paired rounds of ${ROUND} s (scenario / bare route, measured one right after the other).`);
    for (const store of stores) {
      const row = (name: string) => rows.find((r) => r.store === store.name && r.name.startsWith(name))!;
      printRatio(`create-payment / bare, ${store.name}`, row('create-payment'), bareRow, AIMS.create);
      printRatio(`get-payment / bare, ${store.name}`, row('get-payment'), bareRow, AIMS.get);
    }
    if (LARGE > 0) {
      console.log(`\nScale: ${LARGE.toLocaleString('en')} payments stored against ${SMALL.toLocaleString('en')} (BENCH_LARGE; 0 skips this), two servers side by side, alternating rounds of ${ROUND} s (medians of large / small):`);
      for (const store of stores) await scaleComparison(store);
    }
    console.log('');
    // Webhooks (bench/webhooks.ts): delivered events/s and latency with 1 and 10 registrations.
    await runWebhookBench({ warmupSeconds: WEBHOOK_WARMUP, durationSeconds: DURATION, flowsPerSecond: webhookFlowsPerSecond() }, stores);
  } finally {
    await bare.server.stop();
    stopPostgres();
  }
  console.log(`\n(total ${fixed((Date.now() - started) / 1000, 0)} s; a benchmark, not a test: the exit code is 0 either way)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
