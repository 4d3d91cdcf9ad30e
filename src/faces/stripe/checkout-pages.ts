// Stripe Checkout's pages on vipps-local (STRIPE-NOTES §6): the hosted page at a session's `url`
// (/stripe/checkout/pay/<cs id>), the embedded page Stripe.js mounts in an iframe
// (/stripe/checkout/embedded?client_secret=…), and the return from the Vipps test payment page
// (/stripe/checkout/return/<cs id>), which sends the shopper to success_url / return_url once the
// session is complete, or back to Checkout when the payment failed.
//
// Paying: the shopper chooses among the session's payment method types. Vipps goes through the
// test payment page (test-page.ts), a test card is answered at once (payment-methods.ts numbers).
// The session completes in the projector's transaction (checkout-sessions.ts completeCheckoutSession).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { assertSameOrigin, createPageSecurity, CrossSiteError } from '../../pages/csrf.ts';
import { formatAmount } from '../../pages/format.ts';
import { html, isSafeHref, trusted, type SafeHtml } from '../../pages/html.ts';
import { securityHeaders } from '../../pages/layout.ts';
import { CLIENT_SCRIPT } from '../../pages/client-script.ts';
import { STYLES } from '../../pages/styles.ts';
import type { FaceContext } from '../face-context.ts';
import { CHECKOUT_KIND, sessionIdOfSecret, withSessionId, type StoredSession } from './checkout-model.ts';
import { currentSession, hostedPath, paySession, returnPath, type PayChoice } from './checkout-sessions.ts';
import type { IntentInternal } from './intent-model.ts';
import type { PaymentIntentObject } from './objects.ts';
import { STRIPE_PAGES_PREFIX } from './pages-paths.ts';
import { accountIdOf } from './stripe-auth.ts';
import { StripeError } from './stripe-error.ts';
import type { StripeStore } from './stripe-store.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const EmbeddedQuery = Type.Object({ client_secret: Type.String({ maxLength: 200 }) });
const PayBody = Type.Object({
  csrf: Type.String({ maxLength: 100 }),
  method: Type.String({ maxLength: 10 }),
  number: Type.Optional(Type.String({ maxLength: 40 })),
  exp: Type.Optional(Type.String({ maxLength: 10 })),
  cvc: Type.Optional(Type.String({ maxLength: 10 })),
  client_secret: Type.Optional(Type.String({ maxLength: 200 })),
});
type PayBodyT = Static<typeof PayBody>;

export const EMBEDDED_PATH = `${STRIPE_PAGES_PREFIX}/checkout/embedded`;

