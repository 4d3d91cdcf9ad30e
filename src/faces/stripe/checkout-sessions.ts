// Checkout Sessions (STRIPE-NOTES §1.7, §1.8, §6): create under the rules of the request's
// Stripe-Version, expire (by call, or lazily once expires_at has passed on the platform clock), line
// items, and the shopper's payment: the first attempt makes the session's PaymentIntent (the
// PaymentIntent machinery of payment-intents.ts), later attempts confirm it again. The session
// completes in the projector's transaction when its PaymentIntent is authorized.
import { checkUrl, chooseTypes } from './payment-method-types.ts';
import type { UnitOfWork } from '../../engine/unit-of-work.ts';
import type { StoreTx } from '../../store/store.ts';
import type { FaceContext } from '../face-context.ts';
import {
  CHECKOUT_KIND,
  UI_MODES_NEW,
  UI_MODES_OLD,
  isDue,
  type CheckoutSessionObject,
  type LineItemObject,
  type SessionInternal,
  type StoredSession,
  type UiKind,
} from './checkout-model.ts';
import { AUTOMATIC, emitEvent, previousAttributes, type EventRequest } from './events.ts';
import { expand } from './expand.ts';
import type { IntentInternal, StoredIntent } from './intent-model.ts';
import { newId, unixSeconds, type Metadata, type PaymentIntentObject } from './objects.ts';
import type { Params, ParamSpec } from './params.ts';
import { MINIMUM_NOK, cancelIntent, confirmIntent, createIntent } from './payment-intents.ts';
import { STRIPE_PAGES_PREFIX } from './pages-paths.ts';
import { authenticateStripe, accountIdOf } from './stripe-auth.ts';
import type { StripeCall } from './stripe-call.ts';
import { invalidRequest, parameterMissing, resourceMissing } from './stripe-error.ts';
import type { StripeReader, StripeRepository, StripeStore } from './stripe-store.ts';
import { isAtLeast, parseStripeVersion, type StripeVersion } from './stripe-version.ts';

export const DAY_S = 24 * 3600;
const MIN_EXPIRY_S = 30 * 60;

const ProductData: ParamSpec = { name: 'string', description: 'string', images: { array: 'string' }, metadata: 'map', tax_code: 'string', unit_label: 'string' };
const PriceData: ParamSpec = {
  currency: 'string',
  unit_amount: 'integer',
  unit_amount_decimal: 'string',
  product: 'string',
  product_data: { object: ProductData },
  tax_behavior: { enum: ['exclusive', 'inclusive', 'unspecified'] },
  recurring: 'unsupported',
};
const LineItem: ParamSpec = { price: 'string', price_data: { object: PriceData }, quantity: 'integer', adjustable_quantity: 'unsupported', tax_rates: 'unsupported', metadata: 'map' };
const PaymentIntentData: ParamSpec = {
  capture_method: { enum: ['automatic', 'automatic_async', 'manual'] },
  description: 'string',
  metadata: 'map',
  receipt_email: 'string',
  statement_descriptor: 'string',
  statement_descriptor_suffix: 'string',
};

/** The parameters a create may send under `call.version` (STRIPE-NOTES V3, V4). */
export function sessionCreateParams(call: StripeCall): ParamSpec {
  const spec: Record<string, ParamSpec[string]> = {
    mode: 'string',
    line_items: { array: { object: LineItem } },
    payment_intent_data: { object: PaymentIntentData },
    success_url: 'string',
    cancel_url: 'string',
    return_url: 'string',
    ui_mode: 'string',
    redirect_on_completion: { enum: ['always', 'if_required', 'never'] },
    expires_at: 'integer',
    metadata: 'map',
    customer_email: 'string',
    client_reference_id: 'string',
    locale: 'string',
    currency: 'string',
    expand: { array: 'string' },
    // Accepted to answer payment_method_types_no_longer_supported rather than parameter_unknown (V3).
    payment_method_types: { array: 'string' },
  };
  if (isAtLeast(call.version, 'allowedPaymentMethodTypes')) spec.allowed_payment_method_types = { array: 'string' };
  return spec;
}

