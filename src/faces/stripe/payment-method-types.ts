// Which payment method types a new PaymentIntent or Checkout Session gets, by the parameters its
// Stripe-Version allows (STRIPE-NOTES V2, V3): `payment_method_types` until 2026-09-30 (refuses what
// cannot be used), `allowed_payment_method_types` from 2026-07-29 (drops it), none given → the
// account's dynamic payment methods, card and vipps (vipps for NOK only).
import type { Params } from './params.ts';
import type { StripeCall } from './stripe-call.ts';
import { invalidRequest } from './stripe-error.ts';
import { isAtLeast } from './stripe-version.ts';
import { isObviouslyInternal, type OutboundTargets } from '../../delivery/outbound-targets.ts';

export const SUPPORTED_TYPES = ['card', 'vipps'] as const;

export interface ChosenTypes {
  types: string[];
  /** `allowed_payment_method_types` as given; null when not given. */
  allowed: string[] | null;
  /** No types given: the account's dynamic payment methods. */
  dynamic: boolean;
}

export interface TypesFor {
  /** How the error names the object: "PaymentIntent", "Checkout Session". */
  noun: string;
  /** The object's invalid-parameter code and the parameter a wrong currency is blamed on. */
  invalidCode: string;
  currencyParam: string;
}

export function chooseTypes(call: StripeCall, p: Params, currency: string, o: TypesFor): ChosenTypes {
  if (p.payment_method_types !== undefined && isAtLeast(call.version, 'paymentMethodTypesRemoved')) {
    throw invalidRequest(`payment_method_types is no longer supported as of API version ${call.version.raw.split(';')[0]}. Use allowed_payment_method_types instead.`, {
      code: 'payment_method_types_no_longer_supported',
      param: 'payment_method_types',
    });
  }
  if (p.payment_method_types !== undefined && p.allowed_payment_method_types !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: allowed_payment_method_types, payment_method_types.', { param: 'allowed_payment_method_types' });
  }
  const param = p.payment_method_types !== undefined ? 'payment_method_types' : 'allowed_payment_method_types';
  const explicit = (p.payment_method_types ?? p.allowed_payment_method_types) as string[] | undefined;
  if (!explicit) return { types: currency === 'nok' ? ['card', 'vipps'] : ['card'], allowed: null, dynamic: true };
  if (explicit.length === 0) throw invalidRequest(`${param} must name at least one payment method type.`, { param });
  const unknown = explicit.findIndex((t) => !(SUPPORTED_TYPES as readonly string[]).includes(t));
  if (unknown >= 0) {
    throw invalidRequest(`Invalid ${param}[${unknown}]: must be one of ${SUPPORTED_TYPES.join(', ')} (the payment method types vipps-local supports).`, { param: `${param}[${unknown}]`, code: 'parameter_invalid_empty' });
  }
  if (param === 'allowed_payment_method_types') {
    const usable = explicit.filter((t) => t !== 'vipps' || currency === 'nok');
    if (usable.length === 0) throw invalidRequest(`None of the allowed_payment_method_types can be used with currency ${currency}.`, { param, code: o.invalidCode });
    return { types: usable, allowed: explicit, dynamic: false };
  }
  if (explicit.includes('vipps') && currency !== 'nok') {
    // Stripe's wording is undocumented (STRIPE-NOTES V7, open question 1).
    throw invalidRequest(
      `The currency provided (${currency}) is invalid for one or more payment method types on this ${o.noun}. The payment method type vipps only supports the following currencies: nok.`,
      { param: o.currencyParam, code: o.invalidCode },
    );
  }
  return { types: explicit, allowed: null, dynamic: false };
}

/** An http(s) URL, or Stripe's `url_invalid` naming `param`. */
export function checkUrl(url: string, param: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw invalidRequest(`Not a valid URL: ${url}. URLs must begin with http:// or https://.`, { param, code: 'url_invalid' });
  }
}

/**
 * A webhook endpoint's URL: an http(s) URL, and under the outbound policy 'public-only' not an
 * obviously internal target (a literal private, loopback or link-local address, `localhost`):
 * Stripe's `url_invalid`. Names are checked again, resolved, at every delivery.
 */
export function checkWebhookEndpointUrl(url: string, outboundTargets: OutboundTargets): void {
  checkUrl(url, 'url');
  if (outboundTargets === 'public-only' && isObviouslyInternal(new URL(url))) {
    throw invalidRequest(`Invalid URL: ${url}. Webhook endpoints must be reachable on the public internet: this vipps-local does not send to private, loopback or link-local addresses.`, {
      param: 'url',
      code: 'url_invalid',
    });
  }
}
