// Item "test-references": the go-live step of the checklist: test references (payments) that ended
// CAPTURED (the whole authorization captured, nothing refunded or released), REFUNDED (something
// refunded) and CANCELLED (authorized, then released by a cancel with nothing captured), each
// through the integration's own 2xx /capture, /refund or /cancel request for that reference.
import type { ChecklistInput, ChecklistItem, CheckedPayment } from './checklist.ts';
import { endpointOf, firstFew, isSuccess, type EpaymentEndpoint } from './request-kinds.ts';

const OUTCOMES = ['CAPTURED', 'REFUNDED', 'CANCELLED'] as const;
type Outcome = (typeof OUTCOMES)[number];

const REQUEST_OF: Record<Outcome, EpaymentEndpoint> = { CAPTURED: 'capture', REFUNDED: 'refund', CANCELLED: 'cancel' };

/** What a payment ended as, of the three outcomes, or null. */
export function outcomeOf(p: CheckedPayment): Outcome | null {
  if (p.authorized <= 0) return null;
  if (p.refunded > 0) return 'REFUNDED';
  if (p.captured === p.authorized && p.cancelled === 0) return 'CAPTURED';
  if (p.captured === 0 && p.cancelled > 0 && p.events.some((e) => e.name === 'CANCELLED')) return 'CANCELLED';
  return null;
}

export function judgeTestReferences(input: ChecklistInput): ChecklistItem {
  // References with a successful request of each kind.
  const requested: Record<Outcome, Set<string>> = { CAPTURED: new Set(), REFUNDED: new Set(), CANCELLED: new Set() };
  for (const r of input.requests) {
    if (!isSuccess(r) || r.reference === null) continue;
    const e = endpointOf(r);
    for (const o of OUTCOMES) if (REQUEST_OF[o] === e) requested[o].add(r.reference);
  }
  const found: Record<Outcome, string[]> = { CAPTURED: [], REFUNDED: [], CANCELLED: [] };
  for (const p of input.payments) {
    const o = outcomeOf(p);
    if (o !== null && requested[o].has(p.reference)) found[o].push(p.reference);
  }
  const missing = OUTCOMES.filter((o) => found[o].length === 0);
  const references = Object.fromEntries(OUTCOMES.map((o) => [o, firstFew(found[o])]));
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, found[o].length]));
  const title = 'Test references ended CAPTURED, REFUNDED and CANCELLED';
  if (missing.length === 0) {
    return { id: 'test-references', title, status: 'pass', detail: `Found ${OUTCOMES.map((o) => `${o} ${references[o]![0]}`).join(', ')}.`, evidence: { counts, references } };
  }
  return {
    id: 'test-references',
    title,
    status: 'fail',
    detail: `No test reference ended ${missing.join(', ')} (${missing.map((o) => `/${REQUEST_OF[o]}`).join(', ')} request${missing.length > 1 ? 's' : ''} through the API).`,
    evidence: { counts, references, missing },
  };
}
