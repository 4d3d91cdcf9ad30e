// A merchant's own view of the operator's tools, with its own credentials (the Webhooks API's:
// Ocp-Apim-Subscription-Key, the access token, and optionally Merchant-Serial-Number):
//   GET /vipps-local/v1/merchant/deliveries      its webhook deliveries (Webhooks API and Stripe endpoints)
//   GET /vipps-local/v1/merchant/requests        its entries of the request log
//   GET|PUT /vipps-local/v1/merchant/webhooks/{id}/faults   faults on its own registrations
//   GET /vipps-local/v1/merchant/checklist       the go-live check of one of its sales units
// With Merchant-Serial-Number (or a token issued for one sales unit) the view is that sales unit's;
// without it, every sales unit of the merchant's, as a registration without it covers them all.
// Nothing of another merchant: deliveries and log entries are chosen by the sales units the
// principal owns (each sales unit has one owner), a registration by its client id and sales unit.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { NO_FAULTS, type LoggedDelivery, type WebhookFaults } from '../../store/store.ts';
import type { FaceContext } from '../face-context.ts';
import { authenticateMerchant, header } from '../merchant-auth.ts';
import { errorHandlerFor } from '../problem.ts';
import { WEBHOOK_ERROR_MAP, WEBHOOK_ERRORS } from '../webhooks/error-map.ts';
import type { WebhookOwner, WebhookRegistration } from '../webhooks/registration.ts';
import type { WebhookStore } from '../webhooks/webhook-store.ts';
import { setRegistrationFaults } from '../webhooks/registration-faults.ts';
import type { RequestLog } from '../../platform/request-log/request-log.ts';
import { requestLogQuery, requestLogResponse } from '../../platform/request-log/operator-view.ts';
import type { LoggedRequest } from '../../platform/request-log/request-log-store.ts';
import type { Checklist } from '../../checklist/checklist.ts';
import { checklistQuery } from '../../checklist/checklist-query.ts';

export const MERCHANT_VIEW_PREFIX = '/vipps-local/v1/merchant';

export const Faults = Type.Object(
  {
    duplicate: Type.Optional(Type.Boolean()),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 24 * 3600 * 1000 })),
    outOfOrder: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** The delivery log's filters, as the operator API and the merchant view read them (numbers arrive as query strings). */
export const DeliveryQuery = Type.Object(
  {
    reference: Type.Optional(Type.String()),
    msn: Type.Optional(Type.String()),
    webhookId: Type.Optional(Type.String()),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  },
  { additionalProperties: false },
);

/** A delivery as the operator API and the merchant view show it. */
export function deliveryView({ payload, attemptLog, format: _format, targetId, subject: _subject, ...d }: LoggedDelivery) {
  return {
    ...d,
    webhookId: targetId,
    payload: JSON.parse(payload) as unknown,
    createdAt: new Date(d.createdAt).toISOString(),
    nextAttemptAt: new Date(d.nextAttemptAt).toISOString(),
    deliveredAt: d.deliveredAt === null ? null : new Date(d.deliveredAt).toISOString(),
    attempts: attemptLog.map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
  };
}

export interface MerchantViewOptions {
  webhooks: WebhookStore;
  deliveryLog(filter: { msn?: string; reference?: string; targetId?: string; limit: number }): Promise<LoggedDelivery[]>;
  requestLog: RequestLog;
  /** The go-live check of a sales unit (checklist/gather-checklist.ts). */
  checklist(msn: string): Promise<Checklist>;
}

interface Scope {
  owner: WebhookOwner;
  /** The sales units whose deliveries and requests this principal may read. */
  msns: string[];
}

class NotYours extends Error {}

/** Newest first over several sales units: each list is newest first by id. */
function newestFirst<T extends { id: number }>(lists: T[][], limit: number): T[] {
  return lists.flat().sort((a, b) => b.id - a.id).slice(0, limit);
}

