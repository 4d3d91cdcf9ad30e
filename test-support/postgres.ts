// PostgreSQL for tests and the benchmark: a real server, never a mock.
//
// - PG_TEST_URL set (npm test sets it: scripts/run-tests.mjs starts one cluster for the whole run,
//   or point it at a server of your own): tests use that server.
// - Otherwise (node --test on one file) the first call starts a private cluster for this process:
//   initdb into a temporary folder, pg_ctl start on a free port on 127.0.0.1, stopped and removed
//   when the process exits.
// Every test database is fresh (a schema of its own with a random name, see createTestDatabase), so
// test files and servers run in parallel without seeing each other's data.
// initdb and postgres refuse to run as root: as root, the cluster runs as the `postgres` user
// (or `nobody`), through runuser.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres (superuser, trust authentication). */
  url: string;
  dataDir: string;
  /** Stops the server and removes its folder (synchronous, so it can run in an exit handler). */
  stop(): void;
}

export interface ClusterOptions {
  /**
   * false (tests): fsync and full-page writes off, which is faster and loses nothing unless the
   * machine itself crashes. true (benchmark): PostgreSQL's durable defaults.
   */
  durable?: boolean;
  maxConnections?: number;
}

/** Where the server binaries are: PG_BIN, else PostgreSQL 15's Debian location. */
export function postgresBinDir(): string {
  return process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
}

export function postgresAvailable(): boolean {
  return existsSync(join(postgresBinDir(), 'initdb')) && existsSync(join(postgresBinDir(), 'pg_ctl'));
}

/** The account the server runs as when we are root (PostgreSQL refuses to run as root). */
function serverAccount(): { name: string; uid: number; gid: number } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':'));
  for (const name of ['postgres', 'nobody']) {
    const entry = passwd.find((f) => f[0] === name);
    if (entry) return { name, uid: Number(entry[2]), gid: Number(entry[3]) };
  }
  throw new Error('running as root, and neither a postgres nor a nobody account exists to run PostgreSQL as');
}

function run(account: ReturnType<typeof serverAccount>, command: string, args: string[], cwd: string): string {
  const [file, argv] = account ? ['runuser', ['-u', account.name, '--', command, ...args]] : [command, args];
  const result = spawnSync(file, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** initdb into a temporary folder and start the server on a free port on 127.0.0.1. */
export async function startPostgresCluster(options: ClusterOptions = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (!postgresAvailable()) {
    throw new Error(`PostgreSQL server binaries not found in ${bin} (install postgresql-15, or set PG_BIN or PG_TEST_URL)`);
  }
  const account = serverAccount();
  const dir = mkdtempSync(join(tmpdir(), 'vipps-local-pg-'));
  if (account) chownSync(dir, account.uid, account.gid);
  const dataDir = join(dir, 'data');
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    run(account, join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], dir);
    const settings = [
      `-c listen_addresses=127.0.0.1`,
      `-c unix_socket_directories=${dir}`,
      `-c max_connections=${options.maxConnections ?? 300}`,
      ...(options.durable ? [] : ['-c fsync=off', '-c full_page_writes=off']),
    ];
    for (let tries = 1; ; tries++) {
      const port = await freePort();
      try {
        run(account, join(bin, 'pg_ctl'), ['start', '-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} ${settings.join(' ')}`], dir);
      } catch (err) {
        if (tries < 3) continue; // the port was taken between finding and binding it
        throw new Error(`${(err as Error).message}\n${readLog(dir)}`);
      }
      const watchdog = startWatchdog(account, join(bin, 'pg_ctl'), dataDir, dir);
      let stopped = false;
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        dataDir,
        stop() {
          if (stopped) return;
          stopped = true;
          watchdog.kill();
          try {
            run(account, join(bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '30'], dir);
          } finally {
            remove();
          }
        },
      };
    }
  } catch (err) {
    remove();
    throw err;
  }
}

/**
 * A detached shell that stops the cluster and removes its folder once this process is gone, however
 * it ended (an exit handler does not run on SIGKILL or an unhandled signal).
 */
function startWatchdog(account: ReturnType<typeof serverAccount>, pgCtl: string, dataDir: string, dir: string) {
  const script = [
    'owner=$1; pgctl=$2; data=$3; dir=$4; shift 4',
    'while kill -0 "$owner" 2>/dev/null; do sleep 1; done',
    '"$@" "$pgctl" stop -D "$data" -m immediate -w >/dev/null 2>&1',
    'rm -rf "$dir"',
  ].join('\n');
  const asUser = account ? ['runuser', '-u', account.name, '--'] : [];
  const child = spawn('sh', ['-c', script, 'vipps-local-pg-watchdog', String(process.pid), pgCtl, dataDir, dir, ...asUser], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return child;
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'server.log'), 'utf8').slice(-4000);
  } catch {
    return '';
  }
}

let ownCluster: Promise<PostgresCluster> | undefined;

/** The server tests use: PG_TEST_URL, or this process's own cluster (started on first use, stopped at exit). */
export function testPostgresUrl(): Promise<string> {
  if (process.env.PG_TEST_URL) return Promise.resolve(process.env.PG_TEST_URL);
  ownCluster ??= startPostgresCluster().then((cluster) => {
    process.once('exit', () => cluster.stop());
    return cluster;
  });
  return ownCluster.then((c) => c.url);
}

/** The same server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The schema a URL made by createTestDatabase points at (through its search_path option). */
function schemaOf(url: string): string | null {
  const options = new URL(url).searchParams.get('options') ?? '';
  return /(?:^|\s)-c\s*search_path=([a-z0-9_]+)/.exec(options)?.[1] ?? null;
}

/**
 * An empty database of its own for one store or server: a new schema with a random name on the
 * test server, named in the URL's search_path (`?options=-c search_path=...`), so every table
 * vipps-local creates and reads is in it. Far cheaper than CREATE DATABASE (which copies a template
 * and checkpoints), and as isolated for vipps-local: test files and servers run in parallel.
 */
export async function createTestDatabase(prefix = 'vipps_test'): Promise<string> {
  const server = await testPostgresUrl();
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withClient(server, (c) => c.query(`CREATE SCHEMA ${schema}`));
  const u = new URL(server);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** Drops what createTestDatabase made (after the stores using it are closed). Best effort. */
export async function dropTestDatabase(url: string): Promise<void> {
  const schema = schemaOf(url);
  if (!schema) throw new Error(`not a URL made by createTestDatabase: ${url}`);
  try {
    const server = new URL(url);
    server.searchParams.delete('options');
    await withClient(server.toString(), (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  } catch {
    // a leftover schema in a throwaway cluster harms nothing
  }
}

/** Runs `fn` with a connected client, and ends it. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Which store the HTTP suites run on: VIPPS_LOCAL_TEST_STORE=postgres (npm test's second pass) or SQLite. */
export function testStoreKind(): 'sqlite' | 'postgres' {
  const kind = (process.env.VIPPS_LOCAL_TEST_STORE ?? 'sqlite').toLowerCase();
  if (kind === 'postgres' || kind === 'postgresql' || kind === 'pg') return 'postgres';
  if (kind === 'sqlite') return 'sqlite';
  throw new Error(`VIPPS_LOCAL_TEST_STORE must be sqlite or postgres, got "${process.env.VIPPS_LOCAL_TEST_STORE}"`);
}
