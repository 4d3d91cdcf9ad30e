// One payment's story in one list, oldest first: the API calls made on it (the request log), its
// events, the shopper's steps the payment records, Order Management's categories and receipt, the
// PSP's reported updates, and every webhook delivery with each attempt.
import type { Payment, PaymentEvent } from '../../domain/payment.ts';
import type { OmCategory, OmReceipt } from '../../faces/order-management/om-store.ts';
import type { PspStatusUpdate } from '../../faces/psp/psp-store.ts';
import type { ShopperStep, ShopperStepKind } from '../../engine/shopper-steps.ts';
import type { LoggedRequest } from '../../platform/request-log/request-log-store.ts';
import type { LoggedDelivery } from '../../store/store.ts';
import { html, type SafeHtml } from '../html.ts';
import { badge, bodies, isoTime, json, money } from './view-parts.ts';

export type TimelineKind = 'request' | 'event' | 'shopper' | 'delivery' | 'order' | 'psp';

export interface TimelineEntry {
  at: number;
  kind: TimelineKind;
  title: SafeHtml | string;
  body?: SafeHtml;
}

export interface TimelineInput {
  payment: Payment;
  events: PaymentEvent[];
  requests: LoggedRequest[];
  deliveries: LoggedDelivery[];
  categories: OmCategory[];
  receipt: OmReceipt | null;
  pspUpdates: PspStatusUpdate[];
  /** What the shopper did on the pages (engine/shopper-steps.ts). */
  steps: ShopperStep[];
  /** The delivery's buttons (resend, retry now), made by the page that knows its CSRF token. */
  deliveryActions(d: LoggedDelivery): SafeHtml;
}

// Within one millisecond: the call first, then what it caused.
const ORDER: Record<TimelineKind, number> = { request: 0, shopper: 1, psp: 2, event: 3, order: 4, delivery: 5 };

