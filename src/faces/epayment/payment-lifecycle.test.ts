// The payment state machine and its aggregate over HTTP: cancel, capture, refund, force approve,
// test amounts and expiry (PLATFORM-NOTES.md §3.4, §3.8).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCode, type Api, type ApiResponse } from '../../../test-support/api-client.ts';
import { useServer } from '../../../test-support/server.ts';

const ADULT = '4712345678';
const YOUNG = '4798765432';

function assertCode(res: ApiResponse, status: number, code: string): void {
  assert.equal(res.status, status, res.text);
  assert.equal(errorCode(res), code, res.text);
}

async function stateOf(api: Api, reference: string): Promise<string> {
  return (await api.getPayment(reference)).body.state;
}

async function eventNames(api: Api, reference: string): Promise<string[]> {
  return (await api.events(reference)).body.map((e: { name: string }) => e.name);
}

function values(aggregate: Record<string, { value: number }>) {
  return {
    authorized: aggregate.authorizedAmount!.value,
    cancelled: aggregate.cancelledAmount!.value,
    captured: aggregate.capturedAmount!.value,
    refunded: aggregate.refundedAmount!.value,
  };
}

/** GetPayment's aggregate is exactly what the event log adds up to. Returns the aggregate values. */
async function assertAggregateIsSumOfEvents(api: Api, reference: string) {
  const [payment, events] = await Promise.all([api.getPayment(reference), api.events(reference)]);
  const sum = (...names: string[]) =>
    events.body.filter((e: { name: string }) => names.includes(e.name)).reduce((acc: number, e: { amount: { value: number } }) => acc + e.amount.value, 0);
  const currency = payment.body.amount.currency;
  for (const e of events.body) {
    assert.equal(e.amount.currency, currency, 'events are in the payment currency');
    assert.equal(e.success, true);
    assert.equal(e.reference, reference);
  }
  for (const key of ['authorizedAmount', 'cancelledAmount', 'capturedAmount', 'refundedAmount']) {
    assert.equal(payment.body.aggregate[key].currency, currency, `${key} is in the payment currency`);
  }
  const expected = { authorized: sum('AUTHORIZED'), cancelled: sum('CANCELLED', 'TERMINATED'), captured: sum('CAPTURED'), refunded: sum('REFUNDED') };
  assert.deepEqual(values(payment.body.aggregate), expected, `aggregate vs events ${JSON.stringify(events.body.map((e: any) => [e.name, e.amount.value]))}`);
  return expected;
}

function tokenOf(redirectUrl: string): string {
  const token = new URL(redirectUrl).searchParams.get('token');
  assert.ok(token, `redirectUrl has a token: ${redirectUrl}`);
  return token;
}

