// Who exists on this platform: merchants (with their sales units and credentials) and app users.
// Built from the config; the engine reads it, never writes it.
import { defaultSalesUnit, type SalesUnit } from '../domain/sales-unit.ts';
import { generatedUser, type TestUser } from '../domain/test-user.ts';

export interface Merchant {
  name: string;
  clientId: string;
  clientSecret: string;
  subscriptionKeys: string[];
  salesUnits: SalesUnit[];
  /** The merchant's Stripe account, for Vipps through a Stripe-compatible API. */
  stripe?: StripeAccount;
}

/** A Stripe account's API keys, and the sales unit its payments are made for. */
export interface StripeAccount {
  secretKey: string;
  publishableKey: string;
  msn: string;
}

/**
 * A payment service provider: its own API credentials (the access token and the subscription key
 * are the PSP's, the same for all its merchants), its Psp-Id, and the sales units it acts for.
 */
export interface Psp {
  name: string;
  pspId: string;
  clientId: string;
  clientSecret: string;
  subscriptionKeys: string[];
  msns: string[];
}

/** A Stripe API key resolved: whose it is, and whether it is the secret or the publishable one. */
export interface StripePrincipal extends Principal {
  kind: 'secret' | 'publishable';
}

/** A PSP's request resolved: the PSP, and the merchant and sales unit it acts for. */
export interface PspPrincipal extends Principal {
  psp: Psp;
}

/** Why a PSP's credentials do not resolve (each face words these in its own error format). */
export type PspRefusal = 'unknown-psp-id' | 'psp-id-not-the-token-client' | 'msn-not-the-psp';

/** Who holds a client id or a subscription key: a merchant, or a PSP. */
export type ApiClient = { kind: 'merchant'; merchant: Merchant } | { kind: 'psp'; psp: Psp };

/** Who a request acts for, whatever credentials it came with: a merchant and one of its sales units. */
export interface Principal {
  merchant: Merchant;
  /** The sales unit the request acts for. */
  msn: string;
}

export interface Directory {
  merchants: Merchant[];
  psps: Psp[];
  merchantByClientId(clientId: string): Merchant | undefined;
  merchantBySubscriptionKey(key: string): Merchant | undefined;
  /** The merchant or PSP with this client id (the Access Token API serves both). */
  clientById(clientId: string): ApiClient | undefined;
  clientBySubscriptionKey(key: string): ApiClient | undefined;
  pspById(pspId: string): Psp | undefined;
  /** The merchant, sales unit and kind of a Stripe API key. */
  stripeKey(key: string): StripePrincipal | undefined;
  /**
   * A PSP's request (PSP API v3, or ePayment with Psp-Id): the Psp-Id must be the PSP the access
   * token was issued to, and the Merchant-Serial-Number one of the sales units it acts for.
   */
  pspPrincipal(request: { pspId: string; tokenClientId: string; msn: string }): PspPrincipal | { refused: PspRefusal };
  salesUnit(msn: string): SalesUnit | undefined;
  merchantOf(msn: string): Merchant | undefined;
  /** The app user with this number, or undefined if no such user can pay. */
  user(phoneNumber: string): TestUser | undefined;
  /** The test users the config names (the simulator offers them at sign-in). */
  testUsers: TestUser[];
  /** Whether any valid MSISDN is a user too. */
  acceptAnyUser: boolean;
}

export interface DirectoryEntries {
  merchants: Merchant[];
  psps?: Psp[];
  testUsers: TestUser[];
  acceptAnyUser: boolean;
}

export function buildDirectory({ merchants, psps = [], testUsers, acceptAnyUser }: DirectoryEntries): Directory {
  const clients: ApiClient[] = [...merchants.map((merchant) => ({ kind: 'merchant' as const, merchant })), ...psps.map((psp) => ({ kind: 'psp' as const, psp }))];
  const keysOf = (c: ApiClient) => (c.kind === 'merchant' ? c.merchant.subscriptionKeys : c.psp.subscriptionKeys);
  const byClient = new Map(clients.map((c) => [c.kind === 'merchant' ? c.merchant.clientId : c.psp.clientId, c]));
  const byKey = new Map(clients.flatMap((c) => keysOf(c).map((k) => [k, c] as const)));
  const merchantOnly = (c: ApiClient | undefined) => (c?.kind === 'merchant' ? c.merchant : undefined);
  const stripeKeys = new Map<string, StripePrincipal>();
  for (const merchant of merchants) {
    if (!merchant.stripe) continue;
    stripeKeys.set(merchant.stripe.secretKey, { merchant, msn: merchant.stripe.msn, kind: 'secret' });
    stripeKeys.set(merchant.stripe.publishableKey, { merchant, msn: merchant.stripe.msn, kind: 'publishable' });
  }
  const pspsById = new Map(psps.map((p) => [p.pspId, p]));
  const units = new Map(merchants.flatMap((m) => m.salesUnits.map((u) => [u.msn, { unit: u, merchant: m }] as const)));
  const users = new Map(testUsers.map((u) => [u.phoneNumber, u]));
  return {
    merchants,
    psps,
    merchantByClientId: (id) => merchantOnly(byClient.get(id)),
    merchantBySubscriptionKey: (key) => merchantOnly(byKey.get(key)),
    clientById: (id) => byClient.get(id),
    clientBySubscriptionKey: (key) => byKey.get(key),
    pspById: (id) => pspsById.get(id),
    stripeKey: (key) => stripeKeys.get(key),
    pspPrincipal({ pspId, tokenClientId, msn }) {
      const psp = pspsById.get(pspId);
      if (!psp) return { refused: 'unknown-psp-id' };
      if (psp.clientId !== tokenClientId) return { refused: 'psp-id-not-the-token-client' };
      const merchant = psp.msns.includes(msn) ? units.get(msn)?.merchant : undefined;
      if (!merchant) return { refused: 'msn-not-the-psp' };
      return { psp, merchant, msn };
    },
    salesUnit: (msn) => units.get(msn)?.unit,
    merchantOf: (msn) => units.get(msn)?.merchant,
    user: (phone) => users.get(phone) ?? (acceptAnyUser ? generatedUser(phone) : undefined),
    testUsers,
    acceptAnyUser,
  };
}

export { defaultSalesUnit };
