// The Userinfo API's errors, in the spec's `UserinfoError` shape ({ type, title, status, detail,
// instance }, `status` a string), `application/json;charset=UTF-8` as the spec declares for every
// response. The API has no error codes. Which status answers which case is not documented; the
// choices and their evidence are in docs/decisions.md ("Userinfo API").
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, FieldValidationError } from '../../domain/reasons.ts';
import type { Ids } from '../../platform/ids.ts';
import { ApiError, apiErrorOf, entry, type ErrorMap } from '../api-error.ts';
import { uncodedErrorMap } from '../uncoded-error-map.ts';
import { fieldProblems, type SchemaError } from '../validation-details.ts';

export const USERINFO_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** The statuses the spec declares for GET /vipps-userinfo-api/userinfo/{sub}. */
const DECLARED = new Set([400, 401, 403, 404, 500]);

export const USERINFO_ERRORS = {
  BAD_REQUEST: entry(null, 400, 'Bad Request', 'The request is not valid.'),
  UNAUTHORIZED: entry(null, 401, 'Unauthorized', 'A valid access token from POST /accesstoken/get is required.'),
  FORBIDDEN: entry(null, 403, 'Forbidden', 'These credentials may not read this user information.'),
  EXPIRED: entry(null, 403, 'Forbidden', 'The user information can be fetched for 168 hours after the payment was authorized; that time has passed.'),
  NOT_FOUND: entry(null, 404, 'Not Found', 'No user information exists for this sub.'),
  INTERNAL: entry(null, 500, 'Internal Server Error', 'An unexpected error occurred.'),
} as const;

/**
 * Every domain reason in the Userinfo API's words. The face runs no engine command, so none is
 * expected; should one arise, it answers with a status the spec declares and ePayment's title.
 */
export const USERINFO_ERROR_MAP: ErrorMap = uncodedErrorMap(DECLARED);

export interface UserinfoError {
  type: string;
  title: string;
  status: string;
  detail: string;
  instance: string;
}

export function userinfoError(status: number, title: string, detail: string, instance: string): UserinfoError {
  return { type: `https://httpstatuses.io/${status}`, title, status: String(status), detail, instance };
}

/** The face's error handler: its own errors, domain refusals through its map, malformed requests, and 500s. */
export function userinfoErrorHandler(ids: Ids) {
  return function handle(error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
    const send = (status: number, title: string, detail: string) =>
      // `instance`: "an id that can help when troubleshooting" (the spec's example is a UUID).
      reply.code(status).type(USERINFO_CONTENT_TYPE).send(userinfoError(status, title, detail, ids.uuid()));
    const coded = (e: ApiError) => send(e.entry.status, e.entry.title, e.detail);
    if (error instanceof ApiError) return coded(error);
    if (error instanceof DomainError) return coded(apiErrorOf(error, USERINFO_ERROR_MAP));
    const fields = (list: Array<{ name: string; reason: string }>) => list.map((f) => `${f.name}: ${f.reason}`).join(' ');
    if (error instanceof FieldValidationError) return send(400, 'Bad Request', fields(error.fields));
    const fe = error as FastifyError & { validation?: SchemaError[]; validationContext?: string };
    if (fe.validation) return send(400, 'Bad Request', fields(fieldProblems(fe.validation, fe.validationContext)));
    const status = fe.statusCode;
    if (status !== undefined && status >= 400 && status < 500) return send(DECLARED.has(status) ? status : 400, 'Bad Request', fe.message);
    req.log.error({ err: error }, 'unexpected error');
    return send(500, USERINFO_ERRORS.INTERNAL.title, USERINFO_ERRORS.INTERNAL.detail);
  };
}
