import type { PaymentKey, PaymentState } from '../domain/payment.ts';
import type { AdjustableClock } from '../platform/clock.ts';
import type { Engine } from './engine.ts';

export interface DeadlineOutcome {
  /** Whether the payment was waiting for the shopper (only then does its deadline mean anything). */
  wasWaiting: boolean;
  /** Its state afterwards. */
  state: PaymentState;
}

/** Why a payment that no longer waits cannot be made to expire (the operator API and the dashboard say it). */
export function notWaitingDetail(state: PaymentState): string {
  return `Only a payment waiting for the shopper can expire; this one is ${state}.`;
}

/**
 * Lets a waiting payment's deadline pass: the platform has one clock, so this moves it to just past
 * the payment's `expiresAt` and settles every payment that is due (others whose deadline falls
 * before it expire too, and the clock stays moved). Nothing happens to the clock when the payment
 * is no longer waiting for approval. Test helpers, the operator API and the dashboard share it.
 * Throws the clock's ClockBoundError when the deadline lies beyond what the clock may reach.
 */
export async function letDeadlinePass(engine: Engine, clock: AdjustableClock, key: PaymentKey): Promise<DeadlineOutcome> {
  const p = await engine.getPayment(key);
  if (p.state !== 'CREATED') return { wasWaiting: false, state: p.state };
  const by = p.expiresAt + 1 - clock.now();
  if (by > 0) clock.advance(by);
  await engine.settleDuePayments();
  return { wasWaiting: true, state: (await engine.getPayment(key)).state };
}
