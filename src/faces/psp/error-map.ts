// The PSP API's errors: the spec's `ErrorDetails[]` (an array of { errorCode, errorMessage, contextId },
// application/json;charset=UTF-8) with the codes the PSP guide documents (21, 42, 44, 51, 99). One
// contextId per request, on every entry. 401 and 403 are the API gateway's, in its own shape
// (faces/merchant-auth.ts), as on every other API.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, FieldValidationError, Refusal, type FieldProblem, type Reason } from '../../domain/reasons.ts';
import type { Ids } from '../../platform/ids.ts';
import { GatewayError } from '../merchant-auth.ts';
import { fieldProblems, type SchemaError } from '../validation-details.ts';

export const PSP_CODES = {
  MERCHANT_NOT_AVAILABLE: '21',
  INVALID_PAYMENT_MODEL: '42',
  TRANSACTION_EXISTS: '44',
  INVALID_REQUEST: '51',
  ORDER_ID_EXISTS: '99',
} as const;

export const PSP_CONTENT_TYPE = 'application/json;charset=UTF-8';

export interface PspErrorEntry {
  errorCode: string;
  errorMessage: string;
}

/** A refusal in the PSP API's words: a status and one or more entries. */
export class PspError extends Refusal {
  readonly status: number;
  readonly entries: PspErrorEntry[];
  constructor(status: number, code: string, message: string) {
    super(`${code} ${message}`);
    this.name = 'PspError';
    this.status = status;
    this.entries = [{ errorCode: code, errorMessage: message }];
  }
}

export const invalidRequest = (message: string) => new PspError(400, PSP_CODES.INVALID_REQUEST, message);

/** No transaction with this id for this PSP and sales unit. The spec declares no 404; see docs/decisions.md. */
export const transactionNotFound = (pspTransactionId: string) =>
  new PspError(404, PSP_CODES.INVALID_REQUEST, `No payment with pspTransactionId ${pspTransactionId} exists for this PSP and Merchant-Serial-Number.`);

/** Field messages the guide documents (PLATFORM-NOTES-ADDENDUM §8); other fields say what is wrong. */
const REASON_CODES: Partial<Record<Reason, { status: number; code: string; message?: string }>> = {
  UNKNOWN_SALES_UNIT: { status: 400, code: PSP_CODES.MERCHANT_NOT_AVAILABLE, message: 'Merchant not available or active' },
  REFERENCE_EXISTS: { status: 400, code: PSP_CODES.ORDER_ID_EXISTS },
  PAYMENT_NOT_FOUND: { status: 404, code: PSP_CODES.INVALID_REQUEST },
  CURRENCY_NOT_ACCEPTED: { status: 400, code: PSP_CODES.INVALID_REQUEST, message: 'transaction.currency.invalid' },
  PUSH_NOT_ALLOWED: { status: 400, code: PSP_CODES.INVALID_PAYMENT_MODEL },
  PAYMENT_BUSY: { status: 500, code: PSP_CODES.INVALID_REQUEST },
};

/** A domain refusal in the PSP API's words: 400 with code 51 unless the guide gives it a code of its own. */
export function pspErrorOf(error: DomainError): PspError {
  const mapped = REASON_CODES[error.reason];
  if (!mapped) return new PspError(400, PSP_CODES.INVALID_REQUEST, error.detail);
  return new PspError(mapped.status, mapped.code, mapped.message ?? error.detail);
}

const entriesOf = (fields: FieldProblem[]): PspErrorEntry[] =>
  fields.map((f) => ({ errorCode: PSP_CODES.INVALID_REQUEST, errorMessage: f.reason.startsWith(f.name) || !f.name ? f.reason : `${f.name}: ${f.reason}` }));

export function pspErrorHandler(ids: Ids) {
  return function handle(error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
    if (error instanceof GatewayError) {
      return reply.code(error.statusCode).type('application/json').send({ statusCode: error.statusCode, message: error.message });
    }
    const contextId = ids.uuid();
    const send = (status: number, entries: PspErrorEntry[]) => reply.code(status).type(PSP_CONTENT_TYPE).send(entries.map((e) => ({ ...e, contextId })));
    if (error instanceof PspError) return send(error.status, error.entries);
    if (error instanceof DomainError) {
      const e = pspErrorOf(error);
      return send(e.status, e.entries);
    }
    if (error instanceof FieldValidationError) return send(400, entriesOf(error.fields));
    const fe = error as FastifyError & { validation?: SchemaError[]; validationContext?: string };
    if (fe.validation) return send(400, entriesOf(fieldProblems(fe.validation, fe.validationContext)));
    switch (fe.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return send(400, [{ errorCode: PSP_CODES.INVALID_REQUEST, errorMessage: `Invalid request: the body is not valid JSON: ${fe.message}` }]);
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(400, [{ errorCode: PSP_CODES.INVALID_REQUEST, errorMessage: 'Invalid request: a JSON body is required.' }]);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(400, [{ errorCode: PSP_CODES.INVALID_REQUEST, errorMessage: `Invalid request: Content-Type ${req.headers['content-type'] ?? '(none)'} is not supported; send application/json.` }]);
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(413, [{ errorCode: PSP_CODES.INVALID_REQUEST, errorMessage: 'Invalid request: the body is too large (at most 1 MiB).' }]);
    }
    const status = fe.statusCode;
    if (status !== undefined && status >= 400 && status < 500) return send(400, [{ errorCode: PSP_CODES.INVALID_REQUEST, errorMessage: fe.message }]);
    req.log.error({ err: error }, 'unexpected error');
    return send(500, [{ errorCode: '500', errorMessage: 'An unexpected error occurred.' }]);
  };
}
