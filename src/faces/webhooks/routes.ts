// Webhooks API v1 (spec webhooks.yaml): register, list and delete webhook registrations.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, ERRORS } from '../../domain/error-catalogue.ts';
import { deleteWebhook, listWebhooks, registerWebhook, type WebhookOwner } from '../../engine/webhooks.ts';
import { lenientFace } from '../lenient/lenient-face.ts';
import { errorHandlerFor } from '../problem.ts';
import type { AccessTokens } from '../../platform/access-tokens.ts';
import type { FaceContext } from '../face-context.ts';
import { authenticateMerchant, header } from '../merchant-auth.ts';

export const WEBHOOKS_PREFIX = '/webhooks';

const RegisterRequest = Type.Object(
  { url: Type.String({ minLength: 1, maxLength: 2048 }), events: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 }) },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const SystemHeaders = Type.Object({
  'vipps-system-name': Type.Optional(Type.String({ maxLength: 30 })),
  'vipps-system-version': Type.Optional(Type.String({ maxLength: 30 })),
  'vipps-system-plugin-name': Type.Optional(Type.String({ maxLength: 30 })),
  'vipps-system-plugin-version': Type.Optional(Type.String({ maxLength: 30 })),
});

declare module 'fastify' {
  interface FastifyRequest {
    webhookOwner: WebhookOwner;
  }
}

/** The sales unit the request's (already verified) access token was issued for, if any. */
function tokenSalesUnit(req: FastifyRequest, tokens: AccessTokens): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec((header(req, 'authorization') ?? '').trim());
  const claims = bearer ? tokens.verify(bearer[1]!) : undefined;
  return claims?.ok ? claims.msn : undefined;
}

export interface WebhooksFaceOptions {
  requireHttps: boolean;
}

export async function webhooksRoutes(app: FastifyInstance, ctx: FaceContext, options: WebhooksFaceOptions): Promise<void> {
  const deps = ctx.engine.deps;
  lenientFace(app, { strict: ctx.strictRequests, jsonBodies: true });
  app.decorateRequest('webhookOwner', null as unknown as WebhookOwner);
  app.setErrorHandler(errorHandlerFor(WEBHOOKS_PREFIX, ctx.ids));
  // Merchant-Serial-Number is optional here: without it a registration covers every sales unit.
  app.addHook('onRequest', async (req) => {
    const given = header(req, 'merchant-serial-number');
    const { merchant, msn } = authenticateMerchant(req, ctx.directory, ctx.tokens, { msnRequired: false });
    // Fix (webhooks API tests): a token issued for one sales unit (requested with
    // Merchant-Serial-Number) acts for that unit only, as in ePayment. Without the header it used
    // to register merchant-wide and so receive the events of every other sales unit.
    req.webhookOwner = { clientId: merchant.clientId, msn: given || tokenSalesUnit(req, ctx.tokens) ? msn : null };
  });

  app.post<{ Body: Static<typeof RegisterRequest> }>('/v1/webhooks', { schema: { body: RegisterRequest, headers: SystemHeaders } }, async (req, reply) => {
    const created = await registerWebhook(deps, req.webhookOwner, req.body, options.requireHttps);
    return reply.code(201).send(created);
  });

  app.get('/v1/webhooks', { schema: { headers: SystemHeaders } }, async (req) => ({
    webhooks: (await listWebhooks(deps, req.webhookOwner)).map((w) => ({ id: w.id, url: w.url, events: w.events })),
  }));

  app.delete<{ Params: Static<typeof IdParams> }>('/v1/webhooks/:id', { schema: { params: IdParams, headers: SystemHeaders } }, async (req, reply) => {
    if (!(await deleteWebhook(deps, req.webhookOwner, req.params.id))) {
      throw new DomainError(ERRORS.WEBHOOK_NOT_FOUND, `No webhook ${req.params.id} is registered for this merchant and Merchant-Serial-Number.`);
    }
    return reply.code(204).send();
  });
}
