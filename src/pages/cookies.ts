// Reading and writing the few cookies the pages use, without a cookie plugin.
import type { FastifyReply, FastifyRequest } from 'fastify';

export function readCookies(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name in out) continue; // the first (most specific) one wins
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A value that is not valid percent-encoding is ignored.
    }
  }
  return out;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie; absent: a session cookie. */
  maxAge?: number;
  sameSite: 'Strict' | 'Lax';
  httpOnly?: boolean;
  secure?: boolean;
}

export function setCookie(reply: FastifyReply, name: string, value: string, options: CookieOptions): void {
  let c = `${name}=${encodeURIComponent(value)}; Path=/; SameSite=${options.sameSite}`;
  if (options.maxAge !== undefined) c += `; Max-Age=${options.maxAge}`;
  if (options.httpOnly !== false) c += '; HttpOnly';
  if (options.secure) c += '; Secure';
  const previous = reply.getHeader('set-cookie');
  const list = previous === undefined ? [] : Array.isArray(previous) ? previous.map(String) : [String(previous)];
  reply.header('set-cookie', [...list, c]);
}
