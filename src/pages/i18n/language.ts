// Which language a shopper page speaks: the tester's override (?lang=xx, remembered in a cookie),
// else the browser's Accept-Language (q-values honoured), else Norwegian, as the real landing page.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readCookies, setCookie } from '../cookies.ts';

export const LANGUAGES = ['nb', 'da', 'fi', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'nb';

/** The cookie `?lang=xx` sets; `?lang=auto` deletes it. */
export const LANG_COOKIE = 'vl_lang';
const LANG_COOKIE_SECONDS = 365 * 24 * 3600;

/** One language tag → ours: nb, no and nn are Norwegian; da; fi; en-* English; anything else null. */
export function languageOfTag(tag: string): Lang | null {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  switch (primary) {
    case 'nb':
    case 'no':
    case 'nn':
      return 'nb';
    case 'da':
    case 'fi':
    case 'en':
      return primary;
    default:
      return null;
  }
}

/**
 * The best of our languages for an Accept-Language header: the highest q wins, the header's order
 * breaks ties; q=0 refuses a language; `*` or nothing we speak gives Norwegian.
 */
export function negotiateLanguage(header: string | undefined): Lang {
  if (!header) return DEFAULT_LANG;
  let best: { lang: Lang; q: number } | null = null;
  for (const part of header.split(',').slice(0, 50)) {
    const [tag = '', ...params] = part.split(';');
    const lang = languageOfTag(tag);
    if (!lang) continue;
    let q = 1;
    for (const p of params) {
      const [name = '', value = ''] = p.split('=');
      // A weight that is not a q-value (RFC 9110: 0 to 1, three decimals at most) drops the entry.
      if (name.trim().toLowerCase() === 'q') q = /^\s*(0(\.\d{0,3})?|1(\.0{0,3})?)\s*$/.test(value) ? Number(value) : NaN;
    }
    if (!Number.isFinite(q) || q <= 0 || q > 1) continue;
    if (!best || q > best.q) best = { lang, q };
  }
  return best?.lang ?? DEFAULT_LANG;
}

const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);

/**
 * The language of this request. `?lang=nb|da|fi|en` wins and is remembered in a cookie (so the
 * following pages and form posts keep it); `?lang=auto` forgets it; then the cookie; then the header.
 */
export function requestLanguage(req: FastifyRequest, reply: FastifyReply): Lang {
  const asked = (req.query as Record<string, unknown> | undefined)?.lang;
  const secure = req.protocol === 'https';
  if (typeof asked === 'string') {
    const lang = asked.toLowerCase();
    if (isLang(lang)) {
      setCookie(reply, LANG_COOKIE, lang, { sameSite: 'Lax', maxAge: LANG_COOKIE_SECONDS, secure });
      return lang;
    }
    if (lang === 'auto') {
      setCookie(reply, LANG_COOKIE, '', { sameSite: 'Lax', maxAge: 0, secure });
      return negotiateLanguage(req.headers['accept-language']);
    }
  }
  const remembered = readCookies(req)[LANG_COOKIE];
  if (isLang(remembered)) return remembered;
  return negotiateLanguage(req.headers['accept-language']);
}
