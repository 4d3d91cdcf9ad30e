// The shopper-page use-cases on a real engine over an in-memory SQLite store.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { DomainError } from '../domain/reasons.ts';
import type { CreatePaymentRequest } from '../faces/epayment/create-payment-rules.ts';
import { epaymentApi } from '../faces/epayment/epayment-api.ts';
import { epaymentCodeOf } from '../../test-support/domain-errors.ts';
import type { PaymentEvent } from '../domain/payment.ts';
import { AdjustableClock } from '../platform/clock.ts';
import { DEFAULT_TEST_USERS, defaultMerchants } from '../platform/config.ts';
import { randomIds } from '../platform/ids.ts';
import { openSqliteStore } from '../store/sqlite-store.ts';
import { buildDirectory } from './directory.ts';
import { createEngine } from './engine.ts';

const MSN = '123456';
const ADA = '4712345678';
const BOB = '4798765432';

function engineFor(acceptAnyUser = true) {
  const store = openSqliteStore({ path: ':memory:' });
  const clock = new AdjustableClock();
  const directory = buildDirectory({ merchants: defaultMerchants(), testUsers: DEFAULT_TEST_USERS, acceptAnyUser });
  const engine = createEngine({ store, clock, ids: randomIds, directory, projectors: [], onCommitted: [], onOutboxWritten: [] });
  return { engine, api: epaymentApi(engine), clock, store };
}

function request(over: Partial<CreatePaymentRequest> = {}): CreatePaymentRequest {
  return {
    amount: { currency: 'NOK', value: 10000 },
    paymentMethod: { type: 'WALLET' },
    reference: `order-${randomUUID()}`,
    userFlow: 'WEB_REDIRECT',
    returnUrl: 'https://example.com/return',
    ...over,
  };
}

const at = (reference: string) => ({ msn: MSN, reference });

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    const coded = epaymentCodeOf(err);
    if (coded !== null) return coded;
    throw err;
  }
  return 'no error';
}