export async function merchantViewRoutes(app: FastifyInstance, ctx: FaceContext, options: MerchantViewOptions): Promise<void> {
  app.setErrorHandler(errorHandlerFor(MERCHANT_VIEW_PREFIX, ctx.ids, WEBHOOK_ERROR_MAP, WEBHOOK_ERRORS.INTERNAL));
  // Who asks, before anything else is looked at (a body, a query).
  const scopes = new WeakMap<FastifyRequest, Scope>();
  app.addHook('onRequest', async (req) => {
    scopes.set(req, authenticate(req));
  });
  const scopeOf = (req: FastifyRequest): Scope => scopes.get(req)!;

  const authenticate = (req: FastifyRequest): Scope => {
    const given = header(req, 'merchant-serial-number');
    const { merchant, msn } = authenticateMerchant(req, ctx.directory, ctx.tokens, { msnRequired: false });
    const bearer = /^Bearer\s+(\S+)$/i.exec((header(req, 'authorization') ?? '').trim());
    const claims = bearer ? ctx.tokens.verify(bearer[1]!) : undefined;
    const oneUnit = Boolean(given) || (claims?.ok === true && claims.msn !== undefined);
    return { owner: { clientId: merchant.clientId, msn: oneUnit ? msn : null }, msns: oneUnit ? [msn] : merchant.salesUnits.map((u) => u.msn) };
  };
  /** The sales units to read: the scope's, or the one asked for if it is in the scope. */
  const unitsAsked = (scope: Scope, msn: string | undefined): string[] => {
    if (msn === undefined) return scope.msns;
    if (!scope.msns.includes(msn)) throw new NotYours();
    return [msn];
  };
  const notYours = (msn: string | undefined) => ({ statusCode: 403, message: `Sales unit ${msn ?? ''} is not one this merchant's credentials (and Merchant-Serial-Number) may read.` });

  app.get<{ Querystring: Static<typeof DeliveryQuery> }>('/deliveries', { schema: { querystring: DeliveryQuery } }, async (req, reply) => {
    const scope = scopeOf(req);
    const { limit: given, webhookId, reference, msn } = req.query;
    const limit = Math.min(Math.max(Number(given ?? 100), 1), 1000);
    let units: string[];
    try {
      units = unitsAsked(scope, msn);
    } catch {
      return reply.code(403).send(notYours(msn));
    }
    const lists = await Promise.all(
      units.map((unit) => options.deliveryLog({ msn: unit, limit, ...(reference !== undefined ? { reference } : {}), ...(webhookId !== undefined ? { targetId: webhookId } : {}) })),
    );
    return { deliveries: newestFirst(lists, limit).map(deliveryView) };
  });

  app.get('/requests', async (req, reply) => {
    const scope = scopeOf(req);
    const query = requestLogQuery(req.query as Record<string, unknown>);
    if ('error' in query) return reply.code(400).send({ statusCode: 400, message: query.error });
    let units: string[];
    try {
      units = unitsAsked(scope, query.filter.msn);
    } catch {
      return reply.code(403).send(notYours(query.filter.msn));
    }
    const lists: LoggedRequest[][] = await Promise.all(units.map((unit) => options.requestLog.list({ ...query.filter, msn: unit })));
    return requestLogResponse(newestFirst(lists, query.filter.limit), options.requestLog.dropped);
  });

  // The go-live check of one of its own sales units.
  app.get('/checklist', async (req, reply) => {
    const asked = checklistQuery(req.query as Record<string, unknown>, scopeOf(req).msns, 'merchant');
    return 'msn' in asked ? options.checklist(asked.msn) : reply.code(asked.statusCode).send(asked);
  });

  /** The registration if it is the principal's: the merchant's, and of its sales unit when the principal names one. */
  const own = (scope: Scope, w: WebhookRegistration | null): w is WebhookRegistration =>
    w !== null && w.clientId === scope.owner.clientId && (scope.owner.msn === null || w.msn === scope.owner.msn);
  const noSuch = (id: string) => ({ statusCode: 404, message: `No webhook ${id} of this merchant (and sales unit, when Merchant-Serial-Number is sent).` });

  app.get<{ Params: { id: string } }>('/webhooks/:id/faults', async (req, reply) => {
    const scope = scopeOf(req);
    const found = await options.webhooks.get(req.params.id);
    if (!own(scope, found)) return reply.code(404).send(noSuch(req.params.id));
    return found.faults;
  });

  app.put<{ Params: { id: string }; Body: Static<typeof Faults> }>('/webhooks/:id/faults', { schema: { body: Faults } }, async (req, reply) => {
    const scope = scopeOf(req);
    const faults: WebhookFaults = { ...NO_FAULTS, ...req.body };
    if (!(await setRegistrationFaults(ctx.engine, options.webhooks, req.params.id, faults, (w) => own(scope, w)))) return reply.code(404).send(noSuch(req.params.id));
    return faults;
  });
}
