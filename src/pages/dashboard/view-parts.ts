// Small pieces every dashboard page writes: times, ages, amounts, badges, JSON, a call's bodies. All output goes
// through html`` (html.ts), so whatever a merchant or shopper typed only ever becomes text.
import { decimalString, type Currency } from '../../domain/money.ts';
import type { Payment } from '../../domain/payment.ts';
import type { LoggedRequest } from '../../platform/request-log/request-log-store.ts';
import { html, type SafeHtml } from '../html.ts';

/** 2025-01-31 12:34:56.789Z (the platform clock, which the test clock may have moved). */
export function isoTime(ms: number): string {
  try {
    return new Date(ms).toISOString().replace('T', ' ');
  } catch {
    return String(ms);
  }
}

/** "12 s", "4 min", "3 h", "2 d" ago. */
export function age(now: number, then: number): string {
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

/** Minor units as the amount and its currency: 49900 NOK → "499.00 NOK" (integer arithmetic, no float). */
export function money(currency: Currency | string, minor: number): string {
  return `${decimalString(minor)} ${currency}`;
}

export function badge(text: string, kind: string = text): SafeHtml {
  return html`<span class="badge badge-${kind.replace(/[^A-Za-z]/g, '')}">${text}</span>`;
}

export function json(value: unknown): SafeHtml {
  let text: string;
  try {
    text = typeof value === 'string' ? prettyJson(value) : JSON.stringify(value, null, 2);
  } catch {
    text = String(value);
  }
  return html`<pre>${text}</pre>`;
}

/**
 * A logged call's request and response bodies, folded (`<details>`): pretty-printed when JSON,
 * else as sent (a form body, a cut JSON text). Escaped like everything else.
 */
export function bodies(r: Pick<LoggedRequest, 'id' | 'requestBody' | 'responseBody'>): SafeHtml {
  if (r.requestBody === null && r.responseBody === null) return html``;
  const part = (label: string, text: string | null, id: string) =>
    html`<div class="body-part"><div class="body-label">${label}</div>${text === null ? html`<p class="muted">none</p>` : html`<pre data-testid="${id}">${prettyJson(text)}</pre>`}</div>`;
  return html`<details class="bodies" data-testid="bodies" data-key="request-${r.id}"><summary>Request and response bodies</summary>${part('Request body', r.requestBody, 'request-body')}${part('Response body', r.responseBody, 'response-body')}</details>`;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Which API (face) made the payment. */
export { faceOf } from '../../faces/payment-face.ts';

export function pagePath(p: Pick<Payment, 'id'>): string {
  return `/dashboard/payments/${encodeURIComponent(p.id)}`;
}

/** A query string of the given parameters, empty ones left out. */
export function queryOf(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
