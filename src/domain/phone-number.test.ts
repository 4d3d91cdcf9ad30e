import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCodeOf } from '../../test-support/domain-errors.ts';
import { formatMsisdn, splitMsisdn, toMsisdn } from './phone-number.ts';

const code = errorCodeOf;

describe('phone numbers typed on the landing page and in the simulator', () => {
  it('a Norwegian number typed with spaces becomes the MSISDN 47XXXXXXXX', () => {
    assert.equal(toMsisdn('47', '123 45 678'), '4712345678');
    assert.equal(toMsisdn('47', '12345678'), '4712345678');
  });

  it('a trunk 0 is dropped (Swedish and Finnish numbers are written 07…, 04…)', () => {
    assert.equal(toMsisdn('46', '070-123 45 67'), '46701234567');
    assert.equal(toMsisdn('358', '040 123 4567'), '358401234567');
  });

  it('a number typed with its own +CC or 00CC is taken as given', () => {
    assert.equal(toMsisdn('47', '+45 12 34 56 78'), '4512345678');
    assert.equal(toMsisdn('47', '004712345678'), '4712345678');
  });

  it('wrong length, letters and unknown prefixes answer 4070', () => {
    assert.equal(code(() => toMsisdn('47', '1234567')), '4070');
    assert.equal(code(() => toMsisdn('47', '123456789')), '4070');
    assert.equal(code(() => toMsisdn('47', '12ab5678')), '4070');
    assert.equal(code(() => toMsisdn('1', '2025550123')), '4070');
    assert.equal(code(() => toMsisdn('47', '+12')), '4070');
    assert.equal(code(() => toMsisdn('47', '')), '4070');
  });

  it('formats numbers the way each country writes them', () => {
    assert.equal(formatMsisdn('4712345678'), '+47 123 45 678');
    assert.equal(formatMsisdn('4512345678'), '+45 12 34 56 78');
    assert.equal(formatMsisdn('46701234567'), '+46 701 234 567');
    assert.equal(formatMsisdn('123456789012'), '+123456789012');
  });

  it('splits an MSISDN into prefix and national number', () => {
    assert.deepEqual(splitMsisdn('4798765432'), { prefix: '47', national: '98765432' });
    assert.equal(splitMsisdn('999'), null);
  });
});
