// The phone-app simulator's screens: log in, home (requests and history), payment, result.
import type { Payment } from '../domain/payment.ts';
import { formatMsisdn, NORDIC_PREFIXES } from '../domain/phone-number.ts';
import type { Inbox } from '../domain/shopper-journey.ts';
import { cardLabel, TEST_CARDS, type TestCard } from '../domain/test-cards.ts';
import type { TestUser } from '../domain/test-user.ts';
import { inDisplayOrder, preselectedOption, type ShippingAddress } from '../domain/shipping.ts';
import { formatAmount, formatDateTime, formatRemaining, initialOf } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { appFrame, type PageOptions } from './layout.ts';
import type { HistoryOrder } from './app-order-details.ts';
import type { Messages } from './i18n/messages.ts';
import { amountText, merchantBlock, orderLines, outcomeOf, requestedInfo, resultSymbol, viewOf } from './payment-parts.ts';
import { appPaymentPath, landingPaths } from './paths.ts';

function appPage(t: Messages, title: string, now: number, content: SafeHtml, data: PageOptions['data'] = {}): PageOptions {
  return { title: `${title} · ${t.simulator}`, now, bodyClass: 'app-body', content: appFrame(content, now, t), data, messages: t };
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
  t: Messages;
}

export function signInPage(v: SignInView): PageOptions {
  const { t } = v;
  const hidden = html`<input type="hidden" name="csrf" value="${v.csrf}"><input type="hidden" name="next" value="${v.next}">`;
  const users = v.testUsers.map((u) => {
    const split = NORDIC_PREFIXES.find((p) => u.phoneNumber.startsWith(p.code));
    const prefix = split?.code ?? '47';
    return html`<form method="post" action="/app/sign-in">${hidden}<input type="hidden" name="prefix" value="${prefix}"><input type="hidden" name="phone" value="+${u.phoneNumber}">
  <button class="user-btn" type="submit" data-testid="user-${u.phoneNumber}"><span class="avatar" aria-hidden="true">${initialOf(u.firstName)}</span><span class="grow"><b>${u.firstName} ${u.lastName}</b><span class="num">${formatMsisdn(u.phoneNumber)}</span></span><span aria-hidden="true">›</span></button>
</form>`;
  });
  const content = html`<div class="login-logo" aria-hidden="true">v</div>
<div class="center stack"><h1>${t.logInTitle}</h1><p class="muted small">${t.logInIntro}</p></div>
<form method="post" action="/app/sign-in" class="panel stack" data-testid="sign-in">${hidden}
  <label for="phone">${t.phoneNumber}</label>
  <div class="field"><select name="prefix" aria-label="${t.countryCode}">${prefixOptions(v.prefix)}</select><input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel-national" required maxlength="20" value="${v.phone}" placeholder="123 45 678"></div>
  ${v.error ? html`<p class="alert alert-error" role="alert" data-testid="error">${v.error}</p>` : null}
  <button class="btn btn-primary" type="submit" data-testid="log-in">${t.logIn}</button>
</form>
${users.length > 0 ? html`<div class="section-title">${t.testUsers}</div><div class="users">${users}</div>` : null}
${v.acceptAnyUser ? html`<p class="muted small center">${t.anyUser}</p>` : null}`;
  return appPage(t, t.logIn, v.now, content);
}

export interface HomeView {
  now: number;
  user: TestUser;
  phone: string;
  csrf: string;
  inbox: SafeHtml;
  error?: string;
  t: Messages;
}

export function homePage(v: HomeView): PageOptions {
  const { t } = v;
  const content = html`<div class="app-top">
  <div><div class="app-title" data-testid="greeting">${t.greeting(v.user.firstName)}</div><div class="muted small" data-testid="signed-in-as">${formatMsisdn(v.phone)}</div></div>
  <form method="post" action="/app/sign-out"><input type="hidden" name="csrf" value="${v.csrf}"><button class="btn btn-quiet" type="submit" data-testid="log-out">${t.logOut}</button></form>
</div>
<div class="section-title">${t.scanQr}</div>
<form method="get" action="/app/open" class="open-link">
  <input name="link" type="text" inputmode="url" autocomplete="off" placeholder="${t.pasteLink}" aria-label="${t.linkLabel}" data-testid="open-link">
  <button class="btn btn-primary" type="submit" data-testid="open">${t.open}</button>
</form>
${v.error ? html`<p class="alert alert-error" role="alert" data-testid="error">${v.error}</p>` : null}
<div id="inbox" aria-live="polite">${v.inbox}</div>`;
  return appPage(t, t.homeTitle, v.now, content, { live: 'inbox', events: '/app/events', fragment: '/app/inbox', poll: 4000 });
}

