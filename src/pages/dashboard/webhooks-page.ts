// Webhooks: the registrations of every sales unit (with their injected faults), the server-wide
// faults, and the outbox's deliveries with every attempt, filtered by state, event, reference and
// sales unit, newest first, paged by id. Each delivery can be resent or retried now.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EPAYMENT_EVENT_TYPES } from '../../faces/webhooks/event-types.ts';
import type { WebhookRegistration } from '../../faces/webhooks/registration.ts';
import type { DeliveryStatus, LoggedDelivery, WebhookFaults } from '../../store/store.ts';
import { html, type SafeHtml } from '../html.ts';
import type { DashboardContext } from './dashboard-context.ts';
import { sendDashboard } from './dashboard-layout.ts';
import { CSRF_SCOPE, csrfField } from './payment-page.ts';
import { age, badge, isoTime, queryOf } from './view-parts.ts';

const PAGE_SIZE = 50;
const STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'failed'];

export function faultsText(f: WebhookFaults): string {
  const on = [f.duplicate ? 'duplicate' : '', f.delayMs > 0 ? `delay ${f.delayMs} ms` : '', f.outOfOrder ? 'out of order' : ''].filter(Boolean);
  return on.length === 0 ? 'none' : on.join(', ');
}

function registrations(ctx: DashboardContext, list: WebhookRegistration[]): SafeHtml {
  if (list.length === 0) return html`<p class="muted" data-testid="no-registrations">No webhook is registered. Register one with POST /webhooks/v1/webhooks (or a Stripe webhook endpoint).</p>`;
  const unitName = (r: WebhookRegistration) => {
    const merchant = ctx.face.directory.merchantByClientId(r.clientId);
    return r.msn === null ? `every sales unit of ${merchant?.name ?? r.clientId}` : `${r.msn}${merchant ? ` · ${merchant.name}` : ''}`;
  };
  const sorted = [...list].sort((a, b) => (a.msn ?? '').localeCompare(b.msn ?? '') || a.createdAt - b.createdAt);
  return html`<div class="table-wrap"><table class="cards" data-testid="registrations">
<thead><tr><th>Sales unit</th><th>URL</th><th>Events</th><th>Faults</th><th>Registered</th><th>Id</th></tr></thead>
<tbody>${sorted.map((r) => html`<tr data-testid="registration">
<td data-label="Sales unit">${unitName(r)}</td><td data-label="URL" class="mono">${r.url}</td>
<td data-label="Events">${r.events.map((e) => html`<div class="mono">${e}</div>`)}</td>
<td data-label="Faults">${faultsText(r.faults)}</td><td data-label="Registered">${isoTime(r.createdAt)}</td><td data-label="Id" class="mono">${r.id}</td></tr>`)}</tbody>
</table></div>`;
}

function deliveryRow(d: LoggedDelivery, now: number, csrf: string): SafeHtml {
  const last = d.attemptLog[d.attemptLog.length - 1];
  return html`<tr data-testid="delivery-row" data-status="${d.status}" data-reference="${d.reference}">
<td data-label="Created">${age(now, d.createdAt)} ago</td>
<td data-label="Event" class="mono">${d.eventType}</td>
<td data-label="Payment"><a href="/${queryOf({ msn: d.msn, reference: d.reference })}">${d.reference}</a> <span class="muted mono">${d.msn}</span></td>
<td data-label="URL" class="mono">${d.url ?? '(registration deleted)'}</td>
<td data-label="State">${badge(d.status)}</td>
<td data-label="Attempts">${d.attempts}${last ? html` · last ${last.statusCode === null ? (last.error ?? 'no answer') : last.statusCode}` : ''}${d.status === 'pending' ? html`<div class="muted">next ${isoTime(d.nextAttemptAt)}</div>` : ''}</td>
<td>${d.url === null ? '' : html`<form method="post" action="/dashboard/deliveries/${d.id}/redeliver">${csrfField(csrf)}<button class="btn" type="submit">${d.status === 'pending' ? 'Retry now' : 'Resend'}</button></form>`}</td>
</tr>`;
}

