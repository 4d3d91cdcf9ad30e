// Programmatic entry point for test suites: start a private vipps-local on a free port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyConfigFile, defaultConfig, type Config, type ConfigFile } from './platform/config.ts';
import { listen } from './server.ts';
import { advanceClock } from './engine/test-clock.ts';
import { paymentHelpers, resetPlatform, type PaymentHelpers, type ResetOptions } from './helpers.ts';

import { accountIdOf } from './faces/stripe/stripe-auth.ts';
export { DEFAULT_MERCHANT } from './platform/config.ts';
export { routeVippsSdk, vippsLocalFetch, VIPPS_ORIGINS, type VippsLocalFetchOptions, type VippsSdkRoute } from './vipps-local-fetch.ts';
export type { Config, ConfigFile } from './platform/config.ts';
export type { ApproveOptions, DeliveryAttempt, EpaymentClient, EpaymentResponse, LoggedDelivery, PaymentHelpers, PaymentState, RejectOptions, ResetOptions, WaitForWebhookOptions } from './helpers.ts';

export interface StartServerOptions extends ConfigFile {
  /** Log level; 'silent' by default for test suites. */
  logLevel?: string;
  /** The sales unit the helpers (approve, reject, expire, deliveries, waitFor…, epayment) act on; the default merchant's first when absent. */
  msn?: string;
}

export interface VippsLocal extends PaymentHelpers {
  url: string;
  port: number;
  /** The default merchant's credentials, ready for an integration's config. */
  credentials: { clientId: string; clientSecret: string; subscriptionKey: string; msn: string };
  /** The default merchant's Stripe keys (Vipps through the Stripe-compatible API on the same port). */
  stripe?: { secretKey: string; publishableKey: string; account: string };
  /**
   * The configured PSPs' credentials for the PSP API v3 (none unless `psps` is configured: no PSP acts
   * for the default merchant by default): the token is fetched with clientId/clientSecret and the
   * subscription key; calls send `Psp-Id` and the Merchant-Serial-Number of one of `msns`.
   */
  psps: { name: string; pspId: string; clientId: string; clientSecret: string; subscriptionKey: string; msns: string[] }[];
  /**
   * The operator API's token: send it as `X-Vipps-Local-Operator-Token` (or `Authorization: Bearer`).
   * Needed when the server listens on anything but loopback (or `operatorAccess: 'token'`); on
   * loopback a same-origin call with a JSON body or `X-Vipps-Local-Operator: 1` needs none.
   */
  operatorToken: string;
  /** Moves the platform clock forward and settles payments whose time ran out. */
  advanceClock(ms: number): Promise<void>;
  /**
   * Empties the database but for settings: payments, their events and adjustments, idempotency
   * records, webhook deliveries and their attempts, the request log, and every face's own table:
   * webhook registrations, Stripe objects, PSP payments, userinfo consents, order-management
   * receipts, categories and images (Platform.reset, store.reset). The clock is not set back.
   * `keepWebhooks: true` keeps the webhook registrations: they are read before the reset and
   * re-created after it (same ids, URLs, secrets, events and faults); the store itself has no
   * reset that spares them.
   */
  reset(options?: ResetOptions): Promise<void>;
  close(): Promise<void>;
}

/** Starts vipps-local on 127.0.0.1, a free port and (unless `database` is given) a temporary database. */
export async function startServer(options: StartServerOptions = {}): Promise<VippsLocal> {
  let tempDir: string | undefined;
  const { msn: helpersMsn, logLevel, ...configOptions } = options;
  const file: ConfigFile = { host: '127.0.0.1', port: 0, ...configOptions };
  if (!file.database) {
    tempDir = mkdtempSync(join(tmpdir(), 'vipps-local-'));
    file.database = join(tempDir, 'vipps-local.sqlite');
  }
  const config: Config = { ...applyConfigFile(defaultConfig(), file), logLevel: logLevel ?? 'silent' };
  const server = await listen(config);
  const merchant = config.merchants[0]!;
  const msn = helpersMsn ?? merchant.salesUnits[0]!.msn;
  const owner = config.merchants.find((m) => m.salesUnits.some((u) => u.msn === msn));
  if (!owner) {
    await server.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    throw new Error(`startServer: no configured merchant has sales unit ${msn}`);
  }
  const helpers = paymentHelpers(server.platform, { url: server.url, msn, clientId: owner.clientId, clientSecret: owner.clientSecret, subscriptionKey: owner.subscriptionKeys[0]! });
  return {
    ...helpers,
    url: server.url,
    port: server.port,
    credentials: {
      clientId: merchant.clientId,
      clientSecret: merchant.clientSecret,
      subscriptionKey: merchant.subscriptionKeys[0]!,
      msn: merchant.salesUnits[0]!.msn,
    },
    operatorToken: server.platform.operatorToken,
    psps: config.psps.map((p) => ({ name: p.name, pspId: p.pspId, clientId: p.clientId, clientSecret: p.clientSecret, subscriptionKey: p.subscriptionKeys[0]!, msns: [...p.msns] })),
    ...(merchant.stripe ? { stripe: { secretKey: merchant.stripe.secretKey, publishableKey: merchant.stripe.publishableKey, account: accountIdOf(merchant.stripe.secretKey) } } : {}),
    async advanceClock(ms) {
      await advanceClock(server.platform.engine, server.platform.clock, ms);
    },
    reset: (resetOptions) => resetPlatform(server.platform, resetOptions),
    async close() {
      await server.close();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

export const createVippsLocal = startServer;
