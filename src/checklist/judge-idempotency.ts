// Items "idempotency-keys" and "idempotent-retries".
// - idempotency-keys: every modification (create, capture, refund, cancel) carried an Idempotency-Key;
//   fail names the first without one; not_seen when no modification was made.
// - idempotent-retries: a modification sent again with the same key (same endpoint and reference) is
//   evidence that retries reuse it; pass when one is seen, not_seen otherwise (never fail: a retry
//   with a new key cannot be told from a new operation).
import type { CheckedRequest, ChecklistInput, ChecklistItem } from './checklist.ts';
import { endpointOf, MODIFICATIONS, requestEvidence } from './request-kinds.ts';

const modifications = (requests: readonly CheckedRequest[]) =>
  requests.filter((r) => {
    const e = endpointOf(r);
    return e !== null && MODIFICATIONS.has(e);
  });

export function judgeIdempotencyKeys(input: ChecklistInput): ChecklistItem {
  const title = 'An Idempotency-Key on every modification';
  const mods = modifications(input.requests);
  const without = mods.filter((r) => r.idempotencyKey === null || r.idempotencyKey === '');
  const counts = { modifications: mods.length, withoutKey: without.length };
  if (mods.length === 0) return { id: 'idempotency-keys', title, status: 'not_seen', detail: 'No create, capture, refund or cancel was sent.', evidence: { counts } };
  if (without.length === 0) return { id: 'idempotency-keys', title, status: 'pass', detail: `All ${mods.length} creates, captures, refunds and cancels carried one.`, evidence: { counts } };
  const first = without[0]!;
  return {
    id: 'idempotency-keys',
    title,
    status: 'fail',
    detail: `${without.length} of ${mods.length} modifications had none; first: ${first.method} ${first.path}.`,
    evidence: { counts, firstOffending: requestEvidence(first) },
  };
}

export function judgeIdempotentRetries(input: ChecklistInput): ChecklistItem {
  const title = 'Retries reuse the Idempotency-Key';
  const seen = new Map<string, CheckedRequest[]>();
  for (const r of modifications(input.requests)) {
    if (r.idempotencyKey === null || r.idempotencyKey === '') continue;
    const k = JSON.stringify([endpointOf(r), r.reference, r.idempotencyKey]);
    const list = seen.get(k);
    if (list) list.push(r);
    else seen.set(k, [r]);
  }
  const repeated = [...seen.values()].filter((l) => l.length > 1);
  if (repeated.length === 0) {
    return { id: 'idempotent-retries', title, status: 'not_seen', detail: 'No modification was sent twice with the same key (a retry after a timeout or a 5xx should reuse it).', evidence: { counts: { repeatedKeys: 0 } } };
  }
  const first = repeated[0]!;
  return {
    id: 'idempotent-retries',
    title,
    status: 'pass',
    detail: `${repeated.length} modification${repeated.length > 1 ? 's were' : ' was'} retried with the same key; first: ${first[0]!.method} ${first[0]!.path} ${first.length} times.`,
    evidence: { counts: { repeatedKeys: repeated.length }, example: first.map(requestEvidence) },
  };
}
