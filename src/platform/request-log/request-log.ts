// The request log: one entry per request to a merchant-facing API (Access Token, ePayment, Webhooks
// and every API face added later), kept by the store and read through the operator API. Shopper
// pages, the operator API and the root page are not APIs and are not logged.
//
// The hot path only copies a few fields into an object and queues it (an `onSend` hook, the last
// one of each API route, and an `onRequest` hook that notes the arrival time). Everything else (who the caller was, what an error body said, notes, the
// SQL) happens when a batch is written, behind the requests, in a transaction of its own
// (batch-writer.ts). Bodies are kept (bodies.ts): each cut to 8 KiB, secrets redacted, an access
// token answer reduced to token_type and expires_in. Never recorded: the Authorization header,
// client_secret, access tokens, the query string.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Directory } from '../../engine/directory.ts';
import type { Leniency } from '../../faces/lenient/leniency.ts';
import type { OutboundRequest, OutboundResult } from '../../delivery/outbound-call.ts';
import { DOCUMENTED_SYSTEM_HEADER_MAX_LENGTH } from '../../faces/system-headers.ts';
import type { Store } from '../../store/store.ts';
import type { AccessTokens } from '../access-tokens.ts';
import type { Clock } from '../clock.ts';
import { createBatchWriter, type BatchWriter } from './batch-writer.ts';
import './body-text.ts';
import './logged-as.ts';
import { capBody, MAX_BODY_BYTES, storedBody, tokenAnswer, type CappedBody } from './bodies.ts';
import { requestLogStore, type LoggedRequest, type RequestFilter, type RequestLogRepository, type RequestRecord } from './request-log-store.ts';

/** At most this many entries are kept (the oldest go first); see docs/decisions.md "Request log". */
export const REQUEST_LOG_MAX_ENTRIES = 100_000;
/** Longest string kept from a request (a header value, the path); longer ones are cut, with a note. */
const MAX_TEXT = 1024;
/** Longest error body read for its trace id and code. */
const MAX_ERROR_BODY = 64 * 1024;

/** What the hot path keeps of a request: references and strings it already has, nothing computed. */
interface Captured {
  at: number;
  method: string;
  url: string;
  route: string | null;
  api: string;
  status: number;
  latencyMs: number;
  /** The authenticated sales unit: the ePayment face's `req.msn`, or what a face said with `logRequestAs` (logged-as.ts). */
  msn: string | null;
  /** For faces that keep no sales unit on the request: who the credentials say the caller is. */
  principal: { clientId: string | null; msn: string | null } | null;
  /** The path's or body's `reference`, or what a face said with `logRequestAs`. */
  reference: string | null;
  idempotencyKey: string | undefined;
  systemName: string | undefined;
  systemVersion: string | undefined;
  pluginName: string | undefined;
  pluginVersion: string | undefined;
  leniencies: Leniency[] | null;
  /** An error response's body (serialized), read for its trace id and code when written. */
  errorBody: string | null;
  /** The request's body as sent (the text a content parser read), at most MAX_BODY_BYTES characters. */
  requestBody: string | CappedBody | null;
  /** The response's body as sent (the serialized payload), at most MAX_BODY_BYTES characters. */
  responseBody: string | CappedBody | null;
  /** An outbound call that got no answer: why. */
  failure?: string;
  /** The error body as read for a listener (`onAnswered`), so that it is read once; undefined when not read yet. */
  error?: ErrorSummary | null;
}

/**
 * A request as it is answered, for a listener that reports it at once (the terminal's line,
 * platform/logging/): what the request log captured, with the error body already read.
 */
export interface AnsweredRequest {
  /** The API (first path segment), or "outbound" for a call vipps-local made to a merchant's server. */
  api: string;
  method: string;
  /** Without the query string (never reported, as in the request log); an outbound call's URL. */
  path: string;
  /** The route pattern; an outbound call's purpose (`express shipping callback`). */
  route: string | null;
  /** 0 for an outbound call that got no answer (`failure` says why). */
  status: number;
  latencyMs: number;
  msn: string | null;
  reference: string | null;
  leniencies: Leniency[] | null;
  /** What an error answer said (4xx and 5xx). */
  error: ErrorSummary | null;
  failure?: string;
}

