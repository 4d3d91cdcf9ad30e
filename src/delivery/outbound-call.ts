// Synchronous calls to a merchant's server that the platform waits for (Express's dynamic shipping
// callback; later the PSP's makePayment): one helper for all of them, made outside any database
// transaction, with a time limit, a size limit on what is read back, and a log line per call.
import { performance } from 'node:perf_hooks';

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

export function createOutboundCaller(log?: OutboundLog, onCall?: (request: OutboundRequest, result: OutboundResult) => void): OutboundCaller {
  return async (request) => {
    const started = performance.now();
    let status: number | null = null;
    let body = '';
    let error: string | null = null;
    let contentType: string | undefined;
    try {
      const res = await fetch(request.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=UTF-8', 'user-agent': 'vipps-local', ...request.headers },
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(request.timeoutMs),
      });
      body = await readLimited(res);
      status = res.status;
      contentType = res.headers.get('content-type') ?? undefined;
    } catch (err) {
      error = describeFailure(err, request.timeoutMs);
    }
    const result: OutboundResult = { status, body, error, latencyMs: Math.round(performance.now() - started), ...(contentType !== undefined ? { contentType } : {}) };
    const line = { purpose: request.purpose, url: request.url, status, latencyMs: result.latencyMs, ...(error ? { error } : {}) };
    if (error !== null || status === null || status >= 400) log?.warn(line, `${request.purpose} failed`);
    else log?.info(line, `${request.purpose} answered ${status}`);
    onCall?.(request, result);
    return result;
  };
}

async function readLimited(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY) {
      await reader.cancel();
      throw new Error(`the answer is larger than ${MAX_BODY} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Why a request to a receiver got no answer, in one line. */
export function describeFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  if (e.cause?.code) return `${e.cause.code}: ${e.cause.message ?? e.message ?? ''}`.trim();
  return e.message ?? String(err);
}
