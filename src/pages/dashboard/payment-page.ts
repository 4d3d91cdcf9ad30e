// One payment: what it is now, what can be done to it from here (approve with a chosen test user
// and card, reject, expire by moving the platform's test clock), its face's own objects, and its
// timeline (payment-timeline.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_APPROVER } from '../../engine/approve-payment.ts';
import { TEST_CARDS, cardLabel } from '../../domain/test-cards.ts';
import type { Payment } from '../../domain/payment.ts';
import { DomainError } from '../../domain/reasons.ts';
import { pspAttachmentOf } from '../../faces/psp/new-psp-payment.ts';
import { stripeAttachmentOf } from '../../faces/stripe/intent-model.ts';
import type { LoggedDelivery } from '../../store/store.ts';
import { html, type SafeHtml } from '../html.ts';
import type { DashboardContext } from './dashboard-context.ts';
import { sendDashboard } from './dashboard-layout.ts';
import { buildTimeline, timelineHtml } from './payment-timeline.ts';
import { badge, faceOf, isoTime, json, money, pagePath } from './view-parts.ts';
import { USERINFO_PREFIX } from '../../faces/userinfo/routes.ts';

/** The fixed messages a redirect after an action may ask for (`?done=`): no text travels in the URL. */
export const NOTICES = {
  approved: 'Approved.',
  'approval-held': 'Approved in the app; the approval waits for the answer from outside (a PSP\'s makePayment, or test amount 201).',
  rejected: 'Rejected: the payment is ABORTED.',
  expired: 'The platform clock moved past this payment\'s deadline: it is EXPIRED.',
  redelivered: 'The delivery is queued to be sent now.',
} as const;
export type Notice = keyof typeof NOTICES;

export interface PageMessage {
  notice?: Notice;
  error?: string;
}

/** The scope of the dashboard's CSRF tokens (csrf.ts). */
export const CSRF_SCOPE = 'dashboard';

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${token}">`;
}

function summary(p: Payment, now: number): SafeHtml {
  const rows: Array<[string, unknown]> = [
    ['State', badge(p.state)],
    ['Amount', money(p.currency, p.amount)],
    ['Authorized', money(p.currency, p.authorized)],
    ['Captured', money(p.currency, p.captured)],
    ['Refunded', money(p.currency, p.refunded)],
    ['Cancelled', money(p.currency, p.cancelled)],
    ['Sales unit', p.msn],
    ['Face · flow', `${faceOf(p)} · ${p.terms.userFlow}`],
    ['Created', isoTime(p.createdAt)],
    ['Expires', p.state === 'CREATED' ? `${isoTime(p.expiresAt)}${p.expiresAt > now ? '' : ' (passed)'}` : null],
    ['Customer phone', p.customerPhone],
    ['pspReference', p.pspReference],
    ['Description', p.terms.paymentDescription],
    ['returnUrl', p.terms.returnUrl],
    ['Card BIN', p.cardBin],
    ['Profile scope asked', p.terms.profileScope],
    ['Userinfo sub', p.sub],
    ['Approval pending', p.pendingApproval ? (p.pendingApproval.external ? `waiting for the answer from outside${p.pendingApproval.external.challengeUrl ? ' (3-D Secure challenge)' : ''}` : `resolves at ${isoTime(p.pendingApproval.resolvesAt)}`) : null],
    ['Last decline', p.lastDecline],
    ['Internal id', p.id],
  ];
  return html`<dl class="summary" data-testid="summary">${rows
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => html`<div><dt>${k}</dt><dd${k === 'State' ? html` data-testid="state" data-state="${p.state}"` : ''}>${v}</dd></div>`)}</dl>`;
}

