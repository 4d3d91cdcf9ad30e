// Phone numbers as a shopper types them (a country prefix and a national number) and as the
// platform stores them (an MSISDN: country code and number, digits only, e.g. 4712345678).
import { DomainError } from './reasons.ts';

/** An MSISDN: country code and number, 9 to 15 digits, no + or spaces (4712345678). */
export function isMsisdn(value: string): boolean {
  return /^\d{9,15}$/.test(value);
}

export interface CountryPrefix {
  /** Country calling code without +. */
  code: string;
  country: string;
  /** Allowed lengths of the national number (after a leading trunk 0 is dropped). */
  lengths: readonly number[];
}

/** The Nordic prefixes the landing page and the simulator offer; +47 first, as on the real landing page. */
export const NORDIC_PREFIXES: readonly CountryPrefix[] = [
  { code: '47', country: 'Norway', lengths: [8] },
  { code: '45', country: 'Denmark', lengths: [8] },
  { code: '46', country: 'Sweden', lengths: [7, 8, 9] },
  { code: '358', country: 'Finland', lengths: [5, 6, 7, 8, 9, 10] },
  { code: '354', country: 'Iceland', lengths: [7] },
];

export const DEFAULT_PREFIX = '47';

/**
 * The MSISDN for a prefix and a national number as typed: spaces, dashes, dots and brackets are
 * ignored, and so is a trunk 0 (Swedish and Finnish numbers are written 070…). A number typed with
 * its own +CC (or 00CC) is taken as given. Throws 4070 when the result is not a valid number.
 */
export function toMsisdn(prefix: string, typed: string): string {
  const known = NORDIC_PREFIXES.find((p) => p.code === prefix);
  if (!known) throw new DomainError('INVALID_PHONE_NUMBER', `+${prefix} is not one of the offered country prefixes.`);
  const compact = typed.replace(/[\s\-.()]/g, '');
  if (/^(\+|00)\d+$/.test(compact)) {
    const msisdn = compact.replace(/^(\+|00)/, '');
    if (!isMsisdn(msisdn)) throw invalid(typed);
    return msisdn;
  }
  if (!/^\d+$/.test(compact)) throw invalid(typed);
  const national = compact.replace(/^0+/, '');
  if (!known.lengths.includes(national.length)) {
    throw new DomainError(
      'INVALID_PHONE_NUMBER',
      `A ${known.country} number has ${known.lengths.length === 1 ? known.lengths[0] : `${known.lengths[0]} to ${known.lengths.at(-1)}`} digits after +${prefix}.`,
    );
  }
  return prefix + national;
}

function invalid(typed: string): DomainError {
  return new DomainError('INVALID_PHONE_NUMBER', `"${typed.slice(0, 30)}" is not a phone number.`);
}

/** Splits an MSISDN into one of the offered prefixes and the national number, when it has one. */
export function splitMsisdn(msisdn: string): { prefix: string; national: string } | null {
  const known = NORDIC_PREFIXES.find((p) => msisdn.startsWith(p.code) && p.lengths.includes(msisdn.length - p.code.length));
  return known ? { prefix: known.code, national: msisdn.slice(known.code.length) } : null;
}

/** "+47 123 45 678" for Norwegian numbers, "+45 12 34 56 78" for Danish, "+CC rest" otherwise. */
export function formatMsisdn(msisdn: string): string {
  const split = splitMsisdn(msisdn);
  if (!split) return `+${msisdn}`;
  const n = split.national;
  if (split.prefix === '47' && n.length === 8) return `+47 ${n.slice(0, 3)} ${n.slice(3, 5)} ${n.slice(5)}`;
  if (split.prefix === '45' && n.length === 8) return `+45 ${n.slice(0, 2)} ${n.slice(2, 4)} ${n.slice(4, 6)} ${n.slice(6)}`;
  return `+${split.prefix} ${n.replace(/(\d{3})(?=\d{3})/g, '$1 ')}`;
}
