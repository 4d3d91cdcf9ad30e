// Webhooks: the registrations of every sales unit (with their injected faults, each editable here),
// the server-wide faults, and the outbox's deliveries with every attempt, filtered by state, event,
// reference and sales unit, newest first, paged by id. Each delivery can be resent or retried now.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EPAYMENT_EVENT_TYPES } from '../../faces/webhooks/event-types.ts';
import type { WebhookRegistration } from '../../faces/webhooks/registration.ts';
import { NO_FAULTS, type DeliveryStatus, type LoggedDelivery, type WebhookFaults } from '../../store/store.ts';
import { html, type SafeHtml } from '../html.ts';
import type { DashboardContext } from './dashboard-context.ts';
import { sendDashboard } from './dashboard-layout.ts';
import { CSRF_SCOPE, csrfField } from './payment-page.ts';
import { age, badge, isoTime, queryOf } from './view-parts.ts';

const PAGE_SIZE = 50;
/** The longest delay a fault may add, as the operator API's `Faults` allows. */
export const MAX_DELAY_MS = 24 * 3600 * 1000;

/** A faults form (server-wide on the clock page, one registration's here): checkboxes and the delay. */
export const FaultsBody = Type.Object({
  csrf: Type.String({ maxLength: 100 }),
  duplicate: Type.Optional(Type.String({ maxLength: 5 })),
  outOfOrder: Type.Optional(Type.String({ maxLength: 5 })),
  delayMs: Type.String({ pattern: '^\\d{1,8}$' }),
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** The faults a form asks for; null when the delay is longer than allowed. */
export function faultsOfForm(body: Static<typeof FaultsBody>): WebhookFaults | null {
  const delayMs = Number(body.delayMs);
  if (delayMs > MAX_DELAY_MS) return null;
  return { ...NO_FAULTS, duplicate: body.duplicate !== undefined, outOfOrder: body.outOfOrder !== undefined, delayMs };
}

/** The fixed messages a redirect back to this page may carry (`?done=`, `?error=`): no text travels in the URL. */
const DONE = { redelivered: 'The delivery is queued to be sent now.', faults: 'The registration\'s faults are saved; its deliveries still waiting have them too.' } as const;
const ERRORS = {
  'not-found': 'No such delivery.',
  'no-target': 'Its registration is deleted: the delivery has nowhere to go.',
  'no-webhook': 'No such registration: it may have been deleted.',
  delay: `The delay is at most ${MAX_DELAY_MS} ms.`,
} as const;

function faultsForm(r: WebhookRegistration, csrf: string): SafeHtml {
  const f = r.faults;
  return html`<form class="faults-form" method="post" action="/dashboard/webhooks/${r.id}/faults" data-testid="registration-faults-form">${csrfField(csrf)}
<label><span><input type="checkbox" name="duplicate" value="1"${f.duplicate ? html` checked` : ''}> Duplicate</span></label>
<label><span><input type="checkbox" name="outOfOrder" value="1"${f.outOfOrder ? html` checked` : ''}> Out of order</span></label>
<label>Delay (ms)<input name="delayMs" inputmode="numeric" size="7" value="${f.delayMs}"></label>
<button class="btn" type="submit" data-testid="save-registration-faults">Save</button></form>`;
}
const STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'failed'];

export function faultsText(f: WebhookFaults): string {
  const on = [f.duplicate ? 'duplicate' : '', f.delayMs > 0 ? `delay ${f.delayMs} ms` : '', f.outOfOrder ? 'out of order' : ''].filter(Boolean);
  return on.length === 0 ? 'none' : on.join(', ');
}

function registrations(ctx: DashboardContext, list: WebhookRegistration[], csrf: string): SafeHtml {
  if (list.length === 0) return html`<p class="muted" data-testid="no-registrations">No webhook is registered. Register one with POST /webhooks/v1/webhooks (or a Stripe webhook endpoint).</p>`;
  const unitName = (r: WebhookRegistration) => {
    const merchant = ctx.face.directory.merchantByClientId(r.clientId);
    return r.msn === null ? `every sales unit of ${merchant?.name ?? r.clientId}` : `${r.msn}${merchant ? ` · ${merchant.name}` : ''}`;
  };
  const sorted = [...list].sort((a, b) => (a.msn ?? '').localeCompare(b.msn ?? '') || a.createdAt - b.createdAt);
  return html`<div class="table-wrap"><table class="cards" data-testid="registrations">
<thead><tr><th>Sales unit</th><th>URL</th><th>Events</th><th>Faults</th><th>Registered</th><th>Id</th></tr></thead>
<tbody>${sorted.map((r) => html`<tr data-testid="registration" data-webhook-id="${r.id}">
<td data-label="Sales unit">${unitName(r)}</td><td data-label="URL" class="mono">${r.url}</td>
<td data-label="Events">${r.events.map((e) => html`<div class="mono">${e}</div>`)}</td>
<td data-label="Faults"><span data-testid="registration-faults">${faultsText(r.faults)}</span>${faultsForm(r, csrf)}</td><td data-label="Registered">${isoTime(r.createdAt)}</td><td data-label="Id" class="mono">${r.id}</td></tr>`)}</tbody>
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
  const notice = typeof q.done === 'string' && Object.hasOwn(DONE, q.done) ? DONE[q.done as keyof typeof DONE] : null;
  const error = typeof q.error === 'string' && Object.hasOwn(ERRORS, q.error) ? ERRORS[q.error as keyof typeof ERRORS] : null;
  const content = html`<h1>Webhooks</h1>
${notice ? html`<p class="alert alert-ok" role="status" data-testid="notice">${notice}</p>` : ''}${error ? html`<p class="alert alert-error" role="alert" data-testid="error">${error}</p>` : ''}
<section class="panel"><h2>Registrations</h2>${registrations(ctx, regs, csrf)}
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

/** One registration's faults, as the operator API's PUT /webhooks/{id}/faults sets them (faces/webhooks/registration-faults.ts). */
export function webhookRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof FaultsBody> }>('/dashboard/webhooks/:id/faults', { schema: { params: IdParams, body: FaultsBody } }, async (req, reply) => {
    ctx.security.checkPost(req, CSRF_SCOPE, req.body.csrf);
    const faults = faultsOfForm(req.body);
    if (faults === null) return reply.redirect('/dashboard/webhooks?error=delay', 303);
    const found = await ctx.webhooks.setFaults(req.params.id, faults);
    return reply.redirect(`/dashboard/webhooks?${found ? 'done=faults' : 'error=no-webhook'}`, 303);
  });
}
