// Protection of the pages' state-changing POSTs and the simulator's sign-in.
//
// - Every form carries a CSRF token: an HMAC of a per-browser nonce (cookie vl_csrf) and the
//   form's scope (the payment token, or "app" for sign-in/out). A cross-site page can neither read
//   the nonce nor compute the HMAC.
// - The request must come from this origin: Origin (or Referer) must name this host, and
//   Sec-Fetch-Site, when the browser sends it, must be same-origin.
// - Cookies are SameSite=Lax (sent on the top-level navigation from the merchant's site, never on a
//   cross-site POST) and HttpOnly. The sign-in cookie holds the phone number and its HMAC.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readCookies, setCookie } from './cookies.ts';

const NONCE_COOKIE = 'vl_csrf';
const APP_COOKIE = 'vl_app';
const APP_SIGN_IN_SECONDS = 30 * 24 * 3600;

export class CrossSiteError extends Error {
  constructor(reason: string) {
    super(`Refused: ${reason}`);
    this.name = 'CrossSiteError';
  }
}

export interface PageSecurity {
  /** The CSRF token for a form of `scope`; makes the browser's nonce cookie if it has none. */
  csrfToken(req: FastifyRequest, reply: FastifyReply, scope: string): string;
  /** Throws CrossSiteError unless the POST comes from this origin with a valid token for `scope`. */
  checkPost(req: FastifyRequest, scope: string, token: string | undefined): void;
  /** The phone number signed in to the simulator in this browser, or null. */
  signedInPhone(req: FastifyRequest): string | null;
  signIn(req: FastifyRequest, reply: FastifyReply, phone: string): void;
  signOut(req: FastifyRequest, reply: FastifyReply): void;
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether the request is HTTPS as the browser sees it (then cookies get Secure). */
function isHttps(req: FastifyRequest): boolean {
  return req.protocol === 'https';
}

/** Throws unless the request's Origin/Referer and Sec-Fetch-Site say it comes from this origin. */
export function assertSameOrigin(req: FastifyRequest): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new CrossSiteError(`Sec-Fetch-Site is ${site}`);
  const source = req.headers.origin ?? req.headers.referer;
  if (source === undefined) return; // not a browser; the CSRF token still has to match
  let host: string;
  try {
    host = new URL(source).host;
  } catch {
    throw new CrossSiteError('the Origin is not a URL');
  }
  if (host !== req.headers.host) throw new CrossSiteError(`the request comes from ${source}`);
}

export function createPageSecurity(secret: string): PageSecurity {
  const madeFor = new WeakMap<FastifyReply, string>();
  const mac = (purpose: string, value: string) => createHmac('sha256', secret).update(`${purpose}\u0000${value}`).digest('base64url');

  const nonceOf = (req: FastifyRequest, reply: FastifyReply): string => {
    const existing = readCookies(req)[NONCE_COOKIE];
    if (existing && /^[\w-]{43}$/.test(existing)) return existing;
    // Several forms on one page share the nonce made for the first of them.
    const made = madeFor.get(reply);
    if (made) return made;
    const fresh = randomBytes(32).toString('base64url');
    madeFor.set(reply, fresh);
    setCookie(reply, NONCE_COOKIE, fresh, { sameSite: 'Lax', secure: isHttps(req) });
    return fresh;
  };

  return {
    csrfToken(req, reply, scope) {
      return mac('csrf', `${nonceOf(req, reply)}\u0000${scope}`);
    },
    checkPost(req, scope, token) {
      assertSameOrigin(req);
      const nonce = readCookies(req)[NONCE_COOKIE];
      if (!nonce) throw new CrossSiteError('the form was not loaded in this browser (no CSRF cookie)');
      if (!token || !equal(token, mac('csrf', `${nonce}\u0000${scope}`))) throw new CrossSiteError('the CSRF token does not match');
    },
    signedInPhone(req) {
      const value = readCookies(req)[APP_COOKIE];
      if (!value) return null;
      const [phone, signature] = value.split('.');
      if (!phone || !signature || !/^\d{9,15}$/.test(phone)) return null;
      return equal(signature, mac('app', phone)) ? phone : null;
    },
    signIn(req, reply, phone) {
      setCookie(reply, APP_COOKIE, `${phone}.${mac('app', phone)}`, { sameSite: 'Lax', maxAge: APP_SIGN_IN_SECONDS, secure: isHttps(req) });
    },
    signOut(req, reply) {
      setCookie(reply, APP_COOKIE, '', { sameSite: 'Lax', maxAge: 0, secure: isHttps(req) });
    },
  };
}
