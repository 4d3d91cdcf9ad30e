// The phone-app simulator's screens: log in, home (requests and history), payment, result.
import type { Payment } from '../domain/payment.ts';
import { formatMsisdn, NORDIC_PREFIXES } from '../domain/phone-number.ts';
import type { Inbox } from '../domain/shopper-journey.ts';
import { cardLabel, TEST_CARDS, type TestCard } from '../domain/test-cards.ts';
import type { TestUser } from '../domain/test-user.ts';
import { inDisplayOrder, preselectedOption, type ShippingAddress } from '../domain/shipping.ts';
import { formatAmount, formatDateTime, formatRemaining, initialOf, STATE_LABEL } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { appFrame, type PageOptions } from './layout.ts';
import type { HistoryOrder } from './app-order-details.ts';
import { CATEGORY_LABEL } from './order-category.ts';
import { amountText, merchantBlock, orderLines, outcomeOf, requestedInfo, resultSymbol, viewOf } from './payment-parts.ts';
import { appPaymentPath, landingPaths } from './paths.ts';

function appPage(title: string, now: number, content: SafeHtml, data: PageOptions['data'] = {}): PageOptions {
  return { title: `${title} · Vipps simulator`, now, bodyClass: 'app-body', content: appFrame(content, now), data };
}

const prefixOptions = (selected: string) =>
  NORDIC_PREFIXES.map((p) => html`<option value="${p.code}"${p.code === selected ? html` selected` : null}>+${p.code}</option>`);

export interface SignInView {
  now: number;
  csrf: string;
  next: string;
  testUsers: TestUser[];
  acceptAnyUser: boolean;
  prefix: string;
  phone: string;
  error?: string;
}

export function signInPage(v: SignInView): PageOptions {
  const hidden = html`<input type="hidden" name="csrf" value="${v.csrf}"><input type="hidden" name="next" value="${v.next}">`;
  const users = v.testUsers.map((u) => {
    const split = NORDIC_PREFIXES.find((p) => u.phoneNumber.startsWith(p.code));
    const prefix = split?.code ?? '47';
    return html`<form method="post" action="/app/sign-in">${hidden}<input type="hidden" name="prefix" value="${prefix}"><input type="hidden" name="phone" value="+${u.phoneNumber}">
  <button class="user-btn" type="submit" data-testid="user-${u.phoneNumber}"><span class="avatar" aria-hidden="true">${initialOf(u.firstName)}</span><span class="grow"><b>${u.firstName} ${u.lastName}</b><span class="num">${formatMsisdn(u.phoneNumber)}</span></span><span aria-hidden="true">›</span></button>
</form>`;
  });
  const content = html`<div class="login-logo" aria-hidden="true">v</div>
<div class="center stack"><h1>Log in to Vipps</h1><p class="muted small">The vipps-local app simulator. Log in as a test user to approve payments.</p></div>
<form method="post" action="/app/sign-in" class="panel stack" data-testid="sign-in">${hidden}
  <label for="phone">Phone number</label>
  <div class="field"><select name="prefix" aria-label="Country code">${prefixOptions(v.prefix)}</select><input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel-national" required maxlength="20" value="${v.phone}" placeholder="123 45 678"></div>
  ${v.error ? html`<p class="alert alert-error" role="alert" data-testid="error">${v.error}</p>` : null}
  <button class="btn btn-primary" type="submit" data-testid="log-in">Log in</button>
</form>
${users.length > 0 ? html`<div class="section-title">Test users</div><div class="users">${users}</div>` : null}
${v.acceptAnyUser ? html`<p class="muted small center">Any valid phone number is a test user too.</p>` : null}`;
  return appPage('Log in', v.now, content);
}

export interface HomeView {
  now: number;
  user: TestUser;
  phone: string;
  csrf: string;
  inbox: SafeHtml;
  error?: string;
}

export function homePage(v: HomeView): PageOptions {
  const content = html`<div class="app-top">
  <div><div class="app-title" data-testid="greeting">Hi, ${v.user.firstName}</div><div class="muted small" data-testid="signed-in-as">${formatMsisdn(v.phone)}</div></div>
  <form method="post" action="/app/sign-out"><input type="hidden" name="csrf" value="${v.csrf}"><button class="btn btn-quiet" type="submit" data-testid="log-out">Log out</button></form>
</div>
<div class="section-title">Scan a QR code</div>
<form method="get" action="/app/open" class="open-link">
  <input name="link" type="text" inputmode="url" autocomplete="off" placeholder="Paste the QR code's link" aria-label="Link from a QR code or payment link" data-testid="open-link">
  <button class="btn btn-primary" type="submit" data-testid="open">Open</button>
</form>
${v.error ? html`<p class="alert alert-error" role="alert" data-testid="error">${v.error}</p>` : null}
<div id="inbox" aria-live="polite">${v.inbox}</div>`;
  return appPage('Home', v.now, content, { live: 'inbox', events: '/app/events', fragment: '/app/inbox', poll: 4000 });
}

