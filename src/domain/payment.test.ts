import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCodeOf } from '../../test-support/domain-errors.ts';
import {
  abort,
  authorize,
  cancel,
  capture,
  CAPTURE_PERIOD_MS,
  createPayment,
  DEFAULT_EXPIRY_MS,
  holdApproval,
  recordExternal,
  refund,
  resolveDeadline,
  dueAt,
  type Adjustment,
  type OperationContext,
  type Payment,
} from './payment.ts';

let n = 0;
const ctx = (now = 1_000_000): OperationContext => ({ now, pspReference: `psp-${++n}`, idempotencyKey: null });
const nok = (value: number) => ({ currency: 'NOK' as const, value });

function created(amount = 1000): Payment {
  return createPayment(
    {
      id: '1',
      msn: '123456',
      reference: 'order-12345678',
      currency: 'NOK',
      amount,
      token: 't',
      expiresAt: 1_000_000 + DEFAULT_EXPIRY_MS,
      terms: { userFlow: 'WEB_REDIRECT', longLiving: false },
    },
    ctx(),
  ).payment;
}

const authorized = (amount = 1000) => authorize(created(amount), { customerPhone: '4712345678' }, ctx()).payment;

function code(fn: () => unknown): string {
  const answered = errorCodeOf(fn);
  assert.notEqual(answered, 'no error', 'expected the operation to be rejected');
  return answered;
}

