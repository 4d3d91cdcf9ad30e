// Idempotency for every face: the record is written in the same transaction as the effect it
// protects, so a retry either replays the stored outcome or the effect never happened.
import { hash } from 'node:crypto';
import { DomainError, ERRORS, fromStoredError, toStoredError, type ErrorEntry } from '../domain/error-catalogue.ts';
import type { IdempotentOperation } from '../store/store.ts';
import type { UnitOfWork } from './unit-of-work.ts';

export interface IdempotencyScope {
  msn: string;
  operation: IdempotentOperation;
  /** Null when the client sent no key (allowed on cancel and approve only). */
  key: string | null;
  /** Everything that makes two requests "the same": the target and the body. */
  request: unknown;
}

/** Which conflict error each operation answers when a key is reused with a different body. */
const CONFLICT: Record<IdempotentOperation, ErrorEntry> = {
  create: ERRORS.IDEMPOTENCY_CONFLICT,
  capture: ERRORS.CAPTURE_IDEMPOTENCY_CONFLICT,
  refund: ERRORS.REFUND_IDEMPOTENCY_CONFLICT,
  cancel: ERRORS.IDEMPOTENCY_CONFLICT,
  approve: ERRORS.IDEMPOTENCY_CONFLICT,
};

/** Errors that say nothing final about the request, so they are not remembered for the key. */
const NOT_REMEMBERED = new Set<string | null>([ERRORS.REFERENCE_NOT_FOUND.code, ERRORS.ORDER_PROCESSING.code, ERRORS.INTERNAL.code]);

export type Outcome<T> = { ok: true; value: T; replayed: boolean } | { ok: false; error: DomainError };

/**
 * Runs `effect` at most once per key. Returns the outcome instead of throwing a DomainError so that
 * the caller's transaction still commits what was decided (an error outcome, an expiry found on the way).
 */
export async function once<T>(
  uow: UnitOfWork,
  scope: IdempotencyScope,
  effect: () => Promise<T>,
  /** What of the result to keep for a replay; it must still render the same response. */
  remember: (value: T) => T = (v) => v,
): Promise<Outcome<T>> {
  const { tx, now } = uow;
  const bodyHash = scope.key === null ? '' : requestHash(scope.request);
  if (scope.key !== null) {
    const previous = await tx.getIdempotency(scope.msn, scope.operation, scope.key);
    if (previous) {
      if (previous.requestHash !== bodyHash) {
        return { ok: false, error: new DomainError(CONFLICT[scope.operation], `The Idempotency-Key "${scope.key}" was already used with a different request.`) };
      }
      return previous.outcome.ok
        ? { ok: true, value: previous.outcome.value as T, replayed: true }
        : { ok: false, error: fromStoredError(previous.outcome.error) };
    }
  }
  let outcome: Outcome<T>;
  try {
    outcome = { ok: true, value: await effect(), replayed: false };
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    outcome = { ok: false, error: err };
  }
  if (scope.key !== null && (outcome.ok || !NOT_REMEMBERED.has(outcome.error.entry.code))) {
    await tx.putIdempotency({
      msn: scope.msn,
      operation: scope.operation,
      key: scope.key,
      requestHash: bodyHash,
      outcome: outcome.ok ? { ok: true, value: remember(outcome.value) } : { ok: false, error: toStoredError(outcome.error) },
      createdAt: now,
    });
  }
  return outcome;
}

export function requestHash(request: unknown): string {
  // One-shot crypto.hash: no Hash object per request (a third of the cost of createHash here).
  return hash('sha256', canonicalJson(request), 'base64url');
}

/** Keys that JSON writes as they are (no escaping): nearly all of them. */
const PLAIN_KEY = /^[A-Za-z0-9_$-]*$/;

/**
 * JSON with object keys sorted, so that key order does not make two equal bodies differ. Stored
 * request hashes depend on this exact text: change the output and retries after an upgrade 409.
 * (Written out by hand because it runs on every idempotent request: twice as fast as sorting entries.)
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  let out = '{';
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${PLAIN_KEY.test(key) ? `"${key}"` : JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}