describe('shopper use-cases', () => {
  it('the landing page sends a payment to a phone: it becomes that user\'s incoming request', async () => {
    const { engine, api, store } = engineFor();
    const p = await api.create(MSN, request(), randomUUID());
    assert.deepEqual((await engine.paymentsOfPhone(ADA)).incoming, []);
    const sent = await engine.sendPaymentToPhone(p.token, ADA);
    assert.equal(sent.customerPhone, ADA);
    assert.equal((await engine.paymentsOfPhone(ADA)).incoming[0]?.reference, p.reference);
    assert.equal((await engine.getPaymentEvents(at(p.reference))).length, 1, 'no event: only CREATED');
    await store.close();
  });

  it('a token that is not the payment\'s answers 5090, and so does garbage', async () => {
    const { engine, api, store } = engineFor();
    const p = await api.create(MSN, request(), randomUUID());
    const forged = `${p.token.split('.')[0]}.${'A'.repeat(43)}`;
    assert.equal(await code(engine.sendPaymentToPhone(forged, ADA)), '5090');
    assert.equal(await code(engine.sendPaymentToPhone('nonsense', ADA)), '5090');
    await store.close();
  });

  it('with acceptAnyUser off, an unknown number cannot receive or sign in (7010)', async () => {
    const { engine, api, store } = engineFor(false);
    const p = await api.create(MSN, request(), randomUUID());
    assert.equal(await code(engine.sendPaymentToPhone(p.token, '4700000001')), '7010');
    assert.throws(() => engine.appUser('4700000001'), DomainError);
    assert.equal(engine.appUser(ADA).firstName, 'Ada');
    await store.close();
  });

  it('the chosen test card decides the approval: a declining card leaves the payment CREATED, a working one authorizes it', async () => {
    const { engine, api, store } = engineFor();
    const p = await api.create(MSN, request({ userFlow: 'PUSH_MESSAGE', customer: { phoneNumber: ADA } }), randomUUID());
    assert.equal(await code(engine.approve(at(p.reference), { phoneNumber: ADA, token: p.token, card: 'visa-0151' })), '10010');
    assert.equal(await code(engine.approve(at(p.reference), { phoneNumber: ADA, token: p.token, card: 'mastercard-0202' })), '10030');
    assert.equal(await code(engine.approve(at(p.reference), { phoneNumber: ADA, token: p.token, card: 'nope' })), '10040');
    assert.equal((await engine.getPayment(at(p.reference))).state, 'CREATED');
    const approved = await engine.approve(at(p.reference), { phoneNumber: ADA, token: p.token, card: 'mastercard-4444' });
    assert.equal(approved.state, 'AUTHORIZED');
    assert.deepEqual((await engine.paymentsOfPhone(ADA)).history.map((x) => x.state), ['AUTHORIZED']);
    assert.equal((await engine.getPayment(at(p.reference))).cardBin, '555555', "the card paid with is kept: its BIN is GetPayment's cardBin");
    await store.close();
  });

  it('an approval without a chosen card pays with the default test card, also when its result is held (test amount 201)', async () => {
    const { engine, api, clock, store } = engineFor();
    const plain = await api.create(MSN, request(), randomUUID());
    await engine.approve(at(plain.reference), { phoneNumber: ADA });
    assert.equal((await engine.getPayment(at(plain.reference))).cardBin, '411111');

    const held = await api.create(MSN, request({ amount: { currency: 'NOK', value: 201 } }), randomUUID());
    await engine.approve(at(held.reference), { phoneNumber: ADA, card: 'mastercard-4444' });
    assert.equal((await engine.getPayment(at(held.reference))).cardBin, undefined, 'not known while the result is held');
    clock.advance(60 * 60 * 1000);
    const resolved = await engine.getPayment(at(held.reference));
    assert.equal(resolved.state, 'AUTHORIZED');
    assert.equal(resolved.cardBin, '555555');
    await store.close();
  });

  it('rejecting in the app: only the addressed user may, and the rejecting user is recorded', async () => {
    const { engine, api, store } = engineFor();
    const push = await api.create(MSN, request({ userFlow: 'PUSH_MESSAGE', customer: { phoneNumber: ADA } }), randomUUID());
    assert.equal(await code(engine.reject(at(push.reference), { phoneNumber: BOB, token: push.token })), '10020');
    assert.equal(await code(engine.reject(at(push.reference), { phoneNumber: ADA, token: 'x.y' })), '10020');
    assert.equal((await engine.reject(at(push.reference), { phoneNumber: ADA, token: push.token })).state, 'ABORTED');

    const qr = await api.create(MSN, request({ userFlow: 'QR' }), randomUUID());
    const rejected = await engine.reject(at(qr.reference), { phoneNumber: BOB, token: qr.token });
    assert.equal(rejected.customerPhone, BOB, 'a QR payment belongs to whoever scanned and rejected it');
    assert.deepEqual((await engine.paymentsOfPhone(BOB)).history.map((x) => x.reference), [qr.reference]);
    await store.close();
  });

  it('an incoming request whose time ran out is listed as EXPIRED, not as incoming', async () => {
    const { engine, api, clock, store } = engineFor();
    await api.create(MSN, request({ userFlow: 'PUSH_MESSAGE', customer: { phoneNumber: ADA } }), randomUUID());
    clock.advance(11 * 60 * 1000);
    const inbox = await engine.paymentsOfPhone(ADA);
    assert.deepEqual(inbox.incoming, []);
    assert.deepEqual(inbox.history.map((x) => x.state), ['EXPIRED']);
    await store.close();
  });

  it('commit listeners hear every event until they unsubscribe', async () => {
    const { engine, api, store } = engineFor();
    const heard: PaymentEvent[] = [];
    const stop = engine.onCommitted((events) => heard.push(...events));
    const p = await api.create(MSN, request(), randomUUID());
    await engine.reject(at(p.reference));
    stop();
    await api.create(MSN, request(), randomUUID());
    assert.deepEqual(heard.map((e) => e.name), ['CREATED', 'ABORTED']);
    await store.close();
  });

  it('the pages secret is made once and kept', async () => {
    const { engine, api, store } = engineFor();
    const first = await engine.pagesSecret();
    assert.ok(first.length >= 43);
    assert.equal(await engine.pagesSecret(), first);
    await store.close();
  });
});
