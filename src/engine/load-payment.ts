// Loading a payment for a change: lock it, and first settle a deadline that has passed (a payment
// whose time ran out is EXPIRED before anything else may happen to it).
import { DomainError, ERRORS } from '../domain/error-catalogue.ts';
import { resolveDeadline, type Payment } from '../domain/payment.ts';
import type { EngineDeps } from './deps.ts';
import { recordTransition } from './record.ts';
import type { UnitOfWork } from './unit-of-work.ts';

export function referenceNotFound(msn: string, reference: string): DomainError {
  return new DomainError(ERRORS.REFERENCE_NOT_FOUND, `No payment with reference "${reference}" exists for merchant serial number ${msn}.`);
}

export async function loadForChange(deps: EngineDeps, uow: UnitOfWork, msn: string, reference: string): Promise<Payment> {
  const payment = await uow.tx.lockPayment(msn, reference);
  if (!payment) throw referenceNotFound(msn, reference);
  return settleDeadline(deps, uow, payment);
}

export async function settleDeadline(deps: EngineDeps, uow: UnitOfWork, payment: Payment): Promise<Payment> {
  const due = resolveDeadline(payment, { now: uow.now, pspReference: deps.ids.pspReference(), idempotencyKey: null });
  if (!due) return payment;
  await recordTransition(deps, uow, due);
  return due.payment;
}
