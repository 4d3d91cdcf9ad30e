// The landing page's screens: phone number, waiting for the app, result. WEB_REDIRECT on a desktop.
import type { Payment } from '../domain/payment.ts';
import { formatMsisdn, NORDIC_PREFIXES } from '../domain/phone-number.ts';
import { openDeadline } from '../domain/shopper-journey.ts';
import { formatRemaining } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import type { Messages } from './i18n/messages.ts';
import { appFrame, landingFrame, type PageOptions } from './layout.ts';
import { amountText, merchantBlock, orderLines, outcomeOf, resultSymbol, viewOf, type Outcome } from './payment-parts.ts';
import { appPaymentPath, landingPaths } from './paths.ts';

export interface LandingContext {
  p: Payment;
  merchant: string;
  now: number;
  /** CSRF token for this payment's forms. */
  csrf: string;
  /** The shopper's language. */
  t: Messages;
}

function summary(c: LandingContext): SafeHtml {
  const { p, t } = c;
  return html`<div class="summary stack-lg">
  ${merchantBlock(c.merchant, t.requestsPayment)}
  <div>
    <div class="muted small amount-label">${t.amount}</div>
    <div class="amount" data-testid="amount">${amountText(c.p)}</div>
  </div>
  ${p.terms.paymentDescription ? html`<p class="description" data-testid="description">${p.terms.paymentDescription}</p>` : null}
  ${orderLines(p, t)}
  <p class="muted small order-ref">${t.order(p.reference)}</p>
</div>`;
}

function sheet(c: LandingContext, step: SafeHtml): SafeHtml {
  return html`<section class="sheet">${summary(c)}<div class="step">${step}</div></section>`;
}

function livePage(c: LandingContext, title: string, step: SafeHtml, data: PageOptions['data'] = {}): PageOptions {
  const paths = landingPaths(c.p.token);
  return {
    title: `${title} · ${c.merchant}`,
    now: c.now,
    content: landingFrame(sheet(c, step), c.t),
    messages: c.t,
    data: { live: 'payment', token: c.p.token, version: c.p.version, view: viewOf(c.p, c.now), events: paths.events, status: paths.status, ...data },
  };
}

function cancelForm(c: LandingContext, reason: 'cancel' | 'back', id?: string): SafeHtml {
  return html`<form method="post" action="/landing/cancel"${id ? html` id="${id}"` : null} data-once>
  <input type="hidden" name="token" value="${c.p.token}"><input type="hidden" name="csrf" value="${c.csrf}"><input type="hidden" name="reason" value="${reason}">
  ${reason === 'cancel' ? html`<button class="btn btn-quiet" type="submit" data-testid="cancel">${c.t.cancelPayment}</button>` : null}
</form>`;
}

export interface EntryForm {
  prefix: string;
  phone: string;
  remember: boolean;
  error?: string;
}

/** Step 1: the shopper's phone number. */
export function entryPage(c: LandingContext, form: EntryForm): PageOptions {
  const { t } = c;
  const deadline = openDeadline(c.p);
  const options = NORDIC_PREFIXES.map(
    (p) => html`<option value="${p.code}"${p.code === form.prefix ? html` selected` : null}>+${p.code}</option>`,
  );
  const step = html`<div class="stack-lg">
  <div class="stack">
    <h1>${t.payWithVipps}</h1>
    <p class="muted">${t.enterPhone}</p>
  </div>
  <form method="post" action="/landing/send" class="stack" data-once>
    <input type="hidden" name="token" value="${c.p.token}"><input type="hidden" name="csrf" value="${c.csrf}">
    <label for="phone">${t.phoneNumber}</label>
    <div class="field">
      <select name="prefix" aria-label="${t.countryCode}" data-testid="prefix">${options}</select>
      <input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel-national" placeholder="123 45 678" required maxlength="20" value="${form.phone}" data-testid="phone" autofocus>
    </div>
    <label class="check"><input type="checkbox" name="remember" value="1"${form.remember ? html` checked` : null} data-testid="remember"> ${t.rememberNumber}</label>
    ${form.error ? html`<p class="alert alert-error" role="alert" data-testid="error">${form.error}</p>` : null}
    <button class="btn btn-primary" type="submit" data-testid="next">${t.next}</button>
  </form>
  <div class="center stack">
    <span class="timer">${t.confirmWithin} <b data-countdown data-reload-at-zero data-deadline="${deadline}" data-testid="open-countdown">${formatRemaining(deadline - c.now)}</b></span>
    ${cancelForm(c, 'cancel')}
  </div>
  ${cancelForm(c, 'back', 'back-cancel')}
</div>`;
  return livePage(c, t.payWithVipps, step, { backCheck: true });
}

/**
 * The landing page after the number was sent, opened again: in the tab that sent it this is the
 * browser's Back button, which cancels (as on the real platform); in another tab it goes on to the waiting screen.
 */