describe('payment state machine', () => {
  it('a new payment is CREATED with an all-zero aggregate and a CREATED event for the full amount', () => {
    const t = createPayment({ id: '2', msn: '1234', reference: 'abcdefgh', currency: 'NOK', amount: 500, token: 't', expiresAt: 2, terms: created().terms }, ctx());
    assert.equal(t.payment.state, 'CREATED');
    assert.deepEqual([t.payment.authorized, t.payment.cancelled, t.payment.captured, t.payment.refunded], [0, 0, 0, 0]);
    assert.equal(t.events[0]?.name, 'CREATED');
    assert.equal(t.events[0]?.amount, 500);
  });

  it('authorization sets authorizedAmount to the amount and records who approved', () => {
    const p = authorized(700);
    assert.equal(p.state, 'AUTHORIZED');
    assert.equal(p.authorized, 700);
    assert.equal(p.customerPhone, '4712345678');
  });

  it('an authorized payment cannot be authorized again (6230)', () => {
    assert.equal(code(() => authorize(authorized(), { customerPhone: '4712345678' }, ctx())), '6230');
  });

  it('cancel before authorization terminates with cancelledAmount = amount', () => {
    const t = cancel(created(900), { onlyIfUnauthorized: false }, ctx());
    assert.equal(t.payment.state, 'TERMINATED');
    assert.equal(t.payment.cancelled, 900);
    assert.equal(t.events[0]?.name, 'TERMINATED');
  });

  it('cancel after a partial capture releases exactly the uncaptured remainder and stays AUTHORIZED', () => {
    const p = capture(authorized(1000), nok(250), ctx()).payment;
    const t = cancel(p, { onlyIfUnauthorized: false }, ctx());
    assert.equal(t.payment.state, 'AUTHORIZED');
    assert.equal(t.payment.cancelled, 750);
    assert.equal(t.events[0]?.name, 'CANCELLED');
    assert.equal(t.events[0]?.amount, 750);
  });

  it('a repeated cancel changes nothing and records no event', () => {
    const once = cancel(authorized(), { onlyIfUnauthorized: false }, ctx()).payment;
    const twice = cancel(once, { onlyIfUnauthorized: false }, ctx());
    assert.deepEqual(twice.events, []);
    assert.equal(twice.payment, once);
  });

  it('cancel of a fully captured payment is rejected with 6040', () => {
    const p = capture(authorized(1000), nok(1000), ctx()).payment;
    assert.equal(code(() => cancel(p, { onlyIfUnauthorized: false }, ctx())), '6040');
  });

  it('onlyIfUnauthorized on an authorized payment is rejected with 6060', () => {
    assert.equal(code(() => cancel(authorized(), { onlyIfUnauthorized: true }, ctx())), '6060');
  });

  it('cancel of an aborted or expired payment is rejected with 6190', () => {
    assert.equal(code(() => cancel(abort(created(), ctx()).payment, { onlyIfUnauthorized: false }, ctx())), '6190');
  });

  it('capture before authorization is rejected with 6080', () => {
    assert.equal(code(() => capture(created(), nok(100), ctx())), '6080');
  });

  it('capture above authorized minus cancelled minus captured is rejected with 6090', () => {
    const p = capture(authorized(1000), nok(600), ctx()).payment;
    assert.equal(code(() => capture(p, nok(401), ctx())), '6090');
    assert.equal(capture(p, nok(400), ctx()).payment.captured, 1000);
  });

  it('capture after a full capture is rejected with 6170, after cancel of the rest with 6070', () => {
    assert.equal(code(() => capture(capture(authorized(1000), nok(1000), ctx()).payment, nok(1), ctx())), '6170');
    const cancelled = cancel(capture(authorized(1000), nok(10), ctx()).payment, { onlyIfUnauthorized: false }, ctx()).payment;
    assert.equal(code(() => capture(cancelled, nok(1), ctx())), '6070');
  });

  it('capture in another currency or of zero is rejected with 4040', () => {
    assert.equal(code(() => capture(authorized(), { currency: 'DKK', value: 10 }, ctx())), '4040');
    assert.equal(code(() => capture(authorized(), nok(0), ctx())), '4040');
  });

  it('capture after the 180-day capture period is rejected with 6100', () => {
    assert.equal(code(() => capture(authorized(), nok(10), ctx(1_000_000 + CAPTURE_PERIOD_MS + 1))), '6100');
  });

  it('refund above the captured amount is rejected with 6150', () => {
    const p = capture(authorized(1000), nok(300), ctx()).payment;
    assert.equal(code(() => refund(p, nok(301), ctx())), '6150');
    const r = refund(p, nok(300), ctx());
    assert.equal(r.payment.refunded, 300);
    assert.equal(r.events[0]?.name, 'REFUNDED');
  });

  it('refund before authorization is rejected with 6020', () => {
    assert.equal(code(() => refund(created(), nok(1), ctx())), '6020');
  });

  it('refund of a fully captured and fully refunded payment is rejected with 6180', () => {
    const p = refund(capture(authorized(1000), nok(1000), ctx()).payment, nok(1000), ctx()).payment;
    assert.equal(code(() => refund(p, nok(1), ctx())), '6180');
  });

  it('refund test amounts 123 and 124 fail with 6210 and 6220', () => {
    const p = capture(authorized(1000), nok(1000), ctx()).payment;
    assert.equal(code(() => refund(p, nok(123), ctx())), '6210');
    assert.equal(code(() => refund(p, nok(124), ctx())), '6220');
  });

  it('a payment past its deadline expires; one before it does not', () => {
    const p = created();
    assert.equal(resolveDeadline(p, ctx(p.expiresAt - 1)), null);
    const t = resolveDeadline(p, ctx(p.expiresAt));
    assert.equal(t?.payment.state, 'EXPIRED');
    assert.equal(t?.events[0]?.name, 'EXPIRED');
  });

  it('a held approval (test amount 201) authorizes when it resolves instead of expiring', () => {
    const held = holdApproval(created(201), { resolvesAt: 5_000_000, customerPhone: '4712345678' });
    assert.equal(held.expiresAt, 5_000_000);
    assert.equal(resolveDeadline(held, ctx(4_999_999)), null);
    assert.equal(resolveDeadline(held, ctx(5_000_000))?.payment.state, 'AUTHORIZED');
  });

  it('cancel while a held approval is pending is rejected with 6250', () => {
    const held = holdApproval(created(201), { resolvesAt: 5_000_000, customerPhone: '4712345678' });
    assert.equal(code(() => cancel(held, { onlyIfUnauthorized: false }, ctx())), '6250');
  });

  it('every change increments the version by one', () => {
    const a = authorized();
    const b = capture(a, nok(1), ctx()).payment;
    assert.equal(b.version, a.version + 1);
  });
});

