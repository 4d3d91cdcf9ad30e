import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from './error-catalogue.ts';
import {
  abort,
  authorize,
  cancel,
  capture,
  CAPTURE_PERIOD_MS,
  createPayment,
  DEFAULT_EXPIRY_MS,
  holdApproval,
  refund,
  resolveDeadline,
  type OperationContext,
  type Payment,
} from './payment.ts';

let n = 0;
const ctx = (now = 1_000_000): OperationContext => ({ now, pspReference: `psp-${++n}`, idempotencyKey: null });
const nok = (value: number) => ({ currency: 'NOK' as const, value });

function created(amount = 1000): Payment {
  return createPayment(
    {
      msn: '123456',
      reference: 'order-12345678',
      currency: 'NOK',
      amount,
      token: 't',
      expiresAt: 1_000_000 + DEFAULT_EXPIRY_MS,
      terms: { userFlow: 'WEB_REDIRECT', paymentMethod: { type: 'WALLET' }, customerInteraction: 'CUSTOMER_NOT_PRESENT', longLiving: false },
    },
    ctx(),
  ).payment;
}

const authorized = (amount = 1000) => authorize(created(amount), { customerPhone: '4712345678' }, ctx()).payment;

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DomainError, `expected a DomainError, got ${String(err)}`);
    return err.entry.code ?? 'no code';
  }
  assert.fail('expected the operation to be rejected');
}

describe('payment state machine', () => {
  it('a new payment is CREATED with an all-zero aggregate and a CREATED event for the full amount', () => {
    const t = createPayment({ msn: '1234', reference: 'abcdefgh', currency: 'NOK', amount: 500, token: 't', expiresAt: 2, terms: created().terms }, ctx());
    assert.equal(t.payment.state, 'CREATED');
    assert.deepEqual([t.payment.authorized, t.payment.cancelled, t.payment.captured, t.payment.refunded], [0, 0, 0, 0]);
    assert.equal(t.event?.name, 'CREATED');
    assert.equal(t.event?.amount, 500);
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
    const t = cancel(created(900), { cancelTransactionOnly: false }, ctx());
    assert.equal(t.payment.state, 'TERMINATED');
    assert.equal(t.payment.cancelled, 900);
    assert.equal(t.event?.name, 'TERMINATED');
  });

  it('cancel after a partial capture releases exactly the uncaptured remainder and stays AUTHORIZED', () => {
    const p = capture(authorized(1000), nok(250), ctx()).payment;
    const t = cancel(p, { cancelTransactionOnly: false }, ctx());
    assert.equal(t.payment.state, 'AUTHORIZED');
    assert.equal(t.payment.cancelled, 750);
    assert.equal(t.event?.name, 'CANCELLED');
    assert.equal(t.event?.amount, 750);
  });

  it('a repeated cancel changes nothing and records no event', () => {
    const once = cancel(authorized(), { cancelTransactionOnly: false }, ctx()).payment;
    const twice = cancel(once, { cancelTransactionOnly: false }, ctx());
    assert.equal(twice.event, null);
    assert.equal(twice.payment, once);
  });

  it('cancel of a fully captured payment is rejected with 6040', () => {
    const p = capture(authorized(1000), nok(1000), ctx()).payment;
    assert.equal(code(() => cancel(p, { cancelTransactionOnly: false }, ctx())), '6040');
  });

  it('cancelTransactionOnly on an authorized payment is rejected with 6060', () => {
    assert.equal(code(() => cancel(authorized(), { cancelTransactionOnly: true }, ctx())), '6060');
  });

  it('cancel of an aborted or expired payment is rejected with 6190', () => {
    assert.equal(code(() => cancel(abort(created(), ctx()).payment, { cancelTransactionOnly: false }, ctx())), '6190');
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
    const cancelled = cancel(capture(authorized(1000), nok(10), ctx()).payment, { cancelTransactionOnly: false }, ctx()).payment;
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
    assert.equal(r.event?.name, 'REFUNDED');
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
    assert.equal(t?.event?.name, 'EXPIRED');
  });

  it('a held approval (test amount 201) authorizes when it resolves instead of expiring', () => {
    const held = holdApproval(created(201), { resolvesAt: 5_000_000, customerPhone: '4712345678' });
    assert.equal(held.expiresAt, 5_000_000);
    assert.equal(resolveDeadline(held, ctx(4_999_999)), null);
    assert.equal(resolveDeadline(held, ctx(5_000_000))?.payment.state, 'AUTHORIZED');
  });

  it('cancel while a held approval is pending is rejected with 6250', () => {
    const held = holdApproval(created(201), { resolvesAt: 5_000_000, customerPhone: '4712345678' });
    assert.equal(code(() => cancel(held, { cancelTransactionOnly: false }, ctx())), '6250');
  });

  it('every change increments the version by one', () => {
    const a = authorized();
    const b = capture(a, nok(1), ctx()).payment;
    assert.equal(b.version, a.version + 1);
  });
});
