import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCodeOf } from '../../test-support/domain-errors.ts';
import { createPayment, DEFAULT_EXPIRY_MS, type Payment, type PaymentTerms } from './payment.ts';
import { inboxOf, isIncomingFor, landingTimedOut, OPEN_WINDOW_MS, openDeadline, sendToPhone } from './shopper-journey.ts';

const T0 = 1_000_000;
const ADA = '4712345678';
const BOB = '4798765432';

function payment(terms: Partial<PaymentTerms> = {}, over: Partial<Payment> = {}): Payment {
  const p = createPayment(
    {
      id: '1',
      msn: '123456',
      reference: `order-${Math.random().toString(36).slice(2)}`,
      currency: 'NOK',
      amount: 1000,
      token: 't',
      expiresAt: T0 + DEFAULT_EXPIRY_MS,
      terms: { userFlow: 'WEB_REDIRECT', longLiving: false, ...terms },
    },
    { now: T0, pspReference: 'psp', idempotencyKey: null },
  ).payment;
  return { ...p, ...over };
}

const code = errorCodeOf;

describe('landing page: sending the request to a phone', () => {
  it('addresses the payment to the phone and remembers when', () => {
    const p = sendToPhone(payment(), ADA, T0 + 1000);
    assert.equal(p.customerPhone, ADA);
    assert.equal(p.sentToPhoneAt, T0 + 1000);
    assert.equal(p.version, 2);
    assert.equal(p.state, 'CREATED');
  });

  it('sending again to the same phone changes nothing; to another phone re-addresses it', () => {
    const once = sendToPhone(payment(), ADA, T0 + 1000);
    assert.equal(sendToPhone(once, ADA, T0 + 2000), once);
    assert.equal(sendToPhone(once, BOB, T0 + 2000).customerPhone, BOB);
  });

  it('the number must be confirmed within 5 minutes of creation (10020 after that)', () => {
    assert.equal(openDeadline(payment()), T0 + OPEN_WINDOW_MS);
    assert.equal(code(() => sendToPhone(payment(), ADA, T0 + OPEN_WINDOW_MS)), '10020');
    assert.equal(landingTimedOut(payment(), T0 + OPEN_WINDOW_MS), true);
    assert.equal(landingTimedOut(payment(), T0 + OPEN_WINDOW_MS - 1), false);
    assert.equal(landingTimedOut(sendToPhone(payment(), ADA, T0), T0 + OPEN_WINDOW_MS), false, 'once sent, the app has the rest of the time');
  });

  it('a long-living payment keeps its landing page until it expires', () => {
    const p = payment({ longLiving: true }, { expiresAt: T0 + 86_400_000 });
    assert.equal(openDeadline(p), T0 + 86_400_000);
    assert.equal(sendToPhone(p, ADA, T0 + 3_600_000).customerPhone, ADA);
  });

  it('only a CREATED WEB_REDIRECT payment without a pending approval can be sent', () => {
    assert.equal(code(() => sendToPhone(payment({}, { state: 'ABORTED' }), ADA, T0)), '10020');
    assert.equal(code(() => sendToPhone(payment({}, { pendingApproval: { resolvesAt: T0, customerPhone: ADA } }), ADA, T0)), '10020');
    assert.equal(code(() => sendToPhone(payment({ userFlow: 'QR' }), ADA, T0)), '10060');
  });
});

describe('the simulator inbox', () => {
  it('PUSH_MESSAGE requests and landing-page requests are incoming; unsent WEB_REDIRECT ones are not', () => {
    const push = payment({ userFlow: 'PUSH_MESSAGE' }, { customerPhone: ADA });
    const sent = sendToPhone(payment(), ADA, T0);
    const unsent = payment({}, { customerPhone: ADA });
    assert.equal(isIncomingFor(push, ADA), true);
    assert.equal(isIncomingFor(push, BOB), false);
    assert.equal(isIncomingFor(sent, ADA), true);
    assert.equal(isIncomingFor(unsent, ADA), false);
  });

  it('splits payments into incoming (oldest first) and history (newest first, finished or pending)', () => {
    const a = payment({ userFlow: 'PUSH_MESSAGE' }, { customerPhone: ADA, reference: 'a', createdAt: 3 });
    const b = payment({ userFlow: 'PUSH_MESSAGE' }, { customerPhone: ADA, reference: 'b', createdAt: 2 });
    const done = payment({}, { customerPhone: ADA, reference: 'done', state: 'AUTHORIZED', createdAt: 1 });
    const pending = payment({ userFlow: 'PUSH_MESSAGE' }, { customerPhone: ADA, reference: 'pending', pendingApproval: { resolvesAt: 9, customerPhone: ADA } });
    const unsent = payment({}, { customerPhone: ADA, reference: 'unsent' });
    const { incoming, history } = inboxOf([a, b, pending, done, unsent], ADA);
    assert.deepEqual(incoming.map((p) => p.reference), ['b', 'a']);
    assert.deepEqual(history.map((p) => p.reference), ['pending', 'done']);
  });
});
