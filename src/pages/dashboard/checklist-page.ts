// The go-live check as a page: GET /dashboard/checklist?msn=… renders what the operator API's
// /vipps-local/v1/checklist answers (the same `checklist(msn)`, handed in by platform/app.ts): each
// item with pass, fail or not seen, its detail and evidence; references link to their payment's page.
// Computed on every request (nothing is kept), so the page is not live: "Check again" reloads it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Checklist, ChecklistItem, ItemStatus, RequestEvidence } from '../../checklist/checklist.ts';
import { checklistQuery } from '../../checklist/checklist-query.ts';
import { html, type SafeHtml } from '../html.ts';
import type { DashboardContext } from './dashboard-context.ts';
import { sendDashboard } from './dashboard-layout.ts';
import { badge, isoTime, json, pagePath, queryOf } from './view-parts.ts';

const STATUS_LABEL: Record<ItemStatus, string> = { pass: 'pass', fail: 'fail', not_seen: 'not seen' };
const STATUS_KIND: Record<ItemStatus, string> = { pass: 'ok', fail: 'bad', not_seen: 'none' };
/** Evidence keys rendered on their own; any other is shown as JSON. */
const KNOWN = new Set(['counts', 'references', 'firstOffending']);

/** The configured sales units, with their merchant's name. */
function salesUnits(ctx: DashboardContext): Array<{ msn: string; label: string }> {
  return ctx.face.directory.merchants.flatMap((m) => m.salesUnits.map((u) => ({ msn: u.msn, label: `${u.msn} · ${m.name}` })));
}

/** Payment page paths of the references the evidence names, where such a payment exists in the sales unit. */
async function paymentLinks(ctx: DashboardContext, msn: string, list: Checklist): Promise<Map<string, string>> {
  const refs = new Set<string>();
  for (const i of list.items) {
    for (const r of Object.values(i.evidence.references ?? {})) for (const ref of r) refs.add(ref);
    if (i.evidence.firstOffending?.reference) refs.add(i.evidence.firstOffending.reference);
  }
  const links = new Map<string, string>();
  await Promise.all(
    [...refs].map(async (reference) => {
      // findPayment only reads (it settles no deadline, unlike the ePayment GET).
      const p = await ctx.face.engine.findPayment({ msn, reference }).catch(() => null);
      if (p) links.set(reference, pagePath(p));
    }),
  );
  return links;
}

function reference(ref: string, links: Map<string, string>): SafeHtml {
  const href = links.get(ref);
  return href ? html`<a class="mono" href="${href}" data-testid="evidence-reference">${ref}</a>` : html`<span class="mono" data-testid="evidence-reference">${ref}</span>`;
}

function offending(r: RequestEvidence, links: Map<string, string>): SafeHtml {
  return html`<div class="evidence-block"><div class="body-label">First offending request</div>
<dl class="kv" data-testid="first-offending">
<dt>Call</dt><dd class="mono">${r.method} ${r.path} → ${badge(String(r.status), r.status >= 400 || r.status === 0 ? 'bad' : 'ok')}</dd>
<dt>Time</dt><dd>${r.time}</dd>
${r.reference ? html`<dt>Reference</dt><dd>${reference(r.reference, links)}</dd>` : ''}
${r.idempotencyKey ? html`<dt>Idempotency-Key</dt><dd class="mono"><a href="/dashboard/requests${queryOf({ idempotencyKey: r.idempotencyKey })}">${r.idempotencyKey}</a></dd>` : ''}
${r.traceId ? html`<dt>traceId</dt><dd class="mono"><a href="/dashboard/requests${queryOf({ traceId: r.traceId })}">${r.traceId}</a></dd>` : ''}
</dl></div>`;
}