describe('payment lifecycle', () => {
  const t = useServer();

  describe('cancel', () => {
    it('cancel before authorization terminates the payment with cancelledAmount = amount and a TERMINATED event', async () => {
      const ref = await t.api.created({ amount: { currency: 'NOK', value: 1000 } });
      const res = await t.api.cancel(ref);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.state, 'TERMINATED');
      assert.deepEqual(values(res.body.aggregate), { authorized: 0, cancelled: 1000, captured: 0, refunded: 0 });
      assert.equal(await stateOf(t.api, ref), 'TERMINATED');
      const events = (await t.api.events(ref)).body;
      assert.deepEqual(events.map((e: any) => [e.name, e.amount.value]), [['CREATED', 1000], ['TERMINATED', 1000]]);
    });

    it('cancelling a TERMINATED payment again answers 200 unchanged and adds no event', async () => {
      const ref = await t.api.created({ amount: { currency: 'NOK', value: 1000 } });
      const first = await t.api.cancel(ref);
      const second = await t.api.cancel(ref);
      assert.equal(second.status, 200, second.text);
      assert.deepEqual(second.body, first.body);
      assert.deepEqual(await eventNames(t.api, ref), ['CREATED', 'TERMINATED']);
    });

    it('capture of a TERMINATED payment is rejected with 6070', async () => {
      const ref = await t.api.created();
      await t.api.cancel(ref);
      assertCode(await t.api.capture(ref, 100), 400, '6070');
    });

    it('cancelTransactionOnly:true on a CREATED payment terminates it', async () => {
      const ref = await t.api.created({ amount: { currency: 'NOK', value: 1000 } });
      const res = await t.api.cancel(ref, { cancelTransactionOnly: true });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.state, 'TERMINATED');
      assert.equal(res.body.aggregate.cancelledAmount.value, 1000);
    });

    it('cancelTransactionOnly:true on an AUTHORIZED payment is rejected with 6060 and releases nothing', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      assertCode(await t.api.cancel(ref, { cancelTransactionOnly: true }), 400, '6060');
      const payment = await t.api.getPayment(ref);
      assert.equal(payment.body.state, 'AUTHORIZED');
      assert.equal(payment.body.aggregate.cancelledAmount.value, 0);
    });

    it('cancelTransactionOnly:false on an AUTHORIZED payment cancels the whole reservation and the state stays AUTHORIZED', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      const res = await t.api.cancel(ref, { cancelTransactionOnly: false });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.state, 'AUTHORIZED');
      assert.deepEqual(values(res.body.aggregate), { authorized: 1000, cancelled: 1000, captured: 0, refunded: 0 });
    });

    it('cancel after a partial capture releases the uncaptured remainder', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      await t.api.capture(ref, 250);
      const res = await t.api.cancel(ref);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.state, 'AUTHORIZED');
      assert.deepEqual(values(res.body.aggregate), { authorized: 1000, cancelled: 750, captured: 250, refunded: 0 });
      const events = (await t.api.events(ref)).body;
      assert.deepEqual(events.at(-1).name, 'CANCELLED');
      assert.equal(events.at(-1).amount.value, 750);
    });

    it('capture after the remainder was cancelled is rejected with 6070', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      await t.api.capture(ref, 250);
      await t.api.cancel(ref);
      assertCode(await t.api.capture(ref, 100), 400, '6070');
    });

    it('cancel after a full capture is rejected with 6040', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      assert.equal((await t.api.capture(ref, 1000)).status, 200);
      assertCode(await t.api.cancel(ref), 400, '6040');
    });

    it('cancel of an unknown reference answers 404 with 5090', async () => {
      assertCode(await t.api.cancel('no-such-payment-123'), 404, '5090');
    });
  });

  describe('capture', () => {
    it('repeated partial captures add up in capturedAmount, each with its own CAPTURED event', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      const a = await t.api.capture(ref, 300, 'cap-a');
      const b = await t.api.capture(ref, 200, 'cap-b');
      assert.equal(a.status, 200, a.text);
      assert.equal(b.status, 200, b.text);
      assert.equal(a.body.aggregate.capturedAmount.value, 300);
      assert.equal(b.body.aggregate.capturedAmount.value, 500);
      assert.equal(b.body.state, 'AUTHORIZED', 'AUTHORIZED is final: it stays after capture');
      const captured = (await t.api.events(ref)).body.filter((e: any) => e.name === 'CAPTURED');
      assert.deepEqual(captured.map((e: any) => [e.amount.value, e.idempotencyKey]), [[300, 'cap-a'], [200, 'cap-b']]);
    });

    it('a capture retried with the same Idempotency-Key captures once', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      const a = await t.api.capture(ref, 300, 'same-key');
      const b = await t.api.capture(ref, 300, 'same-key');
      assert.equal(b.status, 200);
      assert.deepEqual(b.body, a.body);
      assert.equal((await t.api.getPayment(ref)).body.aggregate.capturedAmount.value, 300);
    });

    it('a capture above the remaining authorized amount is rejected with 6090', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      await t.api.capture(ref, 600);
      assertCode(await t.api.capture(ref, 401), 400, '6090');
      assert.equal((await t.api.getPayment(ref)).body.aggregate.capturedAmount.value, 600);
    });

    it('a capture after full capture is rejected with 6170', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      await t.api.capture(ref, 1000);
      assertCode(await t.api.capture(ref, 1), 400, '6170');
    });

    it('a capture in another currency is rejected with 4040', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      assertCode(await t.api.capture(ref, 100, undefined, 'DKK'), 400, '4040');
    });

    it('a capture of 0 is rejected with 4040', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      assertCode(await t.api.capture(ref, 0), 400, '4040');
    });

    it('a capture of an unknown reference answers 404 with 5090', async () => {
      assertCode(await t.api.capture('no-such-payment-123', 100), 404, '5090');
    });
  });

  describe('refund', () => {
    it('partial refunds can be repeated and add up in refundedAmount', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      await t.api.capture(ref, 600);
      const a = await t.api.refund(ref, 100, 'ref-a');
      const b = await t.api.refund(ref, 250, 'ref-b');
      assert.equal(a.status, 200, a.text);
      assert.equal(b.status, 200, b.text);
      assert.equal(b.body.aggregate.refundedAmount.value, 350);
      assert.equal(b.body.state, 'AUTHORIZED');
      const refunded = (await t.api.events(ref)).body.filter((e: any) => e.name === 'REFUNDED');
      assert.deepEqual(refunded.map((e: any) => [e.amount.value, e.idempotencyKey]), [[100, 'ref-a'], [250, 'ref-b']]);
    });

    it('a refund above the captured amount is rejected with 6150', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      await t.api.capture(ref, 500);
      await t.api.refund(ref, 200);
      assertCode(await t.api.refund(ref, 301), 400, '6150');
      assert.equal((await t.api.getPayment(ref)).body.aggregate.refundedAmount.value, 200);
    });

    it('a refund before capture on an AUTHORIZED payment is rejected with 6150', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      assertCode(await t.api.refund(ref, 100), 400, '6150');
    });

    it('a refund of a CREATED payment is rejected with 6020', async () => {
      const ref = await t.api.created();
      assertCode(await t.api.refund(ref, 100), 400, '6020');
    });

    it('a refund of a fully refunded payment is rejected with 6180', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      await t.api.capture(ref, 1000);
      assert.equal((await t.api.refund(ref, 1000)).status, 200);
      assertCode(await t.api.refund(ref, 1), 400, '6180');
    });

    it('a refund in another currency is rejected with 4040', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      await t.api.capture(ref, 1000);
      assertCode(await t.api.refund(ref, 100, undefined, 'EUR'), 400, '4040');
    });

    it('the test refund amount 123 is refused with 6210', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      await t.api.capture(ref, 1000);
      assertCode(await t.api.refund(ref, 123), 400, '6210');
      assert.equal((await t.api.getPayment(ref)).body.aggregate.refundedAmount.value, 0);
    });

    it('the test refund amount 124 is refused with 6220', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      await t.api.capture(ref, 1000);
      assertCode(await t.api.refund(ref, 124), 400, '6220');
      assert.equal((await t.api.getPayment(ref)).body.aggregate.refundedAmount.value, 0);
    });

    it('the test refund amount 125 is refused with 5100 Refund not possible, and the key keeps that answer', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      await t.api.capture(ref, 1000);
      assertCode(await t.api.refund(ref, 125, 'refund-125'), 400, '5100');
      assertCode(await t.api.refund(ref, 125, 'refund-125'), 400, '5100');
      assert.equal((await t.api.getPayment(ref)).body.aggregate.refundedAmount.value, 0);
    });
  });

  describe('capture failures a merchant must handle', () => {
    it('the test capture amount 126 is refused with 6260 Funds unavailable, every time', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      assertCode(await t.api.capture(ref, 126, 'capture-126-a'), 400, '6260');
      assertCode(await t.api.capture(ref, 126, 'capture-126-b'), 400, '6260');
      assert.deepEqual(await eventNames(t.api, ref), ['CREATED', 'AUTHORIZED']);
    });

    it('the test capture amount 128 fails with 6280 once; the retry with the same Idempotency-Key captures', async () => {
      const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
      assertCode(await t.api.capture(ref, 128, 'capture-128'), 400, '6280');
      assert.equal((await t.api.getPayment(ref)).body.aggregate.capturedAmount.value, 0, 'nothing was captured');
      const retried = await t.api.capture(ref, 128, 'capture-128');
      assert.equal(retried.status, 200, retried.text);
      assert.equal(retried.body.aggregate.capturedAmount.value, 128);
      const again = await t.api.capture(ref, 128, 'capture-128');
      assert.deepEqual(again.body, retried.body, 'now the key keeps the success');
      assert.deepEqual(await eventNames(t.api, ref), ['CREATED', 'AUTHORIZED', 'CAPTURED']);
      await assertAggregateIsSumOfEvents(t.api, ref);
    });
  });

  describe('force approve and test amounts', () => {
    for (const amount of [151, 182, 183, 184, 186, 187, 197]) {
      it(`the test amount ${amount} makes force approve fail with 10010 and the payment stays CREATED`, async () => {
        const ref = await t.api.created({ amount: { currency: 'NOK', value: amount } });
        assertCode(await t.api.approve(ref), 400, '10010');
        assert.equal(await stateOf(t.api, ref), 'CREATED');
        assert.deepEqual(await eventNames(t.api, ref), ['CREATED']);
      });
    }

    it('the test amount 202 makes force approve fail with 10030 (SCA required)', async () => {
      const ref = await t.api.created({ amount: { currency: 'NOK', value: 202 } });
      assertCode(await t.api.approve(ref), 400, '10030');
      assert.equal(await stateOf(t.api, ref), 'CREATED');
    });

    it('force approve authorizes with authorizedAmount = amount and an AUTHORIZED event, paid with the default test card', async () => {
      const ref = await t.api.created({ amount: { currency: 'NOK', value: 1000 } });
      assert.deepEqual((await t.api.getPayment(ref)).body.paymentMethod, { type: 'WALLET' }, 'no card before approval');
      const res = await t.api.approve(ref);
      assert.equal(res.status, 200, res.text);
      const payment = await t.api.getPayment(ref);
      assert.equal(payment.body.state, 'AUTHORIZED');
      assert.deepEqual(payment.body.paymentMethod, { type: 'WALLET', cardBin: '411111' });
      assert.deepEqual(values(payment.body.aggregate), { authorized: 1000, cancelled: 0, captured: 0, refunded: 0 });
      assert.deepEqual(await eventNames(t.api, ref), ['CREATED', 'AUTHORIZED']);
    });

    it('force approve of an already AUTHORIZED payment is rejected with 6230', async () => {
      const ref = await t.api.authorized();
      assertCode(await t.api.approve(ref), 400, '6230');
      assert.deepEqual(await eventNames(t.api, ref), ['CREATED', 'AUTHORIZED']);
    });

    it('force approve of a TERMINATED payment is rejected with 10020', async () => {
      const ref = await t.api.created();
      await t.api.cancel(ref);
      assertCode(await t.api.approve(ref), 400, '10020');
    });

    it('force approve with a token that is not the payment’s is rejected with 10020', async () => {
      const ref = await t.api.created();
      const other = await t.api.createPayment();
      const forged = `${tokenOf(other.body.redirectUrl).split('.')[0]}.not-the-random-part`;
      assertCode(await t.api.approve(ref, { token: forged }), 400, '10020');
      assert.equal(await stateOf(t.api, ref), 'CREATED');
    });

    it('force approve with another payment’s token is rejected with 10020', async () => {
      const other = await t.api.createPayment();
      const ref = await t.api.created();
      assertCode(await t.api.approve(ref, { token: tokenOf(other.body.redirectUrl) }), 400, '10020');
    });

    it('force approve with the token from redirectUrl is accepted', async () => {
      const created = await t.api.createPayment();
      const res = await t.api.approve(created.body.reference, { token: tokenOf(created.body.redirectUrl) });
      assert.equal(res.status, 200, res.text);
      assert.equal(await stateOf(t.api, created.body.reference), 'AUTHORIZED');
    });

    it('force approve by a phone other than the PUSH_MESSAGE customer is rejected with 10020', async () => {
      const ref = await t.api.created({ userFlow: 'PUSH_MESSAGE', returnUrl: undefined, customer: { phoneNumber: ADULT } });
      assertCode(await t.api.approve(ref, { customer: { phoneNumber: '4711111111' } }), 400, '10020');
      assert.equal(await stateOf(t.api, ref), 'CREATED');
      assert.equal((await t.api.approve(ref, { customer: { phoneNumber: ADULT } })).status, 200);
    });

    it('minimumUserAge 18 with the young test user is rejected with 7010', async () => {
      const ref = await t.api.created({ minimumUserAge: 18 });
      assertCode(await t.api.approve(ref, { customer: { phoneNumber: YOUNG } }), 400, '7010');
      assert.equal(await stateOf(t.api, ref), 'CREATED');
    });

    it('minimumUserAge 18 with an adult test user is approved', async () => {
      const ref = await t.api.created({ minimumUserAge: 18 });
      assert.equal((await t.api.approve(ref, { customer: { phoneNumber: ADULT } })).status, 200);
      assert.equal(await stateOf(t.api, ref), 'AUTHORIZED');
    });

    it('profile.scope "name email" gives profile.sub and userDetails after approval, sub stable per user', async () => {
      const scope = { scope: 'name email' };
      const first = await t.api.created({ profile: scope });
      const before = await t.api.getPayment(first);
      assert.deepEqual(before.body.profile, {}, 'no sub before approval');
      assert.equal(before.body.userDetails, undefined, 'no userDetails before approval');

      await t.api.approve(first, { customer: { phoneNumber: ADULT } });
      const after = await t.api.getPayment(first);
      assert.equal(typeof after.body.profile.sub, 'string');
      assert.ok(after.body.profile.sub.length > 0);
      assert.equal(after.body.userDetails.firstName, 'Ada');
      assert.equal(after.body.userDetails.lastName, 'Lovelace');
      assert.equal(after.body.userDetails.email, 'ada@example.com');

      const second = await t.api.created({ profile: scope });
      await t.api.approve(second, { customer: { phoneNumber: ADULT } });
      assert.equal((await t.api.getPayment(second)).body.profile.sub, after.body.profile.sub, 'the same user has the same sub');

      const third = await t.api.created({ profile: scope });
      await t.api.approve(third, { customer: { phoneNumber: YOUNG } });
      assert.notEqual((await t.api.getPayment(third)).body.profile.sub, after.body.profile.sub, 'another user has another sub');
    });

    it('without a profile scope there is no sub and no userDetails after approval', async () => {
      const ref = await t.api.authorized();
      const payment = await t.api.getPayment(ref);
      assert.deepEqual(payment.body.profile, {});
      assert.equal(payment.body.userDetails, undefined);
    });
  });

  it('the aggregate always equals the sum of the events, through a long scenario', async () => {
    const { api } = t;
    const ref = await api.created({ amount: { currency: 'NOK', value: 10000 } });
    const check = async (expected: { authorized: number; cancelled: number; captured: number; refunded: number }, res?: ApiResponse) => {
      const sums = await assertAggregateIsSumOfEvents(api, ref);
      assert.deepEqual(sums, expected);
      if (res) {
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(values(res.body.aggregate), expected, 'the modification response carries the new aggregate');
      }
    };

    await check({ authorized: 0, cancelled: 0, captured: 0, refunded: 0 });
    assertCode(await api.capture(ref, 100), 400, '6080');
    await check({ authorized: 0, cancelled: 0, captured: 0, refunded: 0 });
    assert.equal((await api.approve(ref)).status, 200);
    await check({ authorized: 10000, cancelled: 0, captured: 0, refunded: 0 });
    await check({ authorized: 10000, cancelled: 0, captured: 3000, refunded: 0 }, await api.capture(ref, 3000));
    await check({ authorized: 10000, cancelled: 0, captured: 5000, refunded: 0 }, await api.capture(ref, 2000));
    assertCode(await api.capture(ref, 5001), 400, '6090');
    await check({ authorized: 10000, cancelled: 0, captured: 5000, refunded: 0 });
    await check({ authorized: 10000, cancelled: 0, captured: 5000, refunded: 1000 }, await api.refund(ref, 1000));
    assertCode(await api.refund(ref, 4001), 400, '6150');
    await check({ authorized: 10000, cancelled: 0, captured: 5000, refunded: 1000 });
    assertCode(await api.refund(ref, 123), 400, '6210');
    await check({ authorized: 10000, cancelled: 0, captured: 5000, refunded: 1000 });
    await check({ authorized: 10000, cancelled: 5000, captured: 5000, refunded: 1000 }, await api.cancel(ref));
    await check({ authorized: 10000, cancelled: 5000, captured: 5000, refunded: 1000 }, await api.cancel(ref));
    assertCode(await api.capture(ref, 1), 400, '6070');
    await check({ authorized: 10000, cancelled: 5000, captured: 5000, refunded: 4000 }, await api.refund(ref, 3000));
    await check({ authorized: 10000, cancelled: 5000, captured: 5000, refunded: 5000 }, await api.refund(ref, 1000));
    assertCode(await api.refund(ref, 1), 400, '6180');
    await check({ authorized: 10000, cancelled: 5000, captured: 5000, refunded: 5000 });
    assert.equal(await stateOf(api, ref), 'AUTHORIZED');
    assert.deepEqual(await eventNames(api, ref), ['CREATED', 'AUTHORIZED', 'CAPTURED', 'CAPTURED', 'REFUNDED', 'CANCELLED', 'REFUNDED', 'REFUNDED']);
    const events = (await api.events(ref)).body;
    assert.equal(new Set(events.map((e: any) => e.pspReference)).size, events.length, 'every event has its own pspReference');
  });
});

