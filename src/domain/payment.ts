// The payment aggregate and its state machine. Pure: time and new ids come in as arguments, refusals
// are reasons (reasons.ts), and nothing here knows any API's wire format.
import type { Currency, Money } from './money.ts';
import { DomainError } from './reasons.ts';
import { magicCaptureFailure, magicRefundFailure } from './magic-amounts.ts';
import type { AmountNames } from './new-payment-rules.ts';
import type { ShippingDetails, ShippingOffer, ShippingTerms } from './shipping.ts';

export const PAYMENT_STATES = ['CREATED', 'ABORTED', 'EXPIRED', 'AUTHORIZED', 'TERMINATED'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export const EVENT_NAMES = ['CREATED', 'ABORTED', 'EXPIRED', 'CANCELLED', 'CAPTURED', 'REFUNDED', 'AUTHORIZED', 'TERMINATED'] as const;
export type PaymentEventName = (typeof EVENT_NAMES)[number];

/** How the shopper reaches the payment: the platform's user flows, which every face maps onto. */
export type UserFlow = 'PUSH_MESSAGE' | 'NATIVE_REDIRECT' | 'WEB_REDIRECT' | 'QR';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** 5 minutes to open the request plus 5 to approve it (knowledge-base/timeouts). */
export const DEFAULT_EXPIRY_MS = 10 * 60 * 1000;
export const CAPTURE_PERIOD_MS = 180 * DAY_MS;
export const CANCEL_PERIOD_MS = 180 * DAY_MS;
export const REFUND_PERIOD_MS = 365 * DAY_MS;

/** The engine's own id of a payment: assigned by the store, carried by shopper tokens and face rows. */
export type PaymentId = string;

/** A payment is found by its id, or by its sales unit and the merchant's reference (unique per sales unit). */
export type PaymentKey = { id: PaymentId } | { msn: string; reference: string };

export interface UserDetails {
  email: string;
  firstName: string;
  lastName: string;
  mobileNumber: string;
  dateOfBirth?: string;
  addresses?: Array<{ addressLine1: string; addressLine2?: string; city: string; country: string; postCode: string }>;
}

/**
 * What the shopper's journey needs to know of a payment, whichever API created it: how the shopper
 * reaches it, where they return, what they are shown and asked for. What only one API keeps (its
 * request as sent, its own options) lives in that face's attachment.
 */
export interface PaymentTerms {
  userFlow: UserFlow;
  /** The phone number the payment is addressed to, when the merchant named one (push, personal QR). */
  customerPhone?: string;
  returnUrl?: string;
  paymentDescription?: string;
  /** Space-separated profile scopes the user is asked to share (`name address email …`). */
  profileScope?: string;
  minimumUserAge?: number;
  /** How the QR image of a QR payment is served. */
  qrFormat?: { format: 'TEXT/TARGETURL' | 'IMAGE/SVG+XML' | 'IMAGE/PNG'; size?: number };
  /** What the shopper is shown they pay for (a receipt's order lines). */
  orderLines?: OrderLine[];
  /** Express: the shopper chooses an address and a shipping option, whose cost is added to the amount. */
  shipping?: ShippingTerms;
  /** Expires at a time the merchant chose instead of after the default window. */
  longLiving: boolean;
  /** Any supported currency, whatever the sales unit's market (a PSP's card passthrough is cross-border). */
  anyCurrency?: boolean;
  /** The whole amount is captured with the authorization, in the same transition (automatic capture). */
  captureOnApproval?: boolean;
  /** The shopper has this long to approve instead of the default window (at most the default; Stripe's 5 minutes). */
  approvalWindowMs?: number;
  /** An authorization not captured within this long after it is released (Stripe's 7-day hold). */
  authorizationHoldMs?: number;
}

export interface OrderLine {
  name: string;
  /** As the merchant wrote it (`2`, `1.5`); absent for one. */
  quantity?: string;
  /** Minor units. */
  amount: number;
}

export interface PendingApproval extends Approval {
  /** When the "result unknown" authorization (test amount 201) resolves. */
  resolvesAt: number;
  /**
   * The approval waits for an answer from outside (a PSP's makePayment): it never resolves by
   * itself, and a payment still waiting at its deadline expires. `challengeUrl`: the answer asked
   * the shopper to authenticate there first (3-D Secure).
   */
  external?: { challengeUrl?: string };
  /** An approval waiting for an answer from outside: its id, kept through a challenge (asking again is the same attempt). */
  attemptId?: string;
}

export interface Payment {
  id: PaymentId;
  /** The sales unit the payment belongs to. */
  msn: string;
  /** The merchant's reference, unique per sales unit. */
  reference: string;
  state: PaymentState;
  currency: Currency;
  amount: number;
  authorized: number;
  cancelled: number;
  captured: number;
  refunded: number;
  /** The CREATED event's pspReference, which responses about the payment carry. */
  pspReference: string;
  /** Unguessable token that opens this one payment in the landing page and the app simulator. */
  token: string;
  createdAt: number;
  /** The idempotency key of the request that created the payment; the AUTHORIZED event carries it. */
  createdWithKey?: string;
  /** When an unapproved payment expires. */
  expiresAt: number;
  authorizedAt?: number;
  customerPhone?: string;
  /** When the shopper entered a phone number on the landing page and the request was sent to that app. */
  sentToPhoneAt?: number;
  sub?: string;
  userDetails?: UserDetails;
  /** The first six digits of the card the user paid with. */
  cardBin?: string;
  pendingApproval?: PendingApproval;
  /** Why the last approval was declined from outside (a PSP's FAIL); the shopper may try again. */
  lastDecline?: string;
  /** Test amount 128: its first capture attempt failed (a retry succeeds). */
  captureFailedOnce?: boolean;
  /** Express: the shipping options offered for the address the shopper chose. */
  shippingOffer?: ShippingOffer;
  /** Express: what the shopper chose; its cost is part of `amount` from authorization on. */
  shippingDetails?: ShippingDetails;
  terms: PaymentTerms;
  /** What faces keep of the payment beyond the neutral terms, per face; the engine never reads it. */
  attachments?: Record<string, unknown>;
  /** Increments on every change; lets stores detect lost updates. */
  version: number;
}

export interface PaymentEvent {
  paymentId: PaymentId;
  msn: string;
  reference: string;
  pspReference: string;
  name: PaymentEventName;
  currency: Currency;
  amount: number;
  timestamp: number;
  success: boolean;
  idempotencyKey: string | null;
  /** Position in the payment's event log: the payment's version after the event. */
  seq: number;
}

export type AdjustmentKind = 'capture' | 'refund' | 'cancel';

/**
 * One movement of money after creation: a capture, a refund, or a release of what was not captured.
 * The payment's captured, refunded and cancelled amounts are the sums of its adjustments.
 */
export interface Adjustment {
  /** `<payment id>:<seq>`: the adjustment is made by the event with this seq. */
  id: string;
  paymentId: PaymentId;
  seq: number;
  kind: AdjustmentKind;
  amount: number;
  currency: Currency;
  at: number;
  idempotencyKey: string | null;
  /** 'external': made outside the platform and recorded here (a PSP's capture with its acquirer). */
  origin: 'platform' | 'external';
  pspReference: string;
}

export interface Transition {
  payment: Payment;
  /** New events, in order; none when the operation changed nothing (a repeated cancel). */
  events: PaymentEvent[];
  /** The money movements those events made. */
  adjustments: Adjustment[];
  /**
   * The operation was refused, but the payment changed on the way (test amount 128 remembers its
   * failed first capture): the engine writes `payment`, then reports this error.
   */
  refused?: DomainError;
}

export interface OperationContext {
  now: number;
  /** A fresh pspReference for the event this operation creates. */
  pspReference: string;
  idempotencyKey: string | null;
}

export function amountOf(payment: Payment, value: number): Money {
  return { currency: payment.currency, value };
}

/** Uncaptured, uncancelled remainder of the authorization. */
export function capturable(p: Payment): number {
  return p.authorized - p.cancelled - p.captured;
}

export function refundable(p: Payment): number {
  return p.captured - p.refunded;
}

export function isFinal(state: PaymentState): boolean {
  return state !== 'CREATED';
}

function event(p: Payment, name: PaymentEventName, amount: number, ctx: OperationContext, key: string | null = ctx.idempotencyKey): PaymentEvent {
  return {
    paymentId: p.id,
    msn: p.msn,
    reference: p.reference,
    pspReference: ctx.pspReference,
    name,
    currency: p.currency,
    amount,
    timestamp: ctx.now,
    success: true,
    idempotencyKey: key,
    seq: p.version,
  };
}

const ADJUSTMENT_OF: Partial<Record<PaymentEventName, AdjustmentKind>> = {
  CAPTURED: 'capture',
  REFUNDED: 'refund',
  CANCELLED: 'cancel',
  TERMINATED: 'cancel',
};

function adjustmentOf(e: PaymentEvent, origin: Adjustment['origin']): Adjustment {
  return {
    id: `${e.paymentId}:${e.seq}`,
    paymentId: e.paymentId,
    seq: e.seq,
    kind: ADJUSTMENT_OF[e.name]!,
    amount: e.amount,
    currency: e.currency,
    at: e.timestamp,
    idempotencyKey: e.idempotencyKey,
    origin,
    pspReference: e.pspReference,
  };
}

/** A transition of one or more events; the money-moving ones become adjustments. */
function moved(payment: Payment, events: PaymentEvent[], origin: Adjustment['origin'] = 'platform'): Transition {
  return { payment, events, adjustments: events.filter((e) => ADJUSTMENT_OF[e.name] !== undefined).map((e) => adjustmentOf(e, origin)) };
}

function changed(p: Payment, patch: Partial<Payment>): Payment {
  return { ...p, ...patch, version: p.version + 1 };
}

export interface NewPayment {
  id: PaymentId;
  msn: string;
  reference: string;
  currency: Currency;
  amount: number;
  token: string;
  expiresAt: number;
  terms: PaymentTerms;
  attachments?: Record<string, unknown>;
}

export function createPayment(input: NewPayment, ctx: OperationContext): Transition {
  const payment: Payment = {
    id: input.id,
    msn: input.msn,
    reference: input.reference,
    state: 'CREATED',
    currency: input.currency,
    amount: input.amount,
    authorized: 0,
    cancelled: 0,
    captured: 0,
    refunded: 0,
    pspReference: ctx.pspReference,
    token: input.token,
    createdAt: ctx.now,
    expiresAt: input.expiresAt,
    customerPhone: input.terms.customerPhone,
    terms: input.terms,
    version: 1,
  };
  if (ctx.idempotencyKey !== null) payment.createdWithKey = ctx.idempotencyKey;
  if (input.attachments) payment.attachments = input.attachments;
  return moved(payment, [event(payment, 'CREATED', payment.amount, ctx)]);
}

export interface Approval {
  customerPhone: string;
  sub?: string;
  userDetails?: UserDetails;
  /** The BIN of the card paid with. */
  cardBin?: string;
  /** Express: the shipping chosen; its cost is added to the amount reserved. */
  shipping?: ShippingDetails;
}

export function authorize(p: Payment, approval: Approval, ctx: OperationContext): Transition {
  assertApprovable(p);
  if (p.terms.shipping && !approval.shipping) throw new DomainError('SHIPPING_REQUIRED');
  // The customer confirms the total including shipping: that is what is reserved (and captured).
  const amount = p.amount + (approval.shipping?.shippingCost ?? 0);
  const next = changed(p, {
    state: 'AUTHORIZED',
    amount,
    authorized: amount,
    ...(approval.shipping ? { shippingDetails: approval.shipping } : {}),
    authorizedAt: ctx.now,
    customerPhone: approval.customerPhone,
    sub: approval.sub,
    userDetails: approval.userDetails,
    cardBin: approval.cardBin,
    pendingApproval: undefined,
    lastDecline: undefined,
  });
  // The authorization answers the create request: its event carries that request's idempotency key.
  const authorized = event(next, 'AUTHORIZED', amount, ctx, p.createdWithKey ?? ctx.idempotencyKey);
  if (!p.terms.captureOnApproval) return moved(next, [authorized]);
  const captured = changed(next, { captured: amount });
  return moved(captured, [authorized, event(captured, 'CAPTURED', amount, ctx, authorized.idempotencyKey)]);
}

/** Test amount 201: the user approved, but the result stays unknown until `resolvesAt`. */
export function holdApproval(p: Payment, pending: PendingApproval): Payment {
  assertApprovable(p);
  return changed(p, { pendingApproval: pending, lastDecline: undefined, expiresAt: Math.max(p.expiresAt, pending.resolvesAt) });
}

/** The answer from outside declined the held approval: the payment waits for the shopper again. */
export function releaseApproval(p: Payment, detail: string): Payment {
  if (p.state !== 'CREATED' || !p.pendingApproval?.external) return p;
  return changed(p, { pendingApproval: undefined, lastDecline: detail });
}

/** The answer from outside asks the shopper to authenticate at `url` (3-D Secure) before it decides. */
export function challengeApproval(p: Payment, url: string): Payment {
  if (p.state !== 'CREATED' || !p.pendingApproval?.external) return p;
  return changed(p, { pendingApproval: { ...p.pendingApproval, external: { challengeUrl: url } } });
}

/** The shopper came back from the challenge: the held approval waits for the answer from outside again. */
export function resumeAfterChallenge(p: Payment): Payment {
  if (p.state !== 'CREATED' || !p.pendingApproval?.external?.challengeUrl) return p;
  return changed(p, { pendingApproval: { ...p.pendingApproval, external: {} } });
}

/** The answer from outside approved: the held approval authorizes the payment. */
export function completeApproval(p: Payment, ctx: OperationContext): Transition | null {
  if (p.state !== 'CREATED' || !p.pendingApproval?.external) return null;
  const { resolvesAt: _resolved, external: _external, attemptId: _attempt, ...approval } = p.pendingApproval;
  return authorize({ ...p, pendingApproval: undefined }, approval, ctx);
}

export function assertApprovable(p: Payment): void {
  if (p.state === 'AUTHORIZED') throw new DomainError('ALREADY_AUTHORIZED');
  if (p.state !== 'CREATED') {
    throw new DomainError('APPROVAL_NOT_ALLOWED', `The payment is ${p.state} and can no longer be approved.`);
  }
  if (p.pendingApproval) {
    throw new DomainError('APPROVAL_NOT_ALLOWED', 'The payment was already approved; its result is pending.');
  }
}

/** The user rejected the payment in the app (`by`, their phone) or cancelled it on the landing page. */
export function abort(p: Payment, ctx: OperationContext, by?: string): Transition {
  if (p.state !== 'CREATED' || p.pendingApproval) {
    throw new DomainError('APPROVAL_NOT_ALLOWED', `The payment is ${p.state} and can no longer be rejected.`);
  }
  const next = changed(p, by === undefined ? { state: 'ABORTED' } : { state: 'ABORTED', customerPhone: by });
  return moved(next, [event(next, 'ABORTED', p.amount, ctx)]);
}

export function expire(p: Payment, ctx: OperationContext): Transition {
  if (p.state !== 'CREATED') throw new DomainError('APPROVAL_NOT_ALLOWED', `The payment is ${p.state}.`);
  const next = changed(p, { state: 'EXPIRED', pendingApproval: undefined });
  return moved(next, [event(next, 'EXPIRED', p.amount, ctx)]);
}

/**
 * When something is next due for the payment by itself: an unapproved payment's expiry, or the end
 * of an authorization hold with something left to capture. Null when nothing is.
 */
export function dueAt(p: Payment): number | null {
  if (p.state === 'CREATED') return p.expiresAt;
  if (p.state === 'AUTHORIZED' && p.terms.authorizationHoldMs !== undefined && capturable(p) > 0) return (p.authorizedAt ?? p.createdAt) + p.terms.authorizationHoldMs;
  return null;
}

/** What is due for a payment whose deadline has passed: a held approval resolves, an unapproved payment expires, an uncaptured hold is released. */
export function resolveDeadline(p: Payment, ctx: OperationContext): Transition | null {
  const due = dueAt(p);
  if (due === null || due > ctx.now) return null;
  if (p.state === 'AUTHORIZED') {
    const next = changed(p, { cancelled: p.cancelled + capturable(p) });
    return moved(next, [event(next, 'CANCELLED', capturable(p), ctx)]);
  }
  if (p.pendingApproval && !p.pendingApproval.external && p.pendingApproval.resolvesAt <= ctx.now) {
    const { resolvesAt: _resolved, ...approval } = p.pendingApproval;
    return authorize({ ...p, pendingApproval: undefined }, approval, ctx);
  }
  return expire(p, ctx);
}

export interface CancelOptions {
  /** Cancel only a payment the user has not authorized yet; an authorized one is refused. */
  onlyIfUnauthorized: boolean;
}

export function cancel(p: Payment, opts: CancelOptions, ctx: OperationContext): Transition {
  switch (p.state) {
    case 'CREATED': {
      if (p.pendingApproval) throw new DomainError('CANCEL_WHILE_PROCESSING');
      const next = changed(p, { state: 'TERMINATED', cancelled: p.amount });
      return moved(next, [event(next, 'TERMINATED', p.amount, ctx)]);
    }
    case 'TERMINATED':
      // A retried cancel must be harmless: it may come without any idempotency key.
      return moved(p, []);
    case 'AUTHORIZED': {
      if (opts.onlyIfUnauthorized) throw new DomainError('CANCEL_AFTER_AUTHORIZATION');
      if (ctx.now - (p.authorizedAt ?? p.createdAt) > CANCEL_PERIOD_MS) throw new DomainError('CANCEL_PERIOD_EXPIRED');
      const remainder = capturable(p);
      if (remainder === 0) {
        if (p.cancelled > 0) return moved(p, []);
        throw new DomainError('CANCEL_AFTER_CAPTURE');
      }
      const next = changed(p, { cancelled: p.cancelled + remainder });
      return moved(next, [event(next, 'CANCELLED', remainder, ctx)]);
    }
    default:
      throw new DomainError('CANNOT_CANCEL', `The payment is ${p.state} and cannot be cancelled.`);
  }
}

export interface CaptureOptions {
  /** This is the last capture: release whatever remains of the authorization (a CANCELLED event follows). */
  final?: boolean;
  /** How the client calls the amount's fields, for the messages of a refusal. */
  names?: AmountNames;
}

export function capture(p: Payment, amount: Money, ctx: OperationContext, options: CaptureOptions = {}): Transition {
  refuseCapture(p, amount, ctx, options.names);
  const magic = magicCaptureFailure(amount.value, p.captureFailedOnce === true);
  if (magic) {
    if (!magic.failsOnce) throw magic.error;
    // Test amount 128: this attempt fails, and the payment remembers it so that the retry succeeds.
    return { payment: changed(p, { captureFailedOnce: true }), events: [], adjustments: [], refused: magic.error };
  }
  let next = changed(p, { captured: p.captured + amount.value, captureFailedOnce: undefined });
  const events = [event(next, 'CAPTURED', amount.value, ctx)];
  const rest = capturable(next);
  if (options.final && rest > 0) {
    next = changed(next, { cancelled: next.cancelled + rest });
    events.push(event(next, 'CANCELLED', rest, ctx));
  }
  return moved(next, events);
}

function refuseCapture(p: Payment, amount: Money, ctx: OperationContext, names?: AmountNames): void {
  switch (p.state) {
    case 'CREATED':
      throw new DomainError('CAPTURE_BEFORE_AUTHORIZATION');
    case 'TERMINATED':
      throw new DomainError('CAPTURE_AFTER_CANCEL');
    case 'AUTHORIZED':
      break;
    default:
      throw new DomainError('CANNOT_CAPTURE', `The payment is ${p.state} and cannot be captured.`);
  }
  assertAdjustmentAmount(p, amount, names);
  if (ctx.now - (p.authorizedAt ?? p.createdAt) > CAPTURE_PERIOD_MS) throw new DomainError('CAPTURE_PERIOD_EXPIRED');
  const remaining = capturable(p);
  if (remaining === 0) throw new DomainError(p.cancelled > 0 ? 'CAPTURE_AFTER_CANCEL' : 'ALREADY_CAPTURED');
  if (amount.value > remaining) {
    throw new DomainError('CAPTURE_TOO_HIGH', `The capture amount ${amount.value} is higher than the remaining authorized amount ${remaining}.`);
  }
}

export function refund(p: Payment, amount: Money, ctx: OperationContext, names?: AmountNames): Transition {
  if (p.state === 'CREATED') throw new DomainError('REFUND_BEFORE_AUTHORIZATION');
  if (p.state !== 'AUTHORIZED') {
    throw new DomainError('CANNOT_REFUND', `The payment is ${p.state} and cannot be refunded.`);
  }
  assertAdjustmentAmount(p, amount, names);
  const magic = magicRefundFailure(amount.value);
  if (magic) throw magic;
  if (ctx.now - (p.authorizedAt ?? p.createdAt) > REFUND_PERIOD_MS) throw new DomainError('REFUND_PERIOD_EXPIRED');
  const left = refundable(p);
  if (left === 0 && p.captured > 0) throw new DomainError('ALREADY_REFUNDED', 'Everything captured so far is already refunded.');
  if (amount.value > left) {
    throw new DomainError('REFUND_TOO_HIGH', `The refund amount ${amount.value} is higher than the refundable amount ${left}.`);
  }
  const next = changed(p, { refunded: p.refunded + amount.value });
  return moved(next, [event(next, 'REFUNDED', amount.value, ctx)]);
}

/**
 * A capture, refund or release made outside the platform and reported to it (a PSP that captured
 * with its acquirer): the same invariants hold, and the adjustment is marked external.
 */
export function recordExternal(p: Payment, kind: AdjustmentKind, amount: Money, ctx: OperationContext): Transition {
  if (p.state !== 'AUTHORIZED') throw new DomainError(kind === 'refund' ? 'REFUND_BEFORE_AUTHORIZATION' : 'CAPTURE_BEFORE_AUTHORIZATION');
  assertAdjustmentAmount(p, amount);
  const room = kind === 'refund' ? refundable(p) : capturable(p);
  if (amount.value > room) throw new DomainError(kind === 'refund' ? 'REFUND_TOO_HIGH' : 'CAPTURE_TOO_HIGH');
  const field = kind === 'capture' ? 'captured' : kind === 'refund' ? 'refunded' : 'cancelled';
  const next = changed(p, { [field]: p[field] + amount.value });
  const name: PaymentEventName = kind === 'capture' ? 'CAPTURED' : kind === 'refund' ? 'REFUNDED' : 'CANCELLED';
  return moved(next, [event(next, name, amount.value, ctx)], 'external');
}

function assertAdjustmentAmount(p: Payment, amount: Money, names: AmountNames = { value: 'The amount', currency: 'The currency' }): void {
  if (amount.currency !== p.currency) {
    throw new DomainError('INVALID_AMOUNT', `${names.currency} is ${amount.currency}, but the payment is in ${p.currency}.`);
  }
  if (!Number.isSafeInteger(amount.value) || amount.value <= 0) {
    throw new DomainError('INVALID_AMOUNT', `${names.value} must be a positive integer in minor units.`);
  }
}