export type MerchantName = (p: Payment) => string;

/** The live part of the home screen: incoming requests and the history. */
export function inboxFragment(inbox: Inbox, merchantOf: MerchantName, now: number, t: Messages, orders: ReadonlyMap<string, HistoryOrder> = new Map()): SafeHtml {
  const incoming = inbox.incoming.map(
    (p) => html`<a class="request" href="${appPaymentPath(p.token)}" data-testid="request" data-reference="${p.reference}">
  <span class="avatar" aria-hidden="true">${initialOf(merchantOf(p))}</span>
  <span class="grow"><b>${merchantOf(p)}</b><span class="what">${p.terms.paymentDescription ?? t.paymentRequest}</span></span>
  <span class="right"><span class="price">${amountText(p)}</span><br><span class="open">${t.timeLeftIn(html`<span data-countdown data-deadline="${p.expiresAt}">${formatRemaining(p.expiresAt - now)}</span>`)}</span></span>
</a>`,
  );
  const history = inbox.history.map((p) => {
    const state = p.pendingApproval ? 'PENDING' : p.state;
    const label = p.pendingApproval ? t.processing : t.state[p.state];
    const order = orders.get(p.id);
    // The category's picture stands in for the merchant's initial, as in the app.
    const picture = order?.imageSrc
      ? html`<img class="avatar avatar-img" src="${order.imageSrc}" alt="" data-testid="history-image">`
      : html`<span class="avatar" aria-hidden="true">${initialOf(merchantOf(p))}</span>`;
    return html`<a href="${appPaymentPath(p.token)}" data-testid="history-item" data-reference="${p.reference}" data-state="${state}">
  ${picture}
  <span class="grow"><span class="name">${merchantOf(p)}</span>${order ? html`<span class="category" data-testid="history-category">${t.category[order.category.type]}</span>` : null}<span class="when">${formatDateTime(p.createdAt, t.locale)}</span></span>
  <span class="right">${formatAmount(p.currency, p.amount)}<br><span class="badge badge-${state}">${label}</span></span>
</a>`;
  });
  return html`<div class="section-title">${t.paymentRequests}</div>
${incoming.length > 0 ? incoming : html`<p class="empty" data-testid="no-requests">${t.noRequests}</p>`}
<div class="section-title">${t.history}</div>
${history.length > 0 ? html`<div class="history">${history}</div>` : html`<p class="empty">${t.noPayments}</p>`}`;
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
  t: Messages;
}

const payLabel = (t: Messages, currency: Payment['currency'], total: number, withDelivery: boolean) =>
  withDelivery ? t.payWithDelivery(formatAmount(currency, total)) : t.pay(formatAmount(currency, total));
const addressText = (a: ShippingAddress) => [a.addressLine1, a.addressLine2, `${a.postCode} ${a.city}`, a.country].filter(Boolean).join(', ');
const sameAddress = (a: ShippingAddress, b: ShippingAddress | undefined) => b !== undefined && addressText(a) === addressText(b);

/**
 * Express: where to deliver (the user's addresses, or another one), then the shop's shipping options
 * for that address. Choosing an address asks the shop for its options; the chosen option goes with Pay.
 */
