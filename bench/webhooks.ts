// The webhooks part of `npm run bench` (run.ts calls runWebhookBench; `npx tsx bench/webhooks.ts`
// runs it alone): 1 and 10 registrations, each its own receiver (all in one child process, see
// webhook-receivers.ts), under a steady create → approve → capture load (a new flow at fixed
// intervals, from this process) against vipps-local in another child process
// (bench/server-process.ts, default settings, a fresh SQLite database). Reports
// how many events per second the server delivered and the latency from the payment change (the
// payload's `timestamp`) to the receiver's 2xx, and checks that every event reached every receiver
// exactly once. BENCH_WEBHOOK_FLOWS sets the rate (flows per second, default 50).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Stats } from './webhook-receivers.ts';
import { fixed } from './format.ts';
import { positive, ROOT, spawnServer, type Server } from './server-child.ts';
import { merchantHeaders, nextReference } from './requests.ts';

const REGISTRATIONS = [1, 10];

const EVENTS = ['epayments.payment.created.v1', 'epayments.payment.authorized.v1', 'epayments.payment.captured.v1'];
/** How long to wait for the deliveries of a run to arrive after its load has stopped. */
const DRAIN_LIMIT_MS = 30_000;

export interface WebhookBenchOptions {
  warmupSeconds: number;
  durationSeconds: number;
  flowsPerSecond: number;
}

/** A store to run the scenarios on (run.ts passes SQLite and PostgreSQL); SQLite alone by default. */
export interface WebhookBenchStore {
  name: string;
  /** A fresh database for one scenario; undefined: the server makes a temporary SQLite file. */
  database(): Promise<string | undefined>;
}

interface WebhookScenario extends WebhookBenchOptions {
  name: string;
  server: Server;
  /** Merchant headers (token, subscription key, MSN). */
  headers: Record<string, string>;
  registrations: number;
}

export interface WebhookRow {
  name: string;
  /** Payment events made per second during the measured run (one per successful request). */
  eventsPerSecond: number;
  /** Deliveries answered 2xx per second during the measured run, over all registrations. */
  deliveredPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Every event of the whole scenario (warm-up included) times the registrations. */
  expected: number;
  /** Deliveries still missing DRAIN_LIMIT_MS after the load stopped. */
  missing: number;
  duplicates: number;
  /** Requests of the load that did not get a 2xx. */
  failedRequests: number;
  firstFailure?: string;
  serverCpu: number;
  receiverCpu: number;
}

interface Receivers {
  urls: string[];
  ask<T>(command: object): Promise<T>;
  stop(): Promise<void>;
}

// ---- processes ---------------------------------------------------------------------------------

async function spawnReceivers(count: number): Promise<Receivers> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/webhook-receivers.ts', String(count)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const waiting: Array<(line: string) => void> = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const first = await Promise.race([
    next(),
    exited.then(() => {
      throw new Error('the webhook receivers exited before listening');
    }),
  ]);
  const { urls } = JSON.parse(first) as { urls: string[] };
  return {
    urls,
    async ask<T>(command: object) {
      const answer = next();
      child.stdin.write(`${JSON.stringify(command)}\n`);
      return JSON.parse(await answer) as T;
    },
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}

// ---- requests ----------------------------------------------------------------------------------


/**
 * An open-loop, steady load: a new create → approve → capture flow every 1/flowsPerSecond seconds
 * (flows run concurrently; a late start is made up at once), for `seconds`. Counts the events it
 * made (one per 2xx) and the requests that failed.
 */
async function steadyFlows(url: string, headers: Record<string, string>, flowsPerSecond: number, seconds: number): Promise<{ events: number; failed: number; firstFailure?: string }> {
  let events = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  const post = async (path: string, body: unknown, idempotent: boolean, expected: number): Promise<string | undefined> => {
    const res = await fetch(url + path, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json', ...(idempotent ? { 'Idempotency-Key': randomUUID() } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== expected) {
      failed++;
      firstFailure ??= `POST ${path} → ${res.status} ${text.slice(0, 300)}`;
      return undefined;
    }
    events++;
    return text;
  };
  const flow = async () => {
    const reference = nextReference('bench-webhooks');
    const created = await post(
      '/epayment/v1/payments',
      { amount: { currency: 'NOK', value: 49_900 }, paymentMethod: { type: 'WALLET' }, reference, userFlow: 'WEB_REDIRECT', returnUrl: 'https://example.com/return', paymentDescription: 'Benchmark payment' },
      true,
      201,
    );
    if (created === undefined) return;
    if ((await post(`/epayment/v1/test/payments/${reference}/approve`, {}, false, 200)) === undefined) return;
    await post(`/epayment/v1/payments/${reference}/capture`, { modificationAmount: { currency: 'NOK', value: 49_900 } }, true, 200);
  };
  const interval = 1000 / flowsPerSecond;
  const start = performance.now();
  const running = new Set<Promise<void>>();
  for (let i = 0; i * interval < seconds * 1000; i++) {
    const wait = start + i * interval - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const p: Promise<void> = flow()
      .catch((err: unknown) => {
        failed++;
        firstFailure ??= String(err);
      })
      .finally(() => running.delete(p));
    running.add(p);
  }
  await Promise.all(running);
  return { events, failed, ...(firstFailure !== undefined ? { firstFailure } : {}) };
}

async function register(url: string, headers: Record<string, string>, receiverUrl: string): Promise<void> {
  const res = await fetch(`${url}/webhooks/v1/webhooks`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: receiverUrl, events: EVENTS }),
  });
  if (res.status !== 201) throw new Error(`registering a webhook: ${res.status} ${await res.text()}`);
}

