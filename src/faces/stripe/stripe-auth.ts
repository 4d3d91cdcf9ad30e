// Who a Stripe request is from (STRIPE-NOTES §3.3): the secret key as Bearer or as Basic's user
// name, or (from Stripe.js) the publishable key as the `key` parameter. The publishable key opens
// only what Stripe.js may do: retrieve and confirm a PaymentIntent, read a Checkout Session, each
// with its client secret.
import { createHash } from 'node:crypto';
import type { Directory, StripePrincipal } from '../../engine/directory.ts';
import { StripeError } from './stripe-error.ts';

export interface StripeCaller extends StripePrincipal {
  /** The Stripe account of the key's merchant: stable for its keys (`acct_…`). */
  account: string;
}

/** A stable account id for a merchant's Stripe keys. */
export function accountIdOf(secretKey: string): string {
  return `acct_${createHash('sha256').update(`stripe-account:${secretKey}`).digest('hex').slice(0, 16)}`;
}

const NO_KEY =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

const unauthorized = (message: string, code?: string) => new StripeError(401, { type: 'invalid_request_error', message, ...(code ? { code } : {}) });

/** `sk_test_****1234`: Stripe shows a wrong key's kind and last four characters only. */
function masked(key: string): string {
  const m = /^([a-z]{2}_(?:test|live)_)/.exec(key);
  return `${m ? m[1] : ''}****${key.slice(-4)}`;
}

/** The key a request carries, from its Authorization header or its `key` parameter. */
export function keyOf(authorization: string | undefined, keyParam: unknown): string | undefined {
  if (authorization) {
    const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
    if (scheme?.toLowerCase() === 'bearer') return value;
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      return decoded.split(':')[0];
    }
    return undefined;
  }
  return typeof keyParam === 'string' && keyParam !== '' ? keyParam : undefined;
}

export function authenticateStripe(directory: Directory, key: string | undefined, publishableAllowed: boolean): StripeCaller {
  if (key === undefined) throw unauthorized(NO_KEY);
  const principal = directory.stripeKey(key);
  if (!principal) throw unauthorized(`Invalid API Key provided: ${masked(key)}`, 'api_key_invalid');
  if (principal.kind === 'publishable' && !publishableAllowed) {
    throw unauthorized(
      'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
      'secret_key_required',
    );
  }
  return { ...principal, account: accountIdOf(principal.merchant.stripe!.secretKey) };
}