export type MerchantName = (p: Payment) => string;

/** The live part of the home screen: incoming requests and the history. */
export function inboxFragment(inbox: Inbox, merchantOf: MerchantName, now: number, orders: ReadonlyMap<string, HistoryOrder> = new Map()): SafeHtml {
  const incoming = inbox.incoming.map(
    (p) => html`<a class="request" href="${appPaymentPath(p.token)}" data-testid="request" data-reference="${p.reference}">
  <span class="avatar" aria-hidden="true">${initialOf(merchantOf(p))}</span>
  <span class="grow"><b>${merchantOf(p)}</b><span class="what">${p.terms.paymentDescription ?? 'Payment request'}</span></span>
  <span class="right"><span class="price">${amountText(p)}</span><br><span class="open"><span data-countdown data-deadline="${p.expiresAt}">${formatRemaining(p.expiresAt - now)}</span> left</span></span>
</a>`,
  );
  const history = inbox.history.map((p) => {
    const state = p.pendingApproval ? 'PENDING' : p.state;
    const label = p.pendingApproval ? 'Processing' : STATE_LABEL[p.state];
    const order = orders.get(p.id);
    // The category's picture stands in for the merchant's initial, as in the app.
    const picture = order?.imageSrc
      ? html`<img class="avatar avatar-img" src="${order.imageSrc}" alt="" data-testid="history-image">`
      : html`<span class="avatar" aria-hidden="true">${initialOf(merchantOf(p))}</span>`;
    return html`<a href="${appPaymentPath(p.token)}" data-testid="history-item" data-reference="${p.reference}" data-state="${state}">
  ${picture}
  <span class="grow"><span class="name">${merchantOf(p)}</span>${order ? html`<span class="category" data-testid="history-category">${CATEGORY_LABEL[order.category.type]}</span>` : null}<span class="when">${formatDateTime(p.createdAt)}</span></span>
  <span class="right">${formatAmount(p.currency, p.amount)}<br><span class="badge badge-${state}">${label}</span></span>
</a>`;
  });
  return html`<div class="section-title">Payment requests</div>
${incoming.length > 0 ? incoming : html`<p class="empty" data-testid="no-requests">No payment requests right now. They appear here as soon as a shop sends one.</p>`}
<div class="section-title">History</div>
${history.length > 0 ? html`<div class="history">${history}</div>` : html`<p class="empty">No payments yet.</p>`}`;
}

export interface PaymentView {
  now: number;
  p: Payment;
  merchant: string;
  phone: string;
  csrf: string;
  card: string;
  /** Express: the addresses the signed-in user has, to deliver to. */
  addresses?: ShippingAddress[];
  /** Order Management's category and receipt, when the order has either. */
  order?: SafeHtml | null;
  error?: string;
}

const payLabel = (currency: Payment['currency'], total: number, withDelivery: boolean) => `Pay ${formatAmount(currency, total)}${withDelivery ? ' with delivery' : ''}`;
const addressText = (a: ShippingAddress) => [a.addressLine1, a.addressLine2, `${a.postCode} ${a.city}`, a.country].filter(Boolean).join(', ');
const sameAddress = (a: ShippingAddress, b: ShippingAddress | undefined) => b !== undefined && addressText(a) === addressText(b);

/**
 * Express: where to deliver (the user's addresses, or another one), then the shop's shipping options
 * for that address. Choosing an address asks the shop for its options; the chosen option goes with Pay.
 */