function shippingSection(v: PaymentView, hidden: SafeHtml): { section: SafeHtml; total: number; payable: boolean } {
  const { p, t } = v;
  const offer = p.shippingOffer;
  const addresses = v.addresses ?? [];
  const addressChoices = addresses.map(
    (a, i) => html`<label class="card-option" data-testid="address-${i}"><input type="radio" name="address" value="${String(i)}"${sameAddress(a, offer?.address) || (!offer && i === 0) ? html` checked` : null}><span class="grow">${addressText(a)}</span></label>`,
  );
  const addressForm = html`<form method="post" action="/app/payment/shipping" class="panel stack" data-testid="shipping-address">${hidden}
  <div class="cards">${addressChoices}
    <label class="card-option" data-testid="address-other"><input type="radio" name="address" value="other"${addresses.length === 0 ? html` checked` : null}><span class="grow">${t.anotherAddress}</span></label>
  </div>
  <details${addresses.length === 0 ? html` open` : null}><summary>${t.anotherAddress}</summary><div class="stack">
    <input name="addressLine1" placeholder="${t.street}" maxlength="200" aria-label="${t.street}">
    <div class="field"><input name="postCode" placeholder="${t.postCode}" maxlength="20" aria-label="${t.postCode}"><input name="city" placeholder="${t.city}" maxlength="100" aria-label="${t.city}"></div>
    <input name="country" placeholder="${t.countryPlaceholder}" maxlength="2" aria-label="${t.countryCode}" value="NO">
  </div></details>
  <button class="btn btn-secondary" type="submit" data-testid="show-shipping">${offer ? t.deliverHereInstead : t.showDeliveryOptions}</button>
</form>`;
  if (!offer) return { section: html`<div class="section-title">${t.deliverTo}</div>${addressForm}`, total: p.amount, payable: false };
  const preselected = preselectedOption(offer.groups);
  const options = inDisplayOrder(offer.groups).map(
    (g) => html`<div class="muted small">${g.brand} · ${g.type.replace(/_/g, ' ').toLowerCase()}</div>${g.options.map(
      (o) => html`<label class="card-option" data-testid="shipping-${o.id}"><input type="radio" name="shippingOption" value="${o.id}" form="pay-form" data-pay-label="${payLabel(t, p.currency, p.amount + o.amount, true)}"${o.id === preselected?.id ? html` checked` : null}>
  <span class="grow"><span class="num">${o.name}</span>${o.estimatedDelivery ? html`<br><span class="note">${o.estimatedDelivery}</span>` : null}${o.meta ? html`<br><span class="note">${o.meta}</span>` : null}</span>
  <span class="price">+ ${formatAmount(p.currency, o.amount)}</span></label>`,
    )}`,
  );
  const section = html`<div class="section-title">${t.deliverTo}</div>
<p class="panel" data-testid="shipping-to">${addressText(offer.address)}</p>
${offer.unavailable !== undefined ? html`<p class="alert alert-error" role="alert" data-testid="shipping-unavailable">${offer.unavailable}</p>` : html`<div class="section-title">${t.delivery}</div><div class="cards" data-testid="shipping-options">${options}</div>`}
<details class="more-cards"><summary data-testid="change-address">${t.changeAddress}</summary>${addressForm}</details>`;
  return { section, total: p.amount + (preselected?.amount ?? 0), payable: offer.unavailable === undefined && preselected !== undefined };
}

function liveData(p: Payment, now: number): PageOptions['data'] {
  const paths = landingPaths(p.token);
  return { live: 'payment', token: p.token, version: p.version, view: viewOf(p, now), events: paths.events, status: paths.status };
}

const backLink = (t: Messages) => html`<a class="back" href="/app" data-testid="home">${t.home}</a>`;

/** The payment screen: what is paid, to whom, with which card; Pay and Reject. */
export function payPage(v: PaymentView): PageOptions {
  const { p, t } = v;
  const lines = orderLines(p, t);
  const info = requestedInfo(p, t);
  const option = (c: TestCard) => html`<label class="card-option" data-testid="card-${c.id}">
  <input type="radio" name="card" value="${c.id}"${c.id === v.card ? html` checked` : null}>
  <span class="card-chip ${c.brand}">${c.brand === 'Visa' ? 'VISA' : 'MC'}</span>
  <span class="grow"><span class="num">${cardLabel(c)}</span><br><span class="note${c.failsLike ? ' fails' : ''}">${c.note}</span></span>
</label>`;
  const working = TEST_CARDS.filter((c) => c.failsLike === undefined);
  const failing = TEST_CARDS.filter((c) => c.failsLike !== undefined);
  const failingChosen = failing.some((c) => c.id === v.card);
  const cards = html`<div class="cards">${working.map(option)}</div>
<details class="more-cards"${failingChosen ? html` open` : null}><summary data-testid="failing-cards">${t.failingCards(failing.length)}</summary><div class="cards">${failing.map(option)}</div></details>`;
  const hidden = html`<input type="hidden" name="token" value="${p.token}"><input type="hidden" name="csrf" value="${v.csrf}">`;
  const shipping = p.terms.shipping ? shippingSection(v, hidden) : null;
  const content = html`<div class="app-top">${backLink(t)}<span class="timer">${t.approveWithin} <b data-countdown data-reload-at-zero data-deadline="${p.expiresAt}" data-testid="countdown">${formatRemaining(p.expiresAt - v.now)}</b></span></div>
<div class="panel pay-hero" data-testid="payment">
  ${merchantBlock(v.merchant, t.requestsPayment)}
  <div class="amount" data-testid="amount">${amountText(p)}</div>
  ${p.terms.paymentDescription ? html`<p class="description" data-testid="description">${p.terms.paymentDescription}</p>` : null}
</div>
${v.error ? html`<p class="alert alert-error" role="alert" data-testid="error">${v.error}</p>` : null}
${shipping?.section ?? null}
<div class="section-title">${t.payWith}</div>
<form id="pay-form" method="post" action="/app/payment/approve" data-once>${hidden}${cards}</form>
${info.length > 0 ? html`<div class="panel consent" data-testid="consent"><b>${t.merchantGets(v.merchant)}</b><ul>${info.map((i) => html`<li>${i}</li>`)}</ul></div>` : null}
${v.order || lines ? html`<details class="panel lines-box"><summary>${t.orderDetails}</summary>${v.order ?? lines}</details>` : null}
<form id="reject-form" method="post" action="/app/payment/reject" data-once>${hidden}</form>
<div class="actions">
  <button class="btn btn-secondary" type="submit" form="reject-form" data-testid="reject">${t.reject}</button>
  <button class="btn btn-primary" type="submit" form="pay-form" data-testid="pay" data-pay-button${shipping && !shipping.payable ? html` disabled` : null}>${shipping ? payLabel(t, p.currency, shipping.total, true) : t.pay(amountText(p))}</button>
</div>`;
  return appPage(t, t.payTitle(v.merchant), v.now, content, liveData(p, v.now));
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
  t: Messages;
}

