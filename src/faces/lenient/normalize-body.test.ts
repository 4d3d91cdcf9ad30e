import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type, type TSchema } from '@sinclair/typebox';
import { CreatePaymentRequestSchema } from '../epayment/schemas.ts';
import { MAX_RECORDED, type Leniency } from './leniency.ts';
import { JsonNumber, parseLossless } from './lossless-json.ts';
import { compileSchema, NEEDS_SOURCE_TEXT, normalizeBody } from './normalize-body.ts';

const strict = { additionalProperties: false } as const;
const nullable = <T extends TSchema>(s: T) => Type.Unsafe({ ...s, nullable: true });

function run(schema: TSchema, body: unknown, lossless = false): { body: unknown; leniencies: string[] } {
  const out: Leniency[] = [];
  const result = normalizeBody(body, compileSchema(schema), { out, lossless, reparsable: false });
  return { body: result, leniencies: out.map((l) => `${l.kind} ${l.field}`) };
}

const Item = Type.Object({ id: Type.String(), qty: Type.Integer(), note: Type.Optional(Type.String()) }, strict);
const Schema = Type.Object(
  {
    name: Type.String(),
    count: Type.Optional(Type.Integer()),
    label: Type.Optional(nullable(Type.String())),
    nested: Type.Optional(Type.Object({ code: Type.String(), deeper: Type.Optional(Type.Object({ x: Type.String() }, strict)) }, strict)),
    items: Type.Optional(Type.Array(Item)),
    tags: Type.Optional(Type.Array(Type.String())),
    map: Type.Optional(Type.Record(Type.String(), Type.String())),
    either: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    open: Type.Optional(Type.Object({ a: Type.String() })),
  },
  strict,
);

