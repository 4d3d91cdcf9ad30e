// The machinery every Stripe endpoint shares: reading the version, the key and the parameters,
// running the operation once per Idempotency-Key (STRIPE-NOTES §3.6: per account across POST
// endpoints, same parameters replay with `Idempotent-Replayed: true`, others are an
// idempotency_error), and answering with Stripe's headers and error bodies.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, Refusal, TRANSIENT_REASONS } from '../../domain/reasons.ts';
import type { Outcome } from '../../engine/idempotency.ts';
import type { UnitOfWork } from '../../engine/unit-of-work.ts';
import type { FaceContext } from '../face-context.ts';
import { stripeErrorOf } from './error-map.ts';
import { authenticateStripe, keyOf } from './stripe-auth.ts';
import type { StripeCall } from './stripe-call.ts';
import { invalidRequest, StripeError, type StripeErrorBody } from './stripe-error.ts';
import { decodeQuery, readParams, type Params, type ParamSpec, type RawParams } from './params.ts';
import { newId } from './objects.ts';
import { parseStripeVersion } from './stripe-version.ts';
import { logRequestAs } from '../../platform/request-log/logged-as.ts';

/** Parameters Stripe.js adds to its calls: transport, not the endpoint's. */
const TRANSPORT = ['key', '_stripe_version', '_stripe_account'];

export interface Answer {
  status: number;
  body: unknown;
}

export interface EndpointOptions {
  /** Stripe.js may call it with the publishable key (and the object's client secret). */
  publishable?: boolean;
}

export interface StripeEndpoint {
  call: StripeCall;
  params: Params;
  /** The raw parameters, client_secret included. */
  raw: RawParams;
}

declare module 'fastify' {
  interface FastifyRequest {
    stripeRequestId: string | null;
  }
}

export function stripeRequestParts(ctx: FaceContext, req: FastifyRequest, spec: ParamSpec, options: EndpointOptions): StripeEndpoint {
  const raw: RawParams = { ...(req.method === 'GET' || req.method === 'DELETE' ? decodeQuery(req.url) : ((req.body as RawParams | undefined) ?? {})) };
  const headerVersion = req.headers['stripe-version'];
  const version = parseStripeVersion(typeof headerVersion === 'string' ? headerVersion : typeof raw._stripe_version === 'string' ? raw._stripe_version : undefined);
  if (typeof version === 'string') throw invalidRequest(version);
  const caller = authenticateStripe(ctx.directory, keyOf(req.headers.authorization, raw.key), options.publishable === true);
  // The request log lists the call under the key's sales unit (the one its payments are made in).
  logRequestAs(req, { msn: caller.msn });
  for (const t of TRANSPORT) delete raw[t];
  const withoutSecret = { ...raw };
  if (options.publishable) delete withoutSecret.client_secret;
  const params = readParams(withoutSecret, spec);
  const key = req.headers['idempotency-key'];
  const call: StripeCall = {
    caller,
    version,
    request: { id: req.stripeRequestId, idempotency_key: typeof key === 'string' ? key : null },
    baseUrl: ctx.baseUrl(),
    strict: ctx.strictRequests,
    warnings: [],
  };
  return { call, params, raw };
}

export function errorAnswer(err: unknown): Answer | null {
  if (err instanceof StripeError) return { status: err.status, body: { error: err.body } };
  if (err instanceof DomainError) {
    const e = stripeErrorOf(err);
    return { status: e.status, body: { error: e.body } };
  }
  return null;
}

