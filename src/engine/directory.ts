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
}

export interface Directory {
  merchants: Merchant[];
  merchantByClientId(clientId: string): Merchant | undefined;
  merchantBySubscriptionKey(key: string): Merchant | undefined;
  salesUnit(msn: string): SalesUnit | undefined;
  merchantOf(msn: string): Merchant | undefined;
  /** The app user with this number, or undefined if no such user can pay. */
  user(phoneNumber: string): TestUser | undefined;
  /** The test users the config names (the simulator offers them at sign-in). */
  testUsers: TestUser[];
  /** Whether any valid MSISDN is a user too. */
  acceptAnyUser: boolean;
}

export function buildDirectory(merchants: Merchant[], testUsers: TestUser[], acceptAnyUser: boolean): Directory {
  const byClient = new Map(merchants.map((m) => [m.clientId, m]));
  const byKey = new Map(merchants.flatMap((m) => m.subscriptionKeys.map((k) => [k, m] as const)));
  const units = new Map(merchants.flatMap((m) => m.salesUnits.map((u) => [u.msn, { unit: u, merchant: m }] as const)));
  const users = new Map(testUsers.map((u) => [u.phoneNumber, u]));
  return {
    merchants,
    merchantByClientId: (id) => byClient.get(id),
    merchantBySubscriptionKey: (key) => byKey.get(key),
    salesUnit: (msn) => units.get(msn)?.unit,
    merchantOf: (msn) => units.get(msn)?.merchant,
    user: (phone) => users.get(phone) ?? (acceptAnyUser ? generatedUser(phone) : undefined),
    testUsers,
    acceptAnyUser,
  };
}

export { defaultSalesUnit };
