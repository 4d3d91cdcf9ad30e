// RFC 7807 problem details as the ePayment and Webhooks APIs answer them.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, FieldValidationError, type FieldProblem } from '../domain/reasons.ts';
import type { Ids } from '../platform/ids.ts';
import { ApiError, apiErrorOf, type ErrorEntry, type ErrorMap } from './api-error.ts';
import { ForbiddenMsnError, GatewayError } from './merchant-auth.ts';
import { fieldProblems, type SchemaError } from './validation-details.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  traceId: string;
  extraDetails: Array<{ name: string; reason: string }> | null;
}

export function problem(status: number, title: string, detail: string, instance: string, traceId: string, extraDetails: FieldProblem[] | null): Problem {
  return { type: `https://httpstatuses.io/${status}`, title, status, detail, instance, traceId, extraDetails };
}

/**
 * `instance` is the path as the API sees it, without the `/epayment` prefix and without the query.
 * The prefix may have been sent in another case (`/ePayment/…`): paths match case-insensitively.
 */
export function instanceOf(req: FastifyRequest, prefix: string): string {
  const path = req.url.split('?')[0]!;
  return path.slice(0, prefix.length).toLowerCase() === prefix ? path.slice(prefix.length) : path;
}

/** A coded error names its code in extraDetails; an uncoded one (Webhooks API) has none. */
const errorCodeDetails = (entry: ErrorEntry): FieldProblem[] | null => (entry.code === null ? null : [{ name: 'ErrorCode', reason: entry.code }]);

/** The problem+json error handler of a face: its errors, and domain refusals through its error map. */
export function errorHandlerFor(prefix: string, ids: Ids, errors: ErrorMap, internal: ErrorEntry) {
  return function handle(error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
    if (error instanceof GatewayError) {
      return reply.code(error.statusCode).type('application/json').send({ statusCode: error.statusCode, message: error.message });
    }
    const instance = instanceOf(req, prefix);
    const traceId = ids.traceId();
    const send = (p: Problem) => reply.code(p.status).type('application/problem+json').send(p);
    const badRequest = (fields: FieldProblem[]) => send(problem(400, 'Bad Request', 'See extraDetails for further details', instance, traceId, fields));
    const coded = (e: ApiError) => send(problem(e.entry.status, e.entry.title, e.detail, instance, traceId, errorCodeDetails(e.entry)));

    if (error instanceof ApiError) return coded(error);
    if (error instanceof DomainError) return coded(apiErrorOf(error, errors));
    if (error instanceof FieldValidationError) return badRequest(error.fields);
    if (error instanceof ForbiddenMsnError) return send(problem(403, 'Forbidden', error.message, instance, traceId, null));

    const fe = error as FastifyError & { validation?: SchemaError[]; validationContext?: string };
    if (fe.validation) return badRequest(fieldProblems(fe.validation, fe.validationContext));
    switch (fe.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return badRequest([{ name: 'body', reason: `The request body is not valid JSON: ${fe.message}` }]);
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return badRequest([{ name: 'body', reason: 'A JSON request body is required.' }]);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(problem(415, 'Unsupported Media Type', `Content-Type ${req.headers['content-type'] ?? '(none)'} is not supported. Send application/json.`, instance, traceId, null));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(problem(413, 'Payload Too Large', 'The request body is too large.', instance, traceId, null));
    }
    const status = fe.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return send(problem(status, fe.name === 'Error' ? 'Bad Request' : fe.name, fe.message, instance, traceId, null));
    }
    req.log.error({ err: error }, 'unexpected error');
    return send(problem(500, internal.title, internal.detail, instance, traceId, errorCodeDetails(internal)));
  };
}
