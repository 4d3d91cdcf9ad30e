import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makePaymentToken, parsePaymentToken, sameToken } from './payment-token.ts';

describe('payment token', () => {
  const random = 'x'.repeat(43);

  it('names the payment it opens', () => {
    assert.deepEqual(parsePaymentToken(makePaymentToken('1234', random)), { id: '1234' });
    assert.deepEqual(parsePaymentToken(makePaymentToken('p0mk1x2y3z4abcdef0123456789', random)), { id: 'p0mk1x2y3z4abcdef0123456789' });
  });

  it('is URL-safe', () => {
    assert.match(makePaymentToken('1234', 'Ab-_09'), /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('rejects strings that are not tokens', () => {
    for (const bad of ['', 'abc', '.abc', 'a/b.abc', 'a b.abc', 'a'.repeat(400)]) assert.equal(parsePaymentToken(bad), null, bad);
  });

  it('compares tokens in full: a token with the right payment but another random part is not the same', () => {
    const a = makePaymentToken('1234', random);
    assert.equal(sameToken(a, a), true);
    assert.equal(sameToken(a, makePaymentToken('1234', 'y'.repeat(43))), false);
    assert.equal(sameToken(a, a.slice(0, -1)), false);
  });
});
