// The payment aggregate and its state machine. Pure: time and new ids come in as arguments.
import type { Currency, Money } from './money.ts';
import { DomainError, ERRORS } from './error-catalogue.ts';
import { magicRefundFailure } from './magic-amounts.ts';

export const PAYMENT_STATES = ['CREATED', 'ABORTED', 'EXPIRED', 'AUTHORIZED', 'TERMINATED'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export const EVENT_NAMES = ['CREATED', 'ABORTED', 'EXPIRED', 'CANCELLED', 'CAPTURED', 'REFUNDED', 'AUTHORIZED', 'TERMINATED'] as const;
export type PaymentEventName = (typeof EVENT_NAMES)[number];

export type UserFlow = 'PUSH_MESSAGE' | 'NATIVE_REDIRECT' | 'WEB_REDIRECT' | 'QR';
export type PaymentMethodType = 'WALLET' | 'CARD' | 'CARD_PASSTHROUGH';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** 5 minutes to open the request plus 5 to approve it (knowledge-base/timeouts). */
export const DEFAULT_EXPIRY_MS = 10 * 60 * 1000;
export const CAPTURE_PERIOD_MS = 180 * DAY_MS;
export const CANCEL_PERIOD_MS = 180 * DAY_MS;
export const REFUND_PERIOD_MS = 365 * DAY_MS;

export interface UserDetails {
  email: string;
  firstName: string;
  lastName: string;
  mobileNumber: string;
  dateOfBirth?: string;
  addresses?: Array<{ addressLine1: string; addressLine2?: string; city: string; country: string; postCode: string }>;
}

/** Everything the merchant sent at creation that the platform keeps, normalised. */
export interface PaymentTerms {
  userFlow: UserFlow;
  paymentMethod: { type: PaymentMethodType; blockedSources?: string[] };
  customer?: { phoneNumber?: string; personalQr?: string; customerToken?: string };
  /** The phone number the payment is addressed to, when it is known (push, personal QR). */
  customerPhone?: string;
  customerInteraction: 'CUSTOMER_PRESENT' | 'CUSTOMER_NOT_PRESENT';
  returnUrl?: string;
  paymentDescription?: string;
  profileScope?: string;
  metadata?: Record<string, string>;
  receipt?: unknown;
  receiptUrl?: string;
  minimumUserAge?: number;
  industryData?: unknown;
  shipping?: unknown;
  qrFormat?: { format: 'TEXT/TARGETURL' | 'IMAGE/SVG+XML' | 'IMAGE/PNG'; size?: number };
  longLiving: boolean;
}

export interface PendingApproval extends Approval {
  /** When the "result unknown" authorization (test amount 201) resolves. */
  resolvesAt: number;
}

export interface Payment {
  msn: string;
  reference: string;
  state: PaymentState;
  currency: Currency;
  amount: number;
  authorized: number;
  cancelled: number;
  captured: number;
  refunded: number;
  /** The CREATED event's pspReference, which GetPayment and adjustments return. */
  pspReference: string;
  /** Unguessable token that opens this one payment in the landing page and the app simulator. */
  token: string;
  createdAt: number;
  /** When an unapproved payment expires. */
  expiresAt: number;
  authorizedAt?: number;
  customerPhone?: string;
  /** When the shopper entered a phone number on the landing page and the request was sent to that app. */
  sentToPhoneAt?: number;
  sub?: string;
  userDetails?: UserDetails;
  /** The first six digits of the card the user paid with (GetPayment's paymentMethod.cardBin). */
  cardBin?: string;
  pendingApproval?: PendingApproval;
  terms: PaymentTerms;
  /** Increments on every change; lets stores detect lost updates. */
  version: number;
}

export interface PaymentEvent {
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

export interface Transition {
  payment: Payment;
  /** The new event, or none when the operation changed nothing (a repeated cancel). */
  event: PaymentEvent | null;
}

export interface OperationContext {
  now: number;
  /** A fresh pspReference for the event this operation creates. */
  pspReference: string;
  idempotencyKey: string | null;
}

/** What creating a payment answers, and what its idempotency record keeps: a create response names the payment and where to send the shopper. */
export interface CreatedPayment {
  msn: string;
  reference: string;
  token: string;
  terms: Pick<PaymentTerms, 'userFlow' | 'qrFormat'>;
}

export function createdSnapshot(p: CreatedPayment): CreatedPayment {
  const terms: CreatedPayment['terms'] = { userFlow: p.terms.userFlow };
  if (p.terms.qrFormat) terms.qrFormat = p.terms.qrFormat;
  return { msn: p.msn, reference: p.reference, token: p.token, terms };
}

/**
 * The payment without what the merchant sent at creation beyond what responses echo: what an
 * idempotency record keeps so that a replay renders the same create or adjustment response.
 */
export function replaySnapshot(p: Payment): Payment {
  const { userFlow, paymentMethod, customerInteraction, longLiving, qrFormat } = p.terms;
  const terms: PaymentTerms = { userFlow, paymentMethod, customerInteraction, longLiving };
  if (qrFormat) terms.qrFormat = qrFormat;
  const { userDetails: _u, ...rest } = p;
  return { ...rest, terms };
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

function event(p: Payment, name: PaymentEventName, amount: number, ctx: OperationContext): PaymentEvent {
  return {
    msn: p.msn,
    reference: p.reference,
    pspReference: ctx.pspReference,
    name,
    currency: p.currency,
    amount,
    timestamp: ctx.now,
    success: true,
    idempotencyKey: ctx.idempotencyKey,
    seq: p.version,
  };
}

function changed(p: Payment, patch: Partial<Payment>): Payment {
  return { ...p, ...patch, version: p.version + 1 };
}

export interface NewPayment {
  msn: string;
  reference: string;
  currency: Currency;
  amount: number;
  token: string;
  expiresAt: number;
  terms: PaymentTerms;
}

export function createPayment(input: NewPayment, ctx: OperationContext): Transition {
  const payment: Payment = {
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
  return { payment, event: event(payment, 'CREATED', payment.amount, ctx) };
}

export interface Approval {
  customerPhone: string;
  sub?: string;
  userDetails?: UserDetails;
  /** The BIN of the card paid with. */
  cardBin?: string;
}

export function authorize(p: Payment, approval: Approval, ctx: OperationContext): Transition {
  assertApprovable(p);
  const next = changed(p, {
    state: 'AUTHORIZED',
    authorized: p.amount,
    authorizedAt: ctx.now,
    customerPhone: approval.customerPhone,
    sub: approval.sub,
    userDetails: approval.userDetails,
    cardBin: approval.cardBin,
    pendingApproval: undefined,
  });
  return { payment: next, event: event(next, 'AUTHORIZED', p.amount, ctx) };
}

/** Test amount 201: the user approved, but the result stays unknown until `resolvesAt`. */
export function holdApproval(p: Payment, pending: PendingApproval): Payment {
  assertApprovable(p);
  return changed(p, { pendingApproval: pending, expiresAt: Math.max(p.expiresAt, pending.resolvesAt) });
}

export function assertApprovable(p: Payment): void {
  if (p.state === 'AUTHORIZED') throw new DomainError(ERRORS.ALREADY_RESERVED);
  if (p.state !== 'CREATED') {
    throw new DomainError(ERRORS.APPROVE_NOT_ALLOWED, `The payment is ${p.state} and can no longer be approved.`);
  }
  if (p.pendingApproval) {
    throw new DomainError(ERRORS.APPROVE_NOT_ALLOWED, 'The payment was already approved; its result is pending.');
  }
}

/** The user rejected the payment in the app (`by`, their phone) or cancelled it on the landing page. */
export function abort(p: Payment, ctx: OperationContext, by?: string): Transition {
  if (p.state !== 'CREATED' || p.pendingApproval) {
    throw new DomainError(ERRORS.APPROVE_NOT_ALLOWED, `The payment is ${p.state} and can no longer be rejected.`);
  }
  const next = changed(p, by === undefined ? { state: 'ABORTED' } : { state: 'ABORTED', customerPhone: by });
  return { payment: next, event: event(next, 'ABORTED', p.amount, ctx) };
}

export function expire(p: Payment, ctx: OperationContext): Transition {
  if (p.state !== 'CREATED') throw new DomainError(ERRORS.APPROVE_NOT_ALLOWED, `The payment is ${p.state}.`);
  const next = changed(p, { state: 'EXPIRED', pendingApproval: undefined });
  return { payment: next, event: event(next, 'EXPIRED', p.amount, ctx) };
}

/** What is due for a CREATED payment whose deadline has passed: a held approval resolves, otherwise it expires. */
export function resolveDeadline(p: Payment, ctx: OperationContext): Transition | null {
  if (p.state !== 'CREATED' || p.expiresAt > ctx.now) return null;
  if (p.pendingApproval && p.pendingApproval.resolvesAt <= ctx.now) {
    const { resolvesAt: _resolved, ...approval } = p.pendingApproval;
    return authorize({ ...p, pendingApproval: undefined }, approval, ctx);
  }
  return expire(p, ctx);
}

export function cancel(p: Payment, opts: { cancelTransactionOnly: boolean }, ctx: OperationContext): Transition {
  switch (p.state) {
    case 'CREATED': {
      if (p.pendingApproval) throw new DomainError(ERRORS.CANCEL_PROCESSING);
      const next = changed(p, { state: 'TERMINATED', cancelled: p.amount });
      return { payment: next, event: event(next, 'TERMINATED', p.amount, ctx) };
    }
    case 'TERMINATED':
      // Cancel carries no Idempotency-Key in spec 1.8.1, so a retried cancel must be harmless.
      return { payment: p, event: null };
    case 'AUTHORIZED': {
      if (opts.cancelTransactionOnly) throw new DomainError(ERRORS.CANCEL_AUTHORIZED);
      if (ctx.now - (p.authorizedAt ?? p.createdAt) > CANCEL_PERIOD_MS) throw new DomainError(ERRORS.CANCEL_PERIOD_EXPIRED);
      const remainder = capturable(p);
      if (remainder === 0) {
        if (p.cancelled > 0) return { payment: p, event: null };
        throw new DomainError(ERRORS.CANCEL_CAPTURED);
      }
      const next = changed(p, { cancelled: p.cancelled + remainder });
      return { payment: next, event: event(next, 'CANCELLED', remainder, ctx) };
    }
    default:
      throw new DomainError(ERRORS.CANNOT_CANCEL, `The payment is ${p.state} and cannot be cancelled.`);
  }
}

export function capture(p: Payment, amount: Money, ctx: OperationContext): Transition {
  switch (p.state) {
    case 'CREATED':
      throw new DomainError(ERRORS.CAPTURE_BEFORE_RESERVATION);
    case 'TERMINATED':
      throw new DomainError(ERRORS.CAPTURE_CANCELLED);
    case 'AUTHORIZED':
      break;
    default:
      throw new DomainError(ERRORS.CANNOT_CAPTURE, `The payment is ${p.state} and cannot be captured.`);
  }
  assertModificationAmount(p, amount);
  if (ctx.now - (p.authorizedAt ?? p.createdAt) > CAPTURE_PERIOD_MS) throw new DomainError(ERRORS.CAPTURE_PERIOD_EXPIRED);
  const remaining = capturable(p);
  if (remaining === 0) {
    throw new DomainError(p.cancelled > 0 ? ERRORS.CAPTURE_CANCELLED : ERRORS.ALREADY_CAPTURED);
  }
  if (amount.value > remaining) {
    throw new DomainError(ERRORS.CAPTURE_TOO_HIGH, `The capture amount ${amount.value} is higher than the remaining authorized amount ${remaining}.`);
  }
  const next = changed(p, { captured: p.captured + amount.value });
  return { payment: next, event: event(next, 'CAPTURED', amount.value, ctx) };
}

export function refund(p: Payment, amount: Money, ctx: OperationContext): Transition {
  if (p.state === 'CREATED') throw new DomainError(ERRORS.REFUND_BEFORE_RESERVATION);
  if (p.state !== 'AUTHORIZED') {
    throw new DomainError(ERRORS.CANNOT_REFUND, `The payment is ${p.state} and cannot be refunded.`);
  }
  assertModificationAmount(p, amount);
  const magic = magicRefundFailure(amount.value);
  if (magic) throw magic;
  if (ctx.now - (p.authorizedAt ?? p.createdAt) > REFUND_PERIOD_MS) throw new DomainError(ERRORS.REFUND_PERIOD_EXPIRED);
  const left = refundable(p);
  if (left === 0 && p.captured > 0) throw new DomainError(ERRORS.ALREADY_REFUNDED, 'Everything captured so far is already refunded.');
  if (amount.value > left) {
    throw new DomainError(ERRORS.NOT_ENOUGH_REFUNDABLE, `The refund amount ${amount.value} is higher than the refundable amount ${left}.`);
  }
  const next = changed(p, { refunded: p.refunded + amount.value });
  return { payment: next, event: event(next, 'REFUNDED', amount.value, ctx) };
}

function assertModificationAmount(p: Payment, amount: Money): void {
  if (amount.currency !== p.currency) {
    throw new DomainError(ERRORS.INVALID_AMOUNT, `modificationAmount.currency is ${amount.currency}, but the payment is in ${p.currency}.`);
  }
  if (!Number.isSafeInteger(amount.value) || amount.value <= 0) {
    throw new DomainError(ERRORS.INVALID_AMOUNT, 'modificationAmount.value must be a positive integer in minor units.');
  }
}
