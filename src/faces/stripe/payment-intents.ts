// The PaymentIntent lifecycle of the seed (STRIPE-NOTES §2): create (with payment_method_data →
// requires_confirmation), confirm (a Vipps attempt → requires_action with the test page as
// next_action; a test card → authorized at once or declined), capture (Vipps: the full amount only),
// cancel, update. Each attempt is an engine payment; the projector turns what happens to it into
// the PaymentIntent's changes and Events.
import { DomainError } from '../../domain/reasons.ts';
import type { Engine } from '../../engine/engine.ts';
import type { UnitOfWork } from '../../engine/unit-of-work.ts';
import { emitEvent, previousAttributes } from './events.ts';
import { setChangeContext, AUTHORIZATION_HOLD_MS, REQUIRES_ACTION_WINDOW_MS, type Decline, type IntentInternal, type StoredIntent, type StripeAttachment } from './intent-model.ts';
import { newId, unixSeconds, type Metadata, type PaymentIntentObject, type PaymentMethodObject } from './objects.ts';
import { newPaymentMethod, PaymentMethodData, testNumberOfToken, type NewPaymentMethod } from './payment-methods.ts';
import type { Params, ParamSpec } from './params.ts';
import type { StripeCall } from './stripe-call.ts';
import { stripeErrorOf } from './error-map.ts';
import { invalidRequest, parameterMissing, resourceMissing, StripeError, unexpectedState } from './stripe-error.ts';
import type { StripeRepository } from './stripe-store.ts';
import { hasVippsPreview, isAtLeast } from './stripe-version.ts';
import { stripePageUrl } from './pages-paths.ts';
import { checkUrl, chooseTypes } from './payment-method-types.ts';

/** Stripe's smallest NOK charge: kr 3.00. */
export const MINIMUM_NOK = 300;

const CAPTURE_METHODS = ['automatic', 'automatic_async', 'manual'] as const;

/** Per-method options: a capture method of its own (the private-preview SDK's payment_method_options.vipps). */
const MethodOptions: ParamSpec = {
  card: { object: { capture_method: { enum: ['manual'] }, request_three_d_secure: { enum: ['any', 'automatic', 'challenge'] } } },
  vipps: { object: { capture_method: { enum: ['manual'] }, setup_future_usage: { enum: ['none'] } } },
};

/** The types whose options ask for manual capture, added to what the intent already had. */
function manualTypesOf(p: Params, before: string[] = []): string[] {
  const options = (p.payment_method_options ?? {}) as Record<string, { capture_method?: string } | undefined>;
  return [...new Set([...before, ...Object.keys(options).filter((t) => options[t]?.capture_method === 'manual')])];
}

/** The parameters a create may send under `call.version`; the version decides which type list it may write. */
export function createParams(call: StripeCall): ParamSpec {
  const spec: Record<string, ParamSpec[string]> = {
    amount: 'integer',
    currency: 'string',
    automatic_payment_methods: { object: { enabled: 'boolean', allow_redirects: { enum: ['always', 'never'] } } },
    capture_method: { enum: CAPTURE_METHODS },
    confirm: 'boolean',
    confirmation_method: { enum: ['automatic', 'manual'] },
    description: 'string',
    metadata: 'map',
    payment_method: 'string',
    payment_method_data: { object: PaymentMethodData },
    payment_method_options: { object: MethodOptions },
    receipt_email: 'string',
    return_url: 'string',
    statement_descriptor: 'string',
    statement_descriptor_suffix: 'string',
    use_stripe_sdk: 'boolean',
    error_on_requires_action: 'boolean',
    expand: { array: 'string' },
    payment_method_types: { array: 'string' },
  };
  if (isAtLeast(call.version, 'allowedPaymentMethodTypes')) spec.allowed_payment_method_types = { array: 'string' };
  return spec;
}

export const UpdateParams: ParamSpec = {
  amount: 'integer',
  capture_method: { enum: CAPTURE_METHODS },
  description: 'string',
  metadata: 'map',
  payment_method: 'string',
  payment_method_data: { object: PaymentMethodData },
  receipt_email: 'string',
  expand: { array: 'string' },
};

