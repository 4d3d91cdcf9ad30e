// ePayment API v1 (spec 1.8.1): thin handlers that translate the wire format to engine calls.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isMsisdn } from '../../domain/phone-number.ts';
import { FieldValidationError } from '../../domain/reasons.ts';
import { ApiError } from '../api-error.ts';
import { isRemoteHttpUrl } from '../../domain/url-rules.ts';
import { parsePaymentToken } from '../../domain/payment-token.ts';
import type { FaceContext } from '../face-context.ts';
import { authenticateMerchant, header } from '../merchant-auth.ts';
import { authenticatePsp } from '../psp-auth.ts';
import { lenientFace } from '../lenient/lenient-face.ts';
import { reportLeniency } from '../lenient/leniency.ts';
import { errorHandlerFor } from '../problem.ts';
import { phoneFromPersonalQr, type CreatePaymentRequest } from './create-payment-rules.ts';
import { epaymentApi, type CreatingPsp } from './epayment-api.ts';
import { EPAYMENT_ERROR_MAP, EPAYMENT_ERRORS } from './error-map.ts';
import { testEnvironmentRateLimits, type RateLimitMode } from './rate-limit.ts';
import {
  CancelRequestSchema,
  CreatePaymentRequestSchema,
  ForceApproveSchema,
  IdempotentHeaders,
  ModificationRequestSchema,
  OptionalIdempotencyHeaders,
  PlainHeaders,
  ReferenceParams,
  type CancelBody,
  type CreatePaymentBody,
  type ForceApproveBody,
  type ModificationBody,
  type ReferenceParamsT,
} from './schemas.ts';
import { createPaymentResponse, getPaymentResponse, paymentEventResponse } from './serialize.ts';

export const EPAYMENT_PREFIX = '/epayment';

declare module 'fastify' {
  interface FastifyRequest {
    msn: string;
    /** The PSP acting for the merchant (a request with Psp-Id: card passthrough), else null. */
    psp: CreatingPsp | null;
  }
}

export interface EpaymentFaceOptions {
  rateLimits?: RateLimitMode;
}

