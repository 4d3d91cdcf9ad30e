// Item "no-leniencies": no request relied on a leniency that a stricter (production) reading refuses.
// The request log records each leniency applied (faces/lenient/leniency.ts). All count except the
// ones the platform itself applies to every request (a path in another case, a trailing slash) and
// the test-only force approve's unusable token: docs/decisions.md "Go-live check (issue 17)".
import type { ChecklistInput, ChecklistItem } from './checklist.ts';
import { requestEvidence } from './request-kinds.ts';

/** Leniencies that production applies too: reported by the request log, never failed on. */
export const TOLERATED_LENIENCIES: ReadonlySet<string> = new Set(['path-case', 'path-trailing-slash', 'unusable-token', 'more']);

export function judgeLeniencies(input: ChecklistInput): ChecklistItem {
  const title = 'No leniency a production request would fail on';
  const calls = input.requests.filter((r) => r.api !== 'outbound');
  if (calls.length === 0) return { id: 'no-leniencies', title, status: 'not_seen', detail: 'No API call was made for this sales unit.', evidence: { counts: { calls: 0 } } };
  const kinds = new Map<string, { count: number; field: string; detail: string; first: ReturnType<typeof requestEvidence> }>();
  let offending = 0;
  let first: ReturnType<typeof requestEvidence> | undefined;
  for (const r of calls) {
    const found = (r.leniencies ?? []).filter((l) => !TOLERATED_LENIENCIES.has(l.kind));
    if (found.length === 0) continue;
    offending++;
    first ??= requestEvidence(r);
    for (const l of found) {
      const k = kinds.get(l.kind);
      if (k) k.count++;
      else kinds.set(l.kind, { count: 1, field: l.field, detail: l.detail, first: requestEvidence(r) });
    }
  }
  if (kinds.size === 0) return { id: 'no-leniencies', title, status: 'pass', detail: `None of ${calls.length} calls needed one.`, evidence: { counts: { calls: calls.length, withLeniencies: 0 } } };
  const leniencies = [...kinds.entries()].map(([kind, k]) => ({ kind, count: k.count, field: k.field, detail: k.detail, firstRequest: k.first }));
  return {
    id: 'no-leniencies',
    title,
    status: 'fail',
    detail: `${offending} call${offending > 1 ? 's' : ''} relied on ${leniencies.map((l) => `${l.kind} (${l.field})`).join(', ')}; first: ${first!.method} ${first!.path}.`,
    evidence: { counts: { calls: calls.length, withLeniencies: offending }, leniencies, firstOffending: first },
  };
}
