// The dashboard's home: every payment, newest first, filtered by sales unit, state, reference and
// customer phone, paged with a keyset cursor (the store's listPayments reads one page from an index,
// whatever the number of payments).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PAYMENT_STATES, type Payment } from '../../domain/payment.ts';
import { html, type SafeHtml } from '../html.ts';
import type { DashboardContext } from './dashboard-context.ts';
import { sendDashboard } from './dashboard-layout.ts';
import { age, badge, faceOf, isoTime, money, pagePath, queryOf } from './view-parts.ts';

export const PAGE_SIZE = 50;

export interface ListQuery {
  msn?: string;
  state?: string;
  reference?: string;
  phone?: string;
  before?: string;
}

/** The filters a query asks for, each checked; what does not fit is reported, not used. */
export function listQueryOf(raw: Record<string, unknown>): { query: ListQuery; problems: string[] } {
  const query: ListQuery = {};
  const problems: string[] = [];
  const text = (name: keyof ListQuery, ok: (v: string) => boolean, why: string) => {
    const v = raw[name];
    if (typeof v !== 'string' || v.trim() === '') return;
    if (ok(v.trim())) query[name] = v.trim();
    else problems.push(why);
  };
  text('msn', (v) => /^\d{4,10}$/.test(v), 'The sales unit (MSN) is 4 to 10 digits.');
  text('state', (v) => (PAYMENT_STATES as readonly string[]).includes(v), `The state is one of ${PAYMENT_STATES.join(', ')}.`);
  text('reference', (v) => v.length <= 100, 'A reference is at most 100 characters.');
  text('phone', (v) => /^\d{8,15}$/.test(v), 'The phone number is 8 to 15 digits, with its country code (4791234567).');
  text('before', (v) => v.length <= 64 && /^[\w-]+$/.test(v), 'That page cursor is not one this list made.');
  return { query, problems };
}

function filterForm(ctx: DashboardContext, q: ListQuery): SafeHtml {
  const units = ctx.face.directory.merchants.flatMap((m) => m.salesUnits.map((u) => ({ msn: u.msn, name: `${m.name} · ${u.msn}` })));
  return html`<form class="filters" method="get" action="/" role="search" data-testid="payment-filters">
  <label>Sales unit<select name="msn"><option value="">All</option>${units.map((u) => html`<option value="${u.msn}"${u.msn === q.msn ? html` selected` : ''}>${u.name}</option>`)}</select></label>
  <label>State<select name="state"><option value="">All</option>${PAYMENT_STATES.map((s) => html`<option${s === q.state ? html` selected` : ''}>${s}</option>`)}</select></label>
  <label>Reference<input name="reference" value="${q.reference ?? ''}" maxlength="100" placeholder="order-123"></label>
  <label>Customer phone<input name="phone" value="${q.phone ?? ''}" inputmode="numeric" placeholder="4791234567"></label>
  <button class="btn btn-primary" type="submit">Filter</button>
  <a class="btn" href="/">Clear</a>
</form>`;
}

function row(p: Payment, now: number): SafeHtml {
  const face = faceOf(p);
  const moved = [p.captured > 0 ? `captured ${money(p.currency, p.captured)}` : '', p.refunded > 0 ? `refunded ${money(p.currency, p.refunded)}` : '', p.cancelled > 0 ? `cancelled ${money(p.currency, p.cancelled)}` : '']
    .filter(Boolean)
    .join(', ');
  return html`<tr data-testid="payment-row" data-reference="${p.reference}" data-state="${p.state}">
  <td data-label="Created"><span title="${isoTime(p.createdAt)}">${age(now, p.createdAt)} ago</span></td>
  <td data-label="Sales unit" class="mono">${p.msn}</td>
  <td data-label="Reference"><a class="ref" href="${pagePath(p)}">${p.reference}</a>${p.terms.paymentDescription ? html`<div class="muted">${p.terms.paymentDescription}</div>` : ''}</td>
  <td data-label="State">${badge(p.state)}${p.pendingApproval ? html` ${badge('approval pending', 'warn')}` : ''}</td>
  <td data-label="Amount" class="num">${money(p.currency, p.amount)}${moved ? html`<div class="muted">${moved}</div>` : ''}</td>
  <td data-label="Face · flow">${face} · ${p.terms.userFlow}</td>
  ${p.customerPhone ? html`<td data-label="Customer" class="mono">${p.customerPhone}</td>` : html`<td></td>`}
</tr>`;
}

export async function paymentsPage(ctx: DashboardContext, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const started = performance.now();
  const { query, problems } = listQueryOf(req.query as Record<string, unknown>);
  const page = await ctx.face.engine.listPayments({
    limit: PAGE_SIZE,
    ...(query.msn ? { msn: query.msn } : {}),
    ...(query.state ? { state: query.state } : {}),
    ...(query.reference ? { reference: query.reference } : {}),
    ...(query.phone ? { customerPhone: query.phone } : {}),
    ...(query.before ? { before: query.before } : {}),
  });
  const now = ctx.face.clock.now();
  const filters = { msn: query.msn, state: query.state, reference: query.reference, phone: query.phone };
  const content = html`<h1>Payments</h1>
<p class="muted">Every payment of every API, newest first. New payments and state changes appear without a reload.</p>
<section class="panel">
${filterForm(ctx, query)}
${problems.map((p) => html`<p class="alert alert-error" role="alert">${p}</p>`)}
<div class="table-wrap">
<table class="cards" data-testid="payments">
<thead><tr><th>Created</th><th>Sales unit</th><th>Reference</th><th>State</th><th>Amount</th><th>Face · flow</th><th>Customer</th></tr></thead>
<tbody>
${page.payments.map((p) => row(p, now))}
</tbody>
</table>
</div>
${page.payments.length === 0 ? html`<p class="muted" data-testid="no-payments">${query.before ? 'No older payments.' : 'No payments match. Create one through any API and it appears here.'}</p>` : ''}
<div class="pager">
${query.before ? html`<a class="btn" href="/${queryOf(filters)}">Newest</a>` : ''}
${page.next ? html`<a class="btn" data-testid="older" href="/${queryOf({ ...filters, before: page.next })}">Older →</a>` : ''}
</div>
</section>`;
  reply.header('server-timing', `list;dur=${(performance.now() - started).toFixed(1)}`);
  return sendDashboard(reply, { title: 'Payments', section: 'payments', now, content, live: !query.before });
}
