// Loading a payment for a change: lock it, and first settle a deadline that has passed (a payment
// whose time ran out is EXPIRED before anything else may happen to it).
import { DomainError } from '../domain/reasons.ts';
import { resolveDeadline, type Payment, type PaymentKey } from '../domain/payment.ts';
import type { EngineDeps } from './deps.ts';
import { recordTransition } from './record.ts';
import type { UnitOfWork } from './unit-of-work.ts';

export function paymentNotFound(key: PaymentKey): DomainError {
  return new DomainError(
    'PAYMENT_NOT_FOUND',
    'id' in key ? `No payment ${key.id} exists.` : `No payment with reference "${key.reference}" exists for merchant serial number ${key.msn}.`,
  );
}

export async function loadForChange(deps: EngineDeps, uow: UnitOfWork, key: PaymentKey): Promise<Payment> {
  const payment = await uow.tx.lockPayment(key);
  if (!payment) throw paymentNotFound(key);
  return settleDeadline(deps, uow, payment);
}

export async function settleDeadline(deps: EngineDeps, uow: UnitOfWork, payment: Payment): Promise<Payment> {
  const due = resolveDeadline(payment, { now: uow.now, pspReference: deps.ids.pspReference(), idempotencyKey: null });
  if (!due) return payment;
  await recordTransition(deps, uow, due, payment);
  return due.payment;
}
