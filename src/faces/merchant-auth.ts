// The principal of the Vipps merchant APIs (ePayment, Webhooks, and the APIs that come with the same
// credentials): the API gateway's subscription key, the bearer access token, and the
// Merchant-Serial-Number that the token's merchant must own. Other faces resolve their own
// credentials (a Stripe key, a PSP id) to the same Principal through the directory.
import type { FastifyRequest } from 'fastify';
import { FieldValidationError } from '../domain/reasons.ts';
import type { ApiClient, Directory, Merchant, Principal } from '../engine/directory.ts';
import type { AccessTokens, TokenClaims } from '../platform/access-tokens.ts';


/** A failure the API gateway (Azure APIM) answers itself, in its own `{ statusCode, message }` shape. */
export class GatewayError extends Error {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.name = 'GatewayError';
    this.statusCode = statusCode;
  }
}

/** The caller is authenticated but may not act for this sales unit. */
export class ForbiddenMsnError extends Error {
  constructor(msn: string) {
    super(`The merchant is not allowed to act for Merchant-Serial-Number ${msn}.`);
    this.name = 'ForbiddenMsnError';
  }
}

export function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The merchant or PSP whose Ocp-Apim-Subscription-Key this is; the gateway answers 401 for none or an unknown one. */
export function subscriptionKeyOwner(req: FastifyRequest, directory: Directory): ApiClient {
  const key = header(req, 'ocp-apim-subscription-key');
  if (!key) {
    throw new GatewayError(401, 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.');
  }
  const owner = directory.clientBySubscriptionKey(key);
  if (!owner) {
    throw new GatewayError(401, 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.');
  }
  return owner;
}

/** The merchant whose subscription key this is (the merchant APIs); a PSP's key is refused with a clear message. */
export function checkSubscriptionKey(req: FastifyRequest, directory: Directory): Merchant {
  const owner = subscriptionKeyOwner(req, directory);
  if (owner.kind === 'psp') {
    throw new GatewayError(
      401,
      `Access denied: this is the subscription key of PSP "${owner.psp.name}". A PSP's credentials are taken with its Psp-Id header on ePayment (card passthrough); otherwise use the merchant's own credentials.`,
    );
  }
  return owner.merchant;
}

/** The claims of the request's bearer access token; the gateway answers 401 for none, a malformed header or a bad token. */
export function bearerClaims(req: FastifyRequest, tokens: AccessTokens): TokenClaims {
  const authorization = header(req, 'authorization');
  if (!authorization) throw new GatewayError(401, 'Access denied due to missing Authorization header. Send "Authorization: Bearer <access token>".');
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw new GatewayError(401, 'Access denied due to invalid Authorization header. The value must be "Bearer <access token>".');
  const claims = tokens.verify(match[1]!);
  if (!claims.ok) throw new GatewayError(401, `Access denied due to invalid access token: ${claims.reason}`);
  return claims;
}

export interface AuthOptions {
  /** Whether Merchant-Serial-Number must be present (ePayment) or may be left out (Webhooks). */
  msnRequired: boolean;
}

const MSN_PATTERN = /^[0-9]{4,10}$/;

export function authenticateMerchant(req: FastifyRequest, directory: Directory, tokens: AccessTokens, options: AuthOptions): Principal {
  const keyOwner = checkSubscriptionKey(req, directory);
  const claims = bearerClaims(req, tokens);
  const client = directory.clientById(claims.clientId);
  if (!client) throw new GatewayError(401, 'Access denied due to invalid access token: the merchant no longer exists.');
  if (client.kind === 'psp') throw new GatewayError(401, `Access denied: the access token was issued to PSP "${client.psp.name}", and the subscription key is a merchant's.`);
  const merchant = client.merchant;
  if (merchant !== keyOwner) throw new GatewayError(401, 'Access denied: the subscription key and the access token belong to different merchants.');

  const given = header(req, 'merchant-serial-number');
  const msn = given === undefined || given === '' ? (options.msnRequired ? undefined : (claims.msn ?? merchant.salesUnits[0]?.msn)) : given;
  if (msn === undefined) throw new FieldValidationError([{ name: 'Merchant-Serial-Number', reason: 'The Merchant-Serial-Number header is required.' }]);
  if (!MSN_PATTERN.test(msn)) {
    throw new FieldValidationError([{ name: 'Merchant-Serial-Number', reason: "The field Merchant-Serial-Number must match the regular expression '^[0-9]{4,10}$'." }]);
  }
  if (!merchant.salesUnits.some((u) => u.msn === msn)) throw new ForbiddenMsnError(msn);
  if (claims.msn !== undefined && claims.msn !== msn) throw new ForbiddenMsnError(msn);
  return { merchant, msn };
}
