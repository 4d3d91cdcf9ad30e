// The Checkout Sessions endpoints (/v1/checkout/sessions…), registered by routes.ts with its endpoint
// machinery: create, retrieve (also with the publishable key and the session's client secret, as
// embedded Checkout does), list (with the payment_intent and status filters), expire and line_items.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UnitOfWork } from '../../engine/unit-of-work.ts';
import type { FaceContext } from '../face-context.ts';
import { CHECKOUT_KIND, isDue, sessionIdOfSecret, type CheckoutSessionObject, type SessionInternal, type StoredSession } from './checkout-model.ts';
import { SessionListParams, createSession, currentSession, expireSession, lineItemList, sessionBody, sessionCreateParams } from './checkout-sessions.ts';
import type { IntentInternal } from './intent-model.ts';
import { ListParams, listPage } from './list.ts';
import { listObject, type PaymentIntentObject } from './objects.ts';
import { EXPAND, type ParamSpec } from './params.ts';
import type { StripeCall } from './stripe-call.ts';
import { invalidRequest, parameterMissing, resourceMissing } from './stripe-error.ts';
import { runOperation, type Answer, type EndpointOptions, type StripeEndpoint } from './stripe-request.ts';
import type { StripeReader, StripeRepository, StripeStore, StoredObject } from './stripe-store.ts';

type Handler = (endpoint: StripeEndpoint, req: FastifyRequest<{ Params: Record<string, string> }>, reply: FastifyReply) => Promise<Answer>;

/** What routes.ts lends: its route registration (version-aware parameters, Stripe's answers) and the object lookup. */
export interface StripeRouteKit {
  ctx: FaceContext;
  stripe: StripeStore;
  route(method: 'GET' | 'POST' | 'DELETE', path: string, spec: ParamSpec | ((call: StripeCall) => ParamSpec), handler: Handler, opts?: EndpointOptions): void;
  own<D, I = Record<string, unknown>>(reader: StripeReader, call: StripeCall, id: string, kind: string, noun: string): Promise<StoredObject<D, I>>;
}

const ok = (body: unknown): Answer => ({ status: 200, body });
const paths = (e: StripeEndpoint) => (e.params.expand as string[] | undefined) ?? [];

export function checkoutRoutes(kit: StripeRouteKit): void {
  const { ctx, stripe, route, own } = kit;
  const repo = (uow: UnitOfWork): StripeRepository => stripe.in(uow.tx.sql);

  /** The caller's session, with a passed expires_at settled first. */
  async function session(call: StripeCall, id: string): Promise<StoredSession> {
    await own(stripe, call, id, CHECKOUT_KIND, 'checkout.session');
    return (await currentSession(ctx, stripe, id))!;
  }

  route('POST', '/checkout/sessions', sessionCreateParams, (e, req, reply) =>
    runOperation(ctx, req, reply, e, async (uow) => {
      const r = repo(uow);
      const made = await createSession(uow, r, e.call, e.params);
      return ok(await sessionBody(r, made, paths(e)));
    }),
  );

  route('GET', '/checkout/sessions', SessionListParams, async (e) => {
    const account = e.call.caller.account;
    const p = e.params;
    let list: { object: 'list'; data: unknown[]; has_more: boolean; url: string };
    if (p.payment_intent !== undefined || p.status !== undefined) {
      // Filters the table does not index: read the account's sessions (a local server holds few).
      let all = (await stripe.all<CheckoutSessionObject, SessionInternal>(account, CHECKOUT_KIND)) as StoredSession[];
      if (p.payment_intent !== undefined) {
        const pi = await stripe.get<PaymentIntentObject, IntentInternal>(p.payment_intent as string);
        const owner = pi && pi.account === account ? pi.internal.checkoutSession : undefined;
        all = all.filter((s) => s.id === owner);
      }
      const settled = await Promise.all(all.map((s) => (isDue(s.data, ctx.clock.now()) ? currentSession(ctx, stripe, s.id).then((x) => x!) : s)));
      const matching = settled.filter((s) => p.status === undefined || s.data.status === p.status).reverse();
      list = pageOf(matching.map((s) => s.data), p as Record<string, unknown>, '/v1/checkout/sessions');
    } else {
      list = await listPage(stripe, '/v1/checkout/sessions', 'checkout.session', { account, kind: CHECKOUT_KIND }, p);
    }
    const data: unknown[] = [];
    for (const item of list.data as CheckoutSessionObject[]) {
      const stored = isDue(item, ctx.clock.now()) ? await currentSession(ctx, stripe, item.id) : ((await stripe.get(item.id)) as StoredSession);
      data.push(await sessionBody(stripe, stored!, paths(e), 'data.'));
    }
    return ok({ ...list, data });
  });

  route(
    'GET',
    '/checkout/sessions/:id',
    EXPAND,
    async (e, req) => {
      const found = await session(e.call, req.params.id!);
      if (e.call.caller.kind === 'publishable') {
        // Embedded Checkout reads its session with the publishable key and the session's client secret.
        const secret = e.raw.client_secret;
        if (typeof secret !== 'string') throw parameterMissing('client_secret');
        if (sessionIdOfSecret(secret) !== found.id || secret !== found.data.client_secret) {
          throw invalidRequest('The client_secret provided does not match the client_secret associated with the Checkout Session.', { param: 'client_secret' });
        }
      }
      return ok(await sessionBody(stripe, found, paths(e)));
    },
    { publishable: true },
  );

  route('POST', '/checkout/sessions/:id/expire', EXPAND, (e, req, reply) =>
    runOperation(ctx, req, reply, e, async (uow) => {
      const r = repo(uow);
      const found = (await own<CheckoutSessionObject, SessionInternal>(r, e.call, req.params.id!, CHECKOUT_KIND, 'checkout.session')) as StoredSession;
      if (found.data.status !== 'open') {
        throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${found.data.status}".`, { code: 'checkout_session_unexpected_state' });
      }
      const expired = await expireSession(ctx, uow, r, found, e.call.request);
      return ok(await sessionBody(r, expired, paths(e)));
    }),
  );

  route('GET', '/checkout/sessions/:id/line_items', ListParams, async (e, req) => {
    const found = await session(e.call, req.params.id!);
    const list = lineItemList(found, e.params);
    // Prices are shown whole already; their products are not kept as objects.
    for (const path of paths(e)) throw invalidRequest(`This property cannot be expanded (${path}).`, { param: 'expand' });
    return ok(list);
  });
}

/** A page of an in-memory list (newest first), with Stripe's cursors. */
function pageOf(all: CheckoutSessionObject[], p: Record<string, unknown>, url: string) {
  const limit = (p.limit as number | undefined) ?? 10;
  if (limit < 1 || limit > 100) throw invalidRequest('Invalid limit: must be between 1 and 100', { param: 'limit' });
  let from = 0;
  let to = all.length;
  if (p.starting_after !== undefined) {
    const at = all.findIndex((s) => s.id === p.starting_after);
    if (at < 0) throw resourceMissing('checkout.session', p.starting_after as string, 'starting_after');
    from = at + 1;
  } else if (p.ending_before !== undefined) {
    const at = all.findIndex((s) => s.id === p.ending_before);
    if (at < 0) throw resourceMissing('checkout.session', p.ending_before as string, 'ending_before');
    to = at;
    from = Math.max(0, to - limit);
  }
  const page = all.slice(from, Math.min(to, from + limit));
  const more = p.ending_before !== undefined ? from > 0 : from + page.length < to;
  return listObject(url, page, more);
}