export const SessionListParams: ParamSpec = {
  limit: 'integer',
  starting_after: 'string',
  ending_before: 'string',
  expand: { array: 'string' },
  payment_intent: 'string',
  status: { enum: ['open', 'complete', 'expired'] },
  created: 'unsupported',
  customer: 'unsupported',
  customer_details: 'unsupported',
  payment_link: 'unsupported',
  subscription: 'unsupported',
};

/** The ui_mode of a create: echoed as given in the version's vocabulary; vipps-local runs hosted and embedded pages. */
function uiModeOf(version: StripeVersion, given: string | undefined): { value: string; ui: UiKind } {
  const pageModes = isAtLeast(version, 'pageUiModes');
  const allowed: readonly string[] = pageModes ? UI_MODES_NEW : UI_MODES_OLD;
  const value = given ?? (pageModes ? 'hosted_page' : 'hosted');
  if (!allowed.includes(value)) {
    throw invalidRequest(`Invalid ui_mode: must be one of ${allowed.join(', ')} (API version ${version.raw.split(';')[0]}).`, { param: 'ui_mode', code: 'parameter_invalid_empty' });
  }
  if (value === 'hosted' || value === 'hosted_page') return { value, ui: 'hosted' };
  if (value === 'embedded' || value === 'embedded_page') return { value, ui: 'embedded' };
  throw invalidRequest(`ui_mode ${value} is not supported by vipps-local, which serves hosted and embedded Checkout pages only.`, { param: 'ui_mode' });
}

/** The payment method types of a new session, by the parameters its version allows (V3), checked against the currency. */
const typesOf = (call: StripeCall, p: Params, currency: string) =>
  chooseTypes(call, p, currency, { noun: 'Checkout Session', invalidCode: 'checkout_session_invalid_parameter', currencyParam: 'payment_method_types' });

function lineItemsOf(p: Params, now: number): { items: LineItemObject[]; currency: string } {
  const given = p.line_items as Array<Record<string, unknown>> | undefined;
  if (!given || given.length === 0) throw parameterMissing('line_items');
  let currency: string | undefined;
  const items = given.map((li, i) => {
    const at = `line_items[${i}]`;
    if (li.price !== undefined) throw resourceMissing('price', li.price as string, `${at}[price]`);
    const pd = li.price_data as Record<string, unknown> | undefined;
    if (!pd) throw invalidRequest(`You must specify either \`price\` or \`price_data\` in ${at}.`, { param: at });
    if (pd.currency === undefined) throw parameterMissing(`${at}[price_data][currency]`);
    const itemCurrency = String(pd.currency).toLowerCase();
    if (currency !== undefined && itemCurrency !== currency) throw invalidRequest('All line items must have the same currency.', { param: `${at}[price_data][currency]` });
    currency = itemCurrency;
    let unit = pd.unit_amount as number | undefined;
    if (unit === undefined && pd.unit_amount_decimal !== undefined) {
      const d = String(pd.unit_amount_decimal);
      if (!/^\d+(\.0+)?$/.test(d)) throw invalidRequest(`vipps-local charges whole øre: ${at}[price_data][unit_amount_decimal] must be a whole number.`, { param: `${at}[price_data][unit_amount_decimal]` });
      unit = Number.parseInt(d, 10);
    }
    if (unit === undefined) throw parameterMissing(`${at}[price_data][unit_amount]`);
    if (unit < 0) throw invalidRequest('Invalid non-negative integer', { param: `${at}[price_data][unit_amount]`, code: 'parameter_invalid_integer' });
    if (pd.product !== undefined) throw resourceMissing('product', pd.product as string, `${at}[price_data][product]`);
    const product = pd.product_data as Record<string, unknown> | undefined;
    if (!product) throw invalidRequest(`You must specify either \`product\` or \`product_data\` in ${at}[price_data].`, { param: `${at}[price_data]` });
    if (product.name === undefined) throw parameterMissing(`${at}[price_data][product_data][name]`);
    if (li.quantity === undefined) throw parameterMissing(`${at}[quantity]`);
    const quantity = li.quantity as number;
    if (quantity < 1) throw invalidRequest('Quantity must be at least 1.', { param: `${at}[quantity]` });
    const amount = unit * quantity;
    const item: LineItemObject = {
      id: newId('li'),
      object: 'item',
      adjustable_quantity: null,
      amount_discount: 0,
      amount_subtotal: amount,
      amount_tax: 0,
      amount_total: amount,
      currency: itemCurrency,
      description: product.name as string,
      metadata: (li.metadata as Metadata | undefined) ?? {},
      price: {
        id: newId('price'),
        object: 'price',
        // A price made inline by price_data is not reusable: Stripe shows it inactive.
        active: false,
        billing_scheme: 'per_unit',
        created: unixSeconds(now),
        currency: itemCurrency,
        custom_unit_amount: null,
        livemode: false,
        lookup_key: null,
        metadata: {},
        nickname: null,
        product: newId('prod'),
        recurring: null,
        tax_behavior: (pd.tax_behavior as 'exclusive' | 'inclusive' | 'unspecified' | undefined) ?? 'unspecified',
        tiers_mode: null,
        transform_quantity: null,
        type: 'one_time',
        unit_amount: unit,
        unit_amount_decimal: String(unit),
      },
      quantity,
    };
    return item;
  });
  return { items, currency: currency! };
}