describe('payment lifecycle: expiry on the test clock', () => {
  const t = useServer();

  it('a CREATED payment is EXPIRED with an EXPIRED event after 10 minutes; capture then fails with 6200 and approve with 10020', async () => {
    const ref = await t.api.created({ amount: { currency: 'NOK', value: 1000 } });
    await t.server.advanceClock(9 * 60 * 1000);
    assert.equal(await stateOf(t.api, ref), 'CREATED', 'still open after 9 minutes');

    await t.server.advanceClock(60 * 1000 + 1000);
    const payment = await t.api.getPayment(ref);
    assert.equal(payment.body.state, 'EXPIRED');
    assert.deepEqual(values(payment.body.aggregate), { authorized: 0, cancelled: 0, captured: 0, refunded: 0 });
    const events = (await t.api.events(ref)).body;
    assert.deepEqual(events.map((e: any) => [e.name, e.amount.value]), [['CREATED', 1000], ['EXPIRED', 1000]]);

    assertCode(await t.api.capture(ref, 100), 400, '6200');
    assertCode(await t.api.approve(ref), 400, '10020');
    assertCode(await t.api.cancel(ref), 400, '6190');
    assert.equal(await stateOf(t.api, ref), 'EXPIRED');
    assert.deepEqual(await eventNames(t.api, ref), ['CREATED', 'EXPIRED'], 'failed operations add no events');
  });

  it('an AUTHORIZED payment does not expire', async () => {
    const ref = await t.api.authorized();
    await t.server.advanceClock(11 * 60 * 1000);
    assert.equal(await stateOf(t.api, ref), 'AUTHORIZED');
    assert.equal((await t.api.capture(ref, 100)).status, 200);
  });
});

