// Access Token API: POST /accesstoken/get (spec access-token 2.0.0). Every field of the answer is a
// string, as on the real platform.
import type { FastifyInstance } from 'fastify';
import type { FaceContext } from '../face-context.ts';
import { lenientFace } from '../lenient/lenient-face.ts';
import { checkSubscriptionKey, GatewayError, header } from '../merchant-auth.ts';

/** The resource id the platform puts in every token answer. */
const RESOURCE = '00000002-0000-0000-c000-000000000000';

export async function accessTokenRoutes(app: FastifyInstance, ctx: FaceContext): Promise<void> {
  // No JSON body here: only the path is read leniently (`/accessToken/get`, as the plugins call it).
  lenientFace(app, { strict: ctx.strictRequests, jsonBodies: false });
  app.setErrorHandler((error, req, reply) => {
    if (error instanceof GatewayError) return reply.code(error.statusCode).send({ statusCode: error.statusCode, message: error.message });
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) req.log.error({ err: error }, 'unexpected error');
    return reply.code(status).send({ statusCode: status, message: status >= 500 ? 'Internal server error.' : (error as Error).message });
  });
  // The real endpoint is called with an empty body (`--data ''`) and any content type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_req, _body, done) => done(null, undefined));

  app.post('/accesstoken/get', async (req, reply) => {
    const keyOwner = checkSubscriptionKey(req, ctx.directory);
    const clientId = header(req, 'client_id');
    const clientSecret = header(req, 'client_secret');
    if (!clientId || !clientSecret) {
      throw new GatewayError(401, 'Access denied due to missing client credentials. Send the client_id and client_secret headers.');
    }
    const merchant = ctx.directory.merchantByClientId(clientId);
    if (!merchant || merchant.clientSecret !== clientSecret) {
      throw new GatewayError(401, 'Access denied due to invalid client credentials. Check client_id and client_secret.');
    }
    if (merchant !== keyOwner) throw new GatewayError(401, 'Access denied: the subscription key does not belong to this client_id.');
    const msn = header(req, 'merchant-serial-number');
    if (msn !== undefined && msn !== '' && !merchant.salesUnits.some((u) => u.msn === msn)) {
      throw new GatewayError(401, `Access denied: Merchant-Serial-Number ${msn} does not belong to this client_id.`);
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
