// Items "state-<state>" and "polling": did the integration read the payment after it changed?
//
// "Read after" means a GET of the payment or of its events, answered 2xx, whose answer was sent at or
// after the event (arrival + latency ≥ the event's time: a GET that itself settled an expiry saw it).
// - state-aborted/-expired/-terminated/-authorized: pass when at least one payment that reached the
//   state was read after it; fail when payments reached it and none was; not_seen when none reached it.
// - polling: every payment the shopper approved (AUTHORIZED) or rejected (ABORTED) was read after
//   that, not only trusted from the redirect back to returnUrl (or a webhook).
import type { CheckedPayment, CheckedRequest, ChecklistInput, ChecklistItem } from './checklist.ts';
import { firstFew, isRead, isSuccess } from './request-kinds.ts';

export const HANDLED_STATES = ['AUTHORIZED', 'ABORTED', 'EXPIRED', 'TERMINATED'] as const;

/** The successful reads of each reference, in order. */
function readsByReference(requests: readonly CheckedRequest[]): Map<string, CheckedRequest[]> {
  const reads = new Map<string, CheckedRequest[]>();
  for (const r of requests) {
    if (r.reference === null || !isSuccess(r) || !isRead(r)) continue;
    const list = reads.get(r.reference);
    if (list) list.push(r);
    else reads.set(r.reference, [r]);
  }
  return reads;
}

/** When the payment first reached `state` (its first event of that name), or null. */
function reachedAt(p: CheckedPayment, state: string): number | null {
  return p.events.find((e) => e.name === state)?.timestamp ?? null;
}

const readAfter = (reads: CheckedRequest[] | undefined, at: number) => (reads ?? []).some((r) => r.at + r.latencyMs >= at);

export function judgeStates(input: ChecklistInput): ChecklistItem[] {
  const reads = readsByReference(input.requests);
  return HANDLED_STATES.map((state): ChecklistItem => {
    const id = `state-${state.toLowerCase()}`;
    const title = `${state} handled: the payment read after it became ${state}`;
    const reached = input.payments.filter((p) => reachedAt(p, state) !== null);
    const read = reached.filter((p) => readAfter(reads.get(p.reference), reachedAt(p, state)!));
    const notRead = reached.filter((p) => !read.includes(p));
    const evidence = {
      counts: { reached: reached.length, readAfter: read.length },
      references: { readAfter: firstFew(read.map((p) => p.reference)), notReadAfter: firstFew(notRead.map((p) => p.reference)) },
    };
    if (reached.length === 0) return { id, title, status: 'not_seen', detail: `No payment reached ${state}.`, evidence };
    if (read.length === 0) {
      return { id, title, status: 'fail', detail: `${reached.length} payment${reached.length > 1 ? 's' : ''} reached ${state} (first: ${notRead[0]!.reference}), none was read (GET payment or events) afterwards.`, evidence };
    }
    return { id, title, status: 'pass', detail: `${read.length} of ${reached.length} payments that reached ${state} were read afterwards (e.g. ${read[0]!.reference}).`, evidence };
  });
}

export function judgePolling(input: ChecklistInput): ChecklistItem {
  const reads = readsByReference(input.requests);
  const title = "Polled after the shopper's return, not relying on the redirect alone";
  const acted = input.payments
    .map((p) => ({ p, at: p.events.find((e) => e.name === 'AUTHORIZED' || e.name === 'ABORTED')?.timestamp ?? null }))
    .filter((x): x is { p: CheckedPayment; at: number } => x.at !== null);
  const notPolled = acted.filter((x) => !readAfter(reads.get(x.p.reference), x.at)).map((x) => x.p.reference);
  const evidence = {
    counts: { approvedOrRejected: acted.length, polledAfter: acted.length - notPolled.length },
    references: { notPolledAfter: firstFew(notPolled) },
  };
  if (acted.length === 0) return { id: 'polling', title, status: 'not_seen', detail: 'No payment was approved or rejected by the shopper.', evidence };
  if (notPolled.length > 0) {
    return {
      id: 'polling',
      title,
      status: 'fail',
      detail: `${notPolled.length} of ${acted.length} payments approved or rejected by the shopper were never read (GET payment or events) afterwards, first ${notPolled[0]}.`,
      evidence,
    };
  }
  return { id: 'polling', title, status: 'pass', detail: `All ${acted.length} payments approved or rejected by the shopper were read afterwards.`, evidence };
}
