#!/usr/bin/env node
// Runs every *.test.ts under src/, test/ and bench/ with node's test runner (Node 20 does not expand
// ** globs itself). Prints node's own summary (# pass / # fail) and exits non-zero on failure.
// Usage: npm test [-- <substring filter>...]
//
// Two stores: the whole selection runs once (SQLite for servers), then every file that starts servers
// through test-support/server.ts, platform-server.ts or test-database.ts runs again with
// VIPPS_LOCAL_TEST_STORE=postgres. One PostgreSQL cluster serves the whole run (initdb into a
// temporary folder, pg_ctl start on a free port, stopped at the end; PG_TEST_URL is exported to the
// test processes), unless PG_TEST_URL already names a server. VIPPS_LOCAL_TEST_STORE=sqlite or
// =postgres runs that pass only.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tsImport } from 'tsx/esm/api';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, full));
  }
  return out;
}

const files = ['src', 'test', 'test-support', 'bench']
  .filter((d) => { try { return statSync(join(root, d)).isDirectory(); } catch { return false; } })
  .flatMap((d) => walk(join(root, d), []))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

const only = process.env.VIPPS_LOCAL_TEST_STORE?.toLowerCase();
if (only !== undefined && only !== 'sqlite' && only !== 'postgres') {
  console.error(`VIPPS_LOCAL_TEST_STORE must be sqlite or postgres, got "${process.env.VIPPS_LOCAL_TEST_STORE}"`);
  process.exit(1);
}

// Which files start servers on "the store under test" (run on both stores), and which need PostgreSQL at all.
const source = (f) => readFileSync(join(root, f), 'utf8');
const STORE_NEUTRAL = /test-support\/(server|platform-server|test-database)(\.ts)?['"]/;
const USES_POSTGRES = /test-support\/(server|platform-server|test-database|postgres)(\.ts)?['"]/;
const postgresPass = only === 'sqlite' ? [] : files.filter((f) => STORE_NEUTRAL.test(source(f)));
const firstPass = only === 'postgres' ? [] : files;
const needsPostgres = [...new Set([...firstPass, ...postgresPass])].some((f) => USES_POSTGRES.test(source(f)));

// A full run type-checks first: a type error is a failure, not a warning.
if (filters.length === 0) {
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) {
    console.error('type check failed');
    process.exit(tsc.status ?? 1);
  }
}

let cluster;
const stopCluster = () => {
  try {
    cluster?.stop();
  } catch (err) {
    console.error(`stopping the PostgreSQL test cluster: ${err.message}`);
  }
  cluster = undefined;
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    stopCluster();
    process.exit(130);
  });
}

const env = { ...process.env, NODE_ENV: 'test' };
if (needsPostgres && !env.PG_TEST_URL) {
  const pg = await tsImport('../test-support/postgres.ts', import.meta.url);
  if (!pg.postgresAvailable()) {
    console.error(
      `PostgreSQL server binaries not found in ${pg.postgresBinDir()}: install postgresql-15 (apt-get install postgresql-15), ` +
        'set PG_BIN to their folder, or set PG_TEST_URL to a server the tests may create databases on.',
    );
    process.exit(1);
  }
  const started = Date.now();
  cluster = await pg.startPostgresCluster();
  env.PG_TEST_URL = cluster.url;
  console.log(`# PostgreSQL test cluster on ${cluster.url} (started in ${Date.now() - started} ms)`);
}

/**
 * Keeps each failing test's TAP lines (its "not ok" line and the YAML block under it: error, location,
 * stack), so the end of a long run names what failed: a CI log is often read from its tail only.
 * A suite that failed only because a test in it failed is left out (its test is listed).
 */
function collectFailures() {
  const kept = [];
  let partial = '';
  let current;
  const take = (line) => {
    const notOk = /^(\s*)not ok \d+ - (.*)$/.exec(line);
    if (notOk) {
      current = { indent: notOk[1].length, lines: [line.trim()] };
      kept.push(current);
      return;
    }
    if (!current) return;
    const indent = /^\s*/.exec(line)[0].length;
    if (indent <= current.indent && line.trim() !== '') current = undefined;
    else if (current.lines.length < 40) current.lines.push(line.slice(current.indent));
  };
  return {
    feed(text) {
      const lines = (partial + text).split('\n');
      partial = lines.pop();
      for (const line of lines) take(line);
    },
    done() {
      if (partial) take(partial);
      return kept.filter((f) => !f.lines.some((l) => /failureType: 'subtestsFailed'/.test(l))).map((f) => f.lines.join('\n'));
    },
  };
}

/** Runs node's test runner; resolves with its exit code and the counts of its summary. */
function runPass(label, passFiles, passEnv) {
  return new Promise((resolve) => {
    console.log(`# ${label}: ${passFiles.length} test files`);
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', '--test-concurrency=2', ...passFiles], {
      cwd: root,
      stdio: ['inherit', 'pipe', 'inherit'],
      env: passEnv,
    });
    let tail = '';
    const failures = collectFailures();
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk).slice(-4000);
      failures.feed(chunk.toString());
    });
    child.on('exit', (code, signal) => {
      const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tail)?.[1] ?? NaN);
      resolve({ label, code: code ?? (signal ? 1 : 0), tests: count('tests'), pass: count('pass'), fail: count('fail'), failures: failures.done() });
    });
  });
}

const results = [];
try {
  if (firstPass.length > 0) results.push(await runPass(only === 'sqlite' ? 'SQLite' : 'all tests (servers on SQLite)', firstPass, env));
  if (postgresPass.length > 0) results.push(await runPass('servers on PostgreSQL', postgresPass, { ...env, VIPPS_LOCAL_TEST_STORE: 'postgres' }));
} finally {
  stopCluster();
}

if (results.length > 1) {
  console.log('\n# summary');
  for (const r of results) console.log(`# ${r.label}: ${r.tests} tests, ${r.pass} pass, ${r.fail} fail${r.code !== 0 ? ` (exit ${r.code})` : ''}`);
}
for (const r of results) {
  if (r.failures.length === 0) continue;
  console.log(`\n# failed (${r.label}):`);
  for (const f of r.failures) console.log(f.replace(/^/gm, '#   '));
}
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