export async function createSession(uow: UnitOfWork, repo: StripeRepository, call: StripeCall, p: Params): Promise<StoredSession> {
  if (p.mode === undefined) throw parameterMissing('mode');
  if (p.mode !== 'payment') {
    if (p.mode === 'setup' || p.mode === 'subscription') {
      throw invalidRequest(`mode=${String(p.mode)} is not supported by vipps-local: Vipps through Stripe is for one-time payments, so only mode=payment is available.`, { param: 'mode' });
    }
    throw invalidRequest('Invalid mode: must be one of payment, setup, or subscription', { param: 'mode', code: 'parameter_invalid_empty' });
  }
  const { value: uiMode, ui } = uiModeOf(call.version, p.ui_mode as string | undefined);
  const { items, currency } = lineItemsOf(p, uow.now);
  const { types, allowed } = typesOf(call, p, currency);
  if (currency !== 'nok') throw invalidRequest(`Invalid currency: ${currency}. vipps-local's Stripe accounts settle in NOK only.`, { param: 'line_items[0][price_data][currency]' });
  if (types.includes('vipps') && !call.version.betas.vipps_preview) {
    const message = 'Vipps is in private preview: include vipps_preview=v1 in the Stripe-Version header of requests that use it.';
    // Only when the merchant named vipps; the default (card and vipps for NOK) needs no beta.
    if (p.payment_method_types !== undefined || p.allowed_payment_method_types !== undefined) {
      if (call.strict) throw invalidRequest(message, { param: 'payment_method_types' });
      call.warnings.push(`${message} (accepted without it)`);
    }
  }
  const total = items.reduce((sum, li) => sum + li.amount_total, 0);
  if (total < MINIMUM_NOK) throw invalidRequest("The Checkout Session's total amount due must add up to at least kr 3.00 nok", { param: 'line_items', code: 'amount_too_small' });
  // The engine's limit for every face (docs/decisions.md, "Payment rules"), checked here rather than when the shopper pays.
  if (total > 65_000_000) throw invalidRequest("The Checkout Session's total amount due must be no more than kr 650,000.00 nok", { param: 'line_items', code: 'amount_too_large' });

  const successUrl = p.success_url as string | undefined;
  const cancelUrl = p.cancel_url as string | undefined;
  const returnUrl = p.return_url as string | undefined;
  const redirect = p.redirect_on_completion as CheckoutSessionObject['redirect_on_completion'] | undefined;
  if (ui === 'embedded') {
    if (successUrl !== undefined) throw invalidRequest(`You cannot set \`success_url\` when \`ui_mode\` is \`${uiMode}\`. Use \`return_url\` instead.`, { param: 'success_url' });
    if (cancelUrl !== undefined) throw invalidRequest(`You cannot set \`cancel_url\` when \`ui_mode\` is \`${uiMode}\`.`, { param: 'cancel_url' });
    if (returnUrl === undefined && redirect !== 'never') {
      throw invalidRequest(`\`return_url\` is required when \`ui_mode\` is \`${uiMode}\` and \`redirect_on_completion\` is \`${redirect ?? 'always'}\`.`, { param: 'return_url', code: 'parameter_missing' });
    }
    if (returnUrl !== undefined && redirect === 'never') throw invalidRequest('You cannot set `return_url` when `redirect_on_completion` is `never`.', { param: 'return_url' });
  } else {
    if (returnUrl !== undefined) throw invalidRequest(`You cannot set \`return_url\` when \`ui_mode\` is \`${uiMode}\`. Use \`success_url\` (and \`cancel_url\`) instead.`, { param: 'return_url' });
    if (redirect !== undefined) throw invalidRequest(`You cannot set \`redirect_on_completion\` when \`ui_mode\` is \`${uiMode}\`.`, { param: 'redirect_on_completion' });
  }
  if (successUrl !== undefined) checkUrl(successUrl, 'success_url');
  if (cancelUrl !== undefined) checkUrl(cancelUrl, 'cancel_url');
  if (returnUrl !== undefined) checkUrl(returnUrl, 'return_url');

  const created = unixSeconds(uow.now);
  const expiresAt = (p.expires_at as number | undefined) ?? created + DAY_S;
  if (expiresAt < created + MIN_EXPIRY_S) throw invalidRequest('The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.', { param: 'expires_at' });
  if (expiresAt > created + DAY_S) throw invalidRequest('The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.', { param: 'expires_at' });

  const id = newId('cs_test', 58);
  const pid = (p.payment_intent_data as Record<string, unknown> | undefined) ?? {};
  const session: CheckoutSessionObject = {
    id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: allowed,
    amount_subtotal: total,
    amount_total: total,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: cancelUrl ?? null,
    client_reference_id: (p.client_reference_id as string | undefined) ?? null,
    client_secret: ui === 'embedded' ? `${id}_secret_${newId('x', 24).slice(2)}` : null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created,
    currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: null,
    customer_account: null,
    customer_creation: 'if_required',
    customer_details: null,
    customer_email: (p.customer_email as string | undefined) ?? null,
    discounts: [],
    expires_at: expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: (p.locale as string | undefined) ?? null,
    managed_payments: null,
    metadata: (p.metadata as Metadata | undefined) ?? {},
    mode: 'payment',
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: 'if_required',
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: types,
    payment_status: 'unpaid',
    permissions: null,
    recovered_from: null,
    ...(ui === 'embedded' ? { redirect_on_completion: redirect ?? 'always', ...(returnUrl !== undefined ? { return_url: returnUrl } : {}) } : {}),
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: successUrl ?? null,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: uiMode,
    url: ui === 'hosted' ? hostedUrl(call.baseUrl, id) : null,
    wallet_options: null,
  };
  const internal: SessionInternal = {
    msn: call.caller.msn,
    ui,
    lineItems: items,
    paymentIntent: null,
    payment: {
      captureMethod: (pid.capture_method as string | undefined) ?? null,
      description: (pid.description as string | undefined) ?? null,
      metadata: (pid.metadata as Metadata | undefined) ?? {},
    },
    version: call.version.raw,
  };
  const stored: StoredSession = { id, account: call.caller.account, kind: CHECKOUT_KIND, parent: null, tag: null, data: session, internal };
  await repo.insert(stored);
  return stored;
}

