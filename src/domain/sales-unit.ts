// A merchant's sales unit (identified by its MSN) and what it is allowed to do.
import type { Currency } from './money.ts';

export interface SalesUnit {
  msn: string;
  name: string;
  /** Currencies the sales unit's market accepts for WALLET payments. */
  currencies: Currency[];
  allowPushMessage: boolean;
  allowLongLiving: boolean;
  allowExpress: boolean;
  /** National identity number (`nin`) in profile scopes needs special permission. */
  allowNin: boolean;
  /** PSP API: the unit is whitelisted for `skipLandingPage` (a push straight to the given number). */
  allowSkipLandingPage: boolean;
}

export function defaultSalesUnit(msn: string, name: string): SalesUnit {
  return {
    msn,
    name,
    currencies: ['NOK', 'DKK', 'EUR'],
    allowPushMessage: true,
    allowLongLiving: true,
    allowExpress: true,
    allowNin: false,
    allowSkipLandingPage: false,
  };
}
