// makePayment, the call Vipps makes to a PSP when the shopper approves: the answer's reading, the
// body as the spec declares it, and end to end against a real test PSP (an HTTP server) on the store
// under test: OK reserves, FAIL declines (the shopper may try again), SOFT_DECLINE sends the shopper
// to 3-D Secure and the app's intercept asks again, no answer in time declines, and a payment that
// ends without approval is told (TIMEOUT, USER_CANCEL).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Payment } from '../../domain/payment.ts';
import type { CreateInput } from '../../engine/create-payment.ts';
import { DEFAULT_MERCHANT } from '../../platform/config.ts';
import { usePlatformServer } from '../../../test-support/platform-server.ts';
import { specValidator } from '../../../test-support/spec-validator.ts';
import { WebhookReceiver, type Arrival } from '../../../test-support/webhook-receiver.ts';
import { networkTokenFor } from '../../domain/network-tokens.ts';
import { challengeReturnUrl, readMakePaymentAnswer } from './make-payment.ts';
import type { PspAttachment } from './new-psp-payment.ts';

const MSN = DEFAULT_MERCHANT.msn;
const ADA = '4712345678';

describe('reading the PSP answer to makePayment', () => {
  const read = (json: unknown, attempt: 'first' | 'after-challenge' = 'first', status = 200, contentType = 'application/json') => readMakePaymentAnswer(status, contentType, JSON.stringify(json), null, attempt);
  it('OK reserves; FAIL declines with the errorId and text', () => {
    assert.deepEqual(read({ paymentInfo: { pspTransactionId: 'x', status: 'OK' } }), { outcome: 'approved' });
    const fail = read({ errorMessage: { errorId: 81, errorText: 'Insufficient funds' }, paymentInfo: { status: 'FAIL' } });
    assert.equal(fail.outcome, 'declined');
    assert.match((fail as { detail: string }).detail, /errorId 81: Insufficient funds/);
  });
  it('SOFT_DECLINE with url3dSecure is a challenge the first time, and a decline after one', () => {
    const soft = { errorMessage: { errorId: 1036, errorText: 'Soft Decline' }, paymentInfo: { status: 'SOFT_DECLINE', url3dSecure: 'https://psp.example/3ds/1' } };
    assert.deepEqual(read(soft), { outcome: 'challenge', url: 'https://psp.example/3ds/1' });
    assert.equal(read(soft, 'after-challenge').outcome, 'declined');
    assert.equal(read({ paymentInfo: { status: 'SOFT_DECLINE', url3dSecure: 'javascript:alert(1)' } }).outcome, 'declined');
  });
  it('no answer, another status, a non-JSON type or body, or no status declines', () => {
    assert.equal(readMakePaymentAnswer(null, undefined, '', 'timed out after 15000 ms', 'first').outcome, 'declined');
    assert.equal(read({ paymentInfo: { status: 'OK' } }, 'first', 500).outcome, 'declined');
    assert.equal(read({ paymentInfo: { status: 'OK' } }, 'first', 200, 'text/plain').outcome, 'declined');
    assert.equal(readMakePaymentAnswer(200, 'application/json', 'OK', null, 'first').outcome, 'declined');
    assert.equal(read({ paymentInfo: {} }).outcome, 'declined');
  });
});

describe('the network token', () => {
  it("follows the PSP guide's test amounts, and otherwise the brand of the card chosen", () => {
    assert.deepEqual(networkTokenFor(3200, '555555'), { number: '4111111111111111', cryptogram: 'uxToh3Ep6gsR8AAkvZALN19Iz34=', expiryMonth: '03', expiryYear: '30', tokenType: 'VISA', eci: '07' });
    assert.equal(networkTokenFor(2200, '411111').tokenType, 'MASTERCARD');
    assert.equal(networkTokenFor(2200, '411111').eci, '06');
    assert.equal(networkTokenFor(1000, '411111').number, '4895370013193500');
    assert.equal(networkTokenFor(1000, '555555').tokenType, 'MASTERCARD');
  });
});

