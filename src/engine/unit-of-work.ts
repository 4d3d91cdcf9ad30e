// One transaction per operation. The work returns an Outcome so that a rule violation still commits
// what was decided on the way (the idempotency record, an expiry); the error is thrown after commit.
import type { PaymentEvent } from '../domain/payment.ts';
import type { StoreTx } from '../store/store.ts';
import type { EngineDeps } from './deps.ts';
import type { Outcome } from './idempotency.ts';

export interface UnitOfWork {
  tx: StoreTx;
  /** The time of this operation; one reading for the whole unit. */
  now: number;
  /** Events written so far, announced to listeners after commit. */
  recorded: PaymentEvent[];
  /** Outbox rows written so far. */
  outboxed: number;
}

export async function runUnitOfWork<T>(deps: EngineDeps, work: (uow: UnitOfWork) => Promise<Outcome<T>>): Promise<T> {
  let uow: UnitOfWork | undefined;
  const outcome = await deps.store.transaction((tx) => work((uow = { tx, now: deps.clock.now(), recorded: [], outboxed: 0 })));
  const { recorded, outboxed } = uow!;
  if (recorded.length > 0) for (const listener of deps.onCommitted) listener(recorded);
  if (outboxed > 0) for (const listener of deps.onOutboxWritten) listener();
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
