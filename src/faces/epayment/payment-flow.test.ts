import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCode } from '../../../test-support/api-client.ts';
import { useServer } from '../../../test-support/server.ts';

describe('ePayment full flow', () => {
  const t = useServer();

  it('create → force approve → partial capture → refund → cancel remainder, with the event log', async () => {
    const { api } = t;
    const created = await api.createPayment({ amount: { currency: 'NOK', value: 1000 } }, 'create-key-1');
    assert.equal(created.status, 201);
    assert.match(created.body.redirectUrl, /^http:\/\/127\.0\.0\.1:\d+\/landing\?token=[\w-]+\.[\w-]{43}$/);
    const ref = created.body.reference;

    let payment = await api.getPayment(ref);
    assert.equal(payment.body.state, 'CREATED');
    assert.deepEqual(payment.body.aggregate.authorizedAmount, { currency: 'NOK', value: 0 });

    assert.equal((await api.approve(ref)).status, 200);
    payment = await api.getPayment(ref);
    assert.equal(payment.body.state, 'AUTHORIZED');
    assert.equal(payment.body.aggregate.authorizedAmount.value, 1000);

    const capture = await api.capture(ref, 250, 'capture-key-1');
    assert.equal(capture.status, 200);
    assert.equal(capture.body.state, 'AUTHORIZED');
    assert.equal(capture.body.aggregate.capturedAmount.value, 250);
    assert.equal(capture.body.pspReference, payment.body.pspReference, 'adjustments carry the creation pspReference');

    const refund = await api.refund(ref, 100, 'refund-key-1');
    assert.equal(refund.status, 200);
    assert.equal(refund.body.aggregate.refundedAmount.value, 100);

    const cancel = await api.cancel(ref);
    assert.equal(cancel.status, 200);
    assert.equal(cancel.body.aggregate.cancelledAmount.value, 750, 'cancel releases the whole uncaptured remainder');

    const events = await api.events(ref);
    assert.deepEqual(
      events.body.map((e: any) => [e.name, e.amount.value, e.idempotencyKey]),
      [
        ['CREATED', 1000, 'create-key-1'],
        ['AUTHORIZED', 1000, 'create-key-1'], // the authorization answers the create: it carries the create's key
        ['CAPTURED', 250, 'capture-key-1'],
        ['REFUNDED', 100, 'refund-key-1'],
        ['CANCELLED', 750, null],
      ],
    );
    assert.equal(new Set(events.body.map((e: any) => e.pspReference)).size, 5, 'every event has its own pspReference');
  });

  it('capture before authorization is rejected with 6080', async () => {
    const ref = await t.api.created();
    const res = await t.api.capture(ref, 100);
    assert.equal(res.status, 400);
    assert.equal(errorCode(res), '6080');
    assert.equal(res.body.title, 'Cannot capture before reservation');
  });

  it('an unknown reference answers 404 with 5090', async () => {
    const res = await t.api.getPayment('does-not-exist-123');
    assert.equal(res.status, 404);
    assert.equal(errorCode(res), '5090');
  });
});
