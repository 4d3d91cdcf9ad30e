// Configuration: defaults, then a JSON config file, then environment variables, then CLI flags.
import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { defaultSalesUnit, type SalesUnit } from '../domain/sales-unit.ts';
import type { TestUser } from '../domain/test-user.ts';
import type { Merchant, Psp } from '../engine/directory.ts';
import { NO_FAULTS, type WebhookFaults } from '../store/store.ts';
import { applyLimits, DEFAULT_LIMITS, LimitsSchema, type Limits } from './limits.ts';
import { defaultOutboundTargets, type Resolver } from '../delivery/outbound-targets.ts';
import { isLoopbackHost } from './loopback.ts';

export { isLoopbackHost };

export const DEFAULT_MERCHANT = {
  name: 'vipps-local Test Merchant',
  clientId: 'b8d6c1e2-4f3a-4c5d-9e8f-0a1b2c3d4e5f',
  clientSecret: 'vipps-local-client-secret',
  subscriptionKey: 'vipps-local-subscription-key',
  msn: '123456',
  salesUnitName: 'vipps-local Test Shop',
  stripeSecretKey: 'sk_test_vippslocal',
  stripePublishableKey: 'pk_test_vippslocal',
} as const;

export const DEFAULT_TEST_USERS: TestUser[] = [
  {
    phoneNumber: '4712345678',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@example.com',
    birthDate: '1988-12-31',
    address: { addressLine1: 'Robert Levins gate 5', city: 'Oslo', country: 'NO', postCode: '0154' },
  },
  {
    phoneNumber: '4798765432',
    firstName: 'Young',
    lastName: 'Tester',
    email: 'young@example.com',
    birthDate: '2014-06-01',
    address: { addressLine1: 'Storgata 1', city: 'Bergen', country: 'NO', postCode: '5003' },
  },
];

const Currency = Type.Union([Type.Literal('NOK'), Type.Literal('DKK'), Type.Literal('EUR')]);
const SalesUnitConfig = Type.Object(
  {
    msn: Type.String({ pattern: '^[0-9]{4,10}$' }),
    name: Type.Optional(Type.String({ minLength: 1 })),
    currencies: Type.Optional(Type.Array(Currency, { minItems: 1 })),
    allowPushMessage: Type.Optional(Type.Boolean()),
    allowLongLiving: Type.Optional(Type.Boolean()),
    allowExpress: Type.Optional(Type.Boolean()),
    allowNin: Type.Optional(Type.Boolean()),
    allowSkipLandingPage: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const SubscriptionKeys = Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })]);
