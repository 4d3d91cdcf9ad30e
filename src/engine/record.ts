// Writing a transition: the payment row, its events and adjustments, and whatever the faces'
// projectors add for each event (outbox rows), in the unit of work's transaction.
import type { Payment, Transition } from '../domain/payment.ts';
import { tellEndings } from './approval-gate.ts';
import type { EngineDeps } from './deps.ts';
import type { UnitOfWork } from './unit-of-work.ts';

/** Writes `t` over `before` (null for a new payment); throws the transition's refusal, if any, after writing. */
export async function recordTransition(deps: EngineDeps, uow: UnitOfWork, t: Transition, before: Payment | null): Promise<void> {
  if (before === null) await uow.tx.insertPayment(t.payment);
  else if (t.payment !== before) await uow.tx.updatePayment(t.payment, before.version);
  for (const event of t.events) {
    await uow.tx.appendEvent(event);
    uow.recorded.push(event);
    for (const project of deps.projectors) uow.outboxed += await project(uow.tx, event, t.payment);
  }
  for (const adjustment of t.adjustments) await uow.tx.insertAdjustment(adjustment);
  if (t.events.length > 0 && deps.approvalGate) tellEndings(deps, uow, t.payment, t.events);
  if (t.refused) throw t.refused;
}
