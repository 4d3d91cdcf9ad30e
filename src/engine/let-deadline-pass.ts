import type { PaymentKey } from '../domain/payment.ts';
import type { AdjustableClock } from '../platform/clock.ts';
import type { Engine } from './engine.ts';

/**
 * Lets a waiting payment's deadline pass: the platform has one clock, so this moves it to just past
 * the payment's `expiresAt` and settles every payment that is due (others whose deadline falls
 * before it expire too, and the clock stays moved). Nothing happens to the clock when the payment
 * is no longer waiting for approval. Test helpers, the operator API and the dashboard share it.
 */
export async function letDeadlinePass(engine: Engine, clock: AdjustableClock, key: PaymentKey): Promise<void> {
  const p = await engine.getPayment(key);
  if (p.state !== 'CREATED') return;
  const by = p.expiresAt + 1 - clock.now();
  if (by > 0) clock.advance(by);
  await engine.settleDuePayments();
}