export interface RequestLogOptions {
  store: Store;
  clock: Clock;
  directory: Directory;
  tokens: AccessTokens;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /**
   * Hears of every logged request as it is answered (and of every outbound call), on the request's
   * own path: keep it cheap. The error body is read for it once, and not again when the entry is written.
   */
  onAnswered?: (request: AnsweredRequest) => void;
  maxEntries?: number;
  /** Batch writer settings (tests). */
  capacity?: number;
  batchSize?: number;
  intervalMs?: number;
}

export interface RequestLog {
  /** Logs every API route registered after this on `app` or its children, except in excluded scopes. Call before registering faces. */
  install(app: FastifyInstance): void;
  /** Marks a scope (and its children) as no API: its routes are not logged (pages, operator). */
  exclude(scope: FastifyInstance): void;
  /**
   * Logs a call the platform made to a merchant's server and waited for (Express's shipping
   * callback): `api` "outbound", `route` its purpose, `status` 0 when no answer came (`errorDetail`
   * says why). Pass as the outbound caller's `onCall`.
   */
  outbound(request: OutboundRequest, result: OutboundResult): void;
  /** Logs a request no route matched, if its path names an API (`/epayment/v1/paymnts`): call from the not-found handler. */
  unrouted(req: FastifyRequest, reply: FastifyReply): void;
  /** Writes what waits, then lists entries newest first. */
  list(filter: RequestFilter): Promise<LoggedRequest[]>;
  /** Deletes entries of requests that arrived before `before` (platform clock). */
  prune(before: number): Promise<number>;
  /** Forgets what waits to be written (reset empties the table itself). */
  clear(): Promise<void>;
  /** Writes what waits; nothing is accepted afterwards. Call after the app closed, before the store does. */
  close(): Promise<void>;
  /** Entries this instance could not record (the store fell behind or failed). */
  readonly dropped: number;
}

const EXCLUDED = Symbol('vipps-local.request-log.excluded');

declare module 'fastify' {
  interface FastifyRequest {
    /** request-log internal: performance.now() when the request arrived. */
    requestLogStart: number;
    /** request-log internal: the platform clock when the request arrived (never after what the request caused). */
    requestLogAt: number;
  }
}

/** A body as the queue holds it: a reference when short, a fresh cut when longer than MAX_BODY_BYTES characters. */
const queued = (text: string | null): string | CappedBody | null => (text === null || text === '' ? null : text.length <= MAX_BODY_BYTES ? text : capBody(text));

