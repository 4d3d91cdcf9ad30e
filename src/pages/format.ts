// How the pages write amounts, times and people: the way the Nordic apps do.
import type { Currency } from '../domain/money.ts';
import type { PaymentState } from '../domain/payment.ts';

const LOCALE: Partial<Record<Currency, string>> = { NOK: 'nb-NO', DKK: 'da-DK', EUR: 'fi-FI', SEK: 'sv-SE' };
const formats = new Map<Currency, Intl.NumberFormat>();

/** 49900 NOK → "499,00 kr". */
export function formatAmount(currency: Currency, minorUnits: number): string {
  let f = formats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE[currency] ?? 'en-GB', { style: 'currency', currency });
    formats.set(currency, f);
  }
  return f.format(minorUnits / 100);
}

// Made on first use: building a time-zone formatter costs milliseconds of every start otherwise.
let dateTime: Intl.DateTimeFormat | undefined;
let clock: Intl.DateTimeFormat | undefined;

export function formatDateTime(ms: number): string {
  dateTime ??= new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Oslo' });
  return dateTime.format(ms);
}

/** "09:41", for the simulator's status bar. */
export function formatClock(ms: number): string {
  clock ??= new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Oslo' });
  return clock.format(ms);
}

/** "4:59" for a countdown; "0:00" once it has run out. */
export function formatRemaining(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export const STATE_LABEL: Record<PaymentState, string> = {
  CREATED: 'Waiting',
  AUTHORIZED: 'Paid',
  ABORTED: 'Rejected',
  EXPIRED: 'Expired',
  TERMINATED: 'Cancelled by merchant',
};

/** The letter on a merchant's round avatar. */
export function initialOf(name: string): string {
  return (name.trim()[0] ?? '?').toUpperCase();
}
