// The HTML document around every page, and the headers every page is sent with.
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { CLIENT_SCRIPT } from './client-script.ts';
import { formatClock } from './format.ts';
import { html, trusted, type SafeHtml } from './html.ts';
import { LANGUAGES } from './i18n/language.ts';
import { ENGLISH, MESSAGES, type Messages } from './i18n/messages.ts';
import { STYLES } from './styles.ts';

export interface PageOptions {
  title: string;
  /** Platform time when the page was made (countdowns run against it). */
  now: number;
  /** Attributes for <body>: data-* switches for the page script, and a class. */
  bodyClass?: string;
  data?: Record<string, string | number | boolean | undefined>;
  content: SafeHtml;
  /**
   * The shopper's language (`t` of the page's views): <html lang>, Content-Language and
   * Vary: Accept-Language, and the language links under the page. Absent: an English page
   * that does not follow the browser's language.
   */
  messages?: Messages;
}

const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='8' fill='%23ff5b24'/%3E%3Ctext x='16' y='23' font-family='Arial' font-weight='900' font-size='20' fill='white' text-anchor='middle'%3Ev%3C/text%3E%3C/svg%3E";

function dataAttributes(data: PageOptions['data'] = {}): SafeHtml[] {
  return Object.entries({ ...data })
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => html` data-${trusted(k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))}="${v === true ? '1' : String(v)}"`);
}

/** Links to the same page in each language (`?lang=xx`, remembered in a cookie). */
function languageLinks(t: Messages, url: string): SafeHtml {
  const links = LANGUAGES.map((lang) => {
    const target = new URL(url, 'http://x');
    target.searchParams.set('lang', lang);
    // The simulator's "just decided" mark would send the shopper back to the shop again.
    target.searchParams.delete('done');
    const m = MESSAGES[lang];
    return m.tag === t.tag
      ? html`<b lang="${m.tag}" aria-current="true">${m.languageName}</b>`
      : html`<a href="${target.pathname}${target.search}" lang="${m.tag}" hreflang="${m.tag}" data-testid="lang-${m.tag}">${m.languageName}</a>`;
  });
  return html`<nav class="lang-switch" aria-label="${t.language}" data-testid="languages">${links.map((l, i) => (i === 0 ? l : html` · ${l}`))}</nav>`;
}

export function documentHtml(options: PageOptions, nonce: string, url: string | null = null): string {
  const t = options.messages;
  return html`<!doctype html>
<html lang="${t?.tag ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="robots" content="noindex">
<meta name="theme-color" content="#ff5b24">
<title>${options.title}</title>
<link rel="icon" href="${FAVICON}">
<style nonce="${nonce}">${trusted(STYLES)}</style>
</head>
<body class="${options.bodyClass ?? ''}" data-now="${options.now}"${dataAttributes(options.data)}>
${options.content}
${t && url !== null ? languageLinks(t, url) : null}
<script nonce="${nonce}">${trusted(CLIENT_SCRIPT)}</script>
</body>
</html>`.value;
}

/** Headers for every HTML page: no caching (tokens are in URLs), a strict CSP, no framing. */
export function securityHeaders(reply: FastifyReply, nonce: string, formTargets: readonly string[] = []): void {
  reply
    .header('content-security-policy', [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "img-src 'self' data:",
      "connect-src 'self'",
      // A form's redirects are governed too: a page whose form ends at a merchant's URL names its origin.
      ["form-action 'self'", ...formTargets].join(' '),
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '))
    .header('cache-control', 'no-store')
    // Same-origin only: the token in a page's URL never reaches the merchant's returnUrl as a Referer,
    // while same-origin POSTs keep their Origin header for the cross-site check.
    .header('referrer-policy', 'same-origin')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY');
}

export function sendPage(reply: FastifyReply, options: PageOptions, status = 200, formTargets: readonly string[] = []): FastifyReply {
  const nonce = randomBytes(16).toString('base64');
  securityHeaders(reply, nonce, formTargets);
  if (options.messages) reply.header('content-language', options.messages.tag).header('vary', 'Accept-Language, Cookie');
  // Language links only where the page can be loaded again by its URL (not the answer to a form).
  const url = options.messages && reply.request.method === 'GET' ? reply.request.url : null;
  return reply.code(status).type('text/html; charset=utf-8').send(documentHtml(options, nonce, url));
}

/** The landing page's frame: brand bar and a centred sheet. */
export function landingFrame(content: SafeHtml, t: Messages = ENGLISH): SafeHtml {
  return html`<header class="topbar">
  <span class="brand"><span class="brand-mark">v</span>vipps <small>local</small></span>
  <span class="env">${t.testEnvironment}</span>
</header>
<main class="landing-main">
${content}
<p class="footnote">${t.landingFootnote}</p>
</main>`;
}

/** The phone-app simulator's frame: a phone on a desktop, the whole screen on a phone. */
export function appFrame(content: SafeHtml, now: number, t: Messages = ENGLISH): SafeHtml {
  return html`<div class="device"><div class="screen">
  <div class="statusbar" aria-hidden="true"><span>${formatClock(now)}</span><span class="island"></span><span class="signal"><i></i><i></i><i></i></span></div>
  <div class="app-scroll">
${content}
  </div>
</div></div>
<p class="device-note">${t.deviceNote}</p>`;
}