export const hostedPath = (id: string) => `${STRIPE_PAGES_PREFIX}/checkout/pay/${encodeURIComponent(id)}`;
export const hostedUrl = (baseUrl: string, id: string) => `${baseUrl}${hostedPath(id)}`;
/** Where the test payment page's return leads: completes the shopper's way and sends them on. */
export const returnPath = (id: string) => `${STRIPE_PAGES_PREFIX}/checkout/return/${encodeURIComponent(id)}`;

/** Marks an open session expired, cancels its PaymentIntent if one waits, emits checkout.session.expired. */
export async function expireSession(face: FaceContext, uow: UnitOfWork, repo: StripeRepository, session: StoredSession, request: EventRequest): Promise<StoredSession> {
  const before = session.data;
  if (session.internal.paymentIntent) {
    const intent = (await repo.get<PaymentIntentObject, IntentInternal>(session.internal.paymentIntent)) as StoredIntent | null;
    // An attempt under way is stopped: a session that has expired can no longer be paid.
    if (intent && ['requires_payment_method', 'requires_confirmation', 'requires_action'].includes(intent.data.status)) {
      await cancelIntent(face.engine, uow, repo, callFor(face, session.account, request), intent, { cancellation_reason: 'abandoned' });
    }
    const after = await repo.get<CheckoutSessionObject, SessionInternal>(session.id);
    // Authorized meanwhile (the projector completed it): nothing to expire.
    if (after && after.data.status !== 'open') return after as StoredSession;
  }
  const next: CheckoutSessionObject = { ...before, status: 'expired', url: null };
  await repo.update(session.id, next, session.internal);
  uow.outboxed += await emitEvent(uow.tx, repo, { account: session.account, msn: session.internal.msn, type: 'checkout.session.expired', object: next, previous: previousAttributes(before, next), request, now: uow.now });
  return { ...session, data: next };
}

