// The Order Management API's errors, in the spec's `ErrorResponse` shape ({ type, title, detail,
// instance, invalidParams }, application/json), as the platform's ASP.NET service words them: a
// validation failure is "One or more validation errors occurred." with detail "BadRequest" and one
// invalidParams entry per field. The API has no error codes. 401s come from the API gateway, in its
// own shape (faces/merchant-auth.ts), as on every merchant API.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, FieldValidationError, type FieldProblem } from '../../domain/reasons.ts';
import type { Ids } from '../../platform/ids.ts';
import { ApiError, apiErrorOf, entry, type ErrorMap } from '../api-error.ts';
import { ForbiddenMsnError, GatewayError } from '../merchant-auth.ts';
import { uncodedErrorMap } from '../uncoded-error-map.ts';
import { fieldProblems, type SchemaError } from '../validation-details.ts';

/** The statuses the spec declares for the API's operations. */
const DECLARED = new Set([400, 401, 404, 409]);

export const OM_ERRORS = {
  BAD_REQUEST: entry(null, 400, 'One or more validation errors occurred.', 'BadRequest'),
  FORBIDDEN: entry(null, 403, 'Forbidden', 'These credentials may not act for this sales unit.'),
  NOT_FOUND: entry(null, 404, 'Not Found', 'NotFound'),
  CONFLICT: entry(null, 409, 'Conflict', 'Conflict'),
  INTERNAL: entry(null, 500, 'Internal Server Error', 'An unexpected error occurred.'),
} as const;

export const OM_ERROR_MAP: ErrorMap = uncodedErrorMap(DECLARED);

/** RFC 7231 sections, as the platform's `type` names them. */
const TYPES: Record<number, string> = { 400: '6.5.1', 403: '6.5.3', 404: '6.5.4', 409: '6.5.8', 413: '6.5.11', 415: '6.5.13', 500: '6.6.1' };

export interface OmErrorResponse {
  type: string;
  title: string;
  detail: string;
  instance: string;
  invalidParams?: FieldProblem[];
}

/** A refusal of one field, answered 400 with that field in invalidParams. */
export class InvalidParam extends FieldValidationError {
  constructor(name: string, reason: string) {
    super([{ name, reason }]);
  }
}

export function omErrorHandler(ids: Ids) {
  return function handle(error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
    if (error instanceof GatewayError) {
      return reply.code(error.statusCode).type('application/json').send({ statusCode: error.statusCode, message: error.message });
    }
    const send = (status: number, title: string, detail: string, invalidParams?: FieldProblem[]) => {
      // `instance` is a W3C traceparent, as the platform's example shows ("00-616e…-48b9…-00").
      const body: OmErrorResponse = { type: `https://datatracker.ietf.org/doc/html/rfc7231#section-${TYPES[status] ?? '6.5.1'}`, title, detail, instance: ids.traceId() };
      if (invalidParams) body.invalidParams = invalidParams;
      return reply.code(status).type('application/json').send(body);
    };
    const coded = (e: ApiError) => send(e.entry.status, e.entry.title, e.detail);
    const invalid = (fields: FieldProblem[]) => send(400, OM_ERRORS.BAD_REQUEST.title, OM_ERRORS.BAD_REQUEST.detail, fields);

    if (error instanceof ApiError) return coded(error);
    if (error instanceof DomainError) return coded(apiErrorOf(error, OM_ERROR_MAP));
    if (error instanceof FieldValidationError) return invalid(error.fields);
    if (error instanceof ForbiddenMsnError) return send(403, OM_ERRORS.FORBIDDEN.title, error.message);
    const fe = error as FastifyError & { validation?: SchemaError[]; validationContext?: string };
    if (fe.validation) return invalid(fieldProblems(fe.validation, fe.validationContext));
    switch (fe.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return invalid([{ name: 'body', reason: `The request body is not valid JSON: ${fe.message}` }]);
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return invalid([{ name: 'body', reason: 'A JSON request body is required.' }]);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(415, 'Unsupported Media Type', `Content-Type ${req.headers['content-type'] ?? '(none)'} is not supported. Send application/json.`);
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        // WooCommerce reads a 400 that mentions the size as "the image is too large".
        return invalid([{ name: 'body', reason: 'The request body is too large: an image may be at most 2 MB (size limit).' }]);
    }
    const status = fe.statusCode;
    if (status !== undefined && status >= 400 && status < 500) return send(DECLARED.has(status) ? status : 400, OM_ERRORS.BAD_REQUEST.title, fe.message);
    req.log.error({ err: error }, 'unexpected error');
    return send(500, OM_ERRORS.INTERNAL.title, OM_ERRORS.INTERNAL.detail);
  };
}
