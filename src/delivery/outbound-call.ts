// Synchronous calls to a merchant's server that the platform waits for (Express's dynamic shipping
// callback; later the PSP's makePayment): one helper for all of them, made outside any database
// transaction, with a time limit, a size limit on what is read back, and a log line per call. The
// call itself is delivery/outbound-http.ts: the outbound-target policy, no redirects followed.
import { performance } from 'node:perf_hooks';
import { describeOutboundFailure, type OutboundPost } from './outbound-http.ts';

export interface OutboundRequest {
  /** What the call is for, in logs: `express shipping callback`. */
  purpose: string;
  url: string;
  headers: Record<string, string>;
  /** JSON text. */
  body: string;
  timeoutMs: number;
  /** The payment the call is about, for the request log. */
  subject?: { msn: string; reference: string };
}

export interface OutboundResult {
  /** The HTTP status, or null when no answer came in time (refused, timed out, too large). */
  status: number | null;
  /** The answer's body as text (at most MAX_BODY bytes are read). */
  body: string;
  /** Why no usable answer came. */
  error: string | null;
  /** The answer's Content-Type, when one came. */
  contentType?: string;
  latencyMs: number;
}

export type OutboundCaller = (request: OutboundRequest) => Promise<OutboundResult>;

/** An answer larger than this is refused: a shipping list or a card callback answer is a few kB. */
export const MAX_BODY = 256 * 1024;

export interface OutboundLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export function createOutboundCaller(post: OutboundPost, log?: OutboundLog, onCall?: (request: OutboundRequest, result: OutboundResult) => void): OutboundCaller {
  return async (request) => {
    const started = performance.now();
    let status: number | null = null;
    let body = '';
    let error: string | null = null;
    let contentType: string | undefined;
    try {
      const res = await post({
        url: request.url,
        headers: { 'content-type': 'application/json;charset=UTF-8', 'user-agent': 'vipps-local', ...request.headers },
        body: request.body,
        timeoutMs: request.timeoutMs,
        maxBytes: MAX_BODY,
        overflow: 'fail',
      });
      body = res.body.toString('utf8');
      status = res.status;
      contentType = res.contentType;
    } catch (err) {
      error = describeOutboundFailure(err, request.timeoutMs);
    }
    const result: OutboundResult = { status, body, error, latencyMs: Math.round(performance.now() - started), ...(contentType !== undefined ? { contentType } : {}) };
    const line = { purpose: request.purpose, url: request.url, status, latencyMs: result.latencyMs, ...(error ? { error } : {}) };
    if (error !== null || status === null || status >= 400) log?.warn(line, `${request.purpose} failed`);
    else log?.info(line, `${request.purpose} answered ${status}`);
    onCall?.(request, result);
    return result;
  };
}
