// What ties a request to a payment when its path and body name no `reference`: a face whose paths
// name its own objects (Stripe's `pi_…`, the PSP's `pspTransactionId`) says it here once it resolved
// the caller or the object, and the request log keeps it (request-log.ts). Like `req.msn`, which the
// ePayment face sets: a value on the request, no URL read by the log.
import type { FastifyRequest } from 'fastify';

/** The sales unit and the reference the request log keeps for a request. */
export interface LoggedAs {
  /** The authenticated sales unit, for a face whose credentials are not an access token (Stripe's keys). */
  msn?: string;
  /** What the payment's page looks the request up by: a PaymentIntent id, a PSP payment's orderId. */
  reference?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `logRequestAs`; null when the path and body say it. Decorated by the request log. */
    loggedAs: LoggedAs | null;
  }
}

/** Tells the request log what ties this request to a payment; a later call adds to an earlier one. */
export function logRequestAs(req: FastifyRequest, as: LoggedAs): void {
  req.loggedAs = req.loggedAs ? { ...req.loggedAs, ...as } : as;
}
