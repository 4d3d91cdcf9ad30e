// Writing a transition: the payment row, its event and whatever the event sinks add (outbox rows),
// in the unit of work's transaction.
import type { Transition } from '../domain/payment.ts';
import type { EngineDeps } from './deps.ts';
import type { UnitOfWork } from './unit-of-work.ts';

export async function recordTransition(deps: EngineDeps, uow: UnitOfWork, t: Transition, isNew = false): Promise<void> {
  if (isNew) await uow.tx.insertPayment(t.payment);
  else if (t.event !== null) await uow.tx.updatePayment(t.payment);
  if (t.event === null) return;
  await uow.tx.appendEvent(t.event);
  uow.recorded.push(t.event);
  for (const sink of deps.eventSinks) uow.outboxed += await sink(uow.tx, t.event, t.payment);
}
