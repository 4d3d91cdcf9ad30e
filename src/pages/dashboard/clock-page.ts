// The platform's test clock and the server-wide webhook faults, with their controls: what the
// operator API's /clock/advance and /webhook-faults do, as forms.
import { advanceClock } from '../../engine/test-clock.ts';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ClockBoundError } from '../../platform/clock.ts';
import { html } from '../html.ts';
import type { DashboardContext } from './dashboard-context.ts';
import { sendDashboard } from './dashboard-layout.ts';
import { CSRF_SCOPE, csrfField } from './payment-page.ts';
import { faultsOfForm, FaultsBody, faultsText, MAX_DELAY_MS } from './webhooks-page.ts';
import { isoTime } from './view-parts.ts';
import { readCookies } from '../cookies.ts';
import { SESSION_COOKIE } from './dashboard-access.ts';
import { SIGN_IN_SCOPE } from './sign-in-page.ts';

const AdvanceBody = Type.Object({
  csrf: Type.String({ maxLength: 100 }),
  amount: Type.String({ pattern: '^\\d{1,7}$' }),
  unit: Type.Union([Type.Literal('seconds'), Type.Literal('minutes'), Type.Literal('hours'), Type.Literal('days')]),
});
const UNIT_MS = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

function clockPage(ctx: DashboardContext, req: FastifyRequest, reply: FastifyReply, message: { ok?: string; error?: string } = {}, status = 200): FastifyReply {
  const now = ctx.face.clock.now();
  const csrf = ctx.security.csrfToken(req, reply, CSRF_SCOPE);
  const f = ctx.faults.get();
  const offset = Math.floor(ctx.face.clock.offset / 1000);
  const content = html`<h1>Clock &amp; faults</h1>
${message.ok ? html`<p class="alert alert-ok" role="status" data-testid="notice">${message.ok}</p>` : ''}${message.error ? html`<p class="alert alert-error" role="alert" data-testid="error">${message.error}</p>` : ''}
<div class="grid-2">
<section class="panel"><h2>Platform clock</h2>
<p data-testid="clock-now">${isoTime(now)}</p>
<p class="muted">${offset === 0 ? 'Real time.' : `Ahead of real time by ${offset} s.`} The clock only moves forward; a restart sets it back.</p>
${ctx.testClock
  ? html`<form class="filters" method="post" action="/dashboard/clock/advance">${csrfField(csrf)}
<label>Advance by<input name="amount" inputmode="numeric" value="10" data-testid="advance-amount"></label>
<label>Unit<select name="unit"><option>seconds</option><option selected>minutes</option><option>hours</option><option>days</option></select></label>
<button class="btn btn-primary" type="submit" data-testid="advance">Advance</button></form>
<p class="muted">Payments whose deadline passes are settled at once (expired, or a held approval resolved).</p>`
  : html`<p class="muted">The test clock is disabled (--no-test-clock).</p>`}
</section>
<section class="panel"><h2>Webhook faults (every delivery)</h2>
<p>Now: <span data-testid="faults">${faultsText(f)}</span></p>
<form class="filters" method="post" action="/dashboard/faults">${csrfField(csrf)}
<label><span><input type="checkbox" name="duplicate" value="1"${f.duplicate ? html` checked` : ''}> Duplicate</span></label>
<label><span><input type="checkbox" name="outOfOrder" value="1"${f.outOfOrder ? html` checked` : ''}> Out of order</span></label>
<label>Delay (ms)<input name="delayMs" inputmode="numeric" value="${f.delayMs}"></label>
<button class="btn btn-primary" type="submit" data-testid="set-faults">Save</button></form>
<p class="muted">Per-registration faults: on the <a href="/dashboard/webhooks">Webhooks</a> page, or PUT /vipps-local/v1/webhooks/{id}/faults.</p>
</section>
</div>
${readCookies(req)[SESSION_COOKIE] !== undefined
  ? html`<section class="panel"><h2>Session</h2><form method="post" action="/dashboard/sign-out">${csrfField(ctx.security.csrfToken(req, reply, SIGN_IN_SCOPE))}<button class="btn" type="submit" data-testid="sign-out">Sign out</button> <span class="muted">This browser is signed in with the operator token.</span></form></section>`
  : ''}`;
  return sendDashboard(reply, { title: 'Clock & faults', section: 'clock', now, content }, status);
}

export function clockRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  app.get('/dashboard/clock', async (req, reply) => clockPage(ctx, req, reply));

  app.post<{ Body: Static<typeof AdvanceBody> }>('/dashboard/clock/advance', { schema: { body: AdvanceBody } }, async (req, reply) => {
    ctx.security.checkPost(req, CSRF_SCOPE, req.body.csrf);
    if (!ctx.testClock) return clockPage(ctx, req, reply, { error: 'The test clock is disabled (--no-test-clock).' }, 403);
    const ms = Number(req.body.amount) * UNIT_MS[req.body.unit];
    let settled: number;
    try {
      settled = await advanceClock(ctx.face.engine, ctx.face.clock, ms);
    } catch (err) {
      if (!(err instanceof ClockBoundError)) throw err;
      return clockPage(ctx, req, reply, { error: err.message }, 409);
    }
    return clockPage(ctx, req, reply, { ok: `Advanced by ${req.body.amount} ${req.body.unit}; ${settled} payment${settled === 1 ? '' : 's'} settled.` });
  });

  app.post<{ Body: Static<typeof FaultsBody> }>('/dashboard/faults', { schema: { body: FaultsBody } }, async (req, reply) => {
    ctx.security.checkPost(req, CSRF_SCOPE, req.body.csrf);
    const faults = faultsOfForm(req.body);
    if (faults === null) return clockPage(ctx, req, reply, { error: `The delay is at most ${MAX_DELAY_MS} ms.` }, 400);
    ctx.faults.set(faults);
    return clockPage(ctx, req, reply, { ok: 'Webhook faults saved.' });
  });
}