describe('payment lifecycle: the result-unknown test amount 201', () => {
  const t = useServer();

  it('force approve of 201 answers 200 but the payment stays CREATED, and is AUTHORIZED after an hour', async () => {
    const ref = await t.api.created({ amount: { currency: 'NOK', value: 201 } });
    const res = await t.api.approve(ref);
    assert.equal(res.status, 200, res.text);
    assert.equal(await stateOf(t.api, ref), 'CREATED');
    assert.deepEqual(await eventNames(t.api, ref), ['CREATED']);

    await t.server.advanceClock(11 * 60 * 1000);
    assert.equal(await stateOf(t.api, ref), 'CREATED', 'a pending result does not expire after 10 minutes');

    await t.server.advanceClock(50 * 60 * 1000);
    t.api.forgetToken(); // the access token lives an hour on the same clock
    const payment = await t.api.getPayment(ref);
    assert.equal(payment.body.state, 'AUTHORIZED');
    assert.equal(payment.body.aggregate.authorizedAmount.value, 201);
    assert.deepEqual(await eventNames(t.api, ref), ['CREATED', 'AUTHORIZED']);
    assert.equal((await t.api.capture(ref, 201)).status, 200);
  });

  it('a second force approve while the 201 result is pending is refused with 10020', async () => {
    const ref = await t.api.created({ amount: { currency: 'NOK', value: 201 } });
    assert.equal((await t.api.approve(ref)).status, 200);
    assertCode(await t.api.approve(ref), 400, '10020');
  });
});
