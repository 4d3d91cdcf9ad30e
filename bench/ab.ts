// A/B of create-payment between two checkouts, fair on a machine whose speed drifts: both servers
// (SQLite, a fresh temporary file each) stay up side by side, and autocannon alternates short rounds
// between them (A B, B A, ...), so a slow minute hits both. Prints the medians of the per-round pairs.
//   npx tsx bench/ab.ts <checkout A> [checkout B, default: this one]
//   AB_ROUNDS=16 AB_SECONDS=3 (defaults), AB_WARMUP=5 seconds per server first.
//   AB_STORE=postgres: each server on its own fresh database in one private PostgreSQL cluster
//   (durable defaults, as in npm run bench) instead of a SQLite file.
// Make checkout A with `git worktree add /tmp/a <commit>` and link node_modules into it.
import autocannon from 'autocannon';
import { resolve } from 'node:path';
import { fixed } from './format.ts';
import { median } from './stats.ts';
import { startPostgresCluster, withClient, withDatabase } from '../test-support/postgres.ts';
import { createRequest, merchantHeaders, RUN_ID, type Headers } from './requests.ts';
import { positive, ROOT, spawnServer, type Server } from './server-child.ts';

const ROUNDS = positive(process.env.AB_ROUNDS, 16);
const SECONDS = positive(process.env.AB_SECONDS, 3);
const WARMUP = positive(process.env.AB_WARMUP, 5);

interface Round {
  rps: number;
  /** Server CPU per request, µs. */
  cpuUs: number;
  failures: number;
}

async function round(server: Server, headers: Headers, seconds: number): Promise<Round> {
  const cpu = server.cpuSeconds();
  const r = await autocannon({ url: server.url, connections: 10, duration: seconds, requests: [createRequest(headers)] });
  const total = r.requests.total;
  return { rps: total / seconds, cpuUs: ((server.cpuSeconds() - cpu) * 1e6) / total, failures: r.non2xx + r.errors };
}

/** Two fresh databases for the two servers: undefined (temporary SQLite files), or two on a private PostgreSQL cluster. */
async function databases(): Promise<{ urls: [string | undefined, string | undefined]; stop(): void }> {
  if (process.env.AB_STORE !== 'postgres') return { urls: [undefined, undefined], stop: () => {} };
  const cluster = await startPostgresCluster({ durable: true, maxConnections: 100 });
  const urls: string[] = [];
  for (const name of [`ab_a_${RUN_ID}`, `ab_b_${RUN_ID}`]) {
    await withClient(cluster.url, (c) => c.query(`CREATE DATABASE ${name}`));
    urls.push(withDatabase(cluster.url, name));
  }
  return { urls: [urls[0], urls[1]], stop: () => cluster.stop() };
}

async function main(): Promise<void> {
  const [a, b = ROOT] = process.argv.slice(2);
  if (!a) throw new Error('usage: npx tsx bench/ab.ts <checkout A> [checkout B]');
  const dbs = await databases();
  const servers = [await spawnServer('vipps', dbs.urls[0], resolve(a)), await spawnServer('vipps', dbs.urls[1], resolve(b))] as const;
  try {
    const headers = [await merchantHeaders(servers[0].url), await merchantHeaders(servers[1].url)] as const;
    for (const i of [0, 1] as const) await round(servers[i], headers[i], WARMUP);
    const pairs: Array<[Round, Round]> = [];
    for (let n = 0; n < ROUNDS; n++) {
      const first = n % 2 === 0 ? 0 : 1;
      const x = await round(servers[first], headers[first], SECONDS);
      const y = await round(servers[1 - first]!, headers[1 - first]!, SECONDS);
      pairs.push(first === 0 ? [x, y] : [y, x]);
    }
    const failures = pairs.reduce((sum, [x, y]) => sum + x.failures + y.failures, 0);
    console.log(`create-payment on ${process.env.AB_STORE === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${ROUNDS} alternating rounds of ${SECONDS} s, 10 connections (medians)`);
    console.log(`A ${a}: ${fixed(median(pairs.map(([x]) => x.rps)), 0)} req/s, server ${fixed(median(pairs.map(([x]) => x.cpuUs)), 1)} µs CPU per request`);
    console.log(`B ${b}: ${fixed(median(pairs.map(([, y]) => y.rps)), 0)} req/s, server ${fixed(median(pairs.map(([, y]) => y.cpuUs)), 1)} µs CPU per request`);
    console.log(`B/A per round: req/s ×${fixed(median(pairs.map(([x, y]) => y.rps / x.rps)), 3)}, CPU per request ×${fixed(median(pairs.map(([x, y]) => y.cpuUs / x.cpuUs)), 3)}; failed requests: ${failures}`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    dbs.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
