import type { PaymentKey, PaymentState } from '../domain/payment.ts';
import type { AdjustableClock } from '../platform/clock.ts';
import type { Engine } from './engine.ts';

// Moving the platform's test clock, and settling what its move made due: the operator API, the
// dashboard and the test-suite helpers all move it through here.

/** Moves the clock forward by `ms` and settles every payment now due; resolves with how many. Throws ClockBoundError past the clock's bound. */
export async function advanceClock(engine: Engine, clock: AdjustableClock, ms: number): Promise<number> {
  clock.advance(ms);
  return engine.settleDuePayments();
}

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
  await advanceClock(engine, clock, Math.max(0, p.expiresAt + 1 - clock.now()));
  return { wasWaiting: true, state: (await engine.getPayment(key)).state };
}
