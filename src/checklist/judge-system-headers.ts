// Item "system-headers": Vipps-System-Name, -Version, -Plugin-Name and -Plugin-Version on every
// call the integration made for the sales unit (every API: access token, ePayment, Webhooks, Order
// Management, …). Fail names the first call without all four and which it lacked.
import type { CheckedRequest, ChecklistInput, ChecklistItem } from './checklist.ts';
import { firstFew, requestEvidence } from './request-kinds.ts';

const HEADERS: Array<[keyof CheckedRequest, string]> = [
  ['systemName', 'Vipps-System-Name'],
  ['systemVersion', 'Vipps-System-Version'],
  ['pluginName', 'Vipps-System-Plugin-Name'],
  ['pluginVersion', 'Vipps-System-Plugin-Version'],
];

export function missingSystemHeaders(r: CheckedRequest): string[] {
  return HEADERS.filter(([field]) => r[field] === null || r[field] === '').map(([, name]) => name);
}

export function judgeSystemHeaders(input: ChecklistInput): ChecklistItem {
  const title = 'Vipps-System-* headers on every call';
  const calls = input.requests.filter((r) => r.api !== 'outbound');
  if (calls.length === 0) return { id: 'system-headers', title, status: 'not_seen', detail: 'No API call was made for this sales unit.', evidence: { counts: { calls: 0 } } };
  const lacking = calls.filter((r) => missingSystemHeaders(r).length > 0);
  const sent = firstFew(calls.filter((r) => r.systemName !== null).map((r) => `${r.systemName}/${r.systemVersion ?? ''} ${r.pluginName ?? ''}/${r.pluginVersion ?? ''}`));
  const counts = { calls: calls.length, withoutAllHeaders: lacking.length };
  if (lacking.length === 0) return { id: 'system-headers', title, status: 'pass', detail: `All ${calls.length} calls sent the four headers.`, evidence: { counts, sent } };
  const first = lacking[0]!;
  const missing = missingSystemHeaders(first);
  return {
    id: 'system-headers',
    title,
    status: 'fail',
    detail: `${lacking.length} of ${calls.length} calls lacked them; first: ${first.method} ${first.path} without ${missing.join(', ')}.`,
    evidence: { counts, sent, missing, firstOffending: requestEvidence(first) },
  };
}