function evidence(item: ChecklistItem, links: Map<string, string>): SafeHtml {
  const e = item.evidence;
  const counts = Object.entries(e.counts ?? {});
  const refs = Object.entries(e.references ?? {});
  const more = Object.entries(e).filter(([k, v]) => !KNOWN.has(k) && v !== undefined);
  return html`${counts.length > 0 ? html`<dl class="kv" data-testid="counts">${counts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>` : ''}
${refs.length > 0 ? html`<dl class="kv" data-testid="references">${refs.map(([k, list]) => html`<dt>${k}</dt><dd>${list.length === 0 ? html`<span class="muted">none</span>` : list.map((ref, n) => html`${n > 0 ? ', ' : ''}${reference(ref, links)}`)}</dd>`)}</dl>` : ''}
${e.firstOffending ? offending(e.firstOffending, links) : ''}
${more.map(([k, v]) => html`<details class="evidence-more"><summary>${k}</summary>${json(v)}</details>`)}`;
}

function itemRow(item: ChecklistItem, links: Map<string, string>): SafeHtml {
  return html`<li class="check-item check-${item.status}" data-testid="checklist-item" data-item="${item.id}" data-status="${item.status}">
<div class="head">${badge(STATUS_LABEL[item.status], STATUS_KIND[item.status])} <span class="title">${item.title}</span> <span class="muted mono">${item.id}</span></div>
<p>${item.detail}</p>
${evidence(item, links)}
</li>`;
}

function selector(units: Array<{ msn: string; label: string }>, chosen: string | undefined): SafeHtml {
  return html`<form class="filters" method="get" action="/dashboard/checklist" data-testid="checklist-unit">
<label>Sales unit<select name="msn">${units.map((u) => html`<option value="${u.msn}"${u.msn === chosen ? html` selected` : ''}>${u.label}</option>`)}</select></label>
<button class="btn btn-primary" type="submit">Check</button>
</form>`;
}

export async function checklistPage(ctx: DashboardContext, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const now = ctx.face.clock.now();
  const units = salesUnits(ctx);
  const query = { ...(req.query as Record<string, unknown>) };
  // No sales unit named: the first configured one (the selector offers the others).
  if (query.msn === undefined && units.length > 0) query.msn = units[0]!.msn;
  const asked = checklistQuery(query, units.map((u) => u.msn), 'operator');
  const heading = html`<h1>Go-live check</h1>
<p class="muted">What this sales unit's integration actually did, judged against the platform's go-live checklist. The same check as <span class="mono">GET /vipps-local/v1/checklist</span> and, for CI, <span class="mono">vipps-local checklist --msn N</span> (exit code 1 when an item fails).</p>`;
  if (!('msn' in asked)) {
    const content = html`${heading}<section class="panel">${selector(units, typeof query.msn === 'string' ? query.msn : undefined)}
<p class="alert alert-error" role="alert" data-testid="error">${asked.message}</p></section>`;
    return sendDashboard(reply, { title: 'Go-live check', section: 'checklist', now, content }, asked.statusCode === 403 ? 404 : asked.statusCode);
  }
  const list = await ctx.checklist(asked.msn);
  const links = await paymentLinks(ctx, asked.msn, list);
  const content = html`${heading}
<section class="panel">${selector(units, asked.msn)}</section>
<section class="panel" data-testid="checklist" data-msn="${list.msn}" data-passed="${String(list.passed)}">
<h2>Sales unit ${list.msn}: ${list.passed ? badge('passed', 'ok') : badge('failed', 'bad')}</h2>
<p data-testid="checklist-summary">${list.summary.pass} passed, ${list.summary.fail} failed, ${list.summary.not_seen} not seen. Not seen never fails the check: there was nothing to judge yet.</p>
<p class="muted">${list.basis.note} Checked at ${isoTime(Date.parse(list.generatedAt))} (platform time). <a href="/dashboard/checklist${queryOf({ msn: list.msn })}">Check again</a></p>
<ol class="checklist">${list.items.map((i) => itemRow(i, links))}</ol>
</section>`;
  return sendDashboard(reply, { title: `Go-live check ${list.msn}`, section: 'checklist', now, content });
}
