// The user's decision in the app (or the test API's force approve): authorize or reject.
import { createHash } from 'node:crypto';
import { DomainError } from '../domain/reasons.ts';
import { magicApprovalFailure, RESULT_UNKNOWN_AMOUNT, RESULT_UNKNOWN_DELAY_MS } from '../domain/magic-amounts.ts';
import { abort, assertApprovable, authorize, holdApproval, type Approval, type Payment, type PaymentKey } from '../domain/payment.ts';
import { ageOn, userDetailsOf } from '../domain/test-user.ts';
import { sameToken } from '../domain/payment-token.ts';
import { cardApprovalFailure, paymentSource } from '../domain/test-cards.ts';
import { chooseShipping } from '../domain/shipping.ts';
import { askAfterCommit } from './approval-gate.ts';
import type { EngineDeps } from './deps.ts';
import { loadForChange } from './load-payment.ts';
import { recordTransition } from './record.ts';
import type { UnitOfWork } from './unit-of-work.ts';

/** The test user who approves when nobody is named: the payment's own customer, else this number. */
export const DEFAULT_APPROVER = '4712345678';

export interface ApproveInput {
  /** Who approves; defaults to the payment's customer or DEFAULT_APPROVER. */
  phoneNumber?: string;
  /** The token from the payment's redirectUrl; when given, it must match. */
  token?: string;
  /** The test card chosen in the app simulator (domain/test-cards.ts); the default card when absent. */
  card?: string;
  /** Express: the shipping option chosen among those offered for the shopper's address; the preselected one when absent. */
  shippingOptionId?: string;
}

export interface RejectInput {
  /** Who rejects in the app; when given, the payment must not be addressed to someone else. */
  phoneNumber?: string;
  /** The token from the payment's redirectUrl; when given, it must match. */
  token?: string;
}

function checkToken(p: Payment, token: string | undefined): void {
  if (token !== undefined && !sameToken(token, p.token)) throw new DomainError('APPROVAL_NOT_ALLOWED', 'The token does not belong to this payment.');
}

export async function approvePayment(deps: EngineDeps, uow: UnitOfWork, key: PaymentKey, input: ApproveInput): Promise<Payment> {
  const p = await loadForChange(deps, uow, key);
  checkToken(p, input.token);
  assertApprovable(p);
  const phone = input.phoneNumber ?? p.customerPhone ?? DEFAULT_APPROVER;
  if (p.customerPhone && phone !== p.customerPhone) throw new DomainError('APPROVAL_NOT_ALLOWED', 'The payment was sent to another user.');
  const user = deps.directory.user(phone);
  if (!user) throw new DomainError('USER_NOT_FOUND', `No Vipps user with phone number ${phone} exists.`);
  const minAge = p.terms.minimumUserAge;
  if (minAge !== undefined && ageOn(user.birthDate, uow.now) < minAge) {
    throw new DomainError('USER_NOT_FOUND', `The user is younger than minimumUserAge ${minAge}.`);
  }
  const card = paymentSource(input.card);
  const failure = magicApprovalFailure(p.amount) ?? cardApprovalFailure(card);
  if (failure) throw failure;

  const approval: Approval = { customerPhone: phone, cardBin: card.bin };
  if (p.terms.shipping) approval.shipping = chooseShipping(p.shippingOffer, input.shippingOptionId);
  if (p.terms.profileScope) {
    approval.sub = subjectId(p.msn, phone);
    approval.userDetails = userDetailsOf(user);
  }
  if (deps.approvalGate?.applies(p)) {
    // The PSP decides: the approval is held until its answer (engine/approval-gate.ts).
    const held = holdApproval(p, { ...approval, resolvesAt: p.expiresAt, external: {}, attemptId: deps.ids.uuid() });
    await uow.tx.updatePayment(held);
    askAfterCommit(deps, uow, held, 'first');
    return held;
  }
  if (p.amount === RESULT_UNKNOWN_AMOUNT) {
    const held = holdApproval(p, { ...approval, resolvesAt: uow.now + RESULT_UNKNOWN_DELAY_MS });
    await uow.tx.updatePayment(held);
    return held;
  }
  const t = authorize(p, approval, { now: uow.now, pspReference: deps.ids.pspReference(), idempotencyKey: null });
  await recordTransition(deps, uow, t, p);
  return t.payment;
}

export async function rejectPayment(deps: EngineDeps, uow: UnitOfWork, key: PaymentKey, input: RejectInput = {}): Promise<Payment> {
  const p = await loadForChange(deps, uow, key);
  checkToken(p, input.token);
  if (input.phoneNumber !== undefined && p.customerPhone && input.phoneNumber !== p.customerPhone) {
    throw new DomainError('APPROVAL_NOT_ALLOWED', 'The payment was sent to another user.');
  }
  const t = abort(p, { now: uow.now, pspReference: deps.ids.pspReference(), idempotencyKey: null }, input.phoneNumber);
  await recordTransition(deps, uow, t, p);
  return t.payment;
}

/** A stable, opaque user id per merchant and user, as the platform's `sub` is. */
export function subjectId(msn: string, phone: string): string {
  const h = createHash('sha256').update(`sub:${msn}:${phone}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