/** After the decision, or a payment that can no longer be decided. */
export function resultPage(v: ResultView): PageOptions {
  const { p, t } = v;
  const outcome = outcomeOf(p, v.merchant, t);
  const decided = p.state === 'AUTHORIZED' || p.state === 'ABORTED';
  const note =
    decided && p.sentToPhoneAt !== undefined
      ? html`<p class="muted small" data-testid="back-to-browser">${t.backToBrowser(v.merchant)}</p>`
      : v.autoReturnUrl
        ? html`<p class="muted small" data-return-url="${v.autoReturnUrl}" data-return-delay="1500" data-testid="returning">${t.takingYouBack(v.merchant)}</p>`
        : null;
  const content = html`<div class="app-top">${backLink(t)}</div>
${v.error ? html`<p class="alert alert-info" role="alert" data-testid="error">${v.error}</p>` : null}
<div class="panel center stack-lg" data-testid="result" data-state="${p.pendingApproval ? 'PENDING' : p.state}">
  ${p.pendingApproval ? html`<div class="spinner" aria-hidden="true"></div>` : resultSymbol(outcome.symbol)}
  <div class="stack"><h1 data-testid="result-title">${outcome.title}</h1><p class="muted">${outcome.text}</p></div>
  <div class="result-merchant">${merchantBlock(v.merchant, `${amountText(p)} · ${formatDateTime(p.createdAt, t.locale)}`)}</div>
  ${note}
  ${p.pendingApproval?.external?.challengeUrl ? html`<a class="btn btn-primary" href="${p.pendingApproval.external.challengeUrl}" data-testid="challenge">${t.continue3ds}</a>` : null}
</div>
${v.order ?? null}
<div class="stack result-actions">
  ${v.returnUrl ? html`<a class="btn btn-primary" href="${v.returnUrl}" data-testid="return">${t.backTo(v.merchant)}</a>` : null}
  <a class="btn ${v.returnUrl ? 'btn-secondary' : 'btn-primary'}" href="/app" data-testid="done">${t.done}</a>
</div>`;
  return appPage(t, outcome.title, v.now, content, liveData(p, v.now));
}

/** Signed in as someone else than the user the request was sent to. */
export function otherUserPage(now: number, p: Payment, merchant: string, phone: string, csrf: string, t: Messages): PageOptions {
  const content = html`<div class="app-top">${backLink(t)}</div>
<div class="panel center stack-lg" data-testid="other-user">
  ${resultSymbol('muted')}
  <div class="stack"><h1>${t.otherPhoneTitle}</h1>
  <p class="muted">${t.otherPhoneText(merchant, formatMsisdn(p.customerPhone ?? ''), formatMsisdn(phone))}</p></div>
  <form method="post" action="/app/sign-out"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="next" value="${appPaymentPath(p.token)}"><button class="btn btn-secondary" type="submit">${t.logInAsOther}</button></form>
</div>`;
  return appPage(t, t.otherPhoneTitle, now, content, liveData(p, now));
}