function shippingSection(v: PaymentView, hidden: SafeHtml): { section: SafeHtml; total: number; payable: boolean } {
  const { p } = v;
  const offer = p.shippingOffer;
  const addresses = v.addresses ?? [];
  const addressChoices = addresses.map(
    (a, i) => html`<label class="card-option" data-testid="address-${i}"><input type="radio" name="address" value="${String(i)}"${sameAddress(a, offer?.address) || (!offer && i === 0) ? html` checked` : null}><span class="grow">${addressText(a)}</span></label>`,
  );
  const addressForm = html`<form method="post" action="/app/payment/shipping" class="panel stack" data-testid="shipping-address">${hidden}
  <div class="cards">${addressChoices}
    <label class="card-option" data-testid="address-other"><input type="radio" name="address" value="other"${addresses.length === 0 ? html` checked` : null}><span class="grow">Another address</span></label>
  </div>
  <details${addresses.length === 0 ? html` open` : null}><summary>Another address</summary><div class="stack">
    <input name="addressLine1" placeholder="Street and number" maxlength="200" aria-label="Street and number">
    <div class="field"><input name="postCode" placeholder="Post code" maxlength="20" aria-label="Post code"><input name="city" placeholder="City" maxlength="100" aria-label="City"></div>
    <input name="country" placeholder="Country (NO)" maxlength="2" aria-label="Country code" value="NO">
  </div></details>
  <button class="btn btn-secondary" type="submit" data-testid="show-shipping">${offer ? 'Deliver here instead' : 'Show delivery options'}</button>
</form>`;
  if (!offer) return { section: html`<div class="section-title">Deliver to</div>${addressForm}`, total: p.amount, payable: false };
  const preselected = preselectedOption(offer.groups);
  const options = inDisplayOrder(offer.groups).map(
    (g) => html`<div class="muted small">${g.brand} · ${g.type.replace(/_/g, ' ').toLowerCase()}</div>${g.options.map(
      (o) => html`<label class="card-option" data-testid="shipping-${o.id}"><input type="radio" name="shippingOption" value="${o.id}" form="pay-form" data-pay-label="${payLabel(p.currency, p.amount + o.amount, true)}"${o.id === preselected?.id ? html` checked` : null}>
  <span class="grow"><span class="num">${o.name}</span>${o.estimatedDelivery ? html`<br><span class="note">${o.estimatedDelivery}</span>` : null}${o.meta ? html`<br><span class="note">${o.meta}</span>` : null}</span>
  <span class="price">+ ${formatAmount(p.currency, o.amount)}</span></label>`,
    )}`,
  );
  const section = html`<div class="section-title">Deliver to</div>
<p class="panel" data-testid="shipping-to">${addressText(offer.address)}</p>
${offer.unavailable !== undefined ? html`<p class="alert alert-error" role="alert" data-testid="shipping-unavailable">${offer.unavailable}</p>` : html`<div class="section-title">Delivery</div><div class="cards" data-testid="shipping-options">${options}</div>`}
<details class="more-cards"><summary data-testid="change-address">Change address</summary>${addressForm}</details>`;
  return { section, total: p.amount + (preselected?.amount ?? 0), payable: offer.unavailable === undefined && preselected !== undefined };
}

function liveData(p: Payment, now: number): PageOptions['data'] {
  const paths = landingPaths(p.token);
  return { live: 'payment', token: p.token, version: p.version, view: viewOf(p, now), events: paths.events, status: paths.status };
}

const backLink = html`<a class="back" href="/app" data-testid="home">‹ Home</a>`;

/** The payment screen: what is paid, to whom, with which card; Pay and Reject. */
export function payPage(v: PaymentView): PageOptions {
  const { p } = v;
  const lines = orderLines(p);
  const info = requestedInfo(p);
  const option = (c: TestCard) => html`<label class="card-option" data-testid="card-${c.id}">
  <input type="radio" name="card" value="${c.id}"${c.id === v.card ? html` checked` : null}>
  <span class="card-chip ${c.brand}">${c.brand === 'Visa' ? 'VISA' : 'MC'}</span>
  <span class="grow"><span class="num">${cardLabel(c)}</span><br><span class="note${c.failsLike ? ' fails' : ''}">${c.note}</span></span>
</label>`;
  const working = TEST_CARDS.filter((c) => c.failsLike === undefined);
  const failing = TEST_CARDS.filter((c) => c.failsLike !== undefined);
  const failingChosen = failing.some((c) => c.id === v.card);
  const cards = html`<div class="cards">${working.map(option)}</div>
<details class="more-cards"${failingChosen ? html` open` : null}><summary data-testid="failing-cards">Test cards that fail (${failing.length})</summary><div class="cards">${failing.map(option)}</div></details>`;
  const hidden = html`<input type="hidden" name="token" value="${p.token}"><input type="hidden" name="csrf" value="${v.csrf}">`;
  const shipping = p.terms.shipping ? shippingSection(v, hidden) : null;
  const content = html`<div class="app-top">${backLink}<span class="timer">Approve within <b data-countdown data-reload-at-zero data-deadline="${p.expiresAt}" data-testid="countdown">${formatRemaining(p.expiresAt - v.now)}</b></span></div>
<div class="panel pay-hero" data-testid="payment">
  ${merchantBlock(v.merchant, 'requests a payment')}
  <div class="amount" data-testid="amount">${amountText(p)}</div>
  ${p.terms.paymentDescription ? html`<p class="description" data-testid="description">${p.terms.paymentDescription}</p>` : null}
</div>
${v.error ? html`<p class="alert alert-error" role="alert" data-testid="error">${v.error}</p>` : null}
${shipping?.section ?? null}
<div class="section-title">Pay with</div>
<form id="pay-form" method="post" action="/app/payment/approve" data-once>${hidden}${cards}</form>
${info.length > 0 ? html`<div class="panel consent" data-testid="consent"><b>${v.merchant} gets your</b><ul>${info.map((i) => html`<li>${i}</li>`)}</ul></div>` : null}
${v.order || lines ? html`<details class="panel lines-box"><summary>Order details</summary>${v.order ?? lines}</details>` : null}
<form id="reject-form" method="post" action="/app/payment/reject" data-once>${hidden}</form>
<div class="actions">
  <button class="btn btn-secondary" type="submit" form="reject-form" data-testid="reject">Reject</button>
  <button class="btn btn-primary" type="submit" form="pay-form" data-testid="pay" data-pay-button${shipping && !shipping.payable ? html` disabled` : null}>${shipping ? payLabel(p.currency, shipping.total, true) : `Pay ${amountText(p)}`}</button>
</div>`;
  return appPage(`Pay ${v.merchant}`, v.now, content, liveData(p, v.now));
}