export function sentAgainPage(c: LandingContext): PageOptions {
  const { t } = c;
  const paths = landingPaths(c.p.token);
  const step = html`<div class="stack-lg center">
  ${resultSymbol('wait')}
  <div class="stack">
    <h1>${t.requestSentTitle}</h1>
    <p class="muted">${t.requestSentText(formatMsisdn(c.p.customerPhone ?? ''))}</p>
  </div>
  <a class="btn btn-primary" href="${paths.wait}">${t.continueWaiting}</a>
  ${cancelForm(c, 'cancel')}
  ${cancelForm(c, 'back', 'back-cancel')}
</div>`;
  return livePage(c, t.requestSentTitle, step, { backCheck: true, waitUrl: paths.wait });
}

/** Step 2: waiting for the decision in the app. */
export function waitPage(c: LandingContext): PageOptions {
  if (c.p.pendingApproval) return processingPage(c);
  const { t } = c;
  const step = html`<div class="stack-lg center" data-testid="waiting">
  <div class="phone-art" aria-hidden="true"></div>
  <div class="stack">
    <h1>${t.checkPhoneTitle}</h1>
    <p class="muted">${t.checkPhoneText(html`<b class="nowrap" data-testid="sent-to">${formatMsisdn(c.p.customerPhone ?? '')}</b>`)}</p>
  </div>
  <a class="btn btn-primary" href="${appPaymentPath(c.p.token)}" target="_blank" rel="noopener" data-testid="open-vipps">${t.openVipps}</a>
  <span class="timer">${t.timeLeft} <b data-countdown data-reload-at-zero data-deadline="${c.p.expiresAt}" data-testid="countdown">${formatRemaining(c.p.expiresAt - c.now)}</b></span>
  ${cancelForm(c, 'cancel')}
</div>`;
  return livePage(c, t.checkPhoneTitle, step, { sentMarker: true });
}

/** A screen that tells how the payment stands: symbol, title, text, and what follows them. */
function resultStep(state: string, outcome: Outcome, after: SafeHtml | null = null): SafeHtml {
  return html`<div class="stack-lg center" data-testid="result" data-state="${state}">
  ${resultSymbol(outcome.symbol)}
  <div class="stack">
    <h1 data-testid="result-title">${outcome.title}</h1>
    <p class="muted">${outcome.text}</p>
  </div>
  ${after}
</div>`;
}

/**
 * Approved in the app, result not known yet (test amount 201): nothing to do but wait, so no
 * cancel (the platform refuses it while the result is unknown) and no countdown.
 */
function processingPage(c: LandingContext): PageOptions {
  const outcome = outcomeOf(c.p, c.merchant, c.t);
  return livePage(c, outcome.title, resultStep('PENDING', outcome));
}

/** The end: approved, cancelled, expired, or the landing page's own 5 minutes ran out. */
export function donePage(c: LandingContext, returnUrl: string | null, autoReturn: boolean): PageOptions {
  const { t } = c;
  const timedOut = c.p.state === 'CREATED';
  const outcome = timedOut ? { symbol: 'muted' as const, title: t.expiredTitle, text: t.landingExpiredText } : outcomeOf(c.p, c.merchant, t);
  const back = returnUrl
    ? html`${autoReturn ? html`<p class="muted small" data-return-url="${returnUrl}" data-return-delay="1500">${t.takingYouBack(c.merchant)}</p>` : null}
      <a class="btn ${autoReturn ? 'btn-secondary' : 'btn-primary'}" href="${returnUrl}" data-testid="return">${t.backTo(c.merchant)}</a>`
    : null;
  return livePage(c, outcome.title, resultStep(timedOut ? 'LANDING_EXPIRED' : c.p.state, outcome, back));
}

/** A token that opens nothing (mistyped, or the data was reset). */
export function notFoundPage(now: number, where: 'landing' | 'app', t: Messages): PageOptions {
  const body = html`<div class="stack-lg center" data-testid="not-found">
  ${resultSymbol('muted')}
  <div class="stack"><h1>${t.notFoundTitle}</h1><p class="muted">${t.notFoundText}</p></div>
</div>`;
  return {
    title: t.notFoundTitle,
    now,
    bodyClass: where === 'app' ? 'app-body' : '',
    content: where === 'app' ? appFrame(html`<div class="panel">${body}</div>`, now, t) : landingFrame(html`<section class="sheet single"><div class="step">${body}</div></section>`, t),
    messages: t,
  };
}

/** A request refused by the cross-site check (or any other page error). */
export function problemPage(now: number, title: string, text: string, t?: Messages): PageOptions {
  return {
    title,
    now,
    content: landingFrame(html`<section class="sheet single"><div class="step"><div class="stack-lg center">${resultSymbol('bad')}<div class="stack"><h1>${title}</h1><p class="muted">${text}</p></div></div></div></section>`, t),
    ...(t ? { messages: t } : {}),
  };
}
