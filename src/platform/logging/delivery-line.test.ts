// The webhook attempt line's wording for outcomes the end-to-end test does not reach.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_FAULTS, type AttemptResult, type WebhookDelivery } from '../../store/store.ts';
import { deliveryLine, duration } from './delivery-line.ts';

const delivery: WebhookDelivery = {
  id: 7,
  format: 'vipps-webhook',
  targetId: 'wh-1',
  url: 'http://localhost:3000/hook',
  secret: 's',
  faults: NO_FAULTS,
  subject: 'p-1',
  msn: '123456',
  reference: 'order-123',
  eventType: 'epayments.payment.created.v1',
  payload: '{}',
  createdAt: 0,
  nextAttemptAt: 0,
  status: 'pending',
  attempts: 1,
  deliveredAt: null,
};

function result(statusCode: number | null, status: AttemptResult['status'], nextAttemptAt: number, error: string | null = null, note: string | null = null): AttemptResult {
  return { attempt: { deliveryId: 7, attempt: 2, at: 0, statusCode, error, latencyMs: 3, responseExcerpt: null, note }, status, nextAttemptAt, countsAsAttempt: true };
}

describe('delivery line', () => {
  it('a refused connection names why, the attempt and the next retry in minutes', () => {
    const line = deliveryLine(delivery, result(null, 'pending', 10_000 + 5 * 60_000, 'connection refused'), 10_000);
    assert.equal(line.level, 'warn');
    assert.equal(line.message, '→ epayments.payment.created.v1 order-123 → http://localhost:3000/hook no answer · connection refused · attempt 2 · next in 5 min');
    assert.equal(line.fields.nextInMs, 300_000);
  });

  it('the last failed attempt says it gave up', () => {
    const line = deliveryLine(delivery, result(500, 'failed', 0), 10_000);
    assert.equal(line.message, '→ epayments.payment.created.v1 order-123 → http://localhost:3000/hook 500 · attempt 2 · gave up: no more attempts');
    assert.equal(line.fields.nextInMs, null);
  });

  it('a fault-injected duplicate is delivered at info and says so', () => {
    const line = deliveryLine(delivery, result(204, 'delivered', 0, null, 'duplicate sent on purpose (fault injection)'), 0);
    assert.equal(line.level, 'info');
    assert.equal(line.message, '→ epayments.payment.created.v1 order-123 → http://localhost:3000/hook 204 · attempt 2 · duplicate sent on purpose (fault injection)');
  });

  it('durations read as a person says them', () => {
    assert.deepEqual([120, 999, 1_500, 12_400, 240_000, 3_600_000, 7_500_000].map(duration), ['120 ms', '1 s', '1.5 s', '12 s', '4 min', '1 h', '2 h 5 min']);
  });
});
