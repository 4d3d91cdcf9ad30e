// ePayment API v1 (spec 1.8.1): thin handlers that translate the wire format to engine calls.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isMsisdn } from '../../domain/phone-number.ts';
import { FieldValidationError } from '../../domain/reasons.ts';
import { ApiError } from '../api-error.ts';
import type { FaceContext } from '../face-context.ts';
import { authenticateMerchant, header } from '../merchant-auth.ts';
import { errorHandlerFor } from '../problem.ts';
import { phoneFromPersonalQr, type CreatePaymentRequest } from './create-payment-rules.ts';
import { epaymentApi } from './epayment-api.ts';
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
  }
}

export interface EpaymentFaceOptions {
  rateLimits?: RateLimitMode;
}

export async function epaymentRoutes(app: FastifyInstance, ctx: FaceContext, options: EpaymentFaceOptions = {}): Promise<void> {
  const api = epaymentApi(ctx.engine);
  app.decorateRequest('msn', '');
  app.setErrorHandler(errorHandlerFor(EPAYMENT_PREFIX, ctx.ids, EPAYMENT_ERROR_MAP, EPAYMENT_ERRORS.INTERNAL));
  // Authentication runs before the body is read: a caller without credentials learns nothing else.
  app.addHook('onRequest', async (req) => {
    req.msn = authenticateMerchant(req, ctx.directory, ctx.tokens, { msnRequired: true }).msn;
  });
  if (options.rateLimits === 'test-environment') app.addHook('preValidation', testEnvironmentRateLimits(ctx.clock, EPAYMENT_PREFIX));

  const idempotencyKey = (req: FastifyRequest) => header(req, 'idempotency-key') ?? null;
  // Cancel and force approve take an optional body: no body means an empty object.
  const optionalBody = async (req: FastifyRequest) => {
    if (req.body === undefined || req.body === null) req.body = {};
  };

  app.post<{ Body: CreatePaymentBody }>('/v1/payments', { schema: { body: CreatePaymentRequestSchema, headers: IdempotentHeaders } }, async (req, reply) => {
    const payment = await api.create(req.msn, req.body as CreatePaymentRequest, idempotencyKey(req)!);
    return reply.code(201).send(createPaymentResponse(payment, ctx.baseUrl()));
  });

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
      await api.forceApprove(req.msn, req.params.reference, {
        ...(phoneNumber !== undefined ? { phoneNumber } : {}),
        ...(body.token !== undefined ? { token: body.token } : {}),
      });
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