describe('normalizeBody', () => {
  it('drops unknown properties at every level, naming each as the client wrote it', () => {
    const r = run(Schema, { name: 'n', extra: 1, nested: { code: 'c', typo: true, deeper: { x: 'y', z: [] } }, items: [{ id: 'a', qty: 1, colour: 'red' }] });
    assert.deepEqual(r.body, { name: 'n', nested: { code: 'c', deeper: { x: 'y' } }, items: [{ id: 'a', qty: 1 }] });
    assert.deepEqual(r.leniencies, ['unknown-property extra', 'unknown-property nested.typo', 'unknown-property nested.deeper.z', 'unknown-property items[0].colour']);
  });

  it('keeps unknown properties where the schema allows them', () => {
    const r = run(Schema, { name: 'n', open: { a: 'x', b: 2 } });
    assert.deepEqual(r.body, { name: 'n', open: { a: 'x', b: 2 } });
    assert.deepEqual(r.leniencies, []);
  });

  it('reads numbers in string fields as their digits: properties, array items, record values', () => {
    const r = run(Schema, { name: 123, nested: { code: 0 }, tags: [1, 'two'], items: [{ id: 7, qty: 2 }], map: { orderid: 123 } });
    assert.deepEqual(r.body, { name: '123', nested: { code: '0' }, tags: ['1', 'two'], items: [{ id: '7', qty: 2 }], map: { orderid: '123' } });
    assert.deepEqual(r.leniencies, ['number-as-string name', 'number-as-string nested.code', 'number-as-string tags[0]', 'number-as-string items[0].id', 'number-as-string map.orderid']);
  });

  it('a lossless number keeps every digit in a string field and is a number elsewhere', () => {
    const body = parseLossless('{"name": 2486791679658155992, "count": 49900.0, "map": {"k": 1.50}}');
    const r = run(Schema, body, true);
    assert.deepEqual(r.body, { name: '2486791679658155992', count: 49900, map: { k: '1.50' } });
    assert.deepEqual(r.leniencies, ['number-as-string name', 'number-as-string map.k']);
  });

  it('a body from JSON.parse whose text can be read again asks for it when a number is met where a string belongs, and only then', () => {
    const ctx = { out: [] as Leniency[], lossless: false, reparsable: true };
    assert.throws(() => normalizeBody({ name: 'n', map: { k: 1.5 } }, compileSchema(Schema), ctx), (e) => e === NEEDS_SOURCE_TEXT);
    const body = { name: 'n', count: 49900.0, items: [{ id: 'a', qty: 1 }], extra: 7 };
    assert.deepEqual(normalizeBody(body, compileSchema(Schema), ctx), { name: 'n', count: 49900, items: [{ id: 'a', qty: 1 }] });
  });

  it('a lossless number that no schema describes becomes a plain number (open objects, unknown types)', () => {
    const body = parseLossless('{"name": "n", "open": {"a": "x", "b": [1.5, {"c": 2486791679658155992}]}}');
    const r = run(Schema, body, true);
    assert.deepEqual(r.body, { name: 'n', open: { a: 'x', b: [1.5, { c: 2486791679658155992 }] } });
  });

  it('null for an optional field is absent; null stays where it is legal (nullable) or required', () => {
    const r = run(Schema, { name: null, count: null, label: null, either: null, nested: null, items: [null] });
    assert.deepEqual(r.body, { name: null, label: null, either: null, items: [null] });
    assert.deepEqual(r.leniencies, ['null-as-absent count', 'null-as-absent nested']);
  });

  it('leaves real errors for validation: a string for a number, a boolean for a string, an object for an array', () => {
    const body = { name: true, count: '5', items: { id: 'x' } };
    const r = run(Schema, structuredClone(body));
    assert.deepEqual(r.body, body);
    assert.deepEqual(r.leniencies, []);
  });

  it('a body that is not an object is left as it is (a lossless number becomes a number)', () => {
    assert.deepEqual(run(Schema, 'text').body, 'text');
    assert.deepEqual(run(Schema, [1, 2]).body, [1, 2]);
    assert.equal(run(Schema, new JsonNumber('4.20'), true).body, 4.2);
  });

  it('records at most MAX_RECORDED leniencies and one entry counting the rest', () => {
    const body: Record<string, unknown> = { name: 'n' };
    for (let i = 0; i < MAX_RECORDED + 25; i++) body[`x${i}`] = i;
    const out: Leniency[] = [];
    normalizeBody(body, compileSchema(Schema), { out, lossless: false, reparsable: false });
    assert.deepEqual(body, { name: 'n' }, 'every unknown property is dropped, listed or not');
    assert.equal(out.length, MAX_RECORDED + 1);
    assert.deepEqual(out.at(-1), { kind: 'more', field: '', detail: '25 more leniencies not listed.' });
  });

  it('the ePayment create schema: the WooCommerce shapes', () => {
    const body = {
      amount: { currency: 'NOK', value: 49900 },
      paymentMethod: { type: 'WALLET' },
      reference: 'woo-order-1234',
      userFlow: 'WEB_REDIRECT',
      returnUrl: 'https://shop.example/return',
      customer: { customerInteraction: 'CUSTOMER_PRESENT' },
      metadata: { orderid: 1234 },
      minimumUserAge: null,
      receipt: {
        orderLines: [{ name: 'Socks', id: '1', totalAmount: 100, totalAmountExcludingTax: 80, totalTaxAmount: 20, taxRate: 2500, unitInfo: { unitPrice: 100, quantity: '1', quantityUnit: 'PCS' }, discount: 0, productUrl: 'https://x', isShipping: false }],
        bottomLine: { currency: 'NOK', tipAmount: 0, giftCardAmount: 0, terminalId: 'woocommerce', receiptNumber: '1234' },
      },
    };
    const r = run(CreatePaymentRequestSchema, body);
    assert.deepEqual(r.leniencies, ['unknown-property customer.customerInteraction', 'number-as-string metadata.orderid']);
    assert.equal((r.body as typeof body).minimumUserAge, null, 'minimumUserAge is nullable in the spec: null is no leniency');
  });
});