export interface ResultView {
  now: number;
  p: Payment;
  merchant: string;
  /** Follow this URL by itself after a moment (a decision just made, on this device). */
  autoReturnUrl: string | null;
  /** Offer a link to it. */
  returnUrl: string | null;
  /** Why the decision just tried was refused (the payment was decided elsewhere first). */
  error?: string;
  /** Order Management's category and receipt, when the order has either. */
  order?: SafeHtml | null;
}

/** After the decision, or a payment that can no longer be decided. */
export function resultPage(v: ResultView): PageOptions {
  const { p } = v;
  const outcome = outcomeOf(p, v.merchant);
  const decided = p.state === 'AUTHORIZED' || p.state === 'ABORTED';
  const note =
    decided && p.sentToPhoneAt !== undefined
      ? html`<p class="muted small" data-testid="back-to-browser">Go back to your browser to finish at ${v.merchant}.</p>`
      : v.autoReturnUrl
        ? html`<p class="muted small" data-return-url="${v.autoReturnUrl}" data-return-delay="1500" data-testid="returning">Taking you back to ${v.merchant}…</p>`
        : null;
  const content = html`<div class="app-top">${backLink}</div>
${v.error ? html`<p class="alert alert-info" role="alert" data-testid="error">${v.error}</p>` : null}
<div class="panel center stack-lg" data-testid="result" data-state="${p.pendingApproval ? 'PENDING' : p.state}">
  ${p.pendingApproval ? html`<div class="spinner" aria-hidden="true"></div>` : resultSymbol(outcome.symbol)}
  <div class="stack"><h1 data-testid="result-title">${outcome.title}</h1><p class="muted">${outcome.text}</p></div>
  <div class="result-merchant">${merchantBlock(v.merchant, `${amountText(p)} · ${formatDateTime(p.createdAt)}`)}</div>
  ${note}
  ${p.pendingApproval?.external?.challengeUrl ? html`<a class="btn btn-primary" href="${p.pendingApproval.external.challengeUrl}" data-testid="challenge">Continue to 3-D Secure</a>` : null}
</div>
${v.order ?? null}
<div class="stack result-actions">
  ${v.returnUrl ? html`<a class="btn btn-primary" href="${v.returnUrl}" data-testid="return">Back to ${v.merchant}</a>` : null}
  <a class="btn ${v.returnUrl ? 'btn-secondary' : 'btn-primary'}" href="/app" data-testid="done">Done</a>
</div>`;
  return appPage(outcome.title, v.now, content, liveData(p, v.now));
}

/** Signed in as someone else than the user the request was sent to. */
export function otherUserPage(now: number, p: Payment, merchant: string, phone: string, csrf: string): PageOptions {
  const content = html`<div class="app-top">${backLink}</div>
<div class="panel center stack-lg" data-testid="other-user">
  ${resultSymbol('muted')}
  <div class="stack"><h1>Sent to another phone</h1>
  <p class="muted">${merchant} sent this payment request to ${formatMsisdn(p.customerPhone ?? '')}. You are logged in as ${formatMsisdn(phone)}.</p></div>
  <form method="post" action="/app/sign-out"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="next" value="${appPaymentPath(p.token)}"><button class="btn btn-secondary" type="submit">Log in as someone else</button></form>
</div>`;
  return appPage('Sent to another phone', now, content, liveData(p, now));
}