export async function webhooksPage(ctx: DashboardContext, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const q = req.query as Record<string, unknown>;
  const str = (name: string, ok: (v: string) => boolean): string | undefined => {
    const v = q[name];
    return typeof v === 'string' && v.trim() !== '' && ok(v.trim()) ? v.trim() : undefined;
  };
  const status = str('status', (v) => (STATUSES as readonly string[]).includes(v)) as DeliveryStatus | undefined;
  const eventType = str('event', (v) => v.length <= 100);
  const reference = str('reference', (v) => v.length <= 100);
  const msn = str('msn', (v) => /^\d{4,10}$/.test(v));
  const before = str('before', (v) => /^\d{1,15}$/.test(v));
  const [regs, deliveries] = await Promise.all([
    ctx.webhooks.all(),
    ctx.deliveries.list({ limit: PAGE_SIZE, ...(status ? { status } : {}), ...(eventType ? { eventType } : {}), ...(reference ? { reference } : {}), ...(msn ? { msn } : {}), ...(before ? { before: Number(before) } : {}) }),
  ]);
  const now = ctx.face.clock.now();
  const csrf = ctx.security.csrfToken(req, reply, CSRF_SCOPE);
  const filters = { status, event: eventType, reference, msn };
  const notice = q.done === 'redelivered' ? 'The delivery is queued to be sent now.' : null;
  const error = q.error === 'not-found' ? 'No such delivery.' : q.error === 'no-target' ? 'Its registration is deleted: the delivery has nowhere to go.' : null;
  const content = html`<h1>Webhooks</h1>
${notice ? html`<p class="alert alert-ok" role="status">${notice}</p>` : ''}${error ? html`<p class="alert alert-error" role="alert">${error}</p>` : ''}
<section class="panel"><h2>Registrations</h2>${registrations(ctx, regs)}
<p class="muted">Faults for every delivery: ${faultsText(ctx.faults.get())} · <a href="/dashboard/clock">change</a></p></section>
<section class="panel"><h2>Deliveries</h2>
<form class="filters" method="get" action="/dashboard/webhooks" data-testid="delivery-filters">
<label>State<select name="status"><option value="">All</option>${STATUSES.map((s) => html`<option${s === status ? html` selected` : ''}>${s}</option>`)}</select></label>
<label>Event<input name="event" list="event-types" value="${eventType ?? ''}" placeholder="epayments.payment.captured.v1"></label>
<datalist id="event-types">${EPAYMENT_EVENT_TYPES.map((e) => html`<option value="${e}">`)}</datalist>
<label>Reference<input name="reference" value="${reference ?? ''}"></label>
<label>Sales unit<input name="msn" value="${msn ?? ''}" inputmode="numeric"></label>
<button class="btn btn-primary" type="submit">Filter</button><a class="btn" href="/dashboard/webhooks">Clear</a>
</form>
<div class="table-wrap"><table class="cards" data-testid="deliveries">
<thead><tr><th>Created</th><th>Event</th><th>Payment</th><th>URL</th><th>State</th><th>Attempts</th><th></th></tr></thead>
<tbody>${deliveries.map((d) => deliveryRow(d, now, csrf))}</tbody></table></div>
${deliveries.length === 0 ? html`<p class="muted">No deliveries match.</p>` : ''}
<div class="pager">${before ? html`<a class="btn" href="/dashboard/webhooks${queryOf(filters)}">Newest</a>` : ''}${deliveries.length === PAGE_SIZE ? html`<a class="btn" href="/dashboard/webhooks${queryOf({ ...filters, before: deliveries[deliveries.length - 1]!.id })}">Older →</a>` : ''}</div>
</section>`;
  return sendDashboard(reply, { title: 'Webhooks', section: 'webhooks', now, content, live: !before });
}