describe('adjustments: captures, refunds and releases are rows the aggregate is made of', () => {
  it('a capture makes one adjustment with its amount, time, key and an id of its own', () => {
    const p = authorized(1000);
    const t = capture(p, nok(300), { now: 2_000_000, pspReference: 'psp-c', idempotencyKey: 'key-1' });
    assert.deepEqual(t.adjustments, [
      { id: `${p.id}:${t.events[0]!.seq}`, paymentId: p.id, seq: t.events[0]!.seq, kind: 'capture', amount: 300, currency: 'NOK', at: 2_000_000, idempotencyKey: 'key-1', origin: 'platform', pspReference: 'psp-c' },
    ]);
  });

  it('a final capture releases the rest: a CAPTURED and a CANCELLED event, two adjustments, nothing left to capture', () => {
    const t = capture(authorized(1000), nok(600), ctx(), { final: true });
    assert.deepEqual(t.events.map((e) => [e.name, e.amount]), [['CAPTURED', 600], ['CANCELLED', 400]]);
    assert.deepEqual(t.adjustments.map((a) => [a.kind, a.amount]), [['capture', 600], ['cancel', 400]]);
    assert.deepEqual([t.payment.captured, t.payment.cancelled], [600, 400]);
    assert.equal(code(() => capture(t.payment, nok(1), ctx())), '6070');
  });

  it('the aggregate is the sum of the adjustments', () => {
    let p = authorized(1000);
    const all: Adjustment[] = [];
    for (const step of [(q: Payment) => capture(q, nok(400), ctx()), (q: Payment) => refund(q, nok(150), ctx()), (q: Payment) => capture(q, nok(100), ctx()), (q: Payment) => cancel(q, { onlyIfUnauthorized: false }, ctx())]) {
      const t = step(p);
      all.push(...t.adjustments);
      p = t.payment;
    }
    const sum = (kind: string) => all.filter((a) => a.kind === kind).reduce((s, a) => s + a.amount, 0);
    assert.deepEqual([sum('capture'), sum('refund'), sum('cancel')], [p.captured, p.refunded, p.cancelled]);
  });

  it('capture test amount 126 fails with 6260 every time; 128 fails with 6280 once, and the retry succeeds', () => {
    const p = authorized(1000);
    assert.equal(code(() => capture(p, nok(126), ctx())), '6260');
    const first = capture(p, nok(128), ctx());
    assert.equal(first.refused?.reason, 'CAPTURE_FAILED');
    assert.deepEqual([first.events, first.payment.captured], [[], 0], 'nothing is captured');
    assert.equal(first.payment.version, p.version + 1, 'the payment remembers the failed attempt');
    assert.equal(capture(first.payment, nok(128), ctx()).payment.captured, 128);
  });

  it('refund test amount 125 fails with 5100', () => {
    assert.equal(code(() => refund(capture(authorized(1000), nok(1000), ctx()).payment, nok(125), ctx())), '5100');
  });

  it('the AUTHORIZED event carries the idempotency key of the request that created the payment', () => {
    const p = createPayment({ id: '3', msn: '123456', reference: 'order-keyed', currency: 'NOK', amount: 1000, token: 't', expiresAt: 2_000_000, terms: created().terms }, { ...ctx(), idempotencyKey: 'create-key' }).payment;
    assert.equal(authorize(p, { customerPhone: '4712345678' }, ctx()).events[0]?.idempotencyKey, 'create-key');
  });

  it('an adjustment reported from elsewhere is kept as external, under the same limits', () => {
    const t = recordExternal(authorized(1000), 'capture', nok(700), ctx());
    assert.deepEqual(t.adjustments.map((a) => [a.kind, a.amount, a.origin]), [['capture', 700, 'external']]);
    assert.equal(code(() => recordExternal(t.payment, 'capture', nok(301), ctx())), '6090');
    assert.equal(code(() => recordExternal(t.payment, 'refund', nok(701), ctx())), '6150');
  });
});

describe('terms a face may set: capture on approval, a shorter window, an authorization hold', () => {
  const withTerms = (terms: Partial<Payment['terms']>): Payment => ({ ...created(), terms: { ...created().terms, ...terms } });

  it('captureOnApproval: the approval authorizes and captures the whole amount in one transition', () => {
    const t = authorize(withTerms({ captureOnApproval: true }), { customerPhone: '4712345678' }, ctx());
    assert.deepEqual(t.events.map((e) => [e.name, e.amount]), [['AUTHORIZED', 1000], ['CAPTURED', 1000]]);
    assert.equal(t.payment.captured, 1000);
    assert.deepEqual(t.adjustments.map((a) => a.kind), ['capture']);
  });

  it('an authorization hold: nothing is due before its end; at its end the uncaptured remainder is released', () => {
    const hold = 7 * 24 * 3600_000;
    const p = authorize(withTerms({ authorizationHoldMs: hold }), { customerPhone: '4712345678' }, ctx(2_000_000)).payment;
    assert.equal(dueAt(p), 2_000_000 + hold);
    assert.equal(resolveDeadline(p, ctx(2_000_000 + hold - 1)), null);
    const t = resolveDeadline(p, ctx(2_000_000 + hold))!;
    assert.deepEqual(t.events.map((e) => [e.name, e.amount]), [['CANCELLED', 1000]]);
    assert.equal(dueAt(t.payment), null, 'a released hold is due no more');
  });

  it('a captured payment under a hold is not due', () => {
    const p = authorize(withTerms({ authorizationHoldMs: 1000 }), { customerPhone: '4712345678' }, ctx()).payment;
    const captured = capture(p, nok(1000), ctx()).payment;
    assert.equal(dueAt(captured), null);
    assert.equal(dueAt(authorized()), null, 'without a hold an authorization is never due');
  });
});
