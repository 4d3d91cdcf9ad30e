// Item "endpoints": every ePayment endpoint of the checklist was used, i.e. answered 2xx at least once.
import type { ChecklistInput, ChecklistItem } from './checklist.ts';
import { ENDPOINT_TITLES, EPAYMENT_ENDPOINTS, endpointOf, isSuccess, requestEvidence, type EpaymentEndpoint } from './request-kinds.ts';

export function judgeEndpoints(input: ChecklistInput): ChecklistItem {
  const calls = Object.fromEntries(EPAYMENT_ENDPOINTS.map((e) => [e, 0])) as Record<EpaymentEndpoint, number>;
  const succeeded = { ...calls };
  for (const r of input.requests) {
    const e = endpointOf(r);
    if (e === null) continue;
    calls[e]++;
    if (isSuccess(r)) succeeded[e]++;
  }
  const unused = EPAYMENT_ENDPOINTS.filter((e) => succeeded[e] === 0);
  const counts = Object.fromEntries(EPAYMENT_ENDPOINTS.map((e) => [e, succeeded[e]]));
  const title = 'Every ePayment endpoint of the checklist used';
  if (unused.length === 0) {
    return { id: 'endpoints', title, status: 'pass', detail: `All ${EPAYMENT_ENDPOINTS.length} endpoints answered 2xx at least once.`, evidence: { counts } };
  }
  const named = unused.map((e) => (calls[e] > 0 ? `${ENDPOINT_TITLES[e]} (called ${calls[e]} times, never answered 2xx)` : ENDPOINT_TITLES[e]));
  const firstFailed = input.requests.find((r) => unused.includes(endpointOf(r)!) && !isSuccess(r));
  return {
    id: 'endpoints',
    title,
    status: 'fail',
    detail: `Not used successfully: ${named.join(', ')}.`,
    evidence: { counts, missing: unused.map((e) => ENDPOINT_TITLES[e]), ...(firstFailed ? { firstOffending: requestEvidence(firstFailed) } : {}) },
  };
}
