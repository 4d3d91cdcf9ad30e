// The request log: every API call, newest first, searched by traceId (the one an error body
// carries), reference, sales unit or Idempotency-Key.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LoggedRequest, RequestFilter } from '../../platform/request-log/request-log-store.ts';
import { html, type SafeHtml } from '../html.ts';
import type { DashboardContext } from './dashboard-context.ts';
import { sendDashboard } from './dashboard-layout.ts';
import { age, badge, bodies, isoTime, queryOf } from './view-parts.ts';

const LIMIT = 100;
const FIELDS = [
  ['traceId', 'traceId', '00-89ad…'],
  ['reference', 'Reference', 'order-123'],
  ['msn', 'Sales unit', '123456'],
  ['idempotencyKey', 'Idempotency-Key', ''],
] as const;

function entry(r: LoggedRequest, now: number): SafeHtml {
  const system = [r.systemName, r.systemVersion, r.pluginName, r.pluginVersion].some((v) => v !== null)
    ? `${r.systemName ?? '?'} ${r.systemVersion ?? ''} ${r.pluginName ? `· ${r.pluginName} ${r.pluginVersion ?? ''}` : ''}`.trim()
    : 'none';
  return html`<tr data-testid="request-row" data-trace-id="${r.traceId ?? ''}">
<td data-label="When"><span title="${isoTime(r.at)}">${age(now, r.at)} ago</span></td>
<td data-label="Call"><span class="mono">${r.method} ${r.path}</span>${r.errorDetail ? html`<div class="muted">${r.errorCode ? html`<b>${r.errorCode}</b> ` : ''}${r.errorDetail}</div>` : ''}
${(r.leniencies ?? []).length > 0 ? html`<div class="muted">Leniencies: ${(r.leniencies ?? []).map((l) => `${l.field} (${l.detail})`).join('; ')}</div>` : ''}
${(r.notes ?? []).map((n) => html`<div class="muted">${n}</div>`)}${bodies(r)}</td>
<td data-label="Status">${badge(String(r.status), r.status >= 400 || r.status === 0 ? 'bad' : 'ok')}</td>
<td data-label="Payment">${r.reference ? html`<a href="/${queryOf({ reference: r.reference, msn: r.msn ?? undefined })}">${r.reference}</a>` : ''} <span class="muted mono">${r.msn ?? ''}</span></td>
<td data-label="traceId" class="mono">${r.traceId ?? ''}</td>
<td data-label="Idempotency-Key" class="mono">${r.idempotencyKey ?? ''}</td>
<td data-label="System">${system}</td>
<td data-label="Latency" class="num">${r.latencyMs} ms</td>
</tr>`;
}

export async function requestsPage(ctx: DashboardContext, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const q = req.query as Record<string, unknown>;
  const filter: RequestFilter = { limit: LIMIT };
  const given: Record<string, string> = {};
  for (const [name] of FIELDS) {
    const v = q[name];
    if (typeof v === 'string' && v.trim() !== '' && v.length <= 200) given[name] = filter[name] = v.trim();
  }
  const badMsn = filter.msn !== undefined && !/^\d{4,10}$/.test(filter.msn);
  const entries = badMsn ? [] : await ctx.requests.list(filter);
  const now = ctx.face.clock.now();
  const content = html`<h1>Request log</h1>
<p class="muted">Every call to an API (newest first, the last ${LIMIT} that match). Paste the traceId of an error response to find the call.</p>
<section class="panel">
<form class="filters" method="get" action="/dashboard/requests" role="search" data-testid="request-filters">
${FIELDS.map(([name, label, placeholder]) => html`<label>${label}<input name="${name}" value="${given[name] ?? ''}" placeholder="${placeholder}"></label>`)}
<button class="btn btn-primary" type="submit">Search</button><a class="btn" href="/dashboard/requests">Clear</a>
</form>
${badMsn ? html`<p class="alert alert-error" role="alert">The sales unit (MSN) is 4 to 10 digits.</p>` : ''}
<div class="table-wrap"><table class="cards" data-testid="requests">
<thead><tr><th>When</th><th>Call</th><th>Status</th><th>Payment</th><th>traceId</th><th>Idempotency-Key</th><th>System headers</th><th>Latency</th></tr></thead>
<tbody>${entries.map((r) => entry(r, now))}</tbody></table></div>
${entries.length === 0 ? html`<p class="muted" data-testid="no-requests">No request matches.</p>` : ''}
</section>`;
  return sendDashboard(reply, { title: 'Request log', section: 'requests', now, content, live: Object.keys(given).length === 0 });
}
