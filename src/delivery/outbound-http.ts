// One POST to a merchant's (or PSP's) server, as every outbound call of vipps-local makes it: the
// target checked by the outbound policy after resolving its name, the connection made to the
// address that was checked, no redirects followed (a 3xx is the answer), one deadline for the whole
// exchange, and at most `maxBytes` of the answer read: beyond that the socket is closed.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { TargetNotAllowed, type OutboundPolicy } from './outbound-targets.ts';

export interface PostOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** The most of the answer's body that is read. */
  maxBytes: number;
  /** 'truncate': keep the first maxBytes and close; 'fail': an answer larger than maxBytes is an error. */
  overflow: 'truncate' | 'fail';
  /** Aborts the call (the worker stopping). */
  signal?: AbortSignal;
}

export interface PostResult {
  status: number;
  contentType: string | undefined;
  body: Buffer;
  /** True when the answer was longer than maxBytes and only its start was read. */
  truncated: boolean;
}

export class TimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

export class TooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the answer is larger than ${maxBytes} bytes`);
    this.name = 'TooLargeError';
  }
}

// No keep-alive: each call opens its own connection, to an address checked for that call.
const httpAgent = new HttpAgent({ keepAlive: false });
const httpsAgent = new HttpsAgent({ keepAlive: false });

export type OutboundPost = (options: PostOptions) => Promise<PostResult>;

export function createOutboundPost(policy: OutboundPolicy): OutboundPost {
  return async (options) => {
    const url = new URL(options.url);
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
    const checked = await withSignal(policy.check(url), signal, options.timeoutMs);
    return await send(url, checked.addresses, options, signal);
  };
}

function withSignal<T>(work: Promise<T>, signal: AbortSignal, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal, timeoutMs));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function abortReason(signal: AbortSignal, timeoutMs: number): Error {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError' ? new TimeoutError(timeoutMs) : Object.assign(new Error('the call was aborted'), { name: 'AbortError' });
}

function send(url: URL, addresses: LookupAddress[], options: PostOptions, signal: AbortSignal): Promise<PostResult> {
  // The socket connects to the checked addresses only (net calls this instead of dns.lookup; an
  // address literal is not looked up at all and was checked as it is).
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    const wanted = (lookupOptions as { family?: number | string }).family;
    const family = wanted === 'IPv4' ? 4 : wanted === 'IPv6' ? 6 : wanted;
    const usable = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
    if ((lookupOptions as { all?: boolean }).all) (callback as unknown as (err: Error | null, list: LookupAddress[]) => void)(null, usable);
    else if (usable[0]) callback(null, usable[0].address, usable[0].family);
    else callback(Object.assign(new Error('no address of that family'), { code: 'ENOTFOUND' }), '', 4);
  };
  const https = url.protocol === 'https:';
  const body = Buffer.from(options.body, 'utf8');
  return new Promise<PostResult>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      reject(err);
    };
    const done = (result: PostResult) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = () => fail(abortReason(signal, options.timeoutMs));
    const req = (https ? httpsRequest : httpRequest)(url, {
      method: 'POST',
      agent: https ? httpsAgent : httpAgent,
      lookup,
      headers: { ...options.headers, 'content-length': String(body.length) },
    });
    req.on('error', (err) => fail(err));
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        if (size + chunk.length > options.maxBytes) {
          if (options.overflow === 'fail') return fail(new TooLargeError(options.maxBytes));
          chunks.push(chunk.subarray(0, options.maxBytes - size));
          size = options.maxBytes;
          done({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: Buffer.concat(chunks), truncated: true });
          // Stop reading: close the connection instead of draining the rest.
          res.destroy();
          req.destroy();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: Buffer.concat(chunks), truncated: false }));
      res.on('error', (err) => fail(err));
      res.on('aborted', () => fail(Object.assign(new Error('the connection closed during the answer'), { code: 'ECONNRESET' })));
    });
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    req.end(body);
  });
}

/**
 * Why a call got no answer, in one line that does not map the network for a tenant: no addresses,
 * no ports, no resolver details; a refused target is `target not allowed` whatever the reason.
 */
export function describeOutboundFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof TargetNotAllowed) return err.message;
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (e.name === 'AbortError') return 'the call was aborted';
  if (err instanceof TooLargeError) return err.message;
  const code = e.code ?? e.cause?.code;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
    case 'EAI_NONAME':
      return 'ENOTFOUND (the name could not be resolved)';
    case 'ECONNREFUSED':
      return 'ECONNREFUSED (connection refused)';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'ECONNRESET (the connection closed before an answer)';
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'could not connect';
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_STATUS':
    case 'HPE_INVALID_HEADER_TOKEN':
      return 'the answer is not HTTP';
  }
  if (typeof code === 'string' && (code.startsWith('ERR_TLS') || code.startsWith('CERT_') || code.includes('CERT') || code.startsWith('ERR_SSL'))) return 'TLS handshake failed';
  if (e.message === 'socket hang up') return 'ECONNRESET (the connection closed before an answer)';
  return 'could not connect';
}