/** Runs the operation in one unit of work, once per Idempotency-Key for a POST. */
export async function runOperation(
  ctx: FaceContext,
  req: FastifyRequest,
  reply: FastifyReply,
  endpoint: StripeEndpoint,
  work: (uow: UnitOfWork) => Promise<Answer>,
): Promise<Answer> {
  const key = endpoint.call.request.idempotency_key;
  if (req.method !== 'POST' || key === null) return ctx.engine.run(work).catch(rethrowAsAnswer);
  if (key.length > 255) throw invalidRequest(`Idempotency-Key must be at most 255 characters long; it is ${key.length}.`, { param: 'Idempotency-Key' });
  const guarded = await ctx.engine.guarded<Answer, Answer>(
    {
      scope: `stripe/${endpoint.call.caller.account}`,
      key,
      request: { method: req.method, path: req.url.split('?')[0]!.toLowerCase(), params: endpoint.raw },
      respond: (o: Outcome<Answer>) => (o.ok ? o.value : (errorAnswer(o.error) ?? { status: 500, body: { error: { type: 'api_error', message: 'An unexpected error occurred.' } } })),
      // Stripe keeps the result once the endpoint ran, errors included; a busy payment is worth a retry.
      remember: (o) => o.ok || !(o.error instanceof DomainError && TRANSIENT_REASONS.has(o.error.reason)),
    },
    work,
  );
  if (guarded.kind === 'conflict') {
    throw new StripeError(400, {
      type: 'idempotency_error',
      message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    });
  }
  if (guarded.kind === 'replay') reply.header('idempotent-replayed', 'true');
  return guarded.response;
}

class AnswerError extends Error {
  constructor(readonly answer: Answer) {
    super('answer');
  }
}

function rethrowAsAnswer(err: unknown): never {
  if (err instanceof Refusal) {
    const answer = errorAnswer(err);
    if (answer) throw new AnswerError(answer);
  }
  throw err;
}

/**
 * The PaymentIntent an answer is about: the intent itself, or the one a Charge, Refund or Checkout
 * Session names (expanded or not). The request log keeps it as the request's reference, so a
 * payment's page finds the calls made on its PaymentIntent.
 */
export function intentIdOfAnswer(body: unknown): string | null {
  if (body === null || typeof body !== 'object') return null;
  const o = body as { object?: unknown; id?: unknown; payment_intent?: unknown };
  if (o.object === 'payment_intent') return typeof o.id === 'string' ? o.id : null;
  if (typeof o.payment_intent === 'string') return o.payment_intent;
  const expanded = o.payment_intent as { id?: unknown } | null | undefined;
  return expanded !== null && typeof expanded === 'object' && typeof expanded.id === 'string' ? expanded.id : null;
}

/** Sends an answer with Stripe's headers. */
export function sendAnswer(reply: FastifyReply, endpoint: StripeEndpoint | null, answer: Answer): FastifyReply {
  if (endpoint) {
    reply.header('stripe-version', endpoint.call.version.raw);
    if (endpoint.call.request.idempotency_key) reply.header('idempotency-key', endpoint.call.request.idempotency_key);
    if (endpoint.call.warnings.length > 0) reply.header('vipps-local-warning', endpoint.call.warnings.join(' | '));
  }
  return reply.code(answer.status).type('application/json').send(answer.body);
}

/** The answer an error thrown by a handler becomes (StripeError, a domain refusal, a bad form). */
export function answerOfError(err: unknown): Answer | null {
  if (err instanceof AnswerError) return err.answer;
  const known = errorAnswer(err);
  if (known) return known;
  const fe = err as { statusCode?: number; message?: string; code?: string };
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 400, body: { error: { type: 'invalid_request_error', message: 'Invalid request: send parameters form-encoded (Content-Type: application/x-www-form-urlencoded), as the Stripe API takes them.' } satisfies StripeErrorBody } };
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, body: { error: { type: 'invalid_request_error', message: 'Request body is too large: form-encoded parameters may take at most 256 KiB (1 MiB for JSON).' } satisfies StripeErrorBody } };
  }
  if (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: 400, body: { error: { type: 'invalid_request_error', message: fe.message ?? 'Invalid request.' } } };
  }
  return null;
}

export const newRequestId = () => newId('req', 14);
