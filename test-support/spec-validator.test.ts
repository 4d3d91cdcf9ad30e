import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { specValidator } from './spec-validator.ts';

// The validator is the evidence behind every other HTTP test, so it must itself be able to fail.
describe('spec validator', () => {
  const spec = specValidator();
  const valid = {
    aggregate: {
      authorizedAmount: { currency: 'NOK', value: 0 },
      cancelledAmount: { currency: 'NOK', value: 0 },
      capturedAmount: { currency: 'NOK', value: 0 },
      refundedAmount: { currency: 'NOK', value: 0 },
    },
    amount: { currency: 'NOK', value: 1000 },
    state: 'CREATED',
    paymentMethod: { type: 'WALLET' },
    profile: {},
    pspReference: 'abc',
    reference: 'order-12345678',
  };

  it('accepts a GetPaymentResponse shaped as the spec says', () => {
    assert.deepEqual(spec.checkSchema('epayment', 'GetPaymentResponse', valid), []);
  });

  it('rejects a missing required field, a wrong type, an unknown state and an invented field', () => {
    const { aggregate: _a, ...noAggregate } = valid;
    assert.notDeepEqual(spec.checkSchema('epayment', 'GetPaymentResponse', noAggregate), []);
    assert.notDeepEqual(spec.checkSchema('epayment', 'GetPaymentResponse', { ...valid, amount: { currency: 'NOK', value: '1000' } }), []);
    assert.notDeepEqual(spec.checkSchema('epayment', 'GetPaymentResponse', { ...valid, state: 'CAPTURED' }), []);
    assert.notDeepEqual(spec.checkSchema('epayment', 'GetPaymentResponse', { ...valid, status: 'CREATED' }), []);
  });

  it('requires every access-token field to be a string', () => {
    const token = { token_type: 'Bearer', expires_in: '3600', ext_expires_in: '0', expires_on: '1', not_before: '1', resource: 'r', access_token: 'x' };
    assert.deepEqual(spec.checkSchema('access-token', 'AuthorizationTokenResponse', token), []);
    assert.notDeepEqual(spec.checkSchema('access-token', 'AuthorizationTokenResponse', { ...token, expires_in: 3600 }), []);
  });

  it('finds the declared response schema of an operation', () => {
    assert.deepEqual(spec.responseSchemaName('epayment', '/v1/payments', 'POST', 201)?.name, 'CreatePaymentResponse');
    assert.deepEqual(spec.responseSchemaName('epayment', '/v1/payments/{Reference}/events', 'GET', 200)?.name, 'PaymentEvent[]');
    assert.equal(spec.responseSchemaName('epayment', '/v1/payments/{Reference}', 'GET', 404), undefined);
  });
});