const Msn = Type.String({ pattern: '^[0-9]{4,10}$' });
const StripeAccountConfig = Type.Object(
  {
    secretKey: Type.String({ pattern: '^sk_test_[A-Za-z0-9_]+$' }),
    publishableKey: Type.String({ pattern: '^pk_test_[A-Za-z0-9_]+$' }),
    /** The sales unit Stripe's Vipps payments are made for; the merchant's first when left out. */
    salesUnit: Type.Optional(Msn),
  },
  { additionalProperties: false },
);
const MerchantConfig = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    clientId: Type.String({ minLength: 1 }),
    clientSecret: Type.String({ minLength: 1 }),
    subscriptionKey: SubscriptionKeys,
    salesUnits: Type.Array(Type.Union([Msn, SalesUnitConfig]), { minItems: 1 }),
    stripe: Type.Optional(StripeAccountConfig),
  },
  { additionalProperties: false },
);
const PspConfig = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    pspId: Type.String({ minLength: 1 }),
    clientId: Type.String({ minLength: 1 }),
    clientSecret: Type.String({ minLength: 1 }),
    subscriptionKey: SubscriptionKeys,
    /** The merchants' sales units this PSP acts for (each a sales unit of a configured merchant). */
    merchantSerialNumbers: Type.Array(Msn, { minItems: 1 }),
  },
  { additionalProperties: false },
);
const TestUserConfig = Type.Object(
  {
    phoneNumber: Type.String({ pattern: '^\\d{9,15}$' }),
    firstName: Type.String(),
    lastName: Type.String(),
    email: Type.String(),
    birthDate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    nin: Type.Optional(Type.String()),
    address: Type.Optional(
      Type.Object(
        { addressLine1: Type.String(), addressLine2: Type.Optional(Type.String()), city: Type.String(), country: Type.String(), postCode: Type.String() },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export const ConfigFileSchema = Type.Object(
  {
    host: Type.Optional(Type.String()),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    database: Type.Optional(Type.String()),
    publicUrl: Type.Optional(Type.String()),
    merchants: Type.Optional(Type.Array(MerchantConfig, { minItems: 1 })),
    psps: Type.Optional(Type.Array(PspConfig)),
    testUsers: Type.Optional(Type.Array(TestUserConfig)),
    acceptAnyUser: Type.Optional(Type.Boolean()),
    accessTokenLifetimeSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
    testClock: Type.Optional(Type.Boolean()),
    sweepIntervalMs: Type.Optional(Type.Integer({ minimum: 10 })),
    limits: Type.Optional(LimitsSchema),
    idempotencyRetentionHours: Type.Optional(Type.Integer({ minimum: 24 })),
    sqliteSynchronous: Type.Optional(Type.Union([Type.Literal('normal'), Type.Literal('full')])),
    postgresPoolSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    postgresLockTimeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000 })),
    webhooksRequireHttps: Type.Optional(Type.Boolean()),
    expressCallbackCase: Type.Optional(Type.Union([Type.Literal('camelCase'), Type.Literal('PascalCase')])),
    expressCallbackTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000 })),
    makePaymentTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000 })),
    cardCallbackTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000 })),
    rateLimits: Type.Optional(Type.Union([Type.Literal('off'), Type.Literal('test-environment')])),
    strictRequests: Type.Optional(Type.Boolean()),
    /** The terminal's log lines: 'pretty' (readable, the CLI's default) or 'json' (one object per line). Also VIPPS_LOCAL_LOG_FORMAT, --log-format. */
    logFormat: Type.Optional(Type.Union([Type.Literal('pretty'), Type.Literal('json')])),
    webhookRetryDelaysMs: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1 })),
    webhookTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000 })),
    webhookPollIntervalMs: Type.Optional(Type.Integer({ minimum: 10 })),
    /**
     * The operator API's token (at least 16 characters); generated once and kept in the database
     * when left out. Also VIPPS_LOCAL_OPERATOR_TOKEN.
     */
    operatorToken: Type.Optional(Type.String({ minLength: 16, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' })),
    /**
     * 'token': every operator call but health needs the operator token. 'loopback-open': calls
     * without it are allowed, from the same origin only. Default: 'loopback-open' when `host` is a
     * loopback address, 'token' otherwise. Also VIPPS_LOCAL_OPERATOR_ACCESS.
     */
    operatorAccess: Type.Optional(Type.Union([Type.Literal('token'), Type.Literal('loopback-open')])),
    outboundTargets: Type.Optional(Type.Union([Type.Literal('any'), Type.Literal('public-only')])),
    webhookMaxInFlightPerTarget: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
    webhookMaxInFlightPerHost: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
    webhookFaults: Type.Optional(
      Type.Object(
        { duplicate: Type.Optional(Type.Boolean()), delayMs: Type.Optional(Type.Integer({ minimum: 0 })), outOfOrder: Type.Optional(Type.Boolean()) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ConfigFile = Static<typeof ConfigFileSchema>;

export interface Config {
  host: string;
  port: number;
  /** A SQLite file path, ':memory:', or a postgres:// (postgresql://) URL. */
  database: string;
  /** Base of the URLs handed to shoppers; defaults to http://host:port. */
  publicUrl?: string;
  merchants: Merchant[];
  /** Payment service providers (none by default). */
  psps: Psp[];
  testUsers: TestUser[];
  acceptAnyUser: boolean;
  accessTokenLifetimeSeconds: number;
  testClock: boolean;
  sweepIntervalMs: number;
  /** Timeouts and caps for slow or greedy clients (platform/limits.ts). */
  limits: Limits;
  idempotencyRetentionHours: number;
  sqliteSynchronous: 'normal' | 'full';
  /** PostgreSQL: connections in this instance's pool. */
  postgresPoolSize: number;
  /** PostgreSQL: longest wait for a payment's lock before the operation answers 423 / 6160. */
  postgresLockTimeoutMs: number;
  logLevel: string;
  /**
   * How log lines are written: 'pretty' (one readable line per request and webhook attempt, through
   * pino-pretty) or 'json' (pino's one object per line, the same facts as fields). The CLI's
   * default is 'pretty' at level info (cliDefaultConfig); programmatic servers default to 'json'.
   */
  logFormat: LogFormat;
  /** Refuse http:// webhook URLs even for localhost, as the real platform does. */
  webhooksRequireHttps: boolean;
  /** Express: the casing of the dynamic shipping callback's body (camelCase, as the official plugins read it, or the spec's PascalCase). */
  expressCallbackCase: 'camelCase' | 'PascalCase';
  /** Express: how long the shipping callback may take (10 s, as eCom's did). */
  expressCallbackTimeoutMs: number;
  /** PSP API: how long makePayment waits for the PSP's answer (documented: 15 s). */
  makePaymentTimeoutMs: number;
  /** How long ePayment card passthrough waits for the PSP's card callback answer (the platform's 20 s). */
  cardCallbackTimeoutMs: number;
  /** 'test-environment' applies the documented ePayment rate limits (429 with Retry-After). */
  rateLimits: 'off' | 'test-environment';
  /**
   * Refuse what the platform accepts leniently (a path in another case, unknown properties, a
   * number for a string, null for an optional field, http:// merchant URLs): each is a 400 (404
   * for paths) instead of a `Vipps-Local-Warning`.
   */
  strictRequests: boolean;
  /** Delays between delivery attempts; the platform's schedule when undefined. */
  webhookRetryDelaysMs?: number[];
  webhookTimeoutMs: number;
  webhookPollIntervalMs: number;
  webhookFaults: WebhookFaults;
  /** The operator API's token; generated once and kept in the database when undefined. */
  operatorToken?: string;
  /** How the operator API is guarded; by `host` when undefined (operatorAccessOf). */
  operatorAccess?: OperatorAccess;
  /**
   * Where vipps-local's own calls (webhooks, Express, PSP and card callbacks) may go. 'public-only'
   * refuses loopback, private, link-local and other special-purpose addresses (after resolving the
   * name); 'any' allows them. Never to vipps-local itself, either way. Undefined: 'any' when `host`
   * is loopback (127.0.0.1, ::1, localhost), else 'public-only' (outboundTargetsOf).
   */
  outboundTargets?: 'any' | 'public-only';
  /** Programmatic only (tests): resolves names for outbound calls; dns.lookup when absent. */
  outboundResolver?: Resolver;
  /** Webhook deliveries in flight at once to one registration (or Stripe endpoint). */
  webhookMaxInFlightPerTarget: number;
  /** Webhook deliveries in flight at once to one host and port, all registrations together. */
  webhookMaxInFlightPerHost: number;
}

export type LogFormat = 'pretty' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['pretty', 'json'];

/**
 * 'token': the operator API (but health) needs the operator token. 'loopback-open': it may be
 * called without one, but only from the same origin (faces/operator/operator-access.ts).
 */
export type OperatorAccess = 'token' | 'loopback-open';

/** The configured operator access, or the default for where the server listens. */
export function operatorAccessOf(config: Pick<Config, 'host' | 'operatorAccess'>): OperatorAccess {
  return config.operatorAccess ?? (isLoopbackHost(config.host) ? 'loopback-open' : 'token');
}

/** The outbound-target policy in force: the config's, else by the address vipps-local listens on. */
export function outboundTargetsOf(config: Pick<Config, 'host' | 'outboundTargets'>): 'any' | 'public-only' {
  return config.outboundTargets ?? defaultOutboundTargets(config.host);
}

export function defaultMerchants(): Merchant[] {
  return [
    {
      name: DEFAULT_MERCHANT.name,
      clientId: DEFAULT_MERCHANT.clientId,
      clientSecret: DEFAULT_MERCHANT.clientSecret,
      subscriptionKeys: [DEFAULT_MERCHANT.subscriptionKey],
      salesUnits: [defaultSalesUnit(DEFAULT_MERCHANT.msn, DEFAULT_MERCHANT.salesUnitName)],
      stripe: { secretKey: DEFAULT_MERCHANT.stripeSecretKey, publishableKey: DEFAULT_MERCHANT.stripePublishableKey, msn: DEFAULT_MERCHANT.msn },
    },
  ];
}

export function defaultConfig(): Config {
  return {
    host: '127.0.0.1',
    port: 8787,
    database: './data/vipps-local.sqlite',
    merchants: defaultMerchants(),
    psps: [],
    testUsers: DEFAULT_TEST_USERS,
    acceptAnyUser: true,
    accessTokenLifetimeSeconds: 3600,
    testClock: true,
    sweepIntervalMs: 1000,
    limits: DEFAULT_LIMITS,
    idempotencyRetentionHours: 48,
    sqliteSynchronous: 'normal',
    postgresPoolSize: 10,
    postgresLockTimeoutMs: 2000,
    logLevel: 'warn',
    logFormat: 'json',
    webhooksRequireHttps: false,
    expressCallbackCase: 'camelCase',
    expressCallbackTimeoutMs: 10_000,
    makePaymentTimeoutMs: 15_000,
    cardCallbackTimeoutMs: 20_000,
    rateLimits: 'off',
    strictRequests: false,
    webhookTimeoutMs: 10_000,
    webhookPollIntervalMs: 200,
    webhookFaults: NO_FAULTS,
    webhookMaxInFlightPerTarget: 8,
    webhookMaxInFlightPerHost: 16,
  };
}

/**
 * What `vipps-local` (the CLI) starts from: readable lines at level info, so that every request and
 * webhook attempt shows in the terminal. Programmatic servers (startServer, buildPlatform) keep
 * defaultConfig's: JSON, and a level they choose (startServer: silent).
 */
export function cliDefaultConfig(): Config {
  return { ...defaultConfig(), logLevel: 'info', logFormat: 'pretty' };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function readConfigFile(path: string): ConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`Cannot read config file ${path}: ${(err as Error).message}`);
  }
  const errors = [...Value.Errors(ConfigFileSchema, raw)];
  if (errors.length > 0) {
    throw new ConfigError(`Invalid config file ${path}:\n${errors.slice(0, 10).map((e) => `  ${e.path || '/'}: ${e.message}`).join('\n')}`);
  }
  return raw as ConfigFile;
}

function salesUnitFrom(entry: string | Static<typeof SalesUnitConfig>, merchantName: string): SalesUnit {
  if (typeof entry === 'string') return defaultSalesUnit(entry, merchantName);
  const base = defaultSalesUnit(entry.msn, entry.name ?? merchantName);
  return {
    ...base,
    ...(entry.currencies ? { currencies: entry.currencies } : {}),
    ...(entry.allowPushMessage !== undefined ? { allowPushMessage: entry.allowPushMessage } : {}),
    ...(entry.allowLongLiving !== undefined ? { allowLongLiving: entry.allowLongLiving } : {}),
    ...(entry.allowExpress !== undefined ? { allowExpress: entry.allowExpress } : {}),
    ...(entry.allowNin !== undefined ? { allowNin: entry.allowNin } : {}),
    ...(entry.allowSkipLandingPage !== undefined ? { allowSkipLandingPage: entry.allowSkipLandingPage } : {}),
  };
}

export function applyConfigFile(base: Config, file: ConfigFile): Config {
  const next: Config = { ...base };
  if (file.host !== undefined) next.host = file.host;
  if (file.port !== undefined) next.port = file.port;
  if (file.database !== undefined) next.database = file.database;
  if (file.publicUrl !== undefined) next.publicUrl = file.publicUrl;
  if (file.merchants) next.merchants = file.merchants.map(merchantFrom);
  if (file.psps) next.psps = file.psps.map(pspFrom);
  if (file.merchants || file.psps) assertCredentialsUnique(next.merchants, next.psps);
  if (file.testUsers) next.testUsers = file.testUsers;
  if (file.acceptAnyUser !== undefined) next.acceptAnyUser = file.acceptAnyUser;
  if (file.accessTokenLifetimeSeconds !== undefined) next.accessTokenLifetimeSeconds = file.accessTokenLifetimeSeconds;
  if (file.testClock !== undefined) next.testClock = file.testClock;
  if (file.sweepIntervalMs !== undefined) next.sweepIntervalMs = file.sweepIntervalMs;
  if (file.limits !== undefined) next.limits = applyLimits(next.limits, file.limits);
  if (file.idempotencyRetentionHours !== undefined) next.idempotencyRetentionHours = file.idempotencyRetentionHours;
  if (file.sqliteSynchronous !== undefined) next.sqliteSynchronous = file.sqliteSynchronous;
  if (file.postgresPoolSize !== undefined) next.postgresPoolSize = file.postgresPoolSize;
  if (file.postgresLockTimeoutMs !== undefined) next.postgresLockTimeoutMs = file.postgresLockTimeoutMs;
  if (file.webhooksRequireHttps !== undefined) next.webhooksRequireHttps = file.webhooksRequireHttps;
  if (file.expressCallbackCase !== undefined) next.expressCallbackCase = file.expressCallbackCase;
  if (file.expressCallbackTimeoutMs !== undefined) next.expressCallbackTimeoutMs = file.expressCallbackTimeoutMs;
  if (file.makePaymentTimeoutMs !== undefined) next.makePaymentTimeoutMs = file.makePaymentTimeoutMs;
  if (file.cardCallbackTimeoutMs !== undefined) next.cardCallbackTimeoutMs = file.cardCallbackTimeoutMs;
  if (file.rateLimits !== undefined) next.rateLimits = file.rateLimits;
  if (file.strictRequests !== undefined) next.strictRequests = file.strictRequests;
  if (file.logFormat !== undefined) next.logFormat = file.logFormat;
  if (file.webhookRetryDelaysMs !== undefined) next.webhookRetryDelaysMs = file.webhookRetryDelaysMs;
  if (file.webhookTimeoutMs !== undefined) next.webhookTimeoutMs = file.webhookTimeoutMs;
  if (file.webhookPollIntervalMs !== undefined) next.webhookPollIntervalMs = file.webhookPollIntervalMs;
  if (file.operatorToken !== undefined) next.operatorToken = file.operatorToken;
  if (file.operatorAccess !== undefined) next.operatorAccess = file.operatorAccess;
  if (file.outboundTargets !== undefined) next.outboundTargets = file.outboundTargets;
  if (file.webhookMaxInFlightPerTarget !== undefined) next.webhookMaxInFlightPerTarget = file.webhookMaxInFlightPerTarget;
  if (file.webhookMaxInFlightPerHost !== undefined) next.webhookMaxInFlightPerHost = file.webhookMaxInFlightPerHost;
  if (file.webhookFaults !== undefined) next.webhookFaults = { ...NO_FAULTS, ...file.webhookFaults };
  return next;
}

function merchantFrom(m: Static<typeof MerchantConfig>): Merchant {
  const salesUnits = m.salesUnits.map((u) => salesUnitFrom(u, m.name));
  const merchant: Merchant = {
    name: m.name,
    clientId: m.clientId,
    clientSecret: m.clientSecret,
    subscriptionKeys: Array.isArray(m.subscriptionKey) ? m.subscriptionKey : [m.subscriptionKey],
    salesUnits,
  };
  if (m.stripe) {
    const msn = m.stripe.salesUnit ?? salesUnits[0]!.msn;
    if (!salesUnits.some((u) => u.msn === msn)) throw new ConfigError(`Config: merchant "${m.name}": stripe.salesUnit ${msn} is not one of its salesUnits.`);
    merchant.stripe = { secretKey: m.stripe.secretKey, publishableKey: m.stripe.publishableKey, msn };
  }
  return merchant;
}

function pspFrom(p: Static<typeof PspConfig>): Psp {
  return {
    name: p.name,
    pspId: p.pspId,
    clientId: p.clientId,
    clientSecret: p.clientSecret,
    subscriptionKeys: Array.isArray(p.subscriptionKey) ? p.subscriptionKey : [p.subscriptionKey],
    msns: [...new Set(p.merchantSerialNumbers)],
  };
}

/** Each credential names one holder: client ids and subscription keys across merchants and PSPs, Stripe keys, Psp-Ids, MSNs. */
function assertCredentialsUnique(merchants: Merchant[], psps: Psp[]): void {
  assertUnique([...merchants.map((m) => m.clientId), ...psps.map((p) => p.clientId)], 'clientId');
  assertUnique([...merchants.flatMap((m) => m.subscriptionKeys), ...psps.flatMap((p) => p.subscriptionKeys)], 'subscriptionKey');
  assertUnique(merchants.flatMap((m) => m.salesUnits.map((u) => u.msn)), 'sales unit msn');
  assertUnique(merchants.flatMap((m) => (m.stripe ? [m.stripe.secretKey, m.stripe.publishableKey] : [])), 'Stripe key');
  assertUnique(psps.map((p) => p.pspId), 'pspId');
  const msns = new Set(merchants.flatMap((m) => m.salesUnits.map((u) => u.msn)));
  for (const p of psps) {
    const unknown = p.msns.filter((msn) => !msns.has(msn));
    if (unknown.length > 0) throw new ConfigError(`Config: PSP "${p.name}": merchantSerialNumbers ${unknown.join(', ')} are not sales units of any configured merchant.`);
  }
}

function assertUnique(values: string[], what: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new ConfigError(`Config: ${what} "${v}" appears more than once.`);
    seen.add(v);
  }
}

/** Flags after `npm start --` and environment variables over the CLI's defaults (cliDefaultConfig); flags win. */
export function resolveConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const flags = parseFlags(argv);
  const configPath = flags.config ?? env.VIPPS_LOCAL_CONFIG;
  let config = cliDefaultConfig();
  if (configPath) config = applyConfigFile(config, readConfigFile(configPath));
  const pick = (flag: string | undefined, envName: string) => flag ?? (env[envName] || undefined);
  const host = pick(flags.host, 'HOST');
  const port = pick(flags.port, 'PORT');
  const database = pick(flags.database, 'DATABASE_URL');
  const publicUrl = pick(flags['public-url'], 'PUBLIC_URL');
  if (host) config.host = host;
  if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`--port must be an integer from 0 to 65535, got "${port}".`);
    config.port = n;
  }
  if (database) config.database = database;
  if (publicUrl) {
    if (!/^https?:\/\/[^\s/]+/i.test(publicUrl)) throw new ConfigError(`--public-url (PUBLIC_URL) must be an http:// or https:// URL, got "${publicUrl}".`);
    config.publicUrl = publicUrl.replace(/\/+$/, '');
  }
  if (flags['no-test-clock'] !== undefined) config.testClock = false;
  const logLevel = pick(flags['log-level'], 'LOG_LEVEL');
  if (logLevel) {
    if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`--log-level (LOG_LEVEL) must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}".`);
    config.logLevel = logLevel;
  }
  const logFormat = pick(flags['log-format'], 'VIPPS_LOCAL_LOG_FORMAT');
  if (logFormat) {
    if (!(LOG_FORMATS as readonly string[]).includes(logFormat)) throw new ConfigError(`--log-format (VIPPS_LOCAL_LOG_FORMAT) must be one of ${LOG_FORMATS.join(', ')}, got "${logFormat}".`);
    config.logFormat = logFormat as LogFormat;
  }
  const operatorToken = env.VIPPS_LOCAL_OPERATOR_TOKEN || undefined;
  if (operatorToken !== undefined) {
    if (!/^[\x21-\x7e]{16,200}$/.test(operatorToken)) throw new ConfigError('VIPPS_LOCAL_OPERATOR_TOKEN must be 16 to 200 printable characters without spaces.');
    config.operatorToken = operatorToken;
  }
  const operatorAccess = env.VIPPS_LOCAL_OPERATOR_ACCESS || undefined;
  if (operatorAccess !== undefined) {
    if (operatorAccess !== 'token' && operatorAccess !== 'loopback-open') throw new ConfigError(`VIPPS_LOCAL_OPERATOR_ACCESS must be token or loopback-open, got "${operatorAccess}".`);
    config.operatorAccess = operatorAccess;
  }
  if (env.VIPPS_LOCAL_OUTBOUND_TARGETS) {
    if (env.VIPPS_LOCAL_OUTBOUND_TARGETS !== 'any' && env.VIPPS_LOCAL_OUTBOUND_TARGETS !== 'public-only') {
      throw new ConfigError(`VIPPS_LOCAL_OUTBOUND_TARGETS must be any or public-only, got "${env.VIPPS_LOCAL_OUTBOUND_TARGETS}".`);
    }
    config.outboundTargets = env.VIPPS_LOCAL_OUTBOUND_TARGETS;
  }
  if (flags['strict-requests'] !== undefined) config.strictRequests = true;
  else if (env.VIPPS_LOCAL_STRICT_REQUESTS) config.strictRequests = envFlag(env.VIPPS_LOCAL_STRICT_REQUESTS, 'VIPPS_LOCAL_STRICT_REQUESTS');
  return config;
}