export async function checkoutPageRoutes(app: FastifyInstance, face: FaceContext, stripe: StripeStore): Promise<void> {
  const pagesSecret = await face.engine.pagesSecret();
  const security = createPageSecurity(pagesSecret);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof CrossSiteError) return sendMessage(reply, 'Request refused', 'This action must be started from the Checkout page itself. Reload the page and try again.', 403);
    if ((err as { validation?: unknown }).validation) return sendMessage(reply, 'Bad request', 'The link is incomplete. Start again from the shop.', 400);
    req.log.error({ err }, 'Stripe Checkout page failed');
    return sendMessage(reply, 'Something went wrong', 'vipps-local could not show this page. Details are in the server log.', 500);
  });

  /**
   * The embedded page's forms cannot rely on the CSRF cookie: in a cross-site iframe a SameSite=Lax
   * cookie is neither set nor sent. Its token is bound to the session instead, and the POST must
   * come from this origin (Origin / Sec-Fetch-Site), which a forged cross-site form cannot fake.
   */
  const embeddedToken = (sessionId: string) => createHmac('sha256', pagesSecret).update(`stripe-embedded-checkout\u0000${sessionId}`).digest('base64url');
  function checkEmbeddedPost(req: FastifyRequest, sessionId: string, token: string): void {
    assertSameOrigin(req);
    const want = Buffer.from(embeddedToken(sessionId));
    const got = Buffer.from(token);
    if (want.length !== got.length || !timingSafeEqual(want, got)) throw new CrossSiteError('the form token does not match');
  }

  const merchantName = (account: string) => face.directory.merchants.find((m) => m.stripe && accountIdOf(m.stripe.secretKey) === account)?.name ?? 'The shop';
  const notFound = (reply: FastifyReply) => sendMessage(reply, 'Checkout not found', 'This Checkout Session does not exist. Start again from the shop.', 404);

  async function sessionById(id: string, ui: 'hosted' | 'embedded'): Promise<StoredSession | null> {
    const found = await currentSession(face, stripe, id);
    return found && found.kind === CHECKOUT_KIND && found.internal.ui === ui ? found : null;
  }

  async function sessionBySecret(secret: string): Promise<StoredSession | null> {
    const id = sessionIdOfSecret(secret);
    const found = id ? await sessionById(id, 'embedded') : null;
    return found && found.data.client_secret === secret ? found : null;
  }

  /** The last attempt's failure, shown until the shopper tries again (a declined card, a failed Vipps payment). */
  async function lastError(s: StoredSession): Promise<string | null> {
    if (!s.internal.paymentIntent) return null;
    const pi = await stripe.get<PaymentIntentObject, IntentInternal>(s.internal.paymentIntent);
    return pi && pi.data.status === 'requires_payment_method' ? (pi.data.last_payment_error?.message ?? null) : null;
  }

  /** Where a completed session sends the shopper: success_url / return_url with the id, else vipps-local's own page. */
  function destination(s: StoredSession): string {
    const url = s.internal.ui === 'embedded' ? s.data.return_url : s.data.success_url;
    return url ? withSessionId(url, s.id) : `${STRIPE_PAGES_PREFIX}/checkout/done/${encodeURIComponent(s.id)}`;
  }

  /** The merchant origins a form's redirect chain may end at (CSP form-action applies to redirects). */
  function formTargets(s: StoredSession): string[] {
    const urls = [s.data.success_url, s.data.return_url].filter((u): u is string => typeof u === 'string');
    return urls.map((u) => new URL(u).origin);
  }

  async function renderCheckout(reply: FastifyReply, s: StoredSession, embedded: boolean, csrf: string, error: string | null, status = 200): Promise<FastifyReply> {
    if (s.data.status === 'expired') return sendMessage(reply, 'This Checkout Session has expired', 'The time to pay ran out. Go back to the shop and start again.', 200, embedded, 'expired');
    if (s.data.status === 'complete') {
      return sendCheckoutPage(reply, { title: 'Payment complete', content: completeView(s, destination(s)), frameable: embedded, formTargets: [] });
    }
    const action = embedded ? `${EMBEDDED_PATH}/pay` : hostedPath(s.id);
    const content = checkoutView({ session: s, merchant: merchantName(s.account), action, csrf, error: error ?? (await lastError(s)), embedded });
    return sendCheckoutPage(reply, { title: `Pay ${merchantName(s.account)}`, content, frameable: embedded, formTargets: formTargets(s), embedded }, status);
  }

  // ---- hosted Checkout
  app.get<{ Params: Static<typeof IdParams> }>(`${STRIPE_PAGES_PREFIX}/checkout/pay/:id`, { schema: { params: IdParams } }, async (req, reply) => {
    const s = await sessionById(req.params.id, 'hosted');
    if (!s) return notFound(reply);
    return renderCheckout(reply, s, false, security.csrfToken(req, reply, s.id), null);
  });

  app.post<{ Params: Static<typeof IdParams>; Body: PayBodyT }>(`${STRIPE_PAGES_PREFIX}/checkout/pay/:id`, { schema: { params: IdParams, body: PayBody } }, async (req, reply) => {
    security.checkPost(req, req.params.id, req.body.csrf);
    const s = await sessionById(req.params.id, 'hosted');
    if (!s) return notFound(reply);
    const outcome = await pay(s, req.body);
    if (outcome.kind === 'redirect') return reply.redirect(outcome.url, 303);
    return renderCheckout(reply, outcome.session, false, security.csrfToken(req, reply, s.id), outcome.kind === 'error' ? outcome.message : null, outcome.kind === 'error' ? 402 : 200);
  });

  // ---- embedded Checkout
  app.get<{ Querystring: Static<typeof EmbeddedQuery> }>(EMBEDDED_PATH, { schema: { querystring: EmbeddedQuery } }, async (req, reply) => {
    const s = await sessionBySecret(req.query.client_secret);
    if (!s) return sendMessage(reply, 'Checkout not found', 'This embedded Checkout Session does not exist. Check the client secret.', 404, true);
    return renderCheckout(reply, s, true, embeddedToken(s.id), null);
  });

  app.post<{ Body: PayBodyT }>(`${EMBEDDED_PATH}/pay`, { schema: { body: PayBody } }, async (req, reply) => {
    const s = req.body.client_secret ? await sessionBySecret(req.body.client_secret) : null;
    const json = (req.headers.accept ?? '').includes('application/json');
    if (!s) return json ? reply.code(404).send({ error: 'This Checkout Session does not exist.' }) : sendMessage(reply, 'Checkout not found', 'This embedded Checkout Session does not exist.', 404);
    checkEmbeddedPost(req, s.id, req.body.csrf);
    const outcome = await pay(s, req.body);
    // The page's script pays by card with fetch (the frame stays on the merchant's page); Vipps is a
    // form sent to the top window (target=_top), answered with a redirect to the test payment page.
    if (json) {
      if (outcome.kind === 'error') return reply.code(402).send({ error: outcome.message });
      // redirect_on_completion=never: the frame shows the completion itself (and tells the parent).
      if (outcome.kind === 'redirect') return reply.send({ redirect: outcome.complete && s.data.redirect_on_completion === 'never' ? null : outcome.url, complete: outcome.complete });
      return reply.send({ redirect: null, complete: outcome.session.data.status === 'complete' });
    }
    if (outcome.kind === 'redirect') return reply.redirect(outcome.url, 303);
    return renderCheckout(reply, outcome.session, true, embeddedToken(s.id), outcome.kind === 'error' ? outcome.message : null, outcome.kind === 'error' ? 402 : 200);
  });

  // ---- back from the Vipps test payment page
  app.get<{ Params: Static<typeof IdParams> }>(`${STRIPE_PAGES_PREFIX}/checkout/return/:id`, { schema: { params: IdParams } }, async (req, reply) => {
    const s = await currentSession(face, stripe, req.params.id);
    if (!s || s.kind !== CHECKOUT_KIND) return notFound(reply);
    // Complete: on to success_url / return_url. Not by a redirect: this request ends a chain of
    // redirects that began with the test payment page's form, and that page's CSP form-action
    // ('self') would block a redirect to the merchant's origin. A page that moves on by itself is a
    // new navigation.
    if (s.data.status === 'complete') return sendContinue(reply, destination(s));
    // Not paid: hosted Checkout shows why and lets the shopper try again. Embedded Checkout cannot be
    // shown outside the merchant's page: its return_url is told, and finds the session open (as Stripe's
    // guide for embedded Checkout expects: "open" means the payment failed, mount Checkout again).
    if (s.internal.ui === 'hosted') return reply.redirect(hostedPath(s.id), 303);
    if (s.data.return_url) return reply.redirect(withSessionId(s.data.return_url, s.id), 303);
    return reply.redirect(`${EMBEDDED_PATH}?client_secret=${encodeURIComponent(s.data.client_secret!)}`, 303);
  });

  app.get<{ Params: Static<typeof IdParams> }>(`${STRIPE_PAGES_PREFIX}/checkout/done/:id`, { schema: { params: IdParams } }, async (req, reply) => {
    const s = await currentSession(face, stripe, req.params.id);
    if (!s || s.kind !== CHECKOUT_KIND) return notFound(reply);
    if (s.data.status !== 'complete') return s.internal.ui === 'hosted' ? reply.redirect(hostedPath(s.id), 303) : notFound(reply);
    return sendCheckoutPage(reply, { title: 'Payment complete', content: completeView(s, null), frameable: false, formTargets: [] });
  });

  type Outcome = { kind: 'redirect'; url: string; complete: boolean } | { kind: 'error'; message: string; session: StoredSession } | { kind: 'shown'; session: StoredSession };

  /** Pays the session with the shopper's choice; the answer says where to go next or what went wrong. */
  async function pay(s: StoredSession, body: PayBodyT): Promise<Outcome> {
    const refreshed = async () => (await currentSession(face, stripe, s.id))!;
    if (s.data.status !== 'open') return { kind: 'shown', session: s };
    const choice = choiceOf(s, body);
    if ('error' in choice) return { kind: 'error', message: choice.error, session: s };
    try {
      const result = await face.engine.run(async (uow) => {
        const repo = stripe.in(uow.tx.sql);
        const locked = (await repo.get(s.id)) as StoredSession;
        if (locked.data.status !== 'open' || uow.now >= locked.data.expires_at * 1000) return null;
        return paySession(face, uow, repo, locked, choice, `${face.baseUrl()}${returnPath(s.id)}`);
      });
      const after = await refreshed();
      if (!result) return { kind: 'shown', session: after };
      if (result.redirect) return { kind: 'redirect', url: result.redirect, complete: false };
      if (after.data.status === 'complete') return { kind: 'redirect', url: destination(after), complete: true };
      return { kind: 'shown', session: after };
    } catch (err) {
      if (err instanceof StripeError && err.status !== 500) return { kind: 'error', message: err.body.message, session: await refreshed() };
      throw err;
    }
  }
}

