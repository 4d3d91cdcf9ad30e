// `npm start` / `vipps-local [start]`: run the platform until interrupted.
import { ConfigError, resolveConfig } from '../platform/config.ts';
import { listen } from '../server.ts';
import { COMMANDS_HELP } from './commands.ts';

const HELP = `vipps-local: a local Vipps MobilePay platform

Usage: npm start -- [options]      (or: vipps-local [start] [options])

  --host HOST           address to listen on (env HOST, default 127.0.0.1)
  --port PORT           port (env PORT, default 8787; 0 picks a free one)
  --database PATH|URL   SQLite file, or a postgres:// URL (env DATABASE_URL,
                        default ./data/vipps-local.sqlite)
  --config FILE         JSON config with merchants and test users (env VIPPS_LOCAL_CONFIG)
  --public-url URL      base of shopper-facing URLs (env PUBLIC_URL, default http://HOST:PORT)
  --no-test-clock       forbid moving the clock through the operator API
  --strict-requests     refuse what the platform accepts leniently (unknown properties,
                        numbers for strings, paths in another case, ...) instead of
                        warning in the Vipps-Local-Warning header (env VIPPS_LOCAL_STRICT_REQUESTS=1)
  --log-level LEVEL     fatal|error|warn|info|debug|silent (env LOG_LEVEL, default info)
  --log-format FORMAT   pretty|json: readable lines, or one JSON object per line
                        (env VIPPS_LOCAL_LOG_FORMAT, config logFormat, default pretty)

  Operator API (/vipps-local/v1/...): its token is printed as operator_token (env
  VIPPS_LOCAL_OPERATOR_TOKEN or config operatorToken sets it; otherwise it is generated once
  and kept in the database). It is required when HOST is not loopback; on loopback, calls from
  the same origin need none (env VIPPS_LOCAL_OPERATOR_ACCESS=token|loopback-open overrides).

${COMMANDS_HELP}`;

/** A postgres:// URL as it may be printed: the password masked. */
function withoutPassword(database: string): string {
  if (!/^postgres(ql)?:\/\//i.test(database)) return database;
  try {
    const url = new URL(database);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'a PostgreSQL URL';
  }
}

/** A plain sentence for the address problems a first start meets (port taken, no permission), or undefined. */
function listenProblemOf(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e?.syscall !== 'listen') return undefined;
  const where = `${e.address ?? 'the address'}:${e.port ?? '?'}`;
  const other = e.port !== undefined ? e.port + 1 : 8788;
  if (e.code === 'EADDRINUSE') return `${where} is already in use (another vipps-local, or another server?). Stop it, or start on another port: --port ${other} (PORT=${other}), or --port 0 for any free one.`;
  if (e.code === 'EACCES') return `no permission to listen on ${where} (ports below 1024 need privileges). Choose a port above 1023: --port 8787.`;
  if (e.code === 'EADDRNOTAVAIL') return `${where} is not an address of this machine. Use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface).`;
  return undefined;
}

/** Runs the platform until SIGINT or SIGTERM; exits the process on a configuration it refuses. */
export async function start(argv: string[]): Promise<void> {
  try {
    await run(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`vipps-local: ${err.message}\n`);
      process.exit(EXIT_BAD_CONFIG);
    }
    const listenProblem = listenProblemOf(err);
    if (listenProblem) {
      process.stderr.write(`vipps-local: ${listenProblem}\n`);
      process.exit(EXIT_FAILURE);
    }
    process.stderr.write(`vipps-local: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(EXIT_FAILURE);
  }
}

async function run(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const config = resolveConfig(argv, process.env);
  const server = await listen(config);
  const m = config.merchants[0]!;
  const lines = [
    `vipps-local is running at ${server.url}`,
    `Dashboard: ${server.url}/`,
    `Phone-app simulator: ${server.url}/app`,
    `API reference: ${server.url}/docs`,
    `database: ${withoutPassword(config.database)}`,
    '',
    'Default merchant credentials:',
    `client_id: ${m.clientId}`,
    `client_secret: ${m.clientSecret}`,
    `subscription_key: ${m.subscriptionKeys[0]}`,
    `msn: ${m.salesUnits[0]!.msn}`,
    ...(m.stripe ? [`stripe_secret_key: ${m.stripe.secretKey}`, `stripe_publishable_key: ${m.stripe.publishableKey}`] : []),
    '',
    `Operator API (${server.url}/vipps-local/v1/…): ${server.platform.operatorAccess === 'token' ? 'send the operator token as X-Vipps-Local-Operator-Token' : 'open to same-origin calls on loopback (JSON or X-Vipps-Local-Operator: 1); from elsewhere send the operator token as X-Vipps-Local-Operator-Token'}`,
    `operator_token: ${server.platform.operatorToken}`,
    '',
    'Get an access token:',
    `curl -s -X POST ${server.url}/accesstoken/get -H 'client_id: ${m.clientId}' -H 'client_secret: ${m.clientSecret}' -H 'Ocp-Apim-Subscription-Key: ${m.subscriptionKeys[0]}' --data ''`,
    '',
    ...(m.stripe
      ? ['Vipps through Stripe (stripe-node: new Stripe(key, { host, port, protocol: "http" })):', `curl -s ${server.url}/v1/payment_intents -u ${m.stripe.secretKey}: -H 'Stripe-Version: 2026-02-25.preview; vipps_preview=v1' -d amount=1099 -d currency=nok -d 'payment_method_types[]=vipps'`, '']
      : []),
  ];
  // Handlers first, output second: whoever reads the output may signal at once.
  const stop = async (signal: string) => {
    process.stdout.write(`\n${signal}: stopping vipps-local\n`);
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.stdout.write(lines.join('\n') + '\n');
}

/** Exit codes: 1 for a failure while running, 2 for a configuration the platform refuses to start with. */
const EXIT_FAILURE = 1;
const EXIT_BAD_CONFIG = 2;