export const ConfirmParams: ParamSpec = {
  return_url: 'string',
  payment_method: 'string',
  payment_method_data: { object: PaymentMethodData },
  payment_method_options: { object: MethodOptions },
  receipt_email: 'string',
  capture_method: { enum: CAPTURE_METHODS },
  use_stripe_sdk: 'boolean',
  error_on_requires_action: 'boolean',
  expected_payment_method_type: 'string',
  client_secret: 'string',
  expand: { array: 'string' },
};

export const CaptureParams: ParamSpec = { amount_to_capture: 'integer', metadata: 'map', statement_descriptor: 'string', statement_descriptor_suffix: 'string', expand: { array: 'string' } };
export const CancelParams: ParamSpec = { cancellation_reason: { enum: ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] }, expand: { array: 'string' } };

function checkVipps(call: StripeCall, types: string[]): void {
  if (!types.includes('vipps')) return;
  if (!hasVippsPreview(call.version)) {
    const message = 'Vipps is in private preview: include vipps_preview=v1 in the Stripe-Version header of requests that use it.';
    if (call.strict) throw invalidRequest(message, { param: 'payment_method_types' });
    call.warnings.push(`${message} (accepted without it)`);
  }
}

export async function createIntent(uow: UnitOfWork, repo: StripeRepository, call: StripeCall, p: Params): Promise<StoredIntent> {
  if (p.amount === undefined) throw parameterMissing('amount');
  if (p.currency === undefined) throw parameterMissing('currency');
  const currency = String(p.currency).toLowerCase();
  const amount = p.amount as number;
  const { types, allowed, dynamic } = chooseTypes(call, p, currency, { noun: 'PaymentIntent', invalidCode: 'payment_intent_invalid_parameter', currencyParam: 'currency' });
  const automatic: PaymentIntentObject['automatic_payment_methods'] = dynamic ? { allow_redirects: 'always', enabled: true } : null;
  checkVipps(call, types);
  if (currency !== 'nok') throw invalidRequest(`Invalid currency: ${currency}. vipps-local's Stripe accounts settle in NOK only.`, { param: 'currency' });
  if (amount < MINIMUM_NOK) throw invalidRequest('Amount must be at least kr 3.00 nok', { code: 'amount_too_small', param: 'amount' });
  if (amount > 99_999_999) throw invalidRequest('Amount must be no more than kr 999,999.99', { code: 'amount_too_large', param: 'amount' });
  const id = newId('pi');
  const pi: PaymentIntentObject = {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: allowed,
    amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: automatic,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: (p.capture_method as PaymentIntentObject['capture_method']) ?? 'automatic_async',
    client_secret: `${id}_secret_${newId('x', 25).slice(2)}`,
    confirmation_method: (p.confirmation_method as PaymentIntentObject['confirmation_method']) ?? 'automatic',
    created: unixSeconds(uow.now),
    currency,
    customer: null,
    customer_account: null,
    description: (p.description as string | undefined) ?? null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: (p.metadata as Metadata | undefined) ?? {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: types,
    payment_record: null,
    processing: null,
    receipt_email: (p.receipt_email as string | undefined) ?? null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: (p.statement_descriptor as string | undefined) ?? null,
    statement_descriptor_suffix: (p.statement_descriptor_suffix as string | undefined) ?? null,
    status: 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
  };
  const internal: IntentInternal = { msn: call.caller.msn, attempt: null, attemptId: null, returnUrl: null, manualCaptureTypes: manualTypesOf(p) };
  pi.payment_method_options = paymentMethodOptions(types, internal.manualCaptureTypes ?? []);
  const intent: StoredIntent = { id, account: call.caller.account, kind: 'payment_intent', parent: null, tag: null, data: pi, internal };
  await attachPaymentMethod(repo, call, intent, p, uow.now);
  if (pi.payment_method) pi.status = 'requires_confirmation';
  await repo.insert(intent);
  uow.outboxed += await emitEvent(uow.tx, repo, { account: intent.account, msn: internal.msn, type: 'payment_intent.created', object: pi, request: call.request, now: uow.now });
  return intent;
}

function paymentMethodOptions(types: string[], manual: string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (types.includes('card')) options.card = { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic', ...(manual.includes('card') ? { capture_method: 'manual' } : {}) };
  // stripe-node 23 declares no payment_method_options.vipps (only the private-preview SDK does): none is sent.
  return options;
}

/** `payment_method` (an id, or a test token such as pm_card_visa) or `payment_method_data`, attached to the intent. */
async function attachPaymentMethod(repo: StripeRepository, call: StripeCall, intent: StoredIntent, p: Params, now: number): Promise<void> {
  let made: NewPaymentMethod | undefined;
  if (p.payment_method_data !== undefined) {
    made = newPaymentMethod(p.payment_method_data as Record<string, unknown>, now);
  } else if (typeof p.payment_method === 'string') {
    const number = testNumberOfToken(p.payment_method);
    if (number) made = newPaymentMethod({ type: 'card', card: { number, exp_month: 12, exp_year: 2034 } }, now, 'payment_method');
    else {
      const existing = await repo.get<PaymentMethodObject>(p.payment_method);
      if (!existing || existing.account !== call.caller.account) throw resourceMissing('PaymentMethod', p.payment_method, 'payment_method');
      intent.data.payment_method = existing.id;
      return;
    }
  }
  if (!made) return;
  if (!intent.data.payment_method_types.includes(made.pm.type)) {
    throw invalidRequest(
      `The PaymentMethod provided (${made.pm.type}) is not allowed for this PaymentIntent. Allowed payment method types: ${intent.data.payment_method_types.join(', ')}.`,
      { code: 'payment_intent_incompatible_payment_method', param: p.payment_method_data ? 'payment_method_data[type]' : 'payment_method' },
    );
  }
  await repo.insert({ id: made.pm.id, account: call.caller.account, kind: 'payment_method', parent: null, tag: null, data: made.pm, internal: made.decline ? { decline: made.decline } : {} });
  intent.data.payment_method = made.pm.id;
}

const CONFIRMABLE = new Set(['requires_payment_method', 'requires_confirmation']);

export async function confirmIntent(engine: Engine, uow: UnitOfWork, repo: StripeRepository, call: StripeCall, intent: StoredIntent, p: Params): Promise<StoredIntent> {
  const pi = intent.data;
  if (!CONFIRMABLE.has(pi.status)) {
    throw unexpectedState(`You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_payment_method, requires_confirmation.`);
  }
  if (p.capture_method !== undefined) pi.capture_method = p.capture_method as PaymentIntentObject['capture_method'];
  if (p.receipt_email !== undefined) pi.receipt_email = p.receipt_email as string;
  await attachPaymentMethod(repo, call, intent, p, uow.now);
  if (!pi.payment_method) {
    throw invalidRequest('You cannot confirm this PaymentIntent because it\'s missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method or ConfirmationToken.', {
      code: 'payment_intent_unexpected_state',
    });
  }
  const pm = (await repo.get<PaymentMethodObject, { decline?: Decline }>(pi.payment_method))!;
  const returnUrl = (p.return_url as string | undefined) ?? intent.internal.returnUrl;
  if (pm.data.type === 'vipps' && !returnUrl) {
    throw invalidRequest('A return_url must be specified because this PaymentIntent uses the payment method type vipps, which redirects the customer to authorize the payment.', { param: 'return_url' });
  }
  if (returnUrl !== null && returnUrl !== undefined) checkUrl(returnUrl, 'return_url');
  const attemptId = newId('pa');
  intent.internal.manualCaptureTypes = manualTypesOf(p, intent.internal.manualCaptureTypes);
  const manual = pi.capture_method === 'manual' || (intent.internal.manualCaptureTypes ?? []).includes(pm.data.type);
  const attachment: StripeAttachment = { account: intent.account, paymentIntent: pi.id, attemptId, type: pm.data.type };
  const payment = await engine.commands.create(uow, {
    msn: intent.internal.msn,
    reference: attemptId,
    idempotencyKey: call.request.idempotency_key,
    build: () => ({
      amount: pi.amount,
      currency: 'NOK',
      terms: {
        userFlow: 'WEB_REDIRECT',
        longLiving: false,
        returnUrl: stripePageUrl(call.baseUrl, 'return', `${intent.account}/${attemptId}`),
        ...(pi.description ? { paymentDescription: pi.description } : {}),
        captureOnApproval: !manual,
        approvalWindowMs: REQUIRES_ACTION_WINDOW_MS,
        ...(manual ? { authorizationHoldMs: AUTHORIZATION_HOLD_MS } : {}),
      },
      attachments: { stripe: attachment },
    }),
  });
  intent.internal = { ...intent.internal, attempt: payment.id, attemptId, returnUrl: returnUrl ?? null };
  const before = { ...pi };
  pi.last_payment_error = null;
  pi.payment_method_options = paymentMethodOptions(pi.payment_method_types, intent.internal.manualCaptureTypes ?? []);
  if (pm.data.type === 'vipps') {
    pi.status = 'requires_action';
    pi.next_action = { type: 'redirect_to_url', redirect_to_url: { return_url: returnUrl ?? null, url: stripePageUrl(call.baseUrl, 'authorize', `${intent.account}/${attemptId}`) } };
    await repo.update(pi.id, pi, intent.internal);
    uow.outboxed += await emitEvent(uow.tx, repo, { account: intent.account, msn: intent.internal.msn, type: 'payment_intent.requires_action', object: pi, previous: previousAttributes(before, pi), request: call.request, now: uow.now });
    return intent;
  }
  // A card is answered at once: authorized, or declined by its test number.
  pi.status = 'processing';
  await repo.update(pi.id, pi, intent.internal);
  setChangeContext(uow.tx, { request: call.request, ...(pm.internal.decline ? { decline: pm.internal.decline } : {}) });
  try {
    if (pm.internal.decline) await engine.commands.reject(uow, { id: payment.id }, {});
    else await engine.commands.approve(uow, { id: payment.id }, {});
  } catch (err) {
    if (err instanceof DomainError) throw stripeErrorOf(err);
    throw err;
  }
  const after = (await repo.get<PaymentIntentObject, IntentInternal>(pi.id))! as StoredIntent;
  if (pm.internal.decline) {
    const d = pm.internal.decline;
    throw new StripeError(402, {
      type: 'card_error',
      code: d.code,
      ...(d.decline_code ? { decline_code: d.decline_code } : {}),
      message: d.message,
      payment_intent: after.data,
      payment_method: pm.data,
      ...(after.data.latest_charge ? { charge: after.data.latest_charge } : {}),
    });
  }
  return after;
}

export async function captureIntent(engine: Engine, uow: UnitOfWork, repo: StripeRepository, call: StripeCall, intent: StoredIntent, p: Params): Promise<void> {
  const pi = intent.data;
  if (pi.status !== 'requires_capture' || !intent.internal.attempt) {
    throw unexpectedState(`This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`);
  }
  const amount = (p.amount_to_capture as number | undefined) ?? pi.amount_capturable;
  if (amount > pi.amount_capturable) {
    throw invalidRequest(`The amount_to_capture (${amount}) must be less than or equal to the amount_capturable (${pi.amount_capturable}).`, { code: 'amount_too_large', param: 'amount_to_capture' });
  }
  if (amount !== pi.amount_capturable && (await isVipps(repo, pi))) {
    throw invalidRequest(`Vipps payments can only be captured in full: amount_to_capture must be ${pi.amount_capturable}, the amount capturable.`, { param: 'amount_to_capture' });
  }
  setChangeContext(uow.tx, { request: call.request });
  try {
    await engine.commands.capture(uow, { id: intent.internal.attempt }, { amount: { currency: 'NOK', value: amount }, idempotencyKey: call.request.idempotency_key, final: true });
  } catch (err) {
    if (err instanceof DomainError) throw stripeErrorOf(err);
    throw err;
  }
}

/** Whether the authorized attempt was paid with Vipps (read in the unit's transaction). */
async function isVipps(repo: StripeRepository, pi: PaymentIntentObject): Promise<boolean> {
  const pm = pi.payment_method ? await repo.get<PaymentMethodObject>(pi.payment_method) : null;
  return pm?.data.type === 'vipps';
}

const CANCELABLE = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];

export async function cancelIntent(engine: Engine, uow: UnitOfWork, repo: StripeRepository, call: StripeCall, intent: StoredIntent, p: Params): Promise<void> {
  const pi = intent.data;
  if (!CANCELABLE.includes(pi.status)) {
    throw unexpectedState(`You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`);
  }
  const reason = (p.cancellation_reason as string | undefined) ?? null;
  if (intent.internal.attempt) {
    setChangeContext(uow.tx, { request: call.request, cancellationReason: reason ?? 'requested_by_customer' });
    try {
      await engine.commands.cancel(uow, { id: intent.internal.attempt }, { onlyIfUnauthorized: false, idempotencyKey: call.request.idempotency_key });
    } catch (err) {
      if (err instanceof DomainError) throw stripeErrorOf(err);
      throw err;
    }
    // The projector records the cancellation with the reason given; Stripe shows null when none was.
    const after = (await repo.get<PaymentIntentObject, IntentInternal>(pi.id))!;
    if (after.data.status === 'canceled' && after.data.cancellation_reason !== reason) await repo.update(pi.id, { ...after.data, cancellation_reason: reason }, after.internal);
    return;
  }
  const before = { ...pi };
  pi.status = 'canceled';
  pi.canceled_at = unixSeconds(uow.now);
  pi.cancellation_reason = reason;
  pi.next_action = null;
  await repo.update(pi.id, pi, intent.internal);
  uow.outboxed += await emitEvent(uow.tx, repo, { account: intent.account, msn: intent.internal.msn, type: 'payment_intent.canceled', object: pi, previous: previousAttributes(before, pi), request: call.request, now: uow.now });
}

const UPDATABLE = new Set(['requires_payment_method', 'requires_confirmation', 'requires_action']);

export async function updateIntent(repo: StripeRepository, call: StripeCall, intent: StoredIntent, p: Params, now: number): Promise<void> {
  const pi = intent.data;
  const onlyMetadata = Object.keys(p).every((k) => k === 'metadata' || k === 'expand' || k === 'description');
  if (!onlyMetadata && !UPDATABLE.has(pi.status)) {
    throw unexpectedState(`This PaymentIntent's parameters could not be updated because it has a status of ${pi.status}. You may only update the metadata and description of a PaymentIntent with this status.`);
  }
  if (p.amount !== undefined) {
    if ((p.amount as number) < MINIMUM_NOK) throw invalidRequest('Amount must be at least kr 3.00 nok', { code: 'amount_too_small', param: 'amount' });
    pi.amount = p.amount as number;
  }
  if (p.capture_method !== undefined) pi.capture_method = p.capture_method as PaymentIntentObject['capture_method'];
  if (p.description !== undefined) pi.description = p.description as string;
  if (p.receipt_email !== undefined) pi.receipt_email = p.receipt_email as string;
  if (p.metadata !== undefined) pi.metadata = mergeMetadata(pi.metadata, p.metadata as Metadata);
  if (p.payment_method !== undefined || p.payment_method_data !== undefined) {
    await attachPaymentMethod(repo, call, intent, p, now);
    if (pi.status === 'requires_payment_method') pi.status = 'requires_confirmation';
  }
  await repo.update(pi.id, pi, intent.internal);
}

/** Stripe's metadata update: given keys are set, a key set to "" is removed, an empty hash clears all. */
export function mergeMetadata(current: Metadata, given: Metadata): Metadata {
  if (Object.keys(given).length === 0) return {};
  const next = { ...current };
  for (const [k, v] of Object.entries(given)) {
    if (v === '') delete next[k];
    else next[k] = v;
  }
  return next;
}

