// The rules every new payment obeys, whichever API asks for it: its amount, its currency, what the
// sales unit may do, its profile scopes and its expiry. A face runs them in its own order among its
// own rules (faces/epayment/create-payment-rules.ts); the engine runs them again on what the face
// built, so that no face can create a payment that breaks them. Messages name fields the way the
// calling face tells them to (`names`), so that errors speak the client's language.
import { CURRENCIES, MAXIMUM_AMOUNT, MINIMUM_AMOUNT, type Currency } from './money.ts';
import { DAY_MS, DEFAULT_EXPIRY_MS, type PaymentTerms } from './payment.ts';
import { DomainError } from './reasons.ts';
import type { SalesUnit } from './sales-unit.ts';

export const PROFILE_SCOPES = ['name', 'address', 'email', 'phoneNumber', 'birthDate', 'nin', 'accountNumbers'] as const;
/** The scopes an Express payment must ask for, all of them. */
export const EXPRESS_SCOPE = 'name address email phoneNumber';
/** A long-living payment expires between these bounds from its creation. */
export const LONG_LIVING_MIN_MS = DEFAULT_EXPIRY_MS;
export const LONG_LIVING_MAX_MS = 60 * DAY_MS;

export interface AmountNames {
  /** How the client calls the amount's value and currency fields, e.g. `amount.value`, `amount.currency`. */
  value: string;
  currency: string;
}

const PLAIN: AmountNames = { value: 'The amount', currency: 'The currency' };

/** Whole minor units, a currency the sales unit accepts, between the currency's minimum and the platform's maximum. */
export function checkAmount(value: number, currency: Currency, salesUnit: SalesUnit, names: AmountNames = PLAIN): void {
  if (!Number.isSafeInteger(value)) {
    throw new DomainError('INVALID_AMOUNT', `${names.value} must be an integer number of minor units (øre, cents), got ${value}.`);
  }
  if (!salesUnit.currencies.includes(currency)) {
    throw new DomainError('CURRENCY_NOT_ACCEPTED', `${names.currency} ${currency} is not accepted by sales unit ${salesUnit.msn} (accepted: ${salesUnit.currencies.join(', ')}).`);
  }
  if (value > MAXIMUM_AMOUNT) {
    throw new DomainError('INVALID_AMOUNT', `${names.value} ${value} is above the maximum of ${MAXIMUM_AMOUNT} minor units.`);
  }
  if (value < MINIMUM_AMOUNT[currency]) {
    throw new DomainError('AMOUNT_TOO_SMALL', `${names.value} ${value} is below the minimum of ${MINIMUM_AMOUNT[currency]} for ${currency}.`);
  }
}

/** The scopes asked for, normalised (single spaces), or undefined for none; refuses unknown ones and ones the sales unit may not ask for. */
export function checkProfileScope(scope: string, salesUnit: SalesUnit, field = 'profile.scope'): string | undefined {
  const scopes = scope.split(' ').filter((s) => s.length > 0);
  const unknown = scopes.filter((s) => !(PROFILE_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new DomainError('UNKNOWN_SCOPE', `${field} contains unknown value(s): ${unknown.join(', ')}. Allowed: ${PROFILE_SCOPES.join(', ')}.`);
  if ((scopes.includes('nin') || scopes.includes('accountNumbers')) && !salesUnit.allowNin) {
    throw new DomainError('SCOPE_NOT_ALLOWED', 'The sales unit is not allowed to ask for nin or accountNumbers.');
  }
  return scopes.join(' ') || undefined;
}

/** Whether `scope` (normalised) contains every scope Express needs. */
export function hasExpressScope(scope: string | undefined): boolean {
  const given = (scope ?? '').split(' ');
  return EXPRESS_SCOPE.split(' ').every((s) => given.includes(s));
}

export function checkPushAllowed(salesUnit: SalesUnit): void {
  if (!salesUnit.allowPushMessage) throw new DomainError('PUSH_NOT_ALLOWED');
}

export function checkExpressAllowed(salesUnit: SalesUnit): void {
  if (!salesUnit.allowExpress) throw new DomainError('EXPRESS_NOT_ALLOWED');
}

export function checkLongLivingAllowed(salesUnit: SalesUnit): void {
  if (!salesUnit.allowLongLiving) throw new DomainError('LONG_LIVING_NOT_ALLOWED');
}

/** A long-living payment's expiry must lie between 10 minutes and 60 days ahead. */
export function checkLongLivingExpiry(at: number, now: number): void {
  if (at <= now + LONG_LIVING_MIN_MS) throw new DomainError('EXPIRY_TOO_SOON');
  if (at >= now + LONG_LIVING_MAX_MS) throw new DomainError('EXPIRY_TOO_LATE');
}

/** When a payment with these terms expires: `at` for a long-living one, else the default window. */
export function expiryOf(terms: PaymentTerms, now: number, at: number | undefined): number {
  return terms.longLiving && at !== undefined ? at : now + DEFAULT_EXPIRY_MS;
}

export interface NewPaymentCheck {
  now: number;
  salesUnit: SalesUnit;
  amount: number;
  currency: Currency;
  terms: PaymentTerms;
  /** When the payment expires (checked for a long-living one). */
  expiresAt: number;
  /** Whether a user with this phone number exists. */
  userExists: (phone: string) => boolean;
}

/** Every neutral rule at once: what the engine checks on whatever a face built. */
export function checkNewPayment(c: NewPaymentCheck): void {
  checkAmount(c.amount, c.currency, c.terms.anyCurrency ? { ...c.salesUnit, currencies: [...CURRENCIES] } : c.salesUnit);
  if (c.terms.customerPhone !== undefined && !c.userExists(c.terms.customerPhone)) throw new DomainError('USER_NOT_FOUND');
  if (c.terms.userFlow === 'PUSH_MESSAGE') {
    if (c.terms.customerPhone === undefined) throw new DomainError('USER_NOT_FOUND', 'A payment pushed to a phone needs the phone number of its user.');
    checkPushAllowed(c.salesUnit);
  }
  if (c.terms.profileScope !== undefined) checkProfileScope(c.terms.profileScope, c.salesUnit);
  if (c.terms.longLiving) {
    checkLongLivingAllowed(c.salesUnit);
    checkLongLivingExpiry(c.expiresAt, c.now);
  }
}
