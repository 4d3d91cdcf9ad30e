// Simultaneous requests against a real server over HTTP: money is never over-captured or
// over-refunded, and one Idempotency-Key creates at most one payment however many requests race.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { errorCode, newReference, paymentRequest, type ApiResponse } from '../../test-support/api-client.ts';
import { useServer } from '../../test-support/server.ts';

const N = 50;

function tally(responses: ApiResponse[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of responses) {
    const key = r.status === 200 || r.status === 201 ? String(r.status) : `${r.status}/${errorCode(r) ?? '-'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const describeTally = (responses: ApiResponse[]) => JSON.stringify([...tally(responses)]);

describe('concurrent requests on one server', () => {
  const t = useServer();

  before(async () => {
    await t.api.token(); // one token for all the racing requests
  });

  it('50 simultaneous captures of 30 øre on a 1000 øre payment capture at most 1000: every loser is 400 with 6090, and GetPayment and the event log agree', async () => {
    const { api } = t;
    const ref = await api.authorized({ amount: { currency: 'NOK', value: 1000 } });
    const keys = Array.from({ length: N }, () => randomUUID());
    const responses = await Promise.all(keys.map((key) => api.capture(ref, 30, key)));

    const won = responses.filter((r) => r.status === 200);
    const lost = responses.filter((r) => r.status !== 200);
    assert.ok(won.length * 30 <= 1000, `captured ${won.length * 30} of 1000`);
    for (const r of lost) {
      assert.equal(r.status, 400, `${describeTally(responses)}: ${r.text}`);
      assert.equal(errorCode(r), '6090', r.text);
    }
    // A capture fails with 6090 only when less than 30 is left, so the winners took all they could.
    assert.equal(won.length, Math.floor(1000 / 30), describeTally(responses));

    // Every success saw a consistent aggregate, and no two saw the same one.
    const seen = won.map((r) => r.body.aggregate.capturedAmount.value as number).sort((a, b) => a - b);
    assert.deepEqual(seen, won.map((_, i) => 30 * (i + 1)), 'each success reports the running total after it');

    const payment = await api.getPayment(ref);
    assert.equal(payment.body.aggregate.capturedAmount.value, 30 * won.length);
    assert.equal(payment.body.state, 'AUTHORIZED');

    const events = (await api.events(ref)).body as any[];
    const captured = events.filter((e) => e.name === 'CAPTURED');
    assert.equal(captured.length, won.length);
    assert.ok(captured.every((e) => e.amount.value === 30));
    const winnerKeys = keys.filter((_, i) => responses[i]!.status === 200).sort();
    assert.deepEqual(captured.map((e) => e.idempotencyKey).sort(), winnerKeys, 'one CAPTURED event per successful key');
  });

  it('50 simultaneous creates with one Idempotency-Key and one body all answer 201 with the same body, and create one payment with one CREATED event', async () => {
    const { api } = t;
    const key = randomUUID();
    const body = paymentRequest({ amount: { currency: 'NOK', value: 1500 } });
    const responses = await Promise.all(
      Array.from({ length: N }, () => api.call('POST', '/epayment/v1/payments', { body, idempotencyKey: key })),
    );

    for (const r of responses) {
      assert.equal(r.status, 201, `${describeTally(responses)}: ${r.text}`);
      assert.deepEqual(r.body, responses[0]!.body);
    }
    assert.equal(responses[0]!.body.reference, body.reference);

    const payment = await api.getPayment(body.reference);
    assert.equal(payment.status, 200);
    assert.equal(payment.body.state, 'CREATED');
    assert.equal(payment.body.redirectUrl, responses[0]!.body.redirectUrl);
    const events = (await api.events(body.reference)).body as any[];
    assert.deepEqual(
      events.map((e) => [e.name, e.idempotencyKey]),
      [['CREATED', key]],
    );
  });

  it('50 simultaneous creates with one Idempotency-Key and two different bodies create one payment; the rest are replays of it or 409', async () => {
    const { api } = t;
    const key = randomUUID();
    const bodies = [paymentRequest({ reference: newReference('race-a') }), paymentRequest({ reference: newReference('race-b') })];
    const responses = await Promise.all(
      Array.from({ length: N }, (_, i) => api.call('POST', '/epayment/v1/payments', { body: bodies[i % 2], idempotencyKey: key })),
    );

    const lookups = await Promise.all(bodies.map((b) => api.getPayment(b.reference)));
    const existing = lookups.filter((r) => r.status === 200);
    assert.equal(existing.length, 1, `exactly one of the two references exists; ${describeTally(responses)}`);
    const winner = existing[0]!.body.reference as string;
    const loser = bodies.find((b) => b.reference !== winner)!.reference;
    assert.equal(lookups.find((r) => r.status !== 200)!.status, 404);

    for (const [i, r] of responses.entries()) {
      const sent = bodies[i % 2]!.reference;
      if (r.status === 201) {
        assert.equal(r.body.reference, winner, 'a 201 is a replay of the one payment');
        assert.equal(sent, winner, 'only requests with the winning body are replays');
      } else {
        assert.equal(r.status, 409, `${describeTally(responses)}: ${r.text}`);
        assert.equal(errorCode(r), '4020', r.text);
        assert.equal(sent, loser, 'only requests with the other body conflict');
      }
    }
    assert.equal(responses.filter((r) => r.status === 201).length, N / 2);

    const events = (await api.events(winner)).body as any[];
    assert.deepEqual(events.map((e) => e.name), ['CREATED']);
  });

  it('50 simultaneous creates with one Idempotency-Key, one reference and two amounts create one payment; the rest are replays or 409', async () => {
    const { api } = t;
    const key = randomUUID();
    const reference = newReference('race-amount');
    const amounts = [1000, 2000];
    const responses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        api.call('POST', '/epayment/v1/payments', { body: paymentRequest({ reference, amount: { currency: 'NOK', value: amounts[i % 2] } }), idempotencyKey: key }),
      ),
    );
    const payment = await api.getPayment(reference);
    assert.equal(payment.status, 200);
    const winningAmount = payment.body.amount.value as number;
    assert.ok(amounts.includes(winningAmount));
    for (const [i, r] of responses.entries()) {
      if (amounts[i % 2] === winningAmount) assert.equal(r.status, 201, `${describeTally(responses)}: ${r.text}`);
      else assert.equal(r.status, 409, `${describeTally(responses)}: ${r.text}`);
    }
    const events = (await api.events(reference)).body as any[];
    assert.deepEqual(events.map((e) => [e.name, e.amount.value]), [['CREATED', winningAmount]]);
  });

  it('50 simultaneous captures and refunds mixed on one payment never leave refunded above captured, in any answer or in the event log', async () => {
    const { api } = t;
    const ref = await api.authorized({ amount: { currency: 'NOK', value: 1000 } });
    const ops = Array.from({ length: N }, (_, i) => (i % 2 === 0 ? 'capture' : 'refund') as 'capture' | 'refund');
    const responses = await Promise.all(ops.map((op) => (op === 'capture' ? api.capture(ref, 40) : api.refund(ref, 40))));

    for (const [i, r] of responses.entries()) {
      if (r.status === 200) {
        const agg = r.body.aggregate;
        assert.ok(agg.refundedAmount.value <= agg.capturedAmount.value, `${ops[i]} answered ${JSON.stringify(agg)}`);
        assert.ok(agg.capturedAmount.value <= agg.authorizedAmount.value, `${ops[i]} answered ${JSON.stringify(agg)}`);
      } else {
        assert.equal(r.status, 400, `${ops[i]}: ${describeTally(responses)}: ${r.text}`);
        const allowed = ops[i] === 'capture' ? ['6090', '6170'] : ['6150', '6180'];
        assert.ok(allowed.includes(errorCode(r) ?? ''), `${ops[i]} failed with ${errorCode(r)}: ${r.text}`);
      }
    }

    const payment = (await api.getPayment(ref)).body;
    const captured = payment.aggregate.capturedAmount.value as number;
    const refunded = payment.aggregate.refundedAmount.value as number;
    assert.ok(refunded <= captured, `refunded ${refunded} > captured ${captured}`);
    assert.ok(captured <= 1000);
    const ok = (op: string) => responses.filter((r, i) => ops[i] === op && r.status === 200).length;
    assert.equal(captured, 40 * ok('capture'));
    assert.equal(refunded, 40 * ok('refund'));

    // Replaying the log in order, refunds never run ahead of captures.
    const events = (await api.events(ref)).body as any[];
    let c = 0;
    let f = 0;
    for (const e of events) {
      if (e.name === 'CAPTURED') c += e.amount.value;
      if (e.name === 'REFUNDED') f += e.amount.value;
      assert.ok(f <= c, `after ${e.name} ${e.amount.value}: refunded ${f} > captured ${c}`);
    }
    assert.equal(c, captured);
    assert.equal(f, refunded);
  });

  it('10 simultaneous captures of 100 fill a 1000 øre payment exactly, and 12 simultaneous refunds of 100 refund exactly 1000', async () => {
    const { api } = t;
    const ref = await api.authorized({ amount: { currency: 'NOK', value: 1000 } });
    await Promise.all(Array.from({ length: 10 }, () => api.capture(ref, 100)));
    const refunds = await Promise.all(Array.from({ length: 12 }, () => api.refund(ref, 100)));
    assert.equal(refunds.filter((r) => r.status === 200).length, 10, describeTally(refunds));
    const payment = (await api.getPayment(ref)).body;
    assert.equal(payment.aggregate.capturedAmount.value, 1000);
    assert.equal(payment.aggregate.refundedAmount.value, 1000);
  });
});
