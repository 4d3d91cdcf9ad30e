// Adjustments of an authorized payment: capture, refund and cancel, and adjustments made elsewhere
// and reported here (a PSP's capture with its acquirer).
import { cancel, capture, recordExternal, refund, type AdjustmentKind, type CancelOptions, type CaptureOptions, type Payment, type PaymentKey, type Transition } from '../domain/payment.ts';
import type { Money } from '../domain/money.ts';
import type { AmountNames } from '../domain/new-payment-rules.ts';
import type { EngineDeps } from './deps.ts';
import { loadForChange } from './load-payment.ts';
import { recordTransition } from './record.ts';
import type { UnitOfWork } from './unit-of-work.ts';

type Change = (p: Payment, ctx: { now: number; pspReference: string; idempotencyKey: string | null }) => Transition;

async function adjust(deps: EngineDeps, uow: UnitOfWork, key: PaymentKey, idempotencyKey: string | null, change: Change): Promise<Payment> {
  const p = await loadForChange(deps, uow, key);
  const t = change(p, { now: uow.now, pspReference: deps.ids.pspReference(), idempotencyKey });
  await recordTransition(deps, uow, t, p);
  return t.payment;
}

export interface CaptureInput extends CaptureOptions {
  amount: Money;
  /** The key of the request, recorded with the capture. */
  idempotencyKey: string | null;
}

export function capturePayment(deps: EngineDeps, uow: UnitOfWork, key: PaymentKey, input: CaptureInput): Promise<Payment> {
  return adjust(deps, uow, key, input.idempotencyKey, (p, ctx) => capture(p, input.amount, ctx, input));
}

export interface RefundInput {
  amount: Money;
  idempotencyKey: string | null;
  /** How the client calls the amount's fields, for the messages of a refusal. */
  names?: AmountNames;
}

export function refundPayment(deps: EngineDeps, uow: UnitOfWork, key: PaymentKey, input: RefundInput): Promise<Payment> {
  return adjust(deps, uow, key, input.idempotencyKey, (p, ctx) => refund(p, input.amount, ctx, input.names));
}

export function cancelPayment(deps: EngineDeps, uow: UnitOfWork, key: PaymentKey, input: CancelOptions & { idempotencyKey: string | null }): Promise<Payment> {
  return adjust(deps, uow, key, input.idempotencyKey, (p, ctx) => cancel(p, input, ctx));
}

export function recordExternalAdjustment(
  deps: EngineDeps,
  uow: UnitOfWork,
  key: PaymentKey,
  input: { kind: AdjustmentKind; amount: Money; idempotencyKey: string | null },
): Promise<Payment> {
  return adjust(deps, uow, key, input.idempotencyKey, (p, ctx) => recordExternal(p, input.kind, input.amount, ctx));
}