function actions(ctx: DashboardContext, p: Payment, csrf: string): SafeHtml {
  if (p.state !== 'CREATED') return html`<p class="muted">No shopper decision is open: the payment is ${p.state}. Capture, refund and cancel are the merchant's API calls.</p>`;
  const users = [...new Set([...(p.customerPhone ? [p.customerPhone] : []), DEFAULT_APPROVER, ...ctx.face.directory.testUsers.map((u) => u.phoneNumber)])];
  const userLabel = (phone: string) => {
    const u = ctx.face.directory.user(phone);
    return u ? `${phone} · ${u.firstName} ${u.lastName}` : phone;
  };
  const base = pagePath(p);
  const expire = ctx.testClock
    ? html`<form method="post" action="${base}/expire" data-confirm="This moves the platform's test clock forward for every payment. Continue?">${csrfField(csrf)}<button class="btn btn-danger" type="submit" data-testid="expire">Expire</button>
<span class="explain">Expire moves the platform's test clock past this payment's deadline (${isoTime(p.expiresAt)}). The clock is one for the whole platform: every other payment's time, token lifetimes and webhook retries move with it. One payment's own clock cannot be moved.</span></form>`
    : html`<p class="explain">Expire is not available: the test clock is disabled (--no-test-clock), and one payment's deadline cannot be moved on its own.</p>`;
  return html`<div class="actions" data-testid="actions">
<form method="post" action="${base}/approve">${csrfField(csrf)}
  <label>Test user<br><select name="phone" data-testid="approve-phone">${users.map((u) => html`<option value="${u}">${userLabel(u)}</option>`)}</select></label>
  <label>Card<br><select name="card" data-testid="approve-card">${TEST_CARDS.map((c) => html`<option value="${c.id}">${cardLabel(c)} · ${c.note}</option>`)}</select></label>
  <button class="btn btn-primary" type="submit" data-testid="approve">Approve</button>
</form>
<form method="post" action="${base}/reject">${csrfField(csrf)}<button class="btn btn-danger" type="submit" data-testid="reject">Reject</button></form>
${expire}
</div>`;
}

async function faceObjects(ctx: DashboardContext, p: Payment): Promise<SafeHtml> {
  const stripe = stripeAttachmentOf(p);
  if (stripe) {
    const intent = await ctx.stripe.get(stripe.paymentIntent).catch(() => null);
    return html`<section class="panel" data-testid="face-objects"><h2>Stripe</h2>
<dl class="kv"><dt>PaymentIntent</dt><dd class="mono" data-testid="payment-intent">${stripe.paymentIntent}</dd><dt>Attempt</dt><dd class="mono">${stripe.attemptId}</dd><dt>Method</dt><dd>${stripe.type}</dd><dt>Account</dt><dd class="mono">${stripe.account}</dd></dl>
${intent ? html`<details><summary>PaymentIntent as the Stripe API shows it</summary>${json(intent.data)}</details>` : ''}
</section>`;
  }
  const psp = pspAttachmentOf(p);
  if (psp) {
    return html`<section class="panel" data-testid="face-objects"><h2>PSP API v3</h2>
<dl class="kv"><dt>pspTransactionId</dt><dd class="mono" data-testid="psp-transaction">${psp.pspTransactionId}</dd><dt>Psp-Id</dt><dd class="mono">${psp.pspId}</dd><dt>makePaymentUrl</dt><dd class="mono">${psp.makePaymentUrl}</dd><dt>Payment text</dt><dd>${psp.paymentText ?? ''}</dd></dl>
</section>`;
  }
  return html``;
}

/** What the Userinfo API answers for this payment's user: the consent its approval recorded. */
async function userinfoPanel(ctx: DashboardContext, p: Payment): Promise<SafeHtml> {
  if (!p.sub) return html``;
  const consent = (await ctx.userinfo.bySub(p.sub)).find((c) => c.msn === p.msn);
  return html`<section class="panel" data-testid="userinfo"><h2>Userinfo</h2>
<dl class="kv"><dt>sub</dt><dd class="mono">${p.sub}</dd>${
    consent
      ? html`<dt>Consented scopes</dt><dd data-testid="consented-scopes">${consent.scopes.join(' ')}</dd><dt>Consented</dt><dd>${isoTime(consent.consentedAt)}</dd><dt>User</dt><dd>${consent.phone}</dd>`
      : html`<dt>Consent</dt><dd>none recorded (a reset, or a later approval at this sales unit replaced it)</dd>`
  }</dl>
<p class="muted small">GET ${USERINFO_PREFIX}/userinfo/{sub} with this payment's access token answers the user's current profile for these scopes.</p>
</section>`;
}