export async function epaymentRoutes(app: FastifyInstance, ctx: FaceContext, options: EpaymentFaceOptions = {}): Promise<void> {
  const api = epaymentApi(ctx.engine);
  lenientFace(app, { strict: ctx.strictRequests, jsonBodies: true });
  app.decorateRequest('msn', '');
  app.decorateRequest('psp', null);
  app.setErrorHandler(errorHandlerFor(EPAYMENT_PREFIX, ctx.ids, EPAYMENT_ERROR_MAP, EPAYMENT_ERRORS.INTERNAL));
  // Authentication runs before the body is read: a caller without credentials learns nothing else.
  // With Psp-Id the credentials are a PSP's, acting for a merchant's sales unit it serves (card
  // passthrough); the PSP face's checks and wording apply.
  app.addHook('onRequest', async (req) => {
    if (header(req, 'psp-id') !== undefined) {
      const principal = authenticatePsp(req, ctx.directory, ctx.tokens);
      req.msn = principal.msn;
      req.psp = { pspId: principal.psp.pspId, clientId: principal.psp.clientId };
      return;
    }
    req.msn = authenticateMerchant(req, ctx.directory, ctx.tokens, { msnRequired: true }).msn;
  });
  if (options.rateLimits === 'test-environment') app.addHook('preValidation', testEnvironmentRateLimits(ctx.clock, EPAYMENT_PREFIX));

  const idempotencyKey = (req: FastifyRequest) => header(req, 'idempotency-key') ?? null;
  // Cancel and force approve take an optional body: no body means an empty object.
  const optionalBody = async (req: FastifyRequest) => {
    if (req.body === undefined || req.body === null) req.body = {};
  };

  app.post<{ Body: CreatePaymentBody }>(
    '/v1/payments',
    { schema: { body: CreatePaymentRequestSchema, headers: IdempotentHeaders } },
    async (req, reply) => {
      if (!ctx.strictRequests) customerWithoutIdentifier(req, req.body);
      merchantUrls(req, req.body);
      const payment = await api.create(req.msn, req.body as CreatePaymentRequest, idempotencyKey(req)!, req.psp ?? undefined);
      return reply.code(201).send(createPaymentResponse(payment, ctx.baseUrl()));
    },
  );

  /**
   * A customer with no identifier left (WooCommerce sends `customer: { customerInteraction }`, whose
   * unknown property the normalizer has dropped) is no customer: the flow's own rule then applies
   * (PUSH_MESSAGE still needs one). In strict mode it stays, and the create rules refuse it as before.
   */
  function customerWithoutIdentifier(req: FastifyRequest, body: CreatePaymentBody): void {
    const customer = body.customer;
    if (customer && customer.phoneNumber === undefined && customer.personalQr === undefined && customer.customerToken === undefined) {
      delete body.customer;
      reportLeniency(req, { kind: 'customer-without-identifier', field: 'customer', detail: 'No phoneNumber, personalQr or customerToken; treated as no customer.' });
    }
  }

  /** http:// to a host that is not loopback: accepted and reported, or in strict mode refused (4090) as before. */
  function merchantUrls(req: FastifyRequest, body: CreatePaymentBody): void {
    for (const field of ['returnUrl', 'receiptUrl'] as const) {
      const url = body[field];
      if (typeof url !== 'string' || !isRemoteHttpUrl(url)) continue;
      if (ctx.strictRequests) throw new ApiError(EPAYMENT_ERRORS.INVALID_URL, `${field} must use https://, a custom app scheme, or http:// to a loopback host.`);
      reportLeniency(req, { kind: 'http-merchant-url', field, detail: 'http:// to a host that is not loopback; production requires https:// or a custom app scheme.' });
    }
  }

  app.get<{ Params: ReferenceParamsT }>('/v1/payments/:reference', { schema: { params: ReferenceParams } }, async (req) =>
    getPaymentResponse(await api.get(req.msn, req.params.reference), ctx.baseUrl()),
  );

  app.get<{ Params: ReferenceParamsT }>('/v1/payments/:reference/events', { schema: { params: ReferenceParams } }, async (req) =>
    (await api.events(req.msn, req.params.reference)).map(paymentEventResponse),
  );

  app.post<{ Params: ReferenceParamsT; Body: CancelBody | undefined }>(
    '/v1/payments/:reference/cancel',
    { schema: { params: ReferenceParams, body: CancelRequestSchema, headers: OptionalIdempotencyHeaders }, preValidation: optionalBody },
    async (req) => {
      const options = { cancelTransactionOnly: req.body?.cancelTransactionOnly ?? false };
      return api.cancel(req.msn, req.params.reference, options, idempotencyKey(req));
    },
  );

  app.post<{ Params: ReferenceParamsT; Body: ModificationBody }>(
    '/v1/payments/:reference/capture',
    { schema: { params: ReferenceParams, body: ModificationRequestSchema, headers: IdempotentHeaders } },
    async (req) => api.capture(req.msn, req.params.reference, req.body.modificationAmount, idempotencyKey(req)!),
  );

  app.post<{ Params: ReferenceParamsT; Body: ModificationBody }>(
    '/v1/payments/:reference/refund',
    { schema: { params: ReferenceParams, body: ModificationRequestSchema, headers: IdempotentHeaders } },
    async (req) => api.refund(req.msn, req.params.reference, req.body.modificationAmount, idempotencyKey(req)!),
  );

  app.post<{ Params: ReferenceParamsT; Body: ForceApproveBody | undefined }>(
    '/v1/test/payments/:reference/approve',
    { schema: { params: ReferenceParams, body: ForceApproveSchema, headers: PlainHeaders }, preValidation: optionalBody },
    async (req, reply) => {
      const body = req.body ?? {};
      const phoneNumber = approverPhone(body.customer);
      let token = body.token;
      // The official Postman collection's create script never fills {{payment_token}} (it looks for a
      // 200 and an eCom `url`), so its force approve sends that text: a value that names no payment
      // at all is ignored and reported. A real token of another payment still answers 10020.
      if (token !== undefined && parsePaymentToken(token) === null && !ctx.strictRequests) {
        reportLeniency(req, { kind: 'unusable-token', field: 'token', detail: 'Not a payment token (from the redirectUrl); ignored.' });
        token = undefined;
      }
      const approved = await api.forceApprove(req.msn, req.params.reference, {
        ...(phoneNumber !== undefined ? { phoneNumber } : {}),
        ...(token !== undefined ? { token } : {}),
      });
      // A card passthrough approval waits for the PSP's card callback answer; so does this answer
      // (at most cardCallbackTimeoutMs), so that a GetPayment next sees the outcome.
      await ctx.engine.whenAnswered(approved.id);
      return reply.code(200).send();
    },
  );
}

/** The approving user of a force approve: a phone number, or the number inside a personal QR. */
function approverPhone(customer: ForceApproveBody['customer']): string | undefined {
  if (!customer) return undefined;
  const given = [customer.phoneNumber, customer.personalQr, customer.customerToken].filter((v) => v !== undefined);
  if (given.length !== 1) {
    throw new FieldValidationError([{ name: 'customer', reason: 'Exactly one of customer.phoneNumber, customer.personalQr and customer.customerToken must be set.' }]);
  }
  if (customer.phoneNumber !== undefined) {
    if (!isMsisdn(customer.phoneNumber)) throw new ApiError(EPAYMENT_ERRORS.INVALID_PHONE_NUMBER, 'customer.phoneNumber must be an MSISDN, e.g. 4712345678.');
    return customer.phoneNumber;
  }
  if (customer.personalQr !== undefined) {
    const phone = phoneFromPersonalQr(customer.personalQr);
    if (!phone) throw new ApiError(EPAYMENT_ERRORS.INVALID_PERSONAL_QR);
    return phone;
  }
  throw new ApiError(EPAYMENT_ERRORS.INVALID_CUSTOMER_TOKEN, 'customer.customerToken is not supported by vipps-local yet; use customer.phoneNumber.');
}
