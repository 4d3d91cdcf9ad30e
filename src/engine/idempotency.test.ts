import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, requestHash } from './idempotency.ts';

describe('idempotency request hash', () => {
  it('does not depend on object key order', () => {
    assert.equal(requestHash({ a: 1, b: { c: 2, d: [1, 2] } }), requestHash({ b: { d: [1, 2], c: 2 }, a: 1 }));
  });

  it('differs when any value differs, including array order', () => {
    assert.notEqual(requestHash({ a: 1 }), requestHash({ a: 2 }));
    assert.notEqual(requestHash({ a: [1, 2] }), requestHash({ a: [2, 1] }));
  });

  it('writes the exact text stored hashes were made from: sorted keys, escaped keys and values, no spaces', () => {
    const body = { z: [3, { b: 'x"y', a: null }], 'we"ird key': true, a: { c: -1.5, b: 'æøå\n' }, u: undefined, list: [undefined, 2] };
    const expected = '{"a":{"b":"æøå\\n","c":-1.5},"list":[null,2],"we\\"ird key":true,"z":[3,{"a":null,"b":"x\\"y"}]}';
    assert.equal(canonicalJson(body), expected);
    const sorted = (v: unknown): unknown =>
      v === null || typeof v !== 'object' ? v : Array.isArray(v) ? v.map(sorted) : Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
    assert.equal(canonicalJson(body), JSON.stringify(sorted(body)), 'the same as JSON of the key-sorted value');
  });

  it('treats an absent property like an undefined one', () => {
    assert.equal(canonicalJson({ a: 1, b: undefined }), canonicalJson({ a: 1 }));
  });
});
