// The Stripe-compatible API (STRIPE-NOTES): Stripe's paths under /v1, form-encoded parameters read
// by each request's Stripe-Version, Stripe's keys, errors, idempotency, lists and expand. Objects
// live in the face's table (stripe-store.ts); money moves through the engine (payment-intents.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UnitOfWork } from '../../engine/unit-of-work.ts';
import type { FaceContext } from '../face-context.ts';
import { expand } from './expand.ts';
import { intentIdOfSecret, setChangeContext, type IntentInternal, type StoredIntent } from './intent-model.ts';
import { listPage, ListParams } from './list.ts';
import { newId, unixSeconds, type ChargeObject, type Metadata, type PaymentIntentObject, type PaymentMethodObject, type RefundObject, type WebhookEndpointObject } from './objects.ts';
import { EXPAND, decodeForm, type Params, type ParamSpec } from './params.ts';
import { CancelParams, CaptureParams, ConfirmParams, UpdateParams, cancelIntent, captureIntent, confirmIntent, createIntent, createParams, mergeMetadata, updateIntent } from './payment-intents.ts';
import { newPaymentMethod, PaymentMethodData } from './payment-methods.ts';
import { answerOfError, intentIdOfAnswer, newRequestId, runOperation, sendAnswer, stripeRequestParts, type Answer, type EndpointOptions, type StripeEndpoint } from './stripe-request.ts';
import type { StripeCall } from './stripe-call.ts';
import { invalidRequest, parameterMissing, resourceMissing, unexpectedState } from './stripe-error.ts';
import type { StripeReader, StripeRepository, StripeStore } from './stripe-store.ts';
import type { WebhookEndpointInternal } from './events.ts';
import { checkWebhookEndpointUrl } from './payment-method-types.ts';
import type { OutboundTargets } from '../../delivery/outbound-targets.ts';
import { stripeErrorOf } from './error-map.ts';
import { DomainError } from '../../domain/reasons.ts';
import { checkoutRoutes } from './checkout-routes.ts';
import { keepBodyText } from '../../platform/request-log/body-text.ts';
import { logRequestAs } from '../../platform/request-log/logged-as.ts';

export const STRIPE_PREFIX = '/v1';

export interface StripeFaceOptions {
  stripe: StripeStore;
  /** The outbound-target policy: under 'public-only', webhook endpoint URLs to internal addresses are refused. */
  outboundTargets?: OutboundTargets;
}

type Handler = (endpoint: StripeEndpoint, req: FastifyRequest<{ Params: Record<string, string> }>, reply: FastifyReply) => Promise<Answer>;

