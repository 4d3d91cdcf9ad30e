// How the pages write amounts, times and people: the way the Nordic apps do.
import type { Currency } from '../domain/money.ts';

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
const dateTimes = new Map<string, Intl.DateTimeFormat>();
let clock: Intl.DateTimeFormat | undefined;

/** A date and time in the page's language (`locale`, e.g. nb-NO), Oslo time. */
export function formatDateTime(ms: number, locale = 'en-GB'): string {
  let f = dateTimes.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Oslo' });
    dateTimes.set(locale, f);
  }
  return f.format(ms);
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

/** The letter on a merchant's round avatar. */
export function initialOf(name: string): string {
  return (name.trim()[0] ?? '?').toUpperCase();
}
