// The request line's wording, for the cases the end-to-end test does not reach.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readError, type AnsweredRequest } from '../request-log/request-log.ts';
import { requestLine } from './request-line.ts';

const base: AnsweredRequest = {
  api: 'epayment',
  method: 'GET',
  path: '/epayment/v1/payments/order-1',
  route: '/epayment/v1/payments/:reference',
  status: 200,
  latencyMs: 1.234,
  msn: '123456',
  reference: 'order-1',
  leniencies: null,
  error: null,
};

describe('request line', () => {
  it('a success is method, path, status and reference, at info', () => {
    const line = requestLine(base);
    assert.equal(line.message, 'GET /epayment/v1/payments/order-1 200 order-1');
    assert.equal(line.level, 'info');
    assert.equal(line.fields.latencyMs, 1.2);
  });

  it('a request that names no payment has no reference on its line', () => {
    assert.equal(requestLine({ ...base, path: '/accesstoken/get', method: 'POST', reference: null }).message, 'POST /accesstoken/get 200');
  });

  it('more than three leniencies: three are named and the rest counted, with those beyond the recorded maximum', () => {
    const unknown = (field: string) => ({ kind: 'unknown-property' as const, field, detail: 'Not part of the API; ignored.' });
    const line = requestLine({ ...base, leniencies: [unknown('a'), unknown('b'), { kind: 'null-as-absent', field: 'c', detail: '' }, unknown('d'), { kind: 'more', field: '', detail: '7 more leniencies not listed.' }] });
    assert.equal(line.message, 'GET /epayment/v1/payments/order-1 200 order-1 · lenient: unknown a, unknown b, null c and 8 more');
  });

  it('an error without a trace id (the gateway’s) names its message only', () => {
    const line = requestLine({ ...base, status: 401, error: { traceId: null, code: null, detail: 'Access denied', headline: 'Access denied' } });
    assert.equal(line.message, 'GET /epayment/v1/payments/order-1 401 order-1 · Access denied');
    assert.equal(line.fields.traceId, null);
    assert.equal(line.fields.error, 'Access denied');
  });

  it('a 400 with several field problems names the first one and counts the rest', () => {
    const body = JSON.stringify({
      title: 'Bad Request',
      detail: 'See extraDetails for further details',
      traceId: '00-abc-01',
      extraDetails: [
        { name: 'amount.value', reason: 'The field amount.value must be of type integer.' },
        { name: 'reference', reason: 'The reference field is required.' },
        { name: 'userFlow', reason: 'The userFlow field is required.' },
      ],
    });
    const line = requestLine({ ...base, method: 'POST', path: '/epayment/v1/payments', status: 400, reference: null, error: readError(body) });
    assert.equal(line.message, 'POST /epayment/v1/payments 400 · The field amount.value must be of type integer. (and 2 more) · trace 00-abc-01');
  });

  it('a path under an API that no route matches says so', () => {
    assert.equal(requestLine({ ...base, path: '/epayment/v1/paymnts', route: null, status: 404, reference: null }).message, 'GET /epayment/v1/paymnts 404 · no such route');
  });

  it('an outbound call that got no answer is a warning naming its purpose, payment, URL and why', () => {
    const line = requestLine({ ...base, api: 'outbound', method: 'POST', path: 'http://127.0.0.1:9/shipping', route: 'express shipping callback', status: 0, failure: 'connection refused' });
    assert.equal(line.level, 'warn');
    assert.equal(line.message, '→ express shipping callback order-1 → http://127.0.0.1:9/shipping no answer · connection refused');
    assert.equal(line.fields.purpose, 'express shipping callback');
  });

  it('an outbound call answered 2xx is info', () => {
    assert.equal(requestLine({ ...base, api: 'outbound', path: 'http://shop/cb', route: 'card callback', status: 200 }).level, 'info');
  });
});
