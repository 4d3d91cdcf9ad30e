// Merchant adjustments of a payment: capture, refund and cancel.
import { cancel, capture, refund, replaySnapshot, type OperationContext, type Payment, type Transition } from '../domain/payment.ts';
import type { Money } from '../domain/money.ts';
import type { IdempotentOperation } from '../store/store.ts';
import type { EngineDeps } from './deps.ts';
import { once } from './idempotency.ts';
import { loadForChange } from './load-payment.ts';
import { recordTransition } from './record.ts';
import { runUnitOfWork } from './unit-of-work.ts';

function adjust(
  deps: EngineDeps,
  operation: IdempotentOperation,
  msn: string,
  reference: string,
  request: unknown,
  idempotencyKey: string | null,
  change: (p: Payment, ctx: OperationContext) => Transition,
): Promise<Payment> {
  return runUnitOfWork(deps, async (uow) =>
    once(uow, { msn, operation, key: idempotencyKey, request: { reference, request } }, async () => {
      const p = await loadForChange(deps, uow, msn, reference);
      const t = change(p, { now: uow.now, pspReference: deps.ids.pspReference(), idempotencyKey });
      await recordTransition(deps, uow, t);
      return t.payment;
    }, replaySnapshot),
  );
}

export function capturePayment(deps: EngineDeps, msn: string, reference: string, amount: Money, idempotencyKey: string): Promise<Payment> {
  return adjust(deps, 'capture', msn, reference, amount, idempotencyKey, (p, ctx) => capture(p, amount, ctx));
}

export function refundPayment(deps: EngineDeps, msn: string, reference: string, amount: Money, idempotencyKey: string): Promise<Payment> {
  return adjust(deps, 'refund', msn, reference, amount, idempotencyKey, (p, ctx) => refund(p, amount, ctx));
}

export function cancelPayment(
  deps: EngineDeps,
  msn: string,
  reference: string,
  options: { cancelTransactionOnly: boolean },
  idempotencyKey: string | null,
): Promise<Payment> {
  return adjust(deps, 'cancel', msn, reference, options, idempotencyKey, (p, ctx) => cancel(p, options, ctx));
}
