// Idempotency at the face's edge: a face guards a unit of work with its own policy (scope, what is
// remembered, what a conflict answers) and stores its rendered response with the effect
// (unit-of-work.ts runGuarded). The engine keeps effect-level safety itself: operations on one
// payment take turns on its row lock.
import { hash } from 'node:crypto';
import type { Refusal } from '../domain/reasons.ts';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Refusal };

export interface Guard<T, R> {
  /** Who shares keys: a face, an operation and what it acts on (`epayment/capture/123456/order-1`). */
  scope: string;
  key: string;
  /** Everything that makes two requests "the same" (hashed with object keys sorted). */
  request: unknown;
  /** The face's response to an outcome, in the form it stores (JSON). */
  respond(outcome: Outcome<T>): R;
  /** Whether this outcome is final, and so kept for the key. */
  remember(outcome: Outcome<T>): boolean;
}

/** A guarded unit: its fresh response, the stored one of an earlier request, or a key reused for another request. */
export type Guarded<R> = { kind: 'fresh'; response: R } | { kind: 'replay'; response: R } | { kind: 'conflict' };

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