/** The shopper's choice from the form, with Stripe's messages for an incomplete card. */
function choiceOf(s: StoredSession, body: PayBodyT): PayChoice | { error: string } {
  if (!s.data.payment_method_types.includes(body.method)) return { error: 'Choose a payment method.' };
  if (body.method === 'vipps') return { type: 'vipps' };
  const number = (body.number ?? '').replace(/\s+/g, '');
  if (number.length < 12) return { error: 'Your card number is incomplete.' };
  const m = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(body.exp ?? '');
  if (!m) return { error: "Your card's expiration date is incomplete." };
  const cvc = (body.cvc ?? '').trim();
  if (!/^\d{3,4}$/.test(cvc)) return { error: "Your card's security code is incomplete." };
  return { type: 'card', number, expMonth: Number(m[1]), expYear: Number(m[2]), cvc };
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

const VIPPS_MARK = html`<span class="co-mark co-mark-vipps" aria-hidden="true">V</span>`;
const CARD_MARK = html`<span class="co-mark co-mark-card" aria-hidden="true"><i></i></span>`;

function checkoutView(v: { session: StoredSession; merchant: string; action: string; csrf: string; error: string | null; embedded: boolean }): SafeHtml {
  const s = v.session.data;
  const total = formatAmount('NOK', s.amount_total);
  const types = s.payment_method_types;
  // Vipps needs the top window (the test payment page cannot live in a cross-origin frame); with
  // redirect_on_completion=never embedded Checkout offers no redirecting method.
  const offered = v.embedded && s.redirect_on_completion === 'never' ? types.filter((t) => t !== 'vipps') : types;
  const first = offered[0];
  const cancel = !v.embedded && s.cancel_url && isSafeHref(s.cancel_url) ? s.cancel_url : null;
  const items = v.session.internal.lineItems.map(
    (li) => html`<li data-testid="line-item"><span><b>${li.description}</b>${li.quantity > 1 ? html` <span class="muted">× ${li.quantity}</span>` : ''}${li.quantity > 1 ? html`<br><span class="muted small">${formatAmount('NOK', li.price.unit_amount)} each</span>` : ''}</span><span>${formatAmount('NOK', li.amount_total)}</span></li>`,
  );
  const method = (type: string) =>
    type === 'vipps'
      ? html`<label class="co-method"><input type="radio" name="method" value="vipps" id="pm-vipps" data-testid="method-vipps"${first === 'vipps' ? trusted(' checked') : ''}>${VIPPS_MARK}<span class="grow">Vipps</span></label>`
      : html`<label class="co-method"><input type="radio" name="method" value="card" id="pm-card" data-testid="method-card"${first === 'card' ? trusted(' checked') : ''}>${CARD_MARK}<span class="grow">Card</span></label>
<div class="co-card stack">
  <label class="co-label" for="card-number">Card number</label>
  <div class="field"><input id="card-number" name="number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" data-testid="card-number"></div>
  <div class="co-row">
    <div class="stack"><label class="co-label" for="card-exp">Expiry</label><div class="field"><input id="card-exp" name="exp" inputmode="numeric" autocomplete="cc-exp" placeholder="MM / YY" data-testid="card-exp"></div></div>
    <div class="stack"><label class="co-label" for="card-cvc">CVC</label><div class="field"><input id="card-cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC" data-testid="card-cvc"></div></div>
  </div>
  <p class="muted small">Test mode: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined. Any future date and any CVC.</p>
</div>`;
  return html`<div class="co-page${v.embedded ? ' co-embedded' : ''}" data-testid="checkout" data-session="${s.id}">
${v.embedded ? '' : html`<header class="co-top">${cancel ? html`<a class="co-back" href="${cancel}" data-testid="cancel">← Back</a>` : html`<span></span>`}<span class="env">Test mode</span></header>`}
<section class="sheet co-sheet">
  <div class="summary stack-lg">
    <div class="merchant"><span class="avatar">${(v.merchant.trim()[0] ?? '?').toUpperCase()}</span><span class="merchant-name" data-testid="merchant">${v.merchant}</span></div>
    <div class="stack"><p class="muted amount-label">Pay ${v.merchant}</p><p class="amount" data-testid="total">${total}</p></div>
    <ul class="lines co-lines">${items}<li class="co-total"><span>Total due</span><span>${total}</span></li></ul>
  </div>
  <div class="step">
    <form method="post" action="${v.action}" class="stack-lg" data-testid="pay-form"${v.embedded ? trusted(" data-embedded") : trusted(" data-once")}>
      <input type="hidden" name="csrf" value="${v.csrf}">
      ${v.embedded ? html`<input type="hidden" name="client_secret" value="${s.client_secret ?? ''}">` : ''}
      <h1>Payment method</h1>
      ${v.error ? html`<p class="alert alert-error" role="alert" data-testid="error">${v.error}</p>` : ''}
      <div class="co-methods">${offered.map(method)}</div>
      <button class="btn btn-primary" type="submit" data-testid="pay">Pay ${total}</button>
      <p class="muted small center">Stripe Checkout, simulated by vipps-local. No real money moves.</p>
    </form>
  </div>
</section>
</div>`;
}

function completeView(s: StoredSession, next: string | null): SafeHtml {
  return html`<section class="sheet single co-message" data-testid="complete"><div class="step"><div class="stack-lg center">
<div class="symbol symbol-ok">✓</div>
<div class="stack"><h1>Payment complete</h1><p class="muted">${formatAmount('NOK', s.data.amount_total)} paid. You can close this page.</p></div>
${next && isSafeHref(next) ? html`<a class="btn btn-primary" href="${next}" target="_top">Back to the shop</a>` : ''}
</div></div></section>`;
}

const CHECKOUT_STYLES = `
.co-page { max-width: 980px; margin: 0 auto; padding: 12px 20px 40px; }
.co-embedded { padding: 0; }
.co-embedded .co-sheet { box-shadow: none; border-radius: 0; }
.co-top { display: flex; justify-content: space-between; align-items: center; padding: 8px 4px 18px; }
.co-back { color: var(--ink); font-weight: 600; text-decoration: none; }
.co-back:hover { color: var(--brand-dark); }
.co-lines .co-total { font-weight: 750; border-bottom: 0; }
.co-methods { display: grid; gap: 10px; }
.co-method { display: flex; align-items: center; gap: 12px; padding: 14px; border: 1.5px solid var(--line); border-radius: 14px; cursor: pointer; font-weight: 650; background: #fff; }
.co-method .grow { flex: 1; }
.co-method input { width: 20px; height: 20px; accent-color: var(--brand); margin: 0; }
.co-method:has(input:checked) { border-color: var(--brand); box-shadow: 0 0 0 3px var(--brand-soft); }
.co-mark { display: grid; place-items: center; width: 34px; height: 24px; border-radius: 6px; font-weight: 900; font-size: 15px; }
.co-mark-vipps { background: var(--brand); color: #fff; }
.co-mark-card { background: #1d1a2b; }
.co-mark-card i { display: block; width: 22px; height: 4px; background: #f5c542; border-radius: 1px; }
.co-card { display: none; padding: 2px 2px 4px; }
form:has(#pm-card:checked) .co-card { display: block; }
.co-label { display: block; font-size: 13px; font-weight: 700; color: var(--muted); }
.co-card .field input { font-size: 17px; padding: 11px 12px; }
.co-row { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.co-message { margin-top: 24px; }
@media (max-width: 720px) {
  .co-page { padding: 8px 12px 28px; }
  .co-embedded { padding: 0; }
  .co-sheet .summary .lines { display: block; }
}
`;

/** The embedded page: pays a card in place, sends Vipps to the top window, tells the parent when done and how tall it is. */
const EMBEDDED_SCRIPT = `
(function () {
  'use strict';
  var form = document.querySelector('form[data-embedded]');
  function tellHeight() {
    if (window.parent !== window) window.parent.postMessage({ type: 'vipps-local:checkout-resize', height: document.documentElement.scrollHeight }, '*');
  }
  if (window.ResizeObserver) new ResizeObserver(tellHeight).observe(document.body);
  tellHeight();
  var done = document.querySelector('[data-testid=complete]');
  if (done && window.parent !== window) window.parent.postMessage({ type: 'vipps-local:checkout-complete' }, '*');
  if (!form) return;
  var button = form.querySelector('[data-testid=pay]');
  function showError(message) {
    var box = form.querySelector('[data-testid=error]');
    if (!box) {
      box = document.createElement('p');
      box.className = 'alert alert-error';
      box.setAttribute('role', 'alert');
      box.setAttribute('data-testid', 'error');
      form.querySelector('h1').insertAdjacentElement('afterend', box);
    }
    box.textContent = message;
    button.disabled = false;
  }
  form.addEventListener('submit', function (event) {
    var chosen = form.querySelector('input[name=method]:checked');
    if (chosen && chosen.value === 'vipps') {
      // The Vipps test payment page runs in the top window; it comes back to the merchant's return_url.
      form.target = '_top';
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    button.disabled = true;
    fetch(form.action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams(new FormData(form)).toString(), credentials: 'same-origin' })
      .then(function (res) { return res.json(); })
      .then(function (answer) {
        if (answer.error) return showError(answer.error);
        // Without a redirect the page reloads and shows the completion, which tells the parent itself.
        if (!answer.complete || !answer.redirect) return location.reload();
        if (window.parent !== window) window.parent.postMessage({ type: 'vipps-local:checkout-complete' }, '*');
        window.top.location.href = answer.redirect;
      })
      .catch(function () { showError('The payment could not be sent. Check the connection and try again.'); });
  }, true);
})();
`;

interface CheckoutPage {
  title: string;
  content: SafeHtml;
  /** The embedded page lives in the merchant's iframe. */
  frameable: boolean;
  /** Origins a form's redirects may reach (the merchant's success_url). */
  formTargets: string[];
  embedded?: boolean;
  /** Moves on to this URL at once (meta refresh). */
  refreshTo?: string;
}

/**
 * Sends a Checkout page: the pages' headers (securityHeaders), with two changes. The embedded page
 * must be framed by the merchant's page (Stripe.js mounts it in an iframe), so it drops
 * `X-Frame-Options: DENY` and allows any ancestor with CSP `frame-ancestors *`: the merchant's
 * origin is not known to vipps-local, and the page holds nothing the client secret in its URL does
 * not already grant. And CSP form-action also governs the redirects after a form is sent, so the
 * merchant's success_url origin is allowed there (the card payment is answered with a redirect to it).
 */
function sendCheckoutPage(reply: FastifyReply, page: CheckoutPage, status = 200): FastifyReply {
  const nonce = randomBytes(16).toString('base64');
  securityHeaders(reply, nonce);
  const targets = [...new Set(page.formTargets)].join(' ');
  reply.header(
    'content-security-policy',
    [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "img-src 'self' data:",
      "connect-src 'self'",
      `form-action 'self'${targets ? ` ${targets}` : ''}`,
      "base-uri 'none'",
      page.frameable ? 'frame-ancestors *' : "frame-ancestors 'none'",
    ].join('; '),
  );
  if (page.frameable) reply.removeHeader('x-frame-options');
  const body = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="robots" content="noindex">
<title>${page.title}</title>
${page.refreshTo ? html`<meta http-equiv="refresh" content="0;url=${page.refreshTo}">` : ''}
<style nonce="${nonce}">${trusted(STYLES)}${trusted(CHECKOUT_STYLES)}</style>
</head>
<body class="co-body" data-now="${Date.now()}">
${page.content}
<script nonce="${nonce}">${trusted(CLIENT_SCRIPT)}</script>
${page.frameable ? html`<script nonce="${nonce}">${trusted(EMBEDDED_SCRIPT)}</script>` : ''}
</body>
</html>`;
  return reply.code(status).type('text/html; charset=utf-8').send(body.value);
}

/** "Returning to the shop…": a page that goes on to `url` by itself, with a link in case it does not. */
function sendContinue(reply: FastifyReply, url: string): FastifyReply {
  const safe = isSafeHref(url) ? url : '/';
  const content = html`<section class="sheet single co-message" data-testid="continue"><div class="step"><div class="stack-lg center">
<div class="symbol symbol-ok">✓</div>
<div class="stack"><h1>Payment complete</h1><p class="muted">Returning to the shop…</p></div>
<a class="btn btn-primary" href="${safe}" target="_top">Continue</a>
</div></div></section>`;
  return sendCheckoutPage(reply, { title: 'Payment complete', content, frameable: false, formTargets: [], refreshTo: safe });
}

function sendMessage(reply: FastifyReply, title: string, text: string, status: number, frameable = false, testid = 'message'): FastifyReply {
  const content = html`<section class="sheet single co-message" data-testid="${testid}"><div class="step"><div class="stack-lg center">
<div class="symbol symbol-muted">!</div>
<div class="stack"><h1>${title}</h1><p class="muted">${text}</p></div>
</div></div></section>`;
  return sendCheckoutPage(reply, { title, content, frameable, formTargets: [] }, status);
}
