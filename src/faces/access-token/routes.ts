// Access Token API: POST /accesstoken/get (spec access-token 2.0.0). Every field of the answer is a
// string, as on the real platform.
import type { FastifyInstance } from 'fastify';
import type { FaceContext } from '../face-context.ts';
import { lenientFace } from '../lenient/lenient-face.ts';
import { GatewayError, header, subscriptionKeyOwner } from '../merchant-auth.ts';
import { SystemHeaders } from '../system-headers.ts';
import { DEFAULT_LIMITS, type Limits } from '../../platform/limits.ts';
import { createFailureThrottle } from './failure-throttle.ts';
import { IDENTITY, identityErrorBody, IdentityProviderError } from './identity-errors.ts';

/** The resource id the platform puts in every token answer. */
const RESOURCE = '00000002-0000-0000-c000-000000000000';

export async function accessTokenRoutes(app: FastifyInstance, ctx: FaceContext, limits: Limits = DEFAULT_LIMITS): Promise<void> {
  const throttle = createFailureThrottle(limits);
  // No JSON body here: only the path is read leniently (`/accessToken/get`, as the plugins call it).
  lenientFace(app, { strict: ctx.strictRequests, jsonBodies: false });
  app.setErrorHandler((error, req, reply) => {
    if (error instanceof GatewayError) return reply.code(error.statusCode).send({ statusCode: error.statusCode, message: error.message });
    if (error instanceof IdentityProviderError) {
      throttle.failed(req.ip, header(req, 'client_id') ?? '');
      const body = identityErrorBody(error.failure, ctx.clock.now(), ctx.ids.uuid(), ctx.ids.uuid());
      return reply.code(error.failure.status).type('application/json; charset=utf-8').send(body);
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) req.log.error({ err: error }, 'unexpected error');
    return reply.code(status).send({ statusCode: status, message: status >= 500 ? 'Internal server error.' : (error as Error).message });
  });
  // The real endpoint is called with an empty body (`--data ''`) and any content type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_req, _body, done) => done(null, undefined));

  app.post('/accesstoken/get', { schema: { headers: SystemHeaders } }, async (req, reply) => {
    const keyOwner = subscriptionKeyOwner(req, ctx.directory);
    // The gateway checks the subscription key (above); the identity provider checks the client, a
    // merchant or a PSP (whose key and token are its own, the same for all its merchants).
    const clientId = header(req, 'client_id');
    const wait = throttle.blockedFor(req.ip, clientId ?? '');
    if (wait > 0) {
      // The API gateway's rate limit answer (PLATFORM-NOTES-ADDENDUM §6).
      return reply.code(429).header('retry-after', String(wait)).send({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${wait} seconds.` });
    }
    const clientSecret = header(req, 'client_secret');
    if (!clientId) throw new IdentityProviderError(IDENTITY.missingClientId());
    const client = ctx.directory.clientById(clientId);
    if (!client) throw new IdentityProviderError(IDENTITY.unknownClient(clientId));
    if (!clientSecret) throw new IdentityProviderError(IDENTITY.missingSecret());
    const holder = client.kind === 'merchant' ? client.merchant : client.psp;
    if (holder.clientSecret !== clientSecret) throw new IdentityProviderError(IDENTITY.wrongSecret(clientId));
    if (holder !== (keyOwner.kind === 'merchant' ? keyOwner.merchant : keyOwner.psp)) {
      throw new GatewayError(401, 'Access denied: the subscription key does not belong to this client_id.');
    }
    const msn = header(req, 'merchant-serial-number');
    const msns = client.kind === 'merchant' ? client.merchant.salesUnits.map((u) => u.msn) : client.psp.msns;
    if (msn !== undefined && msn !== '' && !msns.includes(msn)) {
      throw new GatewayError(403, `Invalid MSN: ${msn}. This MSN is not valid for the provided client_id.`);
    }
    const issued = ctx.tokens.issue(msn ? { clientId, msn } : { clientId });
    const lifetime = String(ctx.tokens.lifetimeSeconds);
    return reply
      .code(200)
      .type('application/json;charset=UTF-8')
      .send({
        token_type: 'Bearer',
        expires_in: lifetime,
        ext_expires_in: '0', // "Extra time added to expiry time. Currently disabled." (spec)
        expires_on: String(issued.expiresAt),
        not_before: String(issued.issuedAt),
        resource: RESOURCE,
        access_token: issued.token,
      });
  });
}
