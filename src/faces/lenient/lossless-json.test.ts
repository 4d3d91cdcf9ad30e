import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { JsonNumber, parseLossless, plainNumbers } from './lossless-json.ts';

describe('parseLossless', () => {
  it('keeps a 19-digit number and a zero fraction as written', () => {
    const parsed = parseLossless('{"reference": 2486791679658155992, "value": 49900.0, "small": 42, "neg": -7}') as Record<string, unknown>;
    assert.deepEqual(parsed.reference, new JsonNumber('2486791679658155992'));
    assert.deepEqual(parsed.value, new JsonNumber('49900.0'));
    assert.equal(parsed.small, 42);
    assert.equal(parsed.neg, -7);
  });

  it('builds what JSON.parse builds, numbers aside (arbitrary JSON)', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'medium' }), (text) => {
        assert.deepEqual(plainNumbers(parseLossless(text)), JSON.parse(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads escapes, unicode and duplicate keys as JSON.parse does', () => {
    for (const text of ['{"a":"\\u00e6\\n\\"q\\"\\\\","a":2,"1":0,"b":"🧦"}', ' [ true , false , null , "" , {} , [] ] ', '"\\ud83e\\udde6"']) {
      assert.deepEqual(plainNumbers(parseLossless(text)), JSON.parse(text), text);
    }
  });

  it('a __proto__ key is an own property, never the prototype', () => {
    const parsed = parseLossless('{"__proto__": {"polluted": 1.5}}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.ok(Object.hasOwn(parsed, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('nesting 100000 levels deep does not overflow the stack', () => {
    const text = `${'['.repeat(100_000)}1.5${']'.repeat(100_000)}`;
    let value = parseLossless(text);
    let depth = 0;
    while (Array.isArray(value)) {
      value = value[0];
      depth++;
    }
    assert.equal(depth, 100_000);
    assert.deepEqual(value, new JsonNumber('1.5'));
  });

  it('plainNumbers turns every JsonNumber into a number, however deep', () => {
    const text = `${'{"a":'.repeat(50_000)}[2486791679658155992]${'}'.repeat(50_000)}`;
    let value = plainNumbers(parseLossless(text)) as any;
    for (let i = 0; i < 50_000; i++) value = value.a;
    assert.deepEqual(value, [2486791679658155992]);
  });
});