/** A PSP payment as the PSP face creates it: an engine payment carrying attachments.psp. */
function pspCreate(reference: string, amount: number, psp: PspAttachment, phone = ADA): CreateInput {
  return {
    msn: MSN,
    reference,
    idempotencyKey: null,
    build: () => ({
      amount,
      currency: 'NOK',
      terms: { userFlow: 'PUSH_MESSAGE', customerPhone: phone, returnUrl: psp.pspRedirectUrl, longLiving: false, paymentDescription: 'PSP test' },
      attachments: { psp },
    }),
  };
}

describe('makePayment end to end against a test PSP', { timeout: 60_000 }, () => {
  const t = usePlatformServer({ makePaymentTimeoutMs: 1_000 });
  let psp: WebhookReceiver;
  before(async () => {
    psp = await WebhookReceiver.start();
  });
  after(async () => {
    await psp?.close();
  });

  const engine = () => t.server.platform.engine;
  const attachment = (): PspAttachment => ({
    pspId: 'psp-1',
    pspTransactionId: randomUUID().replace(/-/g, ''),
    makePaymentUrl: psp.url('/makepayment'),
    makePaymentToken: 'Bearer psp-secret-42',
    pspRedirectUrl: 'https://psp.example/return',
  });

  async function created(amount = 1000): Promise<{ p: Payment; psp: PspAttachment }> {
    const a = attachment();
    const p = await engine().run((uow) => engine().commands.create(uow, pspCreate(`psp-${randomUUID()}`, amount, a)));
    return { p, psp: a };
  }

  const callsFor = (id: string) => psp.arrivals.filter((x) => x.body?.pspTransactionId === id);
  async function settled(p: Payment, done: (q: Payment) => boolean): Promise<Payment> {
    for (let i = 0; i < 200; i++) {
      const q = await engine().getPayment({ id: p.id });
      if (done(q)) return q;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`payment ${p.id} did not settle`);
  }
  const answering = (byId: Record<string, (a: Arrival) => unknown>) => {
    psp.answer = (a) => {
      const json = byId[a.body?.pspTransactionId]?.(a);
      return json === 'hang' ? 'hang' : { status: 200, json: json ?? { paymentInfo: { status: 'OK' } } };
    };
  };

  it('OK: the approval waits for the PSP, which gets the card as the spec says, then the payment is AUTHORIZED', async () => {
    const { p, psp: a } = await created(3200);
    answering({ [a.pspTransactionId]: () => ({ paymentInfo: { pspTransactionId: a.pspTransactionId, status: 'OK' } }) });
    const held = await engine().approve({ id: p.id }, { phoneNumber: ADA, card: 'mastercard-4444' });
    assert.equal(held.state, 'CREATED');
    assert.ok(held.pendingApproval?.external, 'the approval is held for the PSP');
    const done = await settled(p, (q) => q.state === 'AUTHORIZED');
    assert.equal(done.authorized, 3200);
    const [call] = callsFor(a.pspTransactionId);
    assert.ok(call);
    assert.equal(call.headers.authorization, 'Bearer psp-secret-42', 'Authorization is the makePaymentToken as given');
    assert.deepEqual(specValidator().checkSchema('psp', 'MakePaymentRequest', call.body), []);
    assert.equal(call.body.paymentState, 'ACCEPTED');
    assert.equal(call.body.merchantSerialNumber, MSN);
    assert.equal(call.body.binNumber, '555555', 'the BIN of the card chosen');
    assert.equal(call.body.networkToken.number, '4111111111111111', "the guide's token for amount 3200");
    assert.deepEqual(
      call.body.operations.map((o: { operation: string }) => o.operation),
      ['3dssuccess', '3dscancel', '3dsfailure'],
    );
  });

  it('FAIL: the approval is released, the shopper sees why and may approve again', async () => {
    const { p, psp: a } = await created();
    let n = 0;
    answering({ [a.pspTransactionId]: () => (++n === 1 ? { errorMessage: { errorId: 82, errorText: 'Card blocked' }, paymentInfo: { status: 'FAIL' } } : { paymentInfo: { status: 'OK' } }) });
    await engine().approve({ id: p.id }, { phoneNumber: ADA });
    const declined = await settled(p, (q) => q.pendingApproval === undefined);
    assert.equal(declined.state, 'CREATED');
    assert.match(declined.lastDecline ?? '', /errorId 82: Card blocked/);
    await engine().approve({ id: p.id }, { phoneNumber: ADA });
    const done = await settled(p, (q) => q.state === 'AUTHORIZED');
    assert.equal(done.lastDecline, undefined);
    assert.equal(callsFor(a.pspTransactionId).length, 2);
  });

  it('SOFT_DECLINE: the shopper is sent to url3dSecure; the intercept with responsecode OK asks again, and OK authorizes', async () => {
    const { p, psp: a } = await created();
    let n = 0;
    answering({ [a.pspTransactionId]: () => (++n === 1 ? { errorMessage: { errorId: 1036, errorText: 'Soft Decline' }, paymentInfo: { status: 'SOFT_DECLINE', url3dSecure: 'https://psp.example/3ds/7' } } : { paymentInfo: { status: 'OK' } }) });
    await engine().approve({ id: p.id }, { phoneNumber: ADA });
    const challenged = await settled(p, (q) => q.pendingApproval?.external?.challengeUrl !== undefined);
    assert.equal(challenged.pendingApproval?.external?.challengeUrl, 'https://psp.example/3ds/7');
    const ok = callsFor(a.pspTransactionId)[0]!.body.operations.find((o: { operation: string }) => o.operation === '3dssuccess').url as string;
    assert.equal(ok, challengeReturnUrl(t.server.url, challenged, '3dssuccess'));
    const res = await fetch(ok, { redirect: 'manual' });
    assert.equal(res.status, 303);
    const done = await settled(p, (q) => q.state === 'AUTHORIZED');
    assert.equal(done.state, 'AUTHORIZED');
    assert.equal(callsFor(a.pspTransactionId).length, 2, 'makePayment was sent again after 3-D Secure');
  });

  it('SOFT_DECLINE then 3dsfailure: the approval is released without asking again', async () => {
    const { p, psp: a } = await created();
    answering({ [a.pspTransactionId]: () => ({ paymentInfo: { status: 'SOFT_DECLINE', url3dSecure: 'https://psp.example/3ds/8' } }) });
    await engine().approve({ id: p.id }, { phoneNumber: ADA });
    const challenged = await settled(p, (q) => q.pendingApproval?.external?.challengeUrl !== undefined);
    await fetch(challengeReturnUrl(t.server.url, challenged, '3dsfailure'), { redirect: 'manual' });
    const released = await settled(p, (q) => q.pendingApproval === undefined);
    assert.equal(released.state, 'CREATED');
    assert.match(released.lastDecline ?? '', /3-D Secure was not completed \(responsecode FAILURE\)/);
    assert.equal(callsFor(a.pspTransactionId).length, 1);
  });

  it('no answer within makePaymentTimeoutMs declines the approval', async () => {
    const { p, psp: a } = await created();
    answering({ [a.pspTransactionId]: () => 'hang' });
    await engine().approve({ id: p.id }, { phoneNumber: ADA });
    const declined = await settled(p, (q) => q.pendingApproval === undefined);
    assert.match(declined.lastDecline ?? '', /no usable answer in time/);
  });

  it("amount 3100 is a card that is not eligible: declined before makePayment is sent", async () => {
    const { p, psp: a } = await created(3100);
    await engine().approve({ id: p.id }, { phoneNumber: ADA });
    const declined = await settled(p, (q) => q.pendingApproval === undefined);
    assert.match(declined.lastDecline ?? '', /not eligible/);
    assert.equal(callsFor(a.pspTransactionId).length, 0);
  });

  it('a rejection is told as USER_CANCEL and an expiry as TIMEOUT, without a card', async () => {
    const rejected = await created();
    await engine().reject({ id: rejected.p.id }, { phoneNumber: ADA });
    const expiring = await created();
    t.server.platform.clock.advance(11 * 60 * 1000);
    await engine().getPayment({ id: expiring.p.id });
    for (const [c, state] of [[rejected, 'USER_CANCEL'], [expiring, 'TIMEOUT']] as const) {
      for (let i = 0; i < 100 && callsFor(c.psp.pspTransactionId).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      const [call] = callsFor(c.psp.pspTransactionId);
      assert.ok(call, `${state} was told`);
      assert.deepEqual(call.body, { pspTransactionId: c.psp.pspTransactionId, merchantSerialNumber: MSN, paymentState: state });
    }
  });
});
