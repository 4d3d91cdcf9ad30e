// Stripe's error body and statuses (STRIPE-NOTES §3.5): `{ error: { type, code, message, param,
// decline_code, doc_url, … } }`. stripe-node picks its error class by the HTTP status, so the status
// is as much part of the contract as the body: 400 invalid request, 401 authentication, 402 a
// declined payment, 404 a missing object, 409 a key in use.
import { Refusal } from '../../domain/reasons.ts';

export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
  charge?: string;
}

export class StripeError extends Refusal {
  readonly status: number;
  readonly body: StripeErrorBody;
  constructor(status: number, body: StripeErrorBody) {
    super(body.message);
    this.name = 'StripeError';
    this.status = status;
    const withDoc = body.code && !body.doc_url ? { ...body, doc_url: `https://stripe.com/docs/error-codes/${body.code.replace(/_/g, '-')}` } : body;
    this.body = withDoc;
  }
}

export const invalidRequest = (message: string, extra: { code?: string; param?: string } = {}) =>
  new StripeError(400, { type: 'invalid_request_error', message, ...extra });

export const parameterUnknown = (param: string) =>
  invalidRequest(`Received unknown parameter: ${param}`, { code: 'parameter_unknown', param });

export const parameterMissing = (param: string) => invalidRequest(`Missing required param: ${param}.`, { code: 'parameter_missing', param });

export const parameterInvalid = (param: string, message: string, code = 'parameter_invalid_empty') =>
  invalidRequest(message, { code, param });

/** Stripe's 404 for an id that names nothing this account may see. */
export const resourceMissing = (kind: string, id: string, param = 'id') =>
  new StripeError(404, { type: 'invalid_request_error', code: 'resource_missing', param, message: `No such ${kind}: '${id}'` });

export const unexpectedState = (message: string) => invalidRequest(message, { code: 'payment_intent_unexpected_state' });
