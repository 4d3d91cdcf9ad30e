// ePayment's idempotency policy (docs/decisions.md "Idempotency"):
// - scope: create keys per sales unit; capture, refund and cancel keys per payment (sales unit,
//   reference and operation), so that a plugin that sends `Idempotency-Key: 1` on every order's
//   cancel does not meet the first order's answer on the second;
// - "the same request": the target reference and the JSON body, compared with keys sorted;
// - remembered: every outcome except those that say nothing final (5090: the payment may exist
//   later; 6160 and 6280: retrying succeeds; 3010);
// - a key reused for another request: 409, with the operation's own code (4020, 4010, 4150);
// - a replay answers the first status and body, with no header marking it;
// - retention: the platform's (`idempotencyRetentionHours`, 48 by default).
import { DomainError, type Reason } from '../../domain/reasons.ts';
import { ApiError, fromStoredError, toStoredError, type StoredError } from '../api-error.ts';
import type { Guard, Guarded, Outcome } from '../../engine/idempotency.ts';
import { EPAYMENT_ERRORS } from './error-map.ts';

export type EpaymentOperation = 'create' | 'capture' | 'refund' | 'cancel';

/** What an ePayment key keeps: the stored form of the success body, or the error. */
export type StoredOutcome<S> = { ok: true; value: S } | { ok: false; error: StoredError };

/** Refusals that are not kept with the key: retrying the same request may turn out otherwise. */
const NOT_REMEMBERED = new Set<Reason>(['PAYMENT_NOT_FOUND', 'PAYMENT_BUSY', 'CAPTURE_FAILED']);

const CONFLICT = {
  create: EPAYMENT_ERRORS.IDEMPOTENCY_CONFLICT,
  capture: EPAYMENT_ERRORS.CAPTURE_IDEMPOTENCY_CONFLICT,
  refund: EPAYMENT_ERRORS.REFUND_IDEMPOTENCY_CONFLICT,
  cancel: EPAYMENT_ERRORS.IDEMPOTENCY_CONFLICT,
} as const;

export function scopeOf(operation: EpaymentOperation, msn: string, reference: string): string {
  return operation === 'create' ? `epayment/create/${msn}` : `epayment/${operation}/${msn}/${reference}`;
}

/**
 * The guard of one ePayment request. `store` turns a success into what the key keeps, and `apiError`
 * a refusal into the ePayment error. (A class: one is made per request, and methods on a prototype
 * cost nothing to make, where an object literal's functions are made anew each time.)
 */
class EpaymentGuard<T, S> implements Guard<T, StoredOutcome<S>> {
  readonly scope: string;
  constructor(
    operation: EpaymentOperation,
    msn: string,
    reference: string,
    readonly key: string,
    readonly request: unknown,
    private readonly store: (value: T) => S,
    private readonly apiError: (outcome: Extract<Outcome<T>, { ok: false }>) => ApiError,
  ) {
    this.scope = scopeOf(operation, msn, reference);
  }

  respond(outcome: Outcome<T>): StoredOutcome<S> {
    return outcome.ok ? { ok: true, value: this.store(outcome.value) } : { ok: false, error: toStoredError(this.apiError(outcome)) };
  }

  remember(outcome: Outcome<T>): boolean {
    return outcome.ok || !(outcome.error instanceof DomainError && NOT_REMEMBERED.has(outcome.error.reason));
  }
}

export function epaymentGuard<T, S>(
  operation: EpaymentOperation,
  msn: string,
  reference: string,
  key: string,
  request: unknown,
  store: (value: T) => S,
  apiError: (outcome: Extract<Outcome<T>, { ok: false }>) => ApiError,
): Guard<T, StoredOutcome<S>> {
  return new EpaymentGuard(operation, msn, reference, key, request, store, apiError);
}

/** The stored success of a guarded request, or the ePayment error it answers (its own, a replayed one, or the conflict). */
export function answerOf<S>(operation: EpaymentOperation, key: string, guarded: Guarded<StoredOutcome<S>>): S {
  if (guarded.kind === 'conflict') {
    throw new ApiError(CONFLICT[operation], `The Idempotency-Key "${key}" was already used with a different request.`);
  }
  const stored = guarded.response;
  if (!stored.ok) throw fromStoredError(stored.error);
  return stored.value;
}
