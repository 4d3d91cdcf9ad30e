// Userinfo API 2.0.3 (spec userinfo/swagger.yaml): GET /vipps-userinfo-api/userinfo/{sub} answers
// the user's current profile claims, limited to the scopes the user consented to when approving a
// payment of that sales unit, for 168 hours after that authorization. The caller is the merchant,
// with its ordinary access token from POST /accesstoken/get. (The Login API's variant without
// {sub}, which takes a Login OIDC token, is not implemented.)
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Directory, Merchant } from '../../engine/directory.ts';
import type { AccessTokens } from '../../platform/access-tokens.ts';
import { ApiError } from '../api-error.ts';
import type { FaceContext } from '../face-context.ts';
import { header } from '../merchant-auth.ts';
import { SystemHeaders } from '../system-headers.ts';
import { userinfoClaims } from './claims.ts';
import type { Consent, ConsentStore } from './consent-store.ts';
import { USERINFO_CONTENT_TYPE, USERINFO_ERRORS, userinfoErrorHandler } from './error-map.ts';

export const USERINFO_PREFIX = '/vipps-userinfo-api';

/** How long after the authorization the data can be fetched: 168 hours (UI-GUIDE, UI-FAQ). */
export const USERINFO_LIFETIME_MS = 168 * 60 * 60 * 1000;

const SubParams = Type.Object({ sub: Type.String({ minLength: 1 }) });
const MSN_PATTERN = /^[0-9]{4,10}$/;

/** Who asks: a merchant, and the sales unit it names (Merchant-Serial-Number, or the one its token was issued for). */
interface Caller {
  merchant: Merchant;
  msn: string | undefined;
}

/**
 * The merchant's bearer token is required and checked here, answering 401 in the API's own error
 * shape (the spec declares it). Ocp-Apim-Subscription-Key may be left out (the Recurring guide says
 * to leave it out, the quick start and WooCommerce send it); when sent, it must be the token's
 * merchant's. Merchant-Serial-Number is optional.
 */
function authenticate(req: FastifyRequest, directory: Directory, tokens: AccessTokens): Caller {
  const authorization = header(req, 'authorization');
  if (!authorization) {
    throw new ApiError(USERINFO_ERRORS.UNAUTHORIZED, 'The Authorization header is missing. Send "Authorization: Bearer <access token>" with a token from POST /accesstoken/get.');
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!bearer) throw new ApiError(USERINFO_ERRORS.UNAUTHORIZED, 'The Authorization header must be "Bearer <access token>".');
  const claims = tokens.verify(bearer[1]!);
  if (!claims.ok) throw new ApiError(USERINFO_ERRORS.UNAUTHORIZED, `The access token is not valid: ${claims.reason}`);
  const merchant = directory.merchantByClientId(claims.clientId);
  if (!merchant) throw new ApiError(USERINFO_ERRORS.UNAUTHORIZED, 'The access token is not valid: its merchant no longer exists.');
  const key = header(req, 'ocp-apim-subscription-key');
  if (key && directory.merchantBySubscriptionKey(key) !== merchant) {
    throw new ApiError(
      USERINFO_ERRORS.UNAUTHORIZED,
      'The Ocp-Apim-Subscription-Key is not a subscription key of the merchant the access token was issued to. Send the right key, or none: this API does not need it.',
    );
  }
  const given = header(req, 'merchant-serial-number');
  if (given === undefined || given === '') return { merchant, msn: claims.msn };
  if (!MSN_PATTERN.test(given)) {
    throw new ApiError(USERINFO_ERRORS.BAD_REQUEST, "Merchant-Serial-Number: the field Merchant-Serial-Number must match the regular expression '^[0-9]{4,10}$'.");
  }
  if (!merchant.salesUnits.some((u) => u.msn === given) || (claims.msn !== undefined && claims.msn !== given)) {
    throw new ApiError(USERINFO_ERRORS.FORBIDDEN, `The merchant is not allowed to act for Merchant-Serial-Number ${given}.`);
  }
  return { merchant, msn: given };
}

/** The consent this caller may read among a sub's rows (one per sales unit), or the error that says why not. */
function consentFor(caller: Caller, rows: Consent[], sub: string): Consent {
  if (rows.length === 0) throw new ApiError(USERINFO_ERRORS.NOT_FOUND, `No user information exists for sub ${sub}.`);
  const mine = rows.find((r) => (caller.msn !== undefined ? r.msn === caller.msn : caller.merchant.salesUnits.some((u) => u.msn === r.msn)));
  if (!mine) {
    throw new ApiError(
      USERINFO_ERRORS.FORBIDDEN,
      'This sub belongs to another sales unit. A sub is made per user and sales unit: use it with the credentials (and Merchant-Serial-Number) of the sales unit whose payment gave it.',
    );
  }
  return mine;
}

export interface UserinfoFaceOptions {
  consents: ConsentStore;
}

declare module 'fastify' {
  interface FastifyRequest {
    userinfoCaller: Caller;
  }
}

export async function userinfoRoutes(app: FastifyInstance, ctx: FaceContext, options: UserinfoFaceOptions): Promise<void> {
  app.decorateRequest('userinfoCaller', null as unknown as Caller);
  app.setErrorHandler(userinfoErrorHandler(ctx.ids));
  // Authentication runs first: a caller without credentials learns nothing else.
  app.addHook('onRequest', async (req) => {
    req.userinfoCaller = authenticate(req, ctx.directory, ctx.tokens);
  });

  app.get<{ Params: Static<typeof SubParams> }>('/userinfo/:sub', { schema: { params: SubParams, headers: SystemHeaders } }, async (req, reply) => {
    const { sub } = req.params;
    const consent = consentFor(req.userinfoCaller, await options.consents.bySub(sub), sub);
    if (ctx.clock.now() - consent.consentedAt > USERINFO_LIFETIME_MS) {
      const at = new Date(consent.consentedAt).toISOString();
      throw new ApiError(USERINFO_ERRORS.EXPIRED, `The user information for this sub could be fetched for 168 hours after the payment was authorized (${at}); that time has passed. A new payment with profile.scope gives access again.`);
    }
    const user = ctx.directory.user(consent.phone);
    if (!user) throw new ApiError(USERINFO_ERRORS.NOT_FOUND, `The user of sub ${sub} no longer exists.`);
    const configured = ctx.directory.testUsers.some((u) => u.phoneNumber === consent.phone);
    const claims = userinfoClaims(sub, consent.scopes, { user, configured }, ctx.directory.salesUnit(consent.msn));
    return reply.type(USERINFO_CONTENT_TYPE).send(claims);
  });
}