export async function renderPaymentPage(ctx: DashboardContext, req: FastifyRequest, reply: FastifyReply, id: string, message: PageMessage = {}, status = 200): Promise<FastifyReply> {
  let p: Payment;
  try {
    p = await ctx.face.engine.getPayment({ id });
  } catch (err) {
    if (!(err instanceof DomainError) || err.reason !== 'PAYMENT_NOT_FOUND') throw err;
    const now = ctx.face.clock.now();
    return sendDashboard(reply, { title: 'No such payment', section: 'payments', now, content: html`<h1>No such payment</h1><p class="muted">It may have been removed by a reset.</p><p><a href="/">All payments</a></p>` }, 404);
  }
  const psp = pspAttachmentOf(p);
  // The request log keeps a Stripe call under its PaymentIntent (faces/stripe/routes.ts), the others under the payment's reference.
  const loggedAs = stripeAttachmentOf(p)?.paymentIntent ?? p.reference;
  const [events, requests, deliveries, categories, receipt, pspUpdates, steps] = await Promise.all([
    ctx.face.engine.getPaymentEvents({ id: p.id }),
    ctx.requests.list({ msn: p.msn, reference: loggedAs, limit: 200 }),
    ctx.deliveries.list({ msn: p.msn, reference: p.reference, limit: 200 }),
    ctx.om.categories(p.msn, p.reference),
    ctx.om.receipt(p.msn, 'ECOM', p.reference),
    psp ? ctx.psp.updates(psp.pspId, psp.pspTransactionId) : Promise.resolve([]),
    ctx.face.engine.shopperSteps(p.id),
  ]);
  const csrf = ctx.security.csrfToken(req, reply, CSRF_SCOPE);
  const deliveryActions = (d: LoggedDelivery) =>
    d.url === null
      ? html`<p class="muted">Its registration is deleted: it cannot be sent again.</p>`
      : html`<form method="post" action="/dashboard/deliveries/${d.id}/redeliver">${csrfField(csrf)}<input type="hidden" name="back" value="${p.id}"><button class="btn" type="submit" data-testid="redeliver">${d.status === 'pending' ? 'Retry now' : 'Resend'}</button></form>`;
  const entries = buildTimeline({ payment: p, events, requests, deliveries, categories, receipt, pspUpdates, steps, deliveryActions });
  const now = ctx.face.clock.now();
  const content = html`<p><a href="/">← Payments</a></p>
<h1 data-testid="reference">${p.reference}</h1>
${message.notice ? html`<p class="alert alert-ok" role="status" data-testid="notice">${NOTICES[message.notice]}</p>` : ''}
${message.error ? html`<p class="alert alert-error" role="alert" data-testid="error">${message.error}</p>` : ''}
<section class="panel">${summary(p, now)}</section>
<section class="panel"><h2>Shopper's decision</h2>${actions(ctx, p, csrf)}</section>
${await faceObjects(ctx, p)}
${await userinfoPanel(ctx, p)}
<section class="panel"><h2>Timeline</h2>
<p class="muted">API calls from the request log (with their request and response bodies, up to 8 KiB each, secrets redacted), the payment's events, the shopper's steps on the landing page and in the app, Order Management, and every webhook delivery with each attempt. Oldest first.</p>
${timelineHtml(entries)}
</section>`;
  return sendDashboard(reply, { title: p.reference, section: 'payments', now, content, live: true }, status);
}
