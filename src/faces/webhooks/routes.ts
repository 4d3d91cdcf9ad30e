// Webhooks API v1 (spec webhooks.yaml): register, list and delete webhook registrations.
import { randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NO_FAULTS } from '../../store/store.ts';
import { ApiError } from '../api-error.ts';
import { lenientFace } from '../lenient/lenient-face.ts';
import type { AccessTokens } from '../../platform/access-tokens.ts';
import type { FaceContext } from '../face-context.ts';
import { authenticateMerchant, header } from '../merchant-auth.ts';
import { errorHandlerFor } from '../problem.ts';
import { WEBHOOK_ERROR_MAP, WEBHOOK_ERRORS } from './error-map.ts';
import { validateRegistration } from './registration-rules.ts';
import type { OutboundTargets } from '../../delivery/outbound-targets.ts';
import type { WebhookOwner, WebhookRegistration } from './registration.ts';
import type { WebhookStore } from './webhook-store.ts';
import { SystemHeaders } from '../system-headers.ts';

export const WEBHOOKS_PREFIX = '/webhooks';

const RegisterRequest = Type.Object(
  { url: Type.String({ minLength: 1, maxLength: 2048 }), events: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 }) },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

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
  /** The outbound-target policy ('public-only' refuses internal targets at registration too). */
  outboundTargets?: OutboundTargets;
  webhooks: WebhookStore;
}

export async function webhooksRoutes(app: FastifyInstance, ctx: FaceContext, options: WebhooksFaceOptions): Promise<void> {
  const { engine } = ctx;
  lenientFace(app, { strict: ctx.strictRequests, jsonBodies: true });
  app.decorateRequest('webhookOwner', null as unknown as WebhookOwner);
  app.setErrorHandler(errorHandlerFor(WEBHOOKS_PREFIX, ctx.ids, WEBHOOK_ERROR_MAP, WEBHOOK_ERRORS.INTERNAL));
  // Merchant-Serial-Number is optional here: without it a registration covers every sales unit.
  app.addHook('onRequest', async (req) => {
    const given = header(req, 'merchant-serial-number');
    const { merchant, msn } = authenticateMerchant(req, ctx.directory, ctx.tokens, { msnRequired: false });
    // A token issued for one sales unit (requested with Merchant-Serial-Number) acts for that unit
    // only, as in ePayment; without the header it would register merchant-wide and so receive the
    // events of every other sales unit.
    req.webhookOwner = { clientId: merchant.clientId, msn: given || tokenSalesUnit(req, ctx.tokens) ? msn : null };
  });

  app.post<{ Body: Static<typeof RegisterRequest> }>('/v1/webhooks', { schema: { body: RegisterRequest, headers: SystemHeaders } }, async (req, reply) => {
    const owner = req.webhookOwner;
    const created = await engine.run(async (uow) => {
      const repo = options.webhooks.in(uow.tx.sql);
      const perEvent = new Map<string, number>();
      for (const w of await repo.list(owner)) for (const e of w.events) perEvent.set(e, (perEvent.get(e) ?? 0) + 1);
      validateRegistration(req.body, perEvent, options.requireHttps, options.outboundTargets);
      const registration: WebhookRegistration = {
        id: engine.ids.uuid(),
        clientId: owner.clientId,
        msn: owner.msn,
        url: req.body.url,
        events: [...req.body.events],
        // 64 random bytes, base64: the shape of the secret in the platform's authentication docs.
        secret: randomBytes(64).toString('base64'),
        createdAt: uow.now,
        faults: NO_FAULTS,
      };
      await repo.insert(registration);
      return { id: registration.id, secret: registration.secret };
    });
    return reply.code(201).send(created);
  });

  app.get('/v1/webhooks', { schema: { headers: SystemHeaders } }, async (req) => ({
    webhooks: (await engine.run((uow) => options.webhooks.in(uow.tx.sql).list(req.webhookOwner))).map((w) => ({ id: w.id, url: w.url, events: w.events })),
  }));

  app.delete<{ Params: Static<typeof IdParams> }>('/v1/webhooks/:id', { schema: { params: IdParams, headers: SystemHeaders } }, async (req, reply) => {
    const deleted = await engine.run(async (uow) => {
      const gone = await options.webhooks.in(uow.tx.sql).delete(req.webhookOwner, req.params.id);
      // Its undelivered deliveries go with it; the log keeps the delivered ones, without the address.
      if (gone) await uow.tx.forgetTarget(req.params.id);
      return gone;
    });
    if (!deleted) throw new ApiError(WEBHOOK_ERRORS.NOT_FOUND, `No webhook ${req.params.id} is registered for this merchant and Merchant-Serial-Number.`);
    return reply.code(204).send();
  });
}