export async function stripeRoutes(app: FastifyInstance, ctx: FaceContext, options: StripeFaceOptions): Promise<void> {
  const { stripe } = options;
  const { engine } = ctx;
  app.decorateRequest('stripeRequestId', null);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (req, body, done) => {
    keepBodyText(req, body);
    try {
      done(null, decodeForm(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addHook('onRequest', async (req, reply) => {
    req.stripeRequestId = newRequestId();
    reply.header('request-id', req.stripeRequestId);
    // Stripe.js calls the API from the merchant's page: simple CORS requests with the publishable key.
    reply.header('access-control-allow-origin', '*');
  });
  app.options('/*', async (_req, reply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'GET, POST, DELETE')
      .header('access-control-allow-headers', 'Authorization, Content-Type, Stripe-Version, Idempotency-Key, Stripe-Account')
      .header('access-control-max-age', '300')
      .send(),
  );
  app.setErrorHandler((err, req, reply) => {
    const answer = answerOfError(err);
    if (answer) return sendAnswer(reply, null, answer);
    req.log.error({ err }, 'unexpected error');
    return sendAnswer(reply, null, { status: 500, body: { error: { type: 'api_error', message: 'An unexpected error occurred.' } } });
  });

  // Stripe's answer to a path it does not have (the onRequest hook adds the CORS header Stripe.js needs to read it).
  app.setNotFoundHandler((req, reply) =>
    sendAnswer(reply, null, {
      status: 404,
      body: { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${req.url.split('?')[0]}). vipps-local serves the Stripe API's PaymentIntents, PaymentMethods, Charges, Refunds, Events, webhook endpoints and Checkout Sessions.` } },
    }),
  );
  const repo = (uow: UnitOfWork) => stripe.in(uow.tx.sql);
  const ok = (body: unknown): Answer => ({ status: 200, body });

  function route(method: 'GET' | 'POST' | 'DELETE', path: string, spec: ParamSpec | ((call: StripeCall) => ParamSpec), handler: Handler, opts: EndpointOptions = {}) {
    app.route<{ Params: Record<string, string> }>({
      method,
      url: path,
      handler: async (req, reply: FastifyReply) => {
        // The spec may depend on the version: read once with everything allowed to learn it, then for real.
        const first = stripeRequestParts(ctx, req, typeof spec === 'function' ? ANY : spec, opts);
        const endpoint = typeof spec === 'function' ? stripeRequestParts(ctx, req, spec(first.call), opts) : first;
        const answer = await handler(endpoint, req, reply);
        const intent = answer.status < 300 ? intentIdOfAnswer(answer.body) : null;
        if (intent !== null) logRequestAs(req, { reference: intent });
        return sendAnswer(reply, endpoint, answer);
      },
    });
  }

  /** An object of the caller's account, or Stripe's 404. */
  async function own<D, I = Record<string, unknown>>(reader: StripeReader, call: StripeCall, id: string, kind: string, noun: string) {
    const found = await reader.get<D, I>(id);
    if (!found || found.kind !== kind || found.account !== call.caller.account) throw resourceMissing(noun, id);
    return found;
  }

  /** A PaymentIntent with a passed deadline of its attempt settled first (its 5 minutes, its 7-day hold). */
  async function currentIntent(call: StripeCall, id: string): Promise<StoredIntent> {
    const found = await own<PaymentIntentObject, IntentInternal>(stripe, call, id, 'payment_intent', 'payment_intent');
    if (found.internal.attempt) {
      await engine.getPayment({ id: found.internal.attempt });
      return (await stripe.get<PaymentIntentObject, IntentInternal>(id)) as StoredIntent;
    }
    return found as StoredIntent;
  }

  /** With the publishable key, the caller must hold the intent's client secret, and sees Stripe.js's subset. */
  function checkSecret(endpoint: StripeEndpoint, pi: PaymentIntentObject): void {
    if (endpoint.call.caller.kind !== 'publishable') return;
    const secret = endpoint.raw.client_secret;
    if (typeof secret !== 'string') throw parameterMissing('client_secret');
    if (intentIdOfSecret(secret) !== pi.id || secret !== pi.client_secret) {
      throw invalidRequest(`The client_secret provided does not match the client_secret associated with the PaymentIntent.`, { param: 'client_secret' });
    }
  }

  const intentView = (endpoint: StripeEndpoint, pi: PaymentIntentObject): unknown => (endpoint.call.caller.kind === 'publishable' ? publishableView(pi) : pi);

  async function answerIntent(reader: StripeReader, endpoint: StripeEndpoint, id: string): Promise<Answer> {
    const found = (await reader.get<PaymentIntentObject>(id))!;
    const body = intentView(endpoint, found.data);
    return ok(await expand(reader, endpoint.call.caller.account, body, (endpoint.params.expand as string[] | undefined) ?? []));
  }

  // ---- PaymentIntents
  route('POST', '/payment_intents', createParams, (e, req, reply) =>
    runOperation(ctx, req, reply, e, async (uow) => {
      const r = repo(uow);
      const intent = await createIntent(uow, r, e.call, e.params);
      if (e.params.confirm === true) await confirmIntent(engine, uow, r, e.call, intent, e.params);
      return answerIntent(r, e, intent.id);
    }),
  );
  route('GET', '/payment_intents', { ...ListParams, customer: 'unsupported', created: 'unsupported' }, async (e) =>
    ok(await expand(stripe, e.call.caller.account, await listPage(stripe, '/v1/payment_intents', 'payment_intent', { account: e.call.caller.account, kind: 'payment_intent' }, e.params), (e.params.expand as string[]) ?? [])),
  );
  route('GET', '/payment_intents/:id', EXPAND, async (e, req) => {
    logRequestAs(req, { reference: req.params.id! });
    const intent = await currentIntent(e.call, req.params.id!);
    checkSecret(e, intent.data);
    return answerIntent(stripe, e, intent.id);
  }, { publishable: true });
  /**
   * An operation on one PaymentIntent: its passed deadlines settled first, then in one unit of work
   * the intent (the caller's, and with the publishable key its client secret) and the change.
   */
  function intentOperation(path: string, spec: ParamSpec, change: (uow: UnitOfWork, r: StripeRepository, e: StripeEndpoint, intent: StoredIntent) => Promise<void>, opts: EndpointOptions = {}) {
    route('POST', path, spec, async (e, req, reply) => {
      // Listed under the PaymentIntent it names, refused or not (a capture too early, a declined confirm).
      logRequestAs(req, { reference: req.params.id! });
      await currentIntent(e.call, req.params.id!);
      return runOperation(ctx, req, reply, e, async (uow) => {
        const r = repo(uow);
        const intent = (await own<PaymentIntentObject, IntentInternal>(r, e.call, req.params.id!, 'payment_intent', 'payment_intent')) as StoredIntent;
        checkSecret(e, intent.data);
        await change(uow, r, e, intent);
        return answerIntent(r, e, intent.id);
      });
    }, opts);
  }
  intentOperation('/payment_intents/:id', UpdateParams, (uow, r, e, intent) => updateIntent(r, e.call, intent, e.params, uow.now));
  intentOperation('/payment_intents/:id/confirm', ConfirmParams, async (uow, r, e, intent) => void (await confirmIntent(engine, uow, r, e.call, intent, e.params)), { publishable: true });
  intentOperation('/payment_intents/:id/capture', CaptureParams, (uow, r, e, intent) => captureIntent(engine, uow, r, e.call, intent, e.params));
  intentOperation('/payment_intents/:id/cancel', CancelParams, (uow, r, e, intent) => cancelIntent(engine, uow, r, e.call, intent, e.params));

  // ---- PaymentMethods
  route('POST', '/payment_methods', { ...PaymentMethodData, expand: { array: 'string' } }, (e, req, reply) =>
    runOperation(ctx, req, reply, e, async (uow) => {
      const { expand: _x, ...data } = e.params;
      const made = newPaymentMethod(data, uow.now, 'payment_method');
      await repo(uow).insert({ id: made.pm.id, account: e.call.caller.account, kind: 'payment_method', parent: null, tag: null, data: made.pm, internal: made.decline ? { decline: made.decline } : {} });
      return ok(made.pm);
    }),
  );
  route('GET', '/payment_methods/:id', EXPAND, async (e, req) => ok((await own<PaymentMethodObject>(stripe, e.call, req.params.id!, 'payment_method', 'PaymentMethod')).data));

  // ---- Charges
  route('GET', '/charges', { ...ListParams, payment_intent: 'string', customer: 'unsupported', created: 'unsupported' }, async (e) => {
    const q = { account: e.call.caller.account, kind: 'charge', ...(e.params.payment_intent ? { parent: e.params.payment_intent as string } : {}) };
    return ok(await expand(stripe, e.call.caller.account, await listPage(stripe, '/v1/charges', 'charge', q, e.params), (e.params.expand as string[]) ?? []));
  });
  route('GET', '/charges/:id', EXPAND, async (e, req) => {
    const c = await own<ChargeObject>(stripe, e.call, req.params.id!, 'charge', 'charge');
    return ok(await expand(stripe, e.call.caller.account, c.data, (e.params.expand as string[]) ?? []));
  });

  // ---- Refunds
  const RefundParams: ParamSpec = { payment_intent: 'string', charge: 'string', amount: 'integer', reason: { enum: ['duplicate', 'fraudulent', 'requested_by_customer'] }, metadata: 'map', expand: { array: 'string' }, instructions_email: 'string' };
  route('POST', '/refunds', RefundParams, (e, req, reply) =>
    runOperation(ctx, req, reply, e, async (uow) => {
      const r = repo(uow);
      const refundId = await refund(uow, r, e);
      const made = (await r.get<RefundObject>(refundId))!;
      return ok(await expand(r, e.call.caller.account, made.data, (e.params.expand as string[]) ?? []));
    }),
  );
  route('GET', '/refunds', { ...ListParams, payment_intent: 'string', charge: 'string', created: 'unsupported' }, async (e) => {
    const q = { account: e.call.caller.account, kind: 'refund', ...(e.params.payment_intent ? { parent: e.params.payment_intent as string } : {}), ...(e.params.charge ? { tag: e.params.charge as string } : {}) };
    return ok(await expand(stripe, e.call.caller.account, await listPage(stripe, '/v1/refunds', 'refund', q, e.params), (e.params.expand as string[]) ?? []));
  });
  route('GET', '/refunds/:id', EXPAND, async (e, req) => {
    const found = await own<RefundObject>(stripe, e.call, req.params.id!, 'refund', 'refund');
    return ok(await expand(stripe, e.call.caller.account, found.data, (e.params.expand as string[]) ?? []));
  });
  route('POST', '/refunds/:id', { metadata: 'map', expand: { array: 'string' } }, (e, req, reply) =>
    runOperation(ctx, req, reply, e, async (uow) => {
      const r = repo(uow);
      const found = await own<RefundObject>(r, e.call, req.params.id!, 'refund', 'refund');
      const next = { ...found.data, metadata: mergeMetadata(found.data.metadata, (e.params.metadata as Metadata) ?? {}) };
      await r.update(found.id, next, found.internal);
      return ok(next);
    }),
  );

  async function refund(uow: UnitOfWork, r: StripeRepository, e: StripeEndpoint): Promise<string> {
    const p = e.params;
    let intentId = p.payment_intent as string | undefined;
    if (p.charge !== undefined) {
      const charge = await own<ChargeObject>(r, e.call, p.charge as string, 'charge', 'charge');
      if (intentId !== undefined && intentId !== charge.data.payment_intent) throw invalidRequest('The charge and payment_intent given do not belong together.', { param: 'charge' });
      intentId = charge.data.payment_intent;
    }
    if (intentId === undefined) throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', { code: 'parameter_missing' });
    const intent = await own<PaymentIntentObject, IntentInternal>(r, e.call, intentId, 'payment_intent', 'payment_intent');
    const pi = intent.data;
    const charge = pi.latest_charge ? await r.get<ChargeObject>(pi.latest_charge) : null;
    if (pi.status !== 'succeeded' || !charge || !intent.internal.attempt) {
      throw unexpectedState(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`);
    }
    const left = charge.data.amount_captured - charge.data.amount_refunded;
    if (left === 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
    const amount = (p.amount as number | undefined) ?? left;
    if (amount <= 0) throw invalidRequest('Invalid positive integer', { param: 'amount', code: 'parameter_invalid_integer' });
    if (amount > left) {
      throw invalidRequest(`Refund amount (kr ${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge (kr ${(left / 100).toFixed(2)})`, { param: 'amount', code: 'amount_too_large' });
    }
    const id = newId('re');
    setChangeContext(uow.tx, { request: e.call.request, refund: { id, reason: (p.reason as string | undefined) ?? null, metadata: (p.metadata as Metadata | undefined) ?? {} } });
    try {
      await engine.commands.refund(uow, { id: intent.internal.attempt }, { amount: { currency: 'NOK', value: amount }, idempotencyKey: e.call.request.idempotency_key });
    } catch (err) {
      if (err instanceof DomainError) throw stripeErrorOf(err);
      throw err;
    }
    return id;
  }

  // ---- Events
  route('GET', '/events', { ...ListParams, type: 'string', types: 'unsupported', created: 'unsupported', delivery_success: 'unsupported' }, async (e) => {
    const q = { account: e.call.caller.account, kind: 'event', ...(e.params.type ? { tag: e.params.type as string } : {}) };
    return ok(await listPage(stripe, '/v1/events', 'event', q, e.params));
  });
  route('GET', '/events/:id', EXPAND, async (e, req) => ok((await own(stripe, e.call, req.params.id!, 'event', 'event')).data));

  // ---- Webhook endpoints
  const EndpointParams: ParamSpec = { url: 'string', enabled_events: { array: 'string' }, description: 'string', metadata: 'map', api_version: 'string', connect: 'boolean', disabled: 'boolean', expand: { array: 'string' } };
  route('POST', '/webhook_endpoints', EndpointParams, (e, req, reply) =>
    runOperation(ctx, req, reply, e, async (uow) => {
      const p = e.params;
      if (p.url === undefined) throw parameterMissing('url');
      if (p.enabled_events === undefined) throw parameterMissing('enabled_events');
      checkWebhookEndpointUrl(p.url as string, options.outboundTargets ?? 'any');
      const secret = `whsec_${newId('x', 32).slice(2)}`;
      const endpoint: WebhookEndpointObject = {
        id: newId('we'),
        object: 'webhook_endpoint',
        api_version: (p.api_version as string | undefined) ?? null,
        application: null,
        created: unixSeconds(uow.now),
        description: (p.description as string | undefined) ?? null,
        enabled_events: p.enabled_events as string[],
        livemode: false,
        metadata: (p.metadata as Metadata | undefined) ?? {},
        status: 'enabled',
        url: p.url as string,
      };
      const internal: WebhookEndpointInternal = { secret, msn: e.call.caller.msn };
      await repo(uow).insert({ id: endpoint.id, account: e.call.caller.account, kind: 'webhook_endpoint', parent: null, tag: null, data: endpoint, internal });
      // The secret is shown once, at creation (STRIPE-NOTES §1.6).
      return ok({ ...endpoint, secret });
    }),
  );
  route('GET', '/webhook_endpoints', ListParams, async (e) => ok(await listPage(stripe, '/v1/webhook_endpoints', 'webhook_endpoint', { account: e.call.caller.account, kind: 'webhook_endpoint' }, e.params)));
  route('GET', '/webhook_endpoints/:id', EXPAND, async (e, req) => ok((await own(stripe, e.call, req.params.id!, 'webhook_endpoint', 'webhook_endpoint')).data));
  route('POST', '/webhook_endpoints/:id', EndpointParams, (e, req, reply) =>
    runOperation(ctx, req, reply, e, async (uow) => {
      const r = repo(uow);
      const found = await own<WebhookEndpointObject, WebhookEndpointInternal>(r, e.call, req.params.id!, 'webhook_endpoint', 'webhook_endpoint');
      const p = e.params;
      if (p.url !== undefined) checkWebhookEndpointUrl(p.url as string, options.outboundTargets ?? 'any');
      const next: WebhookEndpointObject = {
        ...found.data,
        ...(p.url !== undefined ? { url: p.url as string } : {}),
        ...(p.enabled_events !== undefined ? { enabled_events: p.enabled_events as string[] } : {}),
        ...(p.description !== undefined ? { description: p.description as string } : {}),
        ...(p.metadata !== undefined ? { metadata: mergeMetadata(found.data.metadata, p.metadata as Metadata) } : {}),
        ...(p.disabled !== undefined ? { status: p.disabled ? 'disabled' : 'enabled' } : {}),
      };
      await r.update(found.id, next, found.internal);
      if (next.status === 'disabled' || next.url !== found.data.url) await uow.tx.forgetTarget(found.id);
      return ok(next);
    }),
  );
  route('DELETE', '/webhook_endpoints/:id', {}, (e, req, reply) =>
    runOperation(ctx, req, reply, e, async (uow) => {
      const r = repo(uow);
      const found = await own(r, e.call, req.params.id!, 'webhook_endpoint', 'webhook_endpoint');
      await r.remove(found.id);
      // A deleted endpoint gets no more deliveries, retries included (STRIPE-NOTES §4).
      await uow.tx.forgetTarget(found.id);
      return ok({ id: found.id, object: 'webhook_endpoint', deleted: true });
    }),
  );

  // ---- Checkout Sessions (checkout-routes.ts), with this file's route registration and lookup
  checkoutRoutes({ ctx, stripe, route, own });
}

/** Everything, to learn the version before the real reading. */
const ANY: ParamSpec = new Proxy({}, { get: () => 'any' }) as ParamSpec;

/** What Stripe.js sees of a PaymentIntent with the publishable key (STRIPE-NOTES §1.1). */
export function publishableView(pi: PaymentIntentObject) {
  return {
    id: pi.id,
    object: pi.object,
    amount: pi.amount,
    canceled_at: pi.canceled_at,
    cancellation_reason: pi.cancellation_reason,
    capture_method: pi.capture_method,
    client_secret: pi.client_secret,
    confirmation_method: pi.confirmation_method,
    created: pi.created,
    currency: pi.currency,
    description: pi.description,
    last_payment_error: pi.last_payment_error,
    livemode: pi.livemode,
    next_action: pi.next_action,
    payment_method: pi.payment_method,
    payment_method_types: pi.payment_method_types,
    receipt_email: pi.receipt_email,
    setup_future_usage: pi.setup_future_usage,
    shipping: pi.shipping,
    status: pi.status,
  };
}
