// Who may see the dashboard: the operator access rules (faces/operator/operator-access.ts), for
// browsers. docs/decisions.md, "Dashboard (issue 17)".
//
// - A browser signed in with the operator token carries the session cookie `vl_operator` (a MAC of
//   the token: HttpOnly, SameSite=Strict, never sent on another site's request). A program may send
//   the token itself (X-Vipps-Local-Operator-Token or Authorization: Bearer), as to the operator API.
// - 'token' mode (not listening on loopback): nothing else passes; pages answer 401 with the sign-in form.
// - 'loopback-open' mode: no token is needed, but the Host must name loopback (or the public URL's
//   host: no DNS-rebound name) and the request must not come from another site's page
//   (Sec-Fetch-Site cross-site or same-site, or a foreign Origin). State-changing forms carry a CSRF
//   token besides (csrf.ts), checked by each POST route.
// - No CORS header is ever sent: another origin's script cannot read a page.
import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { foreignRequestRefusal, presentedToken, sameSecret, type OperatorAccessOptions } from '../../faces/operator/operator-access.ts';
import { readCookies, setCookie } from '../cookies.ts';

export const SESSION_COOKIE = 'vl_operator';

export type AccessVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** The session cookie's value for this operator token: a MAC, so the cookie is not the token itself. */
export function sessionValueOf(secret: string, operatorToken: string): string {
  return createHmac('sha256', secret).update(`dashboard-session\u0000${operatorToken}`).digest('base64url');
}

export function isOperatorToken(options: OperatorAccessOptions, presented: string): boolean {
  return sameSecret(presented.trim(), options.token);
}

/** Whether this request may see or use the dashboard. */
export function dashboardVerdict(req: FastifyRequest, options: OperatorAccessOptions, sessionValue: string): AccessVerdict {
  const cookie = readCookies(req)[SESSION_COOKIE];
  if (cookie !== undefined && sameSecret(cookie, sessionValue)) return { ok: true };
  // A browser may send Basic credentials of its own: only a Bearer value is taken for a token here.
  const presented = presentedToken(req, true);
  if (presented !== undefined) {
    return isOperatorToken(options, presented) ? { ok: true } : { ok: false, status: 401, reason: 'That is not the operator token.' };
  }
  if (options.mode === 'token') {
    return { ok: false, status: 401, reason: 'vipps-local listens beyond this machine, so the dashboard needs the operator token (printed as operator_token when vipps-local started).' };
  }
  const refusal = foreignRequestRefusal(req, options, 'the dashboard');
  if (refusal !== null) return { ok: false, status: 403, reason: refusal };
  return { ok: true };
}

export function signInCookie(req: FastifyRequest, reply: FastifyReply, sessionValue: string | null): void {
  setCookie(reply, SESSION_COOKIE, sessionValue ?? '', { sameSite: 'Strict', secure: req.protocol === 'https', ...(sessionValue === null ? { maxAge: 0 } : {}) });
}
