// "Lenient in, exact out" for one face (an API's Fastify scope): requests are read the way the real
// platform reads them, and every leniency applied is reported:
// - in the `Vipps-Local-Warning` response header, one entry per leniency (leniency.ts says the format);
// - in the terminal log, one `info` line per request that had any;
// - on the request (`req.leniencies`), for whatever keeps a request log.
// In strict mode (`strictRequests`) the face is left exactly as before and every leniency is the
// error it was.
//
// Usage, first thing in a face's routes function:  lenientFace(scope, { strict, jsonBodies: true })
// Each route's own body schema (TypeBox) drives the body normalizer; nothing else is declared.
// The root router's case-insensitive, trailing-slash-tolerant matching is set in platform/app.ts
// (`routerOptions`), because routing happens before any face is chosen.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { parseLossless } from './lossless-json.ts';
import { keepBodyText } from '../../platform/request-log/body-text.ts';
import { addLeniency, formatWarning, reportLeniency, WARNING_HEADER, type Leniency } from './leniency.ts';
import { compileSchema, NEEDS_SOURCE_TEXT, normalizeBody } from './normalize-body.ts';

export interface LenientFaceOptions {
  /** strictRequests: no leniency at all; every request is read as before. */
  strict: boolean;
  /** The face reads JSON bodies: parse them losslessly and accept `text/json` and `application/*+json`. */
  jsonBodies: boolean;
}

/** `application/<anything>+json`, e.g. application/vnd.api+json, application/merge-patch+json. */
const SUFFIX_JSON = /^application\/[\w!#$&^.+-]+\+json(?:\s*;|$)/i;

declare module 'fastify' {
  interface FastifyRequest {
    /** lenient-face internal: the JSON text of the body, for reading a number's digits as written. */
    lenientJsonText: string | null;
  }
}

export function lenientFace(app: FastifyInstance, options: LenientFaceOptions): void {
  if (!app.hasRequestDecorator('leniencies')) app.decorateRequest('leniencies', null);
  if (options.strict) return;
  // A decorator, not a WeakMap keyed by the body: cheaper for every request and for the GC.
  if (options.jsonBodies && !app.hasRequestDecorator('lenientJsonText')) app.decorateRequest('lenientJsonText', null);

  if (options.jsonBodies) {
    const secureParse = app.getDefaultJsonParser('error', 'error');
    const parse = (req: FastifyRequest, body: string, done: (err: Error | null, body?: unknown) => void) => {
      keepBodyText(req, body);
      // An empty body is "no body" (cancel and force approve take an optional one).
      if (body === '' || body.trim() === '') return done(null, undefined);
      // JSON.parse with Fastify's own guard against `__proto__` and constructor.prototype keys. The
      // text is kept: should a number turn up where a string belongs, it is parsed again losslessly.
      req.lenientJsonText = body;
      secureParse(req, body, done);
    };
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => parse(req, body as string, done));
    const other = (req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
      const type = String(req.headers['content-type']).split(';')[0]!.trim();
      reportLeniency(req, { kind: 'json-content-type', field: 'Content-Type', detail: `${type} was read as application/json.` });
      parse(req, body as string, done);
    };
    app.addContentTypeParser('text/json', { parseAs: 'string' }, other);
    app.addContentTypeParser(SUFFIX_JSON, { parseAs: 'string' }, other);
  }

  app.addHook('onRoute', (route: RouteOptions) => {
    const body = (route.schema as { body?: object } | undefined)?.body;
    if (body) route.preValidation = [normalizer(body), ...hooks(route.preValidation)];
    route.onSend = [reporter(route.url), ...hooks(route.onSend)];
  });
}

function hooks<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** preValidation: reads the body as the platform would, against the route's schema. */
function normalizer(schema: object) {
  const node = compileSchema(schema);
  return function normalizeRequestBody(req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) {
    const body = req.body;
    if (body === undefined) return done();
    const out: Leniency[] = req.leniencies ?? [];
    const before = out.length;
    const text = req.lenientJsonText;
    let next: unknown;
    try {
      next = normalizeBody(body, node, { out, lossless: false, reparsable: text !== null });
    } catch (err) {
      if (err !== NEEDS_SOURCE_TEXT) return done(err as Error);
      // A number where a string belongs: read the text again, keeping every number's digits, and
      // start over on that (the first pass may have dropped properties; its findings are dropped too).
      out.length = before;
      try {
        next = normalizeBody(parseLossless(text!), node, { out, lossless: true, reparsable: false });
      } catch (e) {
        return done(e as Error);
      }
    }
    if (next !== body) req.body = next;
    if (out.length > 0) req.leniencies = out;
    done();
  };
}

/** onSend: adds the path's own leniencies, then the header and the log line. */
function reporter(canonical: string) {
  return function reportLeniencies(req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void) {
    const path = pathLeniencies(req.url, canonical);
    let list = req.leniencies;
    if (path) {
      const all: Leniency[] = [];
      for (const l of [...path, ...(list ?? [])]) addLeniency(all, l);
      list = req.leniencies = all;
    }
    if (list && list.length > 0) {
      reply.header(WARNING_HEADER, list.map(formatWarning));
      // debug: at info the request's own line names them (platform/logging/request-line.ts).
      req.log.debug(
        { leniencies: list, statusCode: reply.statusCode },
        `read leniently: ${req.method} ${canonical} → ${reply.statusCode}: ${list.map((l) => (l.field ? `${l.kind} ${l.field}` : l.kind)).join(', ')}`,
      );
    }
    done(null, payload);
  };
}

/**
 * How the requested path differs from the route's own (`/epayment/v1/payments/:reference`):
 * a static part in another case, or one trailing slash more. Parameters keep their case and are
 * not compared. Percent-encoding alone is no difference (`%70` is `p`).
 */
export function pathLeniencies(url: string, canonical: string): Leniency[] | null {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path === canonical) return null;
  const sent = path.split('/');
  const route = canonical.split('/');
  const found: Leniency[] = [];
  if (sent.length === route.length + 1 && sent.at(-1) === '') {
    sent.pop();
    found.push({ kind: 'path-trailing-slash', field: path, detail: `The route is ${canonical}, without the trailing slash.` });
  }
  for (let i = 0; i < route.length && i < sent.length; i++) {
    const r = route[i]!;
    if (r.startsWith(':') || r.startsWith('*')) continue;
    const s = sent[i]!;
    if (s === r || decode(s) === r) continue;
    found.unshift({ kind: 'path-case', field: path, detail: `The route is ${canonical}; paths match case-insensitively.` });
    break;
  }
  return found.length > 0 ? found : null;
}

function decode(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
