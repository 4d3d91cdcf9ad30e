// Money is always integer minor units (øre, cent). Never a float.
export const CURRENCIES = ['NOK', 'DKK', 'EUR', 'SEK', 'USD', 'GBP'] as const;
export type Currency = (typeof CURRENCIES)[number];

export interface Money {
  currency: Currency;
  value: number;
}

/** Smallest payment amount per currency, from the ePayment spec's Amount description. */
export const MINIMUM_AMOUNT: Record<Currency, number> = {
  NOK: 100,
  DKK: 1,
  EUR: 1,
  SEK: 100,
  USD: 1,
  GBP: 1,
};

export const MAXIMUM_AMOUNT = 65_000_000;

/** SEK, USD and GBP are only for CARD_PASSTHROUGH, which is a PSP preview. */
export const WALLET_CURRENCIES: readonly Currency[] = ['NOK', 'DKK', 'EUR'];

export function money(currency: Currency, value: number): Money {
  return { currency, value };
}

/** Minor units as a decimal string with two decimals (every currency here has two): 123456 → "1234.56", -5 → "-0.05". */
export function decimalString(minor: number): string {
  const abs = Math.abs(Math.trunc(minor));
  return `${minor < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
