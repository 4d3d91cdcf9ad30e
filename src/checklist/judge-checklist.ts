// The go-live check's judging, without I/O: what the integration did (ChecklistInput) → the
// checklist. Each item's rule is in its own judge-*.ts; the order here is the order shown.
import type { Checklist, ChecklistInput, ChecklistItem, ItemStatus } from './checklist.ts';
import { judgeEndpoints } from './judge-endpoints.ts';
import { judgeIdempotencyKeys, judgeIdempotentRetries } from './judge-idempotency.ts';
import { judgeLeniencies } from './judge-leniencies.ts';
import { judgeOrderManagement } from './judge-order-management.ts';
import { judgePolling, judgeStates } from './judge-states.ts';
import { judgeSystemHeaders } from './judge-system-headers.ts';
import { judgeTestReferences } from './judge-test-references.ts';
import { judgeWebhooks } from './judge-webhooks.ts';

export function judgeChecklist(input: ChecklistInput): Checklist {
  const items: ChecklistItem[] = [
    judgeEndpoints(input),
    judgeTestReferences(input),
    ...judgeStates(input),
    judgePolling(input),
    judgeWebhooks(input),
    judgeSystemHeaders(input),
    judgeIdempotencyKeys(input),
    judgeIdempotentRetries(input),
    judgeOrderManagement(input),
    judgeLeniencies(input),
  ];
  const summary: Record<ItemStatus, number> = { pass: 0, fail: 0, not_seen: 0 };
  for (const item of items) summary[item.status]++;
  return {
    msn: input.msn,
    generatedAt: new Date(input.now).toISOString(),
    passed: summary.fail === 0,
    summary,
    basis: {
      requests: input.requests.length,
      requestWindow: input.requestWindow,
      payments: input.payments.length,
      paymentWindow: input.paymentWindow,
      note: basisNote(input),
    },
    items,
  };
}

function basisNote(input: ChecklistInput): string {
  const parts: string[] = [];
  if (input.requests.length >= input.requestWindow) {
    parts.push(`Based on the last ${input.requestWindow} requests of sales unit ${input.msn}; older ones are not judged.`);
  } else {
    parts.push(`Based on all ${input.requests.length} requests of sales unit ${input.msn} in the request log.`);
  }
  parts.push(`The request log keeps the last ${input.requestLogCapacity} requests of all sales units together; reset empties it.`);
  if (input.payments.length >= input.paymentWindow) parts.push(`Only the ${input.paymentWindow} most recently used references were read.`);
  if (input.requestsDropped > 0) parts.push(`${input.requestsDropped} requests could not be recorded (the store fell behind): the log has gaps.`);
  return parts.join(' ');
}
