import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REASONS } from '../../domain/reasons.ts';
import { ApiError, fromStoredError, toStoredError } from '../api-error.ts';
import { EPAYMENT_ERROR_MAP, EPAYMENT_ERRORS } from './error-map.ts';

const ALL = [...Object.entries(EPAYMENT_ERROR_MAP), ...Object.entries(EPAYMENT_ERRORS)];

describe('ePayment error map', () => {
  it('every entry has a numeric code, a 4xx/5xx status and a title', () => {
    for (const [key, e] of ALL) {
      assert.match(e.code ?? '', /^\d{4,5}$/, key);
      assert.ok(e.status >= 400 && e.status < 600, key);
      assert.ok(e.title.length > 0 && e.detail.length > 0, key);
    }
  });

  it('a code has one status wherever it appears', () => {
    const statusByCode = new Map<string | null, number>();
    for (const [key, e] of ALL) {
      const seen = statusByCode.get(e.code);
      assert.ok(seen === undefined || seen === e.status, `code ${e.code} (${key})`);
      statusByCode.set(e.code, e.status);
    }
  });

  it('every domain reason has its ePayment error, and the map names no other', () => {
    assert.deepEqual(Object.keys(EPAYMENT_ERROR_MAP).sort(), Object.keys(REASONS).sort());
  });

  it('a stored error comes back with the same code, status, title and detail', () => {
    const original = new ApiError(EPAYMENT_ERROR_MAP.CAPTURE_TOO_HIGH, 'too much');
    const back = fromStoredError(JSON.parse(JSON.stringify(toStoredError(original))));
    assert.deepEqual([back.entry.code, back.entry.status, back.entry.title, back.detail], ['6090', 400, 'Capture amount too high', 'too much']);
  });
});