export async function createRequestLog(options: RequestLogOptions): Promise<RequestLog> {
  const { clock, directory, tokens, log, onAnswered } = options;
  const repo: RequestLogRepository = await requestLogStore(options.store);
  const maxEntries = options.maxEntries ?? REQUEST_LOG_MAX_ENTRIES;
  // Trimming reads every row's entry count: done once a tenth of the bound has been written, not per batch.
  const trimEvery = Math.max(1, Math.floor(maxEntries / 10));
  let sinceTrim = trimEvery; // trim on the first batch: the bound may have been lowered since the last run
  /** First path segments of the APIs' routes (lower case): an unrouted request under one is logged. */
  const apis = new Set<string>();

  const writer: BatchWriter<Captured> = createBatchWriter<Captured>({
    async write(items) {
      const records = items.map((c) => toRecord(c, directory));
      sinceTrim += records.length;
      const trim = sinceTrim >= trimEvery;
      await repo.insert(records, trim ? maxEntries : undefined);
      if (trim) sinceTrim = 0;
    },
    onError: (err, items) => log.error({ err, items }, `request log: ${items} entries could not be written`),
    onDrop: (dropped) => log.warn({ dropped }, `request log: the store is not keeping up; the oldest waiting entries are dropped (${dropped} so far)`),
    ...(options.capacity !== undefined ? { capacity: options.capacity } : {}),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
  });

  /** The caller of a face that keeps no sales unit on the request: the verified token's merchant and sales unit. */
  const principalOf = (req: FastifyRequest, status: number): Captured['principal'] => {
    const authorization = req.headers.authorization;
    const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization.trim()) : null;
    const given = headerValue(req, 'merchant-serial-number');
    if (bearer) {
      const claims = tokens.verify(bearer[1]!);
      if (!claims.ok) return null;
      const msns = salesUnitsOf(claims.clientId);
      if (!msns) return null;
      // As the faces resolve it: the sales unit named (if the token may act for it), else the token's own.
      const named = given && msns.includes(given) && (claims.msn === undefined || claims.msn === given) ? given : undefined;
      return { clientId: claims.clientId, msn: named ?? claims.msn ?? null };
    }
    // The token call: client_id is an identifier, not a secret. The sales unit counts only once a token was issued for it.
    const clientId = headerValue(req, 'client_id');
    const msns = clientId ? salesUnitsOf(clientId) : undefined;
    if (!clientId || !msns) return null;
    return { clientId, msn: status < 300 && given && msns.includes(given) ? given : null };
  };
  /** The sales units a client (a merchant, or a PSP) may act for; undefined for an unknown client. */
  const salesUnitsOf = (clientId: string): string[] | undefined => {
    const client = directory.clientById(clientId);
    if (!client) return undefined;
    return client.kind === 'merchant' ? client.merchant.salesUnits.map((u) => u.msn) : client.psp.msns;
  };

  const capture = (req: FastifyRequest, reply: FastifyReply, payload: unknown, api: string, route: string | null): void => {
    const status = reply.statusCode;
    // Fastify's reply.elapsedTime is 0 unless a logger or an onResponse hook is set up.
    const latencyMs = performance.now() - req.requestLogStart;
    const h = req.headers;
    const as = req.loggedAs;
    const msn = req.msn || as?.msn || null;
    const captured: Captured = {
      at: req.requestLogAt,
      method: req.method,
      url: req.url,
      route,
      api,
      status,
      latencyMs,
      msn,
      principal: msn === null ? principalOf(req, status) : null,
      reference: as?.reference ?? referenceOf(req),
      idempotencyKey: h['idempotency-key'] as string | undefined,
      systemName: h['vipps-system-name'] as string | undefined,
      systemVersion: h['vipps-system-version'] as string | undefined,
      pluginName: h['vipps-system-plugin-name'] as string | undefined,
      pluginVersion: h['vipps-system-plugin-version'] as string | undefined,
      leniencies: req.leniencies,
      errorBody: status >= 400 && typeof payload === 'string' && payload.length <= MAX_ERROR_BODY ? payload : null,
      requestBody: queued(req.bodyText),
      responseBody: typeof payload === 'string' ? queued(payload) : null,
    };
    if (onAnswered) answered(captured, onAnswered);
    writer.push(captured);
  };

  return {
    install(app) {
      // The arrival time, before any face's own onRequest hook (authentication) runs.
      app.decorateRequest('requestLogStart', 0);
      app.decorateRequest('requestLogAt', 0);
      app.decorateRequest('loggedAs', null);
      if (!app.hasRequestDecorator('bodyText')) app.decorateRequest('bodyText', null);
      app.addHook('onRequest', function startRequestLog(req: FastifyRequest, _reply: FastifyReply, done: () => void) {
        req.requestLogStart = performance.now();
        req.requestLogAt = clock.now();
        done();
      });
      app.addHook('onRoute', function logRoute(this: FastifyInstance, route: RouteOptions) {
        // The root's own routes (the index page) and excluded scopes are not APIs.
        if (this === app || (this as unknown as Record<symbol, unknown>)[EXCLUDED] === true) return;
        const api = firstSegment(route.url ?? '');
        if (api === '') return;
        apis.add(api);
        const pattern = route.url ?? null;
        // Last of the route's onSend hooks: after the lenient face's, which adds the path's leniencies.
        const hook = function recordRequest(req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void) {
          capture(req, reply, payload, api, pattern);
          done(null, payload);
        };
        route.onSend = [...(route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend]), hook];
      });
    },
    exclude(scope) {
      (scope as unknown as Record<symbol, unknown>)[EXCLUDED] = true;
    },
    outbound(request, result) {
      const captured: Captured = {
        at: Math.round(clock.now() - result.latencyMs),
        method: 'POST',
        url: request.url,
        route: request.purpose,
        api: 'outbound',
        status: result.status ?? 0,
        latencyMs: result.latencyMs,
        msn: request.subject?.msn ?? null,
        principal: null,
        reference: request.subject?.reference ?? null,
        idempotencyKey: undefined,
        systemName: undefined,
        systemVersion: undefined,
        pluginName: undefined,
        pluginVersion: undefined,
        leniencies: null,
        errorBody: result.status !== null && result.status >= 400 && result.body.length <= MAX_ERROR_BODY ? result.body : null,
        requestBody: queued(request.body),
        responseBody: result.status === null ? null : queued(result.body),
        ...(result.error !== null ? { failure: result.error } : {}),
      };
      if (onAnswered) answered(captured, onAnswered);
      writer.push(captured);
    },
    unrouted(req, reply) {
      const api = firstSegment(req.url);
      if (apis.has(api)) capture(req, reply, null, api, null);
    },
    async list(filter) {
      await writer.flush();
      return repo.list(filter);
    },
    prune: (before) => repo.pruneBefore(before),
    clear: () => writer.discard(),
    close: () => writer.close(),
    get dropped() {
      return writer.dropped;
    },
  };
}