/** The session, with expires_at settled first when it has passed (lazily, on every read). */
export async function currentSession(face: FaceContext, stripe: StripeStore, id: string): Promise<StoredSession | null> {
  const found = (await stripe.get<CheckoutSessionObject, SessionInternal>(id)) as StoredSession | null;
  if (!found || found.kind !== CHECKOUT_KIND) return null;
  if (!isDue(found.data, face.clock.now())) return found;
  return face.engine.run(async (uow) => {
    const repo = stripe.in(uow.tx.sql);
    const locked = (await repo.get<CheckoutSessionObject, SessionInternal>(id)) as StoredSession;
    if (!isDue(locked.data, uow.now)) return locked;
    return expireSession(face, uow, repo, locked, AUTOMATIC);
  });
}

/** The session as the API shows it, with `line_items` and `payment_intent` expanded when asked for. */
export async function sessionBody(reader: StripeReader, session: StoredSession, paths: readonly string[], prefix = ''): Promise<CheckoutSessionObject> {
  const body: CheckoutSessionObject = { ...session.data };
  const rest: string[] = [];
  for (const path of paths) {
    const local = prefix && path.startsWith(prefix) ? path.slice(prefix.length) : path;
    if (local === 'line_items') body.line_items = lineItemList(session, {});
    else if (local.startsWith('line_items.')) throw invalidRequest(`This property cannot be expanded (${path}).`, { param: 'expand' });
    else rest.push(local);
  }
  return (await expand(reader, session.account, body, rest)) as CheckoutSessionObject;
}

/** GET …/line_items: the session's items in order, paged with limit / starting_after / ending_before. */
export function lineItemList(session: StoredSession, p: Params) {
  const all = session.internal.lineItems;
  const limit = (p.limit as number | undefined) ?? 10;
  if (limit < 1 || limit > 100) throw invalidRequest('Invalid limit: must be between 1 and 100', { param: 'limit' });
  let from = 0;
  let to = all.length;
  if (p.starting_after !== undefined) {
    const at = all.findIndex((li) => li.id === p.starting_after);
    if (at < 0) throw resourceMissing('line item', p.starting_after as string, 'starting_after');
    from = at + 1;
  }
  if (p.ending_before !== undefined) {
    const at = all.findIndex((li) => li.id === p.ending_before);
    if (at < 0) throw resourceMissing('line item', p.ending_before as string, 'ending_before');
    to = at;
    from = Math.max(0, to - limit);
  }
  const page = all.slice(from, Math.min(to, from + limit));
  return { object: 'list' as const, data: page, has_more: p.ending_before !== undefined ? from > 0 : from + page.length < to, url: `/v1/checkout/sessions/${session.id}/line_items` };
}

/** A StripeCall of the account's merchant, for what Checkout does on the shopper's behalf (no API request). */
export function callFor(face: FaceContext, account: string, request: EventRequest = AUTOMATIC): StripeCall {
  const merchant = face.directory.merchants.find((m) => m.stripe && accountIdOf(m.stripe.secretKey) === account);
  if (!merchant?.stripe) throw resourceMissing('account', account);
  const caller = authenticateStripe(face.directory, merchant.stripe.secretKey, false);
  // The session's own PaymentIntent is made under a version that takes payment_method_types and Vipps.
  const version = parseStripeVersion(INTENT_VERSION) as StripeVersion;
  return { caller, version, request, baseUrl: face.baseUrl(), strict: false, warnings: [] };
}