/** The log levels pino knows, and silent. */
export const LOG_LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** A boolean environment variable: 1/true/yes or 0/false/no. */
function envFlag(value: string, name: string): boolean {
  if (/^(1|true|yes)$/i.test(value)) return true;
  if (/^(0|false|no)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be 1 or 0 (true or false), got "${value}".`);
}

const KNOWN_FLAGS = new Set(['host', 'port', 'database', 'config', 'public-url', 'no-test-clock', 'strict-requests', 'log-level', 'log-format', 'help']);
const BOOLEAN_FLAGS = new Set(['no-test-clock', 'strict-requests', 'help']);

export function parseFlags(argv: string[]): Record<string, string | undefined> {
  const flags: Record<string, string | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new ConfigError(`Unexpected argument "${arg}". Options look like --port 8787.`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (!KNOWN_FLAGS.has(name)) throw new ConfigError(`Unknown option --${name}. Known: ${[...KNOWN_FLAGS].map((f) => `--${f}`).join(', ')}.`);
    if (BOOLEAN_FLAGS.has(name)) {
      flags[name] = 'true';
    } else if (inline !== undefined) {
      flags[name] = inline;
    } else {
      const value = argv[++i];
      if (value === undefined) throw new ConfigError(`Option --${name} needs a value.`);
      flags[name] = value;
    }
  }
  return flags;
}
