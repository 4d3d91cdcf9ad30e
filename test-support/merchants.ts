// Two merchants for tests that need more than the default one: A with two sales units, B with one.
import { DEFAULT_MERCHANT } from '../src/platform/config.ts';
import type { Credentials } from './api-client.ts';

export interface TestMerchant {
  name: string;
  clientId: string;
  clientSecret: string;
  subscriptionKey: string;
  salesUnits: string[];
}

export const MERCHANT_A: TestMerchant = {
  name: 'Merchant A',
  clientId: 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa',
  clientSecret: 'secret-a',
  subscriptionKey: 'subscription-key-a',
  salesUnits: ['123456', '234567'],
};

export const MERCHANT_B: TestMerchant = {
  name: 'Merchant B',
  clientId: 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb',
  clientSecret: 'secret-b',
  subscriptionKey: 'subscription-key-b',
  salesUnits: ['345678'],
};

/** The credentials an integration of merchant `m` would use for sales unit `msn`. */
export function credentialsOf(m: TestMerchant, msn = m.salesUnits[0]!): Credentials {
  return { clientId: m.clientId, clientSecret: m.clientSecret, subscriptionKey: m.subscriptionKey, msn };
}

/** The default merchant's credentials, as `npm start` prints them. */
export const DEFAULT_CREDENTIALS: Credentials = {
  clientId: DEFAULT_MERCHANT.clientId,
  clientSecret: DEFAULT_MERCHANT.clientSecret,
  subscriptionKey: DEFAULT_MERCHANT.subscriptionKey,
  msn: DEFAULT_MERCHANT.msn,
};