/** Waits until the receivers have `expected` deliveries, or nothing new came for 3 s, or the limit passed. */
async function drain(receivers: Receivers, expected: number): Promise<void> {
  const until = Date.now() + DRAIN_LIMIT_MS;
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const { arrivals } = await receivers.ask<{ arrivals: number }>({ cmd: 'count' });
    if (arrivals >= expected || Date.now() > until || Date.now() - lastChange > 3_000) return;
    if (arrivals !== last) {
      last = arrivals;
      lastChange = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// ---- measuring ---------------------------------------------------------------------------------

async function measureWebhooks(s: WebhookScenario): Promise<WebhookRow> {
  const receivers = await spawnReceivers(s.registrations);
  try {
    for (const url of receivers.urls) await register(s.server.url, s.headers, url);
    let events = 0;
    let failed = 0;
    let firstFailure: string | undefined;
    const run = async (seconds: number) => {
      const result = await steadyFlows(s.server.url, s.headers, s.flowsPerSecond, seconds);
      events += result.events;
      failed += result.failed;
      firstFailure ??= result.firstFailure;
      return result.events;
    };

    await run(s.warmupSeconds);
    await drain(receivers, events * s.registrations);

    const serverCpuBefore = s.server.cpuSeconds();
    const receiverCpuBefore = (await receivers.ask<Stats>({ cmd: 'stats', from: 0, to: 0 })).cpuSeconds;
    const from = Date.now();
    const made = await run(s.durationSeconds);
    const to = Date.now();
    const seconds = (to - from) / 1000;
    const serverCpu = (s.server.cpuSeconds() - serverCpuBefore) / seconds;
    await drain(receivers, events * s.registrations);
    const stats = await receivers.ask<Stats>({ cmd: 'stats', from, to });
    const expected = events * s.registrations;
    return {
      name: s.name,
      eventsPerSecond: made / seconds,
      deliveredPerSecond: stats.answeredInWindow / seconds,
      p50: stats.p50,
      p99: stats.p99,
      max: stats.max,
      expected,
      missing: Math.max(0, expected - stats.distinct),
      duplicates: stats.arrivals - stats.distinct,
      failedRequests: failed,
      ...(firstFailure !== undefined ? { firstFailure } : {}),
      serverCpu,
      receiverCpu: (stats.cpuSeconds - receiverCpuBefore) / seconds,
    };
  } finally {
    await receivers.stop();
  }
}

function printWebhookTable(rows: WebhookRow[]): void {
  const header = ['scenario', 'events/s', 'delivered/s', 'p50 ms', 'p99 ms', 'max ms', 'missing/dup', 'server CPU', 'receivers CPU'];
  const cells = rows.map((r) => [
    r.name,
    fixed(r.eventsPerSecond, 0),
    fixed(r.deliveredPerSecond, 0),
    fixed(r.p50, 0),
    fixed(r.p99, 0),
    fixed(r.max, 0),
    `${r.missing}/${r.duplicates} of ${r.expected}`,
    `${fixed(100 * r.serverCpu, 0)}%`,
    `${fixed(100 * r.receiverCpu, 0)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('   ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('   '));
  cells.forEach((c) => console.log(line(c)));
  for (const r of rows) {
    if (r.failedRequests > 0) console.log(`!!! ${r.name}: ${r.failedRequests} requests of the load failed; first: ${r.firstFailure ?? '?'}`);
    if (r.missing > 0) console.log(`!!! ${r.name}: ${r.missing} deliveries had not arrived ${DRAIN_LIMIT_MS / 1000} s after the load stopped.`);
    if (r.duplicates > 0) console.log(`!!! ${r.name}: ${r.duplicates} deliveries arrived more than once (no fault injection was asked for).`);
  }
}

/** Runs the webhook scenarios, each on a fresh server, and prints their table. */
export async function runWebhookBench(
  options: WebhookBenchOptions,
  stores: WebhookBenchStore[] = [{ name: 'SQLite', database: async () => undefined }],
): Promise<WebhookRow[]> {
  console.log(
    `Webhooks: create → approve → capture at a steady ${options.flowsPerSecond} flows/s (${3 * options.flowsPerSecond} events/s), ` +
      `${options.warmupSeconds} s warm-up + ${options.durationSeconds} s measured; vipps-local (default settings, ` +
      `a fresh ${stores.map((store) => store.name).join(' or ')} database per scenario) ` +
      'in one child process, the receivers (one per registration, answering 204 at once) in another.',
  );
  console.log('Latency: from the payment change (payload timestamp) to the receiver sending its 2xx, for events of the measured run.\n');
  const rows: WebhookRow[] = [];
  for (const registrations of REGISTRATIONS) {
    for (const store of stores) {
      const server = await spawnServer('vipps', await store.database());
      try {
        rows.push(
          await measureWebhooks({
            ...options,
            name: `webhooks, ${registrations} registration${registrations === 1 ? '' : 's'}${stores.length > 1 ? `, ${store.name}` : ''}`,
            server,
            headers: await merchantHeaders(server.url),
            registrations,
          }),
        );
      } finally {
        await server.stop();
      }
    }
  }
  printWebhookTable(rows);
  return rows;
}

/** BENCH_WEBHOOK_FLOWS, default 50 flows per second (150 events/s; 1500 deliveries/s with 10 registrations). */
export const webhookFlowsPerSecond = () => positive(process.env.BENCH_WEBHOOK_FLOWS, 50);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const duration = positive(process.env.BENCH_DURATION, 10);
  runWebhookBench({ warmupSeconds: Math.min(3, Math.ceil(duration / 3)), durationSeconds: duration, flowsPerSecond: webhookFlowsPerSecond() }).catch(
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