const INTENT_VERSION = '2026-02-25.preview; vipps_preview=v1';

export type PayChoice = { type: 'vipps' } | { type: 'card'; number: string; expMonth: number; expYear: number; cvc: string };

/**
 * The shopper pays: the session's PaymentIntent is made on the first attempt and confirmed with the
 * chosen method. A Vipps attempt answers where to send the shopper (the test payment page); a card
 * is authorized at once (the projector completes the session) or declined (a 402 StripeError, the
 * attempt's failure committed).
 */
export async function paySession(face: FaceContext, uow: UnitOfWork, repo: StripeRepository, session: StoredSession, choice: PayChoice, returnUrl: string): Promise<{ redirect: string | null; intent: string }> {
  const call = callFor(face, session.account);
  let intentId = session.internal.paymentIntent;
  if (!intentId) {
    const pid = session.internal.payment;
    const made = await createIntent(uow, repo, call, {
      amount: session.data.amount_total,
      currency: session.data.currency,
      payment_method_types: session.data.payment_method_types,
      ...(pid.captureMethod ? { capture_method: pid.captureMethod } : {}),
      ...(pid.description ? { description: pid.description } : {}),
      metadata: pid.metadata,
      ...(session.data.customer_email ? { receipt_email: session.data.customer_email } : {}),
    });
    made.internal.checkoutSession = session.id;
    await repo.update(made.id, made.data, made.internal);
    intentId = made.id;
    // Stripe makes the PaymentIntent when the shopper confirms (2022-08-01) and names it from then on.
    const next = { ...session.data, payment_intent: made.id };
    session.internal.paymentIntent = made.id;
    await repo.update(session.id, next, session.internal);
    session.data = next;
  }
  const intent = (await repo.get<PaymentIntentObject, IntentInternal>(intentId))! as StoredIntent;
  const params: Params =
    choice.type === 'vipps'
      ? { payment_method_data: { type: 'vipps' }, return_url: returnUrl }
      : { payment_method_data: { type: 'card', card: { number: choice.number, exp_month: choice.expMonth, exp_year: choice.expYear, cvc: choice.cvc } } };
  const after = await confirmIntent(face.engine, uow, repo, call, intent, params);
  const next = after.data.next_action?.redirect_to_url?.url ?? null;
  return { redirect: next, intent: intentId };
}

/**
 * Called by the projector when a PaymentIntent made by a session is authorized (succeeded, or
 * requires_capture under manual capture): the session completes in the same transaction and
 * `checkout.session.completed` is emitted. Returns the outbox rows written.
 */
export async function completeCheckoutSession(tx: StoreTx, repo: StripeRepository, intent: StoredIntent, now: number, request: EventRequest): Promise<number> {
  const id = intent.internal.checkoutSession;
  if (!id) return 0;
  const found = (await repo.get<CheckoutSessionObject, SessionInternal>(id)) as StoredSession | null;
  if (!found || found.data.status !== 'open') return 0;
  const pi = intent.data;
  const next: CheckoutSessionObject = {
    ...found.data,
    status: 'complete',
    // Manual capture: the funds are only held, so the session is not "paid" (docs/decisions.md).
    payment_status: pi.status === 'succeeded' ? 'paid' : 'unpaid',
    payment_intent: pi.id,
    url: null,
    customer_details: { address: null, business_name: null, email: found.data.customer_email, individual_name: null, name: null, phone: null, tax_exempt: 'none', tax_ids: [] },
  };
  await repo.update(id, next, { ...found.internal, paymentIntent: pi.id });
  return emitEvent(tx, repo, { account: found.account, msn: found.internal.msn, type: 'checkout.session.completed', object: next, previous: previousAttributes(found.data, next), request, now });
}

export const sessionOfAccount = (s: StoredSession | null, account: string): s is StoredSession => s !== null && s.account === account;

export { isDue };