function kv(rows: Array<[string, unknown]>): SafeHtml {
  const shown = rows.filter(([, v]) => v !== null && v !== undefined && v !== '');
  return shown.length === 0 ? html`` : html`<dl class="kv">${shown.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

function requestEntry(r: LoggedRequest): TimelineEntry {
  const system = [r.systemName && `${r.systemName} ${r.systemVersion ?? ''}`.trim(), r.pluginName && `plugin ${r.pluginName} ${r.pluginVersion ?? ''}`.trim()].filter(Boolean).join(', ');
  return {
    at: r.at,
    kind: 'request',
    title: html`${r.method} <span class="mono">${r.path}</span> → ${badge(String(r.status), r.status >= 400 || r.status === 0 ? 'bad' : 'ok')}`,
    body: html`${kv([
      ['API', r.api],
      ['Idempotency-Key', r.idempotencyKey],
      ['traceId', r.traceId],
      ['Error', r.errorCode || r.errorDetail ? `${r.errorCode ?? ''}${r.errorCode && r.errorDetail ? ': ' : ''}${r.errorDetail ?? ''}` : null],
      ['System headers', system || 'none sent (Vipps-System-Name, -Version, -Plugin-Name, -Plugin-Version)'],
      ['Client', r.clientId],
      ['Latency', `${r.latencyMs} ms`],
    ])}${(r.leniencies ?? []).length > 0 ? html`<p class="alert alert-info">Leniencies applied (the platform accepts these; a strict reader would not):</p><ul class="attempts">${(r.leniencies ?? []).map((l) => html`<li><b>${l.field}</b>: ${l.detail}</li>`)}</ul>` : ''}${(r.notes ?? []).map((n) => html`<p class="muted">${n}</p>`)}${bodies(r)}`,
  };
}

function eventEntry(p: Payment, e: PaymentEvent): TimelineEntry {
  return {
    at: e.timestamp,
    kind: 'event',
    title: html`${badge(e.name, e.success ? 'ok' : 'bad')} ${money(e.currency, e.amount)}${e.success ? '' : ' (failed)'}`,
    body: kv([
      ['pspReference', e.pspReference],
      ['Idempotency-Key', e.idempotencyKey],
      ['Approved by', e.name === 'AUTHORIZED' ? p.customerPhone : null],
    ]),
  };
}

function deliveryEntry(d: LoggedDelivery, actions: SafeHtml): TimelineEntry {
  return {
    at: d.createdAt,
    kind: 'delivery',
    title: html`Webhook <span class="mono">${d.eventType}</span> → <span class="mono">${d.url ?? '(registration deleted)'}</span> ${badge(d.status)}`,
    body: html`<div data-testid="delivery" data-delivery-id="${d.id}" data-status="${d.status}">
${kv([['Attempts', d.attempts], ['Delivered at', d.deliveredAt === null ? null : isoTime(d.deliveredAt)], ['Next attempt', d.status === 'pending' ? isoTime(d.nextAttemptAt) : null], ['Format', d.format]])}
${d.attemptLog.length > 0 ? html`<ol class="attempts">${d.attemptLog.map((a) => html`<li data-testid="attempt">${isoTime(a.at)} · attempt ${a.attempt} · ${a.statusCode === null ? html`${badge('no answer', 'bad')} ${a.error ?? ''}` : badge(String(a.statusCode), a.statusCode < 300 ? 'ok' : 'bad')} · ${a.latencyMs} ms${a.note ? html` · ${a.note}` : ''}${a.responseExcerpt ? html`<div class="muted mono">${a.responseExcerpt}</div>` : ''}</li>`)}</ol>` : html`<p class="muted">No attempt yet.</p>`}
<details data-key="delivery-${d.id}"><summary>Payload</summary>${json(d.payload)}</details>
${actions}
</div>`,
  };
}

export const STEP_LABEL: Record<ShopperStepKind, string> = {
  'landing-opened': 'Landing page opened',
  'number-entered': 'Phone number entered on the landing page; the request went to that app',
  'number-refused': 'Phone number refused on the landing page',
  'landing-cancelled': 'Cancelled on the landing page',
  'app-opened': 'Opened in the app',
  'app-approved': 'Approved in the app',
  'app-declined': 'Approval refused in the app (card declined, or not allowed)',
  'app-rejected': 'Rejected in the app',
};

function stepEntry(s: ShopperStep): TimelineEntry {
  return { at: s.at, kind: 'shopper', title: html`<span data-testid="shopper-step" data-step="${s.step}">${STEP_LABEL[s.step] ?? s.step}</span>${s.detail ? html`: <span class="mono">${s.detail}</span>` : ''}` };
}

export function buildTimeline(input: TimelineInput): TimelineEntry[] {
  const p = input.payment;
  const entries: TimelineEntry[] = [
    ...input.requests.map(requestEntry),
    ...input.events.map((e) => eventEntry(p, e)),
    ...input.steps.map(stepEntry),
    ...input.deliveries.map((d) => deliveryEntry(d, input.deliveryActions(d))),
    ...input.categories.map((c): TimelineEntry => ({ at: c.createdAt, kind: 'order', title: html`Order Management: category ${c.type} (${c.paymentType})`, body: kv([['URL', c.url], ['Image', c.imageId]]) })),
    ...(input.receipt ? [{ at: input.receipt.createdAt, kind: 'order' as const, title: html`Order Management: receipt (${input.receipt.paymentType})`, body: html`<details><summary>Receipt</summary>${json(input.receipt.receipt)}</details>` }] : []),
    ...input.pspUpdates.map((u): TimelineEntry => ({
      at: u.createdAt,
      kind: 'psp',
      title: html`PSP reported ${u.status} ${money(p.currency, u.amount)} ${badge(u.success ? 'applied' : 'not applied', u.success ? 'ok' : 'bad')}`,
      body: kv([['Why not', u.failure], ['Text', u.paymentText]]),
    })),
  ];
  return entries.sort((a, b) => a.at - b.at || ORDER[a.kind] - ORDER[b.kind]);
}

export function timelineHtml(entries: TimelineEntry[]): SafeHtml {
  return html`<ol class="timeline" data-testid="timeline">
${entries.map((e) => html`<li class="kind-${e.kind}" data-kind="${e.kind}"><div class="head"><span class="when">${isoTime(e.at)}</span><span class="kind">${e.kind}</span><span class="title">${e.title}</span></div>${e.body ?? ''}</li>`)}
</ol>`;
}