/** Tells the listener; the error body read for it is kept on the entry, so that writing it does not read it again. */
function answered(c: Captured, listener: (request: AnsweredRequest) => void): void {
  c.error = c.errorBody === null ? null : readError(c.errorBody);
  const q = c.url.indexOf('?');
  listener({
    api: c.api,
    method: c.method,
    path: q === -1 ? c.url : c.url.slice(0, q),
    route: c.route,
    status: c.status,
    latencyMs: c.latencyMs,
    msn: c.msn ?? c.principal?.msn ?? null,
    reference: c.reference,
    leniencies: c.leniencies && c.leniencies.length > 0 ? c.leniencies : null,
    error: c.error,
    ...(c.failure !== undefined ? { failure: c.failure } : {}),
  });
}

function headerValue(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `/ePayment/v1/payments?x` → `epayment`. */
function firstSegment(url: string): string {
  const path = url.startsWith('/') ? url.slice(1) : url;
  const cut = path.search(/[/?#]/);
  return (cut === -1 ? path : path.slice(0, cut)).toLowerCase();
}

/** The payment a request names: its path's `{reference}`, or a body's `reference` (create). */
function referenceOf(req: FastifyRequest): string | null {
  const fromPath = (req.params as { reference?: unknown } | undefined)?.reference;
  if (typeof fromPath === 'string') return fromPath;
  const body = req.body as { reference?: unknown } | null | undefined;
  return body !== null && typeof body === 'object' && typeof body.reference === 'string' ? body.reference : null;
}

/** Everything derived from a captured request, computed when its batch is written (no closures: this runs per entry). */
function toRecord(c: Captured, directory: Directory): RequestRecord {
  const notes: Notes = { list: null };
  const q = c.url.indexOf('?');
  const clientId = c.msn !== null ? (directory.merchantOf(c.msn)?.clientId ?? null) : (c.principal?.clientId ?? null);
  const error = c.error !== undefined ? c.error : c.errorBody === null ? null : readError(c.errorBody);
  const noteBody = (text: string) => note(notes, text);
  // A token answer keeps only token_type and expires_in; an error answer of the token call has no secret.
  const response = c.api === 'accesstoken' && c.status < 300 && c.responseBody !== null ? tokenAnswer(typeof c.responseBody === 'string' ? c.responseBody : c.responseBody.text) : storedBody(c.responseBody, 'The response body', noteBody);
  return {
    at: c.at,
    method: c.method,
    path: kept(q === -1 ? c.url : c.url.slice(0, q), 'The path', notes)!,
    route: c.route,
    api: c.api,
    status: c.status,
    latencyMs: Math.round(c.latencyMs * 1000) / 1000,
    clientId,
    msn: c.msn ?? c.principal?.msn ?? null,
    reference: kept(c.reference, 'The reference', notes),
    idempotencyKey: kept(c.idempotencyKey, 'Idempotency-Key', notes),
    systemName: systemHeader(c.systemName, 'Vipps-System-Name', notes),
    systemVersion: systemHeader(c.systemVersion, 'Vipps-System-Version', notes),
    pluginName: systemHeader(c.pluginName, 'Vipps-System-Plugin-Name', notes),
    pluginVersion: systemHeader(c.pluginVersion, 'Vipps-System-Plugin-Version', notes),
    traceId: error?.traceId ?? null,
    errorCode: error?.code ?? null,
    errorDetail: error?.detail ?? c.failure ?? null,
    leniencies: c.leniencies && c.leniencies.length > 0 ? c.leniencies : null,
    requestBody: storedBody(c.requestBody, 'The request body', noteBody),
    responseBody: response,
    notes: notes.list,
  };
}

interface Notes {
  list: string[] | null;
}

function note(notes: Notes, text: string): void {
  (notes.list ??= []).push(text);
}

/** A string as stored: at most MAX_TEXT characters, with a note when cut. */
function kept(value: string | null | undefined, what: string, notes: Notes): string | null {
  if (value === undefined || value === null) return null;
  if (value.length <= MAX_TEXT) return value;
  note(notes, `${what} is ${value.length} characters long; the first ${MAX_TEXT} are kept.`);
  return value.slice(0, MAX_TEXT);
}

/** A Vipps-System-* header: longer than documented is noted, never refused (docs/decisions.md). */
function systemHeader(value: string | undefined, name: string, notes: Notes): string | null {
  if (value !== undefined && value.length > DOCUMENTED_SYSTEM_HEADER_MAX_LENGTH) {
    note(notes, `${name} is ${value.length} characters long; the specs document at most ${DOCUMENTED_SYSTEM_HEADER_MAX_LENGTH}. Accepted: the platform does not refuse it.`);
  }
  return kept(value, name, notes);
}

export interface ErrorSummary {
  traceId: string | null;
  code: string | null;
  /** The detail, with every field problem appended (as the request log keeps it). */
  detail: string | null;
  /** One short sentence: the first field problem's reason (and how many more), else the detail. */
  headline: string | null;
}

/**
 * What an error response says, whichever shape it has: a problem (`traceId`, extraDetails'
 * `ErrorCode`, `detail` and field reasons), the identity provider's (`trace_id`, `error`, the first
 * line of `error_description`), or the gateway's (`message`).
 */
export function readError(body: string): ErrorSummary | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const b = parsed as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const extra = Array.isArray(b.extraDetails) ? (b.extraDetails as Array<{ name?: unknown; reason?: unknown }>) : [];
  const code = extra.find((e) => e?.name === 'ErrorCode');
  const problems = extra.filter((e) => e?.name !== 'ErrorCode' && typeof e?.name === 'string');
  const fields = problems.map((e) => `${String(e.name)}: ${String(e.reason)}`);
  const said = str(b.detail) ?? str(b.message) ?? str(b.error_description)?.split(/\r?\n/)[0] ?? str(b.title);
  let detail = said;
  if (fields.length > 0) detail = `${detail ?? ''}${detail ? ' ' : ''}(${fields.join('; ')})`;
  const first = problems.length > 0 ? (str(problems[0]!.reason) ?? fields[0]!) : null;
  const headline = first === null ? said : problems.length > 1 ? `${first} (and ${problems.length - 1} more)` : first;
  return {
    traceId: str(b.traceId) ?? str(b.trace_id),
    code: str(code?.reason) ?? str(b.error) ?? (typeof b.code === 'string' ? b.code : null),
    detail: detail === null ? null : detail.slice(0, 2000),
    headline: headline === null ? null : headline.slice(0, 300),
  };
}
