// Who may call the operator API (reset, clock, faults, deliveries, request log): docs/decisions.md,
// "Operator access (issue 16)".
//
// - The operator token, in `X-Vipps-Local-Operator-Token` or `Authorization: Bearer`, is always
//   enough. A token that is sent must be the right one (401 otherwise, in either mode).
// - 'token' (the default when the server listens on anything but loopback): nothing else is.
// - 'loopback-open' (the default on loopback): calls without the token are allowed, but not from a
//   browser page of another origin. A browser can send a body-less POST or a form post anywhere
//   (no preflight), so a state-changing call must carry what such a request cannot: a JSON content
//   type or the `X-Vipps-Local-Operator` header (either makes a cross-origin browser request ask
//   first, and no CORS answer ever says yes). And whatever the method: `Sec-Fetch-Site` must not be
//   `cross-site` or `same-site` (another port of 127.0.0.1 is same-site), an `Origin` must be the
//   server's own, and (when listening on loopback) the `Host` must name loopback or the public URL's
//   host, so that a DNS-rebound name cannot pass for the same origin.
// Health stays open in both modes: it changes nothing and shows no tenant's data, and liveness
// probes seldom send headers.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLoopbackHost, type OperatorAccess } from '../../platform/config.ts';

export const OPERATOR_TOKEN_HEADER = 'x-vipps-local-operator-token';
/** The custom header that marks a token-less call as made by a program, not by a browser form. */
export const OPERATOR_CALL_HEADER = 'x-vipps-local-operator';

export interface OperatorAccessOptions {
  mode: OperatorAccess;
  token: string;
  /** Whether the server listens on loopback only (then Host must be a loopback name or the public URL's host). */
  listensOnLoopback: boolean;
  /** The host (host:port) of the public URL, when one is configured. */
  publicHost?: () => string | undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function one(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Compares secrets in constant time (the operator token, the dashboard's session MAC). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The token the request presents, if it presents one: `X-Vipps-Local-Operator-Token`, else
 * `Authorization` (`Bearer <token>`; with `bearerOnly` false, a bare value too).
 */
export function presentedToken(req: FastifyRequest, bearerOnly = false): string | undefined {
  const own = one(req, OPERATOR_TOKEN_HEADER);
  if (own !== undefined) return own.trim();
  const authorization = one(req, 'authorization');
  if (authorization === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
  if (match) return match[1]!;
  return bearerOnly ? undefined : authorization.trim();
}

/**
 * Why a token-less request is not this machine's own (for `what`, e.g. "the operator API"): a Host
 * that is not loopback (DNS rebinding), another site's page (Sec-Fetch-Site), a foreign Origin;
 * null when it is. The operator API and the dashboard refuse such requests alike.
 */
export function foreignRequestRefusal(req: FastifyRequest, options: Pick<OperatorAccessOptions, 'listensOnLoopback' | 'publicHost'>, what: string): string | null {
  const host = (one(req, 'host') ?? '').toLowerCase();
  if (options.listensOnLoopback) {
    const name = host.replace(/:\d+$/, '');
    const publicHost = options.publicHost?.()?.toLowerCase();
    if (!isLoopbackHost(name) && host !== publicHost) {
      return `Host "${host}" is not a loopback name: without the operator token ${what} answers only requests addressed to 127.0.0.1, [::1] or localhost.`;
    }
  }
  const site = one(req, 'sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') {
    return `A request from another site's page (Sec-Fetch-Site: ${site}) may not reach ${what} without the operator token.`;
  }
  const origin = one(req, 'origin');
  if (origin !== undefined) {
    let originHost: string | null = null;
    try {
      const url = new URL(origin);
      if (url.protocol === 'http:' || url.protocol === 'https:') originHost = url.host.toLowerCase();
    } catch {
      originHost = null;
    }
    if (originHost === null || originHost !== host) {
      return `Origin ${origin} is not this server's: ${what} answers another origin only with the operator token.`;
    }
  }
  return null;
}

/** Why a token-less request may not pass in 'loopback-open', or null when it may. */
export function crossSiteRefusal(req: FastifyRequest, options: Pick<OperatorAccessOptions, 'listensOnLoopback' | 'publicHost'>): string | null {
  const foreign = foreignRequestRefusal(req, options, 'the operator API');
  if (foreign !== null) return foreign;
  if (!SAFE_METHODS.has(req.method)) {
    const mediaType = (one(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (mediaType !== 'application/json' && one(req, OPERATOR_CALL_HEADER) === undefined) {
      return `${req.method} needs Content-Type: application/json or the header X-Vipps-Local-Operator: 1 (or the operator token), so that a web page cannot send it.`;
    }
  }
  return null;
}

/** An onRequest hook for the operator scope. */
export function operatorAccessHook(options: OperatorAccessOptions) {
  return async function guard(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (req.routeOptions.url?.endsWith('/health')) return;
    const presented = presentedToken(req);
    if (presented !== undefined) {
      if (sameSecret(presented, options.token)) return;
      return deny(reply, 401, 'That is not the operator token. It is printed as operator_token when vipps-local starts (startServer() returns it as operatorToken); send it as X-Vipps-Local-Operator-Token or Authorization: Bearer. A merchant\'s access token is not accepted here: a merchant reads its own deliveries and requests under /vipps-local/v1/merchant/.');
    }
    if (options.mode === 'token') {
      return deny(reply, 401, 'The operator API needs the operator token: send X-Vipps-Local-Operator-Token (or Authorization: Bearer) with the operator_token vipps-local printed when it started.');
    }
    const refusal = crossSiteRefusal(req, options);
    if (refusal !== null) return deny(reply, 403, refusal);
  };
}

function deny(reply: FastifyReply, status: 401 | 403, message: string): FastifyReply {
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="vipps-local operator"');
  return reply.code(status).type('application/json').send({ statusCode: status, message });
}
