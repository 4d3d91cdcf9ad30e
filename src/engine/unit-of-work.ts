// One transaction per operation. A unit of work is what a face runs: engine commands and the face's
// own writes, committed together. A refusal (a DomainError, or a face's own Refusal) still commits
// what was decided on the way (an expiry found before the operation, an idempotency record of the
// refusal) and is reported after the commit; any other error rolls everything back. So a face that
// must undo an engine change on a rule of its own checks that rule before the engine command, or
// throws an error that is not a Refusal.
import { Refusal } from '../domain/reasons.ts';
import type { PaymentEvent } from '../domain/payment.ts';
import type { StoreTx } from '../store/store.ts';
import type { EngineDeps } from './deps.ts';
import { requestHash, type Guard, type Guarded, type Outcome } from './idempotency.ts';

export interface UnitOfWork {
  tx: StoreTx;
  /** The time of this operation; one reading for the whole unit. */
  now: number;
  /** Events written so far, announced to listeners after commit. */
  recorded: PaymentEvent[];
  /** Outbox rows written so far. */
  outboxed: number;
  /** Work for after the commit, outside the transaction (calls to a PSP the approval waits for). */
  afterCommit: Array<() => void>;
}

async function inTransaction<T>(deps: EngineDeps, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  let uow: UnitOfWork | undefined;
  const started = deps.onTransaction ? performance.now() : 0;
  let value: T;
  try {
    value = await deps.store.transaction((tx) => work((uow = { tx, now: deps.clock.now(), recorded: [], outboxed: 0, afterCommit: [] })));
  } catch (err) {
    deps.onTransaction?.(performance.now() - started, false);
    throw err;
  }
  deps.onTransaction?.(performance.now() - started, true);
  const { recorded, outboxed, afterCommit } = uow!;
  if (recorded.length > 0) for (const listener of deps.onCommitted) listener(recorded);
  if (outboxed > 0) for (const listener of deps.onOutboxWritten) listener();
  for (const then of afterCommit) then();
  return value;
}

async function attempt<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, error: err };
    throw err;
  }
}

/** Runs `work` as one unit of work; a refusal commits what was decided, then is thrown. */
export async function runUnit<T>(deps: EngineDeps, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  const outcome = await inTransaction(deps, (uow) => attempt(() => work(uow)));
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/**
 * Runs `work` at most once per idempotency key: the face's response to its outcome is stored in the
 * same transaction as its effect, and a retry with the same request gets that response back.
 */
export async function runGuarded<T, R>(deps: EngineDeps, guard: Guard<T, R>, work: (uow: UnitOfWork) => Promise<T>): Promise<Guarded<R>> {
  const hash = requestHash(guard.request);
  return inTransaction(deps, async (uow): Promise<Guarded<R>> => {
    const previous = await uow.tx.getIdempotency(guard.scope, guard.key);
    if (previous) return previous.requestHash === hash ? { kind: 'replay', response: previous.response as R } : { kind: 'conflict' };
    const outcome = await attempt(() => work(uow));
    const response = guard.respond(outcome);
    if (guard.remember(outcome)) {
      await uow.tx.putIdempotency({ scope: guard.scope, key: guard.key, requestHash: hash, response, createdAt: uow.now });
    }
    return { kind: 'fresh', response };
  });
}
