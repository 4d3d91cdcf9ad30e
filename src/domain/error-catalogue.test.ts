import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, ERRORS, fromStoredError, toStoredError } from './error-catalogue.ts';

describe('error catalogue', () => {
  it('every entry has a numeric code (or none, for the Webhooks API), a 4xx/5xx status and a title', () => {
    for (const [key, e] of Object.entries(ERRORS)) {
      if (e.code !== null || !key.startsWith('WEBHOOK_')) assert.match(e.code ?? '', /^\d{4,5}$/, key);
      assert.ok(e.status >= 400 && e.status < 600, key);
      assert.ok(e.title.length > 0 && e.detail.length > 0, key);
    }
  });

  it('a code has one status wherever it appears', () => {
    const statusByCode = new Map<string | null, number>();
    for (const e of Object.values(ERRORS)) {
      const seen = statusByCode.get(e.code);
      assert.ok(seen === undefined || seen === e.status, `code ${e.code}`);
      statusByCode.set(e.code, e.status);
    }
  });

  it('a stored error comes back with the same code, status, title and detail', () => {
    const original = new DomainError(ERRORS.CAPTURE_TOO_HIGH, 'too much');
    const back = fromStoredError(JSON.parse(JSON.stringify(toStoredError(original))));
    assert.deepEqual([back.entry.code, back.entry.status, back.entry.title, back.detail], ['6090', 400, 'Capture amount too high', 'too much']);
  });
});
