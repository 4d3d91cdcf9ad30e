// Malformed requests against a real server: each one gets the documented 4xx, names what is wrong,
// and never causes a 5xx. After the whole table the server still serves a normal payment.
// The table runs twice: on a default server, where what the platform reads leniently (an unknown
// property, a number for a string) is accepted or fails later for what it leaves missing (`lenient`),
// and with strictRequests, where every case gets the answer it got before leniency existed.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { errorCode, newReference, paymentRequest, type ApiResponse } from '../../../test-support/api-client.ts';
import { useServer } from '../../../test-support/server.ts';

const CREATE = '/epayment/v1/payments';
const capturePath = (ref: string) => `/epayment/v1/payments/${ref}/capture`;
const refundPath = (ref: string) => `/epayment/v1/payments/${ref}/refund`;

type Headers = Record<string, string>;

interface Context {
  /** An authorized payment (1000 øre) for capture and refund cases. */
  ref: string;
  token: string;
}

interface BadRequest {
  /** What is sent, as the test name says it: "create with amount.value as a string". */
  what: string;
  method?: string;
  /** Defaults to the create endpoint. */
  path?: (ctx: Context) => string;
  body?: unknown;
  rawBody?: string;
  /** Rewrites the standard merchant headers (Authorization, subscription key, MSN). */
  headers?: (standard: Headers, ctx: Context) => Headers;
  /** A fresh UUID unless given; null sends no Idempotency-Key. */
  idempotencyKey?: string | null;
  status: number;
  /** ePayment 400s: the extraDetails[].name that must be present (or, with `code`, the field the detail names). */
  field?: string;
  /** A malformed value that has its own documented code (4040, 4070): the ErrorCode that must be sent. */
  code?: string;
  /** Gateway errors (401) and problems without extraDetails: what the message / detail must say. */
  message?: RegExp;
  /** What a default (lenient) server answers instead; without it, the same as with strictRequests. */
  lenient?: { status: number; field?: string; code?: string; warning: string };
}

/** A valid create body with the field at `path` removed. */
function without(path: string): Record<string, unknown> {
  const body = paymentRequest();
  const keys = path.split('.');
  let target: any = body;
  for (const k of keys.slice(0, -1)) target = target[k];
  delete target[keys.at(-1)!];
  return body;
}

function withAmount(value: unknown, currency: unknown = 'NOK'): Record<string, unknown> {
  return paymentRequest({ amount: { currency, value } });
}

const drop =
  (...names: string[]) =>
  (h: Headers): Headers => {
    const copy = { ...h };
    for (const n of names) delete copy[n];
    return copy;
  };

/** The token with one character in the middle of its signature changed. */
function forge(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const i = Math.floor(signature.length / 2);
  const swapped = signature[i] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, i)}${swapped}${signature.slice(i + 1)}`;
}

function nested(depth: number): string {
  return `{"amount":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},"paymentMethod":{"type":"WALLET"},"reference":"${newReference()}","userFlow":"WEB_REDIRECT","returnUrl":"https://example.com/return"}`;
}

const CASES: BadRequest[] = [
  // The body as a whole.
  { what: 'create with a body that is not valid JSON', rawBody: '{"amount": {"currency": "NOK", "value": 100', status: 400, field: 'body' },
  { what: 'create with a trailing comma in the JSON', rawBody: '{"reference": "order-12345678",}', status: 400, field: 'body' },
  {
    what: 'create with Content-Type text/plain',
    rawBody: JSON.stringify(paymentRequest()),
    headers: (h) => ({ ...h, 'Content-Type': 'text/plain' }),
    status: 415,
    message: /Content-Type/,
  },
  {
    what: 'create with Content-Type application/x-www-form-urlencoded',
    rawBody: 'amount=1000&reference=order-12345678',
    headers: (h) => ({ ...h, 'Content-Type': 'application/x-www-form-urlencoded' }),
    status: 415,
    message: /Content-Type/,
  },
  { what: 'create with an empty body', rawBody: '', status: 400, field: 'body' },
  { what: 'create with a body that is a JSON array', body: [paymentRequest()], status: 400, field: 'body' },
  { what: 'create with a body that is a JSON string', rawBody: '"a payment"', status: 400, field: 'body' },
  { what: 'create with a body that is JSON null', rawBody: 'null', status: 400, field: 'body' },
  { what: 'create with a body that is a JSON number', rawBody: '42', status: 400, field: 'body' },
  {
    what: 'create with deeply nested JSON (10000 levels) where amount belongs',
    rawBody: nested(10_000),
    status: 400,
    field: 'amount.a',
    lenient: { status: 400, field: 'amount.value', warning: 'unknown-property;field="amount.a"' },
  },
  { what: 'create with a JSON array nested 100000 levels', rawBody: `${'['.repeat(100_000)}${']'.repeat(100_000)}`, status: 400, field: 'body' },

  // Required create fields.
  { what: 'create without amount', body: without('amount'), status: 400, field: 'amount' },
  { what: 'create without amount.value', body: without('amount.value'), status: 400, field: 'amount.value' },
  { what: 'create without amount.currency', body: without('amount.currency'), status: 400, field: 'amount.currency' },
  { what: 'create without paymentMethod', body: without('paymentMethod'), status: 400, field: 'paymentMethod' },
  { what: 'create without paymentMethod.type', body: without('paymentMethod.type'), status: 400, field: 'paymentMethod.type' },
  { what: 'create without reference', body: without('reference'), status: 400, field: 'reference' },
  { what: 'create without userFlow', body: without('userFlow'), status: 400, field: 'userFlow' },

  // Amount types and limits.
  { what: 'create with amount.value as a string', body: withAmount('1000'), status: 400, field: 'amount.value' },
  { what: 'create with amount.value as a float 10.5', body: withAmount(10.5), status: 400, field: 'amount.value', code: '4040' },
  { what: 'create with a negative amount.value', body: withAmount(-100), status: 400, field: 'amount.value' },
  { what: 'create with amount.value above 65000000', body: withAmount(65_000_001), status: 400, field: 'amount.value' },
  { what: 'create with amount.value null', body: withAmount(null), status: 400, field: 'amount.value' },
  { what: 'create with amount.value as a boolean', body: withAmount(true), status: 400, field: 'amount.value' },
  { what: 'create with amount as a number', body: paymentRequest({ amount: 1000 }), status: 400, field: 'amount' },
  { what: 'create with an unknown currency XYZ', body: withAmount(1000, 'XYZ'), status: 400, field: 'amount.currency' },
  { what: 'create with a lower-case currency nok', body: withAmount(1000, 'nok'), status: 400, field: 'amount.currency' },

  // Unknown fields.
  {
    what: 'create with the typo "refrence" at top level',
    body: (() => {
      const b = paymentRequest();
      b.refrence = b.reference;
      return b;
    })(),
    status: 400,
    field: 'refrence',
    lenient: { status: 201, warning: 'unknown-property;field="refrence"' },
  },
  {
    what: 'create with the typo "amount.valeu"',
    body: paymentRequest({ amount: { currency: 'NOK', valeu: 1000 } }),
    status: 400,
    field: 'amount.valeu',
    // The typo is ignored, and the field it was meant to be is missing.
    lenient: { status: 400, field: 'amount.value', warning: 'unknown-property;field="amount.valeu"' },
  },
  {
    what: 'create with an unknown field inside paymentMethod',
    body: paymentRequest({ paymentMethod: { type: 'WALLET', kind: 'x' } }),
    status: 400,
    field: 'paymentMethod.kind',
    lenient: { status: 201, warning: 'unknown-property;field="paymentMethod.kind"' },
  },

  // Reference.
  { what: 'create with a 7-character reference', body: paymentRequest({ reference: 'abc-123' }), status: 400, field: 'reference' },
  { what: 'create with a reference containing an underscore and a space', body: paymentRequest({ reference: 'order_123 456' }), status: 400, field: 'reference' },
  { what: 'create with a reference containing non-ASCII letters', body: paymentRequest({ reference: 'ordre-ÆØÅ-1234' }), status: 400, field: 'reference' },
  { what: 'create with a 65-character reference', body: paymentRequest({ reference: 'a'.repeat(65) }), status: 400, field: 'reference' },
  {
    what: 'create with a numeric reference',
    body: paymentRequest({ reference: 123456789 }),
    status: 400,
    field: 'reference',
    lenient: { status: 201, warning: 'number-as-string;field="reference"' },
  },
  {
    what: 'create with a numeric reference of 7 digits',
    body: paymentRequest({ reference: 1234567 }),
    status: 400,
    field: 'reference',
    lenient: { status: 400, field: 'reference', warning: 'number-as-string;field="reference"' },
  },

  // Enums.
  { what: 'create with userFlow "REDIRECT"', body: paymentRequest({ userFlow: 'REDIRECT' }), status: 400, field: 'userFlow' },
  { what: 'create with a lower-case userFlow', body: paymentRequest({ userFlow: 'web_redirect' }), status: 400, field: 'userFlow' },
  { what: 'create with paymentMethod.type "VIPPS"', body: paymentRequest({ paymentMethod: { type: 'VIPPS' } }), status: 400, field: 'paymentMethod.type' },
  { what: 'create with customerInteraction "PRESENT"', body: paymentRequest({ customerInteraction: 'PRESENT' }), status: 400, field: 'customerInteraction' },

  // Strings with limits.
  { what: 'create with a 2-character paymentDescription', body: paymentRequest({ paymentDescription: 'ab' }), status: 400, field: 'paymentDescription' },
  { what: 'create with a 101-character paymentDescription', body: paymentRequest({ paymentDescription: 'x'.repeat(101) }), status: 400, field: 'paymentDescription' },
  { what: 'create with customer.phoneNumber "12345"', body: paymentRequest({ customer: { phoneNumber: '12345' } }), status: 400, field: 'customer.phoneNumber', code: '4070' },
  { what: 'create with customer.phoneNumber "+4712345678"', body: paymentRequest({ customer: { phoneNumber: '+4712345678' } }), status: 400, field: 'customer.phoneNumber', code: '4070' },
  { what: 'create with customer.phoneNumber containing letters', body: paymentRequest({ customer: { phoneNumber: '47123abc78' } }), status: 400, field: 'customer.phoneNumber', code: '4070' },
  {
    what: 'create with customer.phoneNumber as a number',
    body: paymentRequest({ customer: { phoneNumber: 4712345678 } }),
    status: 400,
    field: 'customer.phoneNumber',
    lenient: { status: 201, warning: 'number-as-string;field="customer.phoneNumber"' },
  },
  {
    what: 'create with customer.phoneNumber as a number of 5 digits',
    body: paymentRequest({ customer: { phoneNumber: 12345 } }),
    status: 400,
    field: 'customer.phoneNumber',
    lenient: { status: 400, field: 'customer.phoneNumber', code: '4070', warning: 'number-as-string;field="customer.phoneNumber"' },
  },

  // Headers.
  { what: 'create without Idempotency-Key', body: paymentRequest(), idempotencyKey: null, status: 400, field: 'Idempotency-Key' },
  { what: 'create with a 51-character Idempotency-Key', body: paymentRequest(), idempotencyKey: 'k'.repeat(51), status: 400, field: 'Idempotency-Key' },
  { what: 'create with an empty Idempotency-Key', body: paymentRequest(), idempotencyKey: '', status: 400, field: 'Idempotency-Key' },
  { what: 'create without Merchant-Serial-Number', body: paymentRequest(), headers: drop('Merchant-Serial-Number'), status: 400, field: 'Merchant-Serial-Number' },
  { what: 'create with Merchant-Serial-Number "abc"', body: paymentRequest(), headers: (h) => ({ ...h, 'Merchant-Serial-Number': 'abc' }), status: 400, field: 'Merchant-Serial-Number' },
  { what: 'create with an 11-digit Merchant-Serial-Number', body: paymentRequest(), headers: (h) => ({ ...h, 'Merchant-Serial-Number': '12345678901' }), status: 400, field: 'Merchant-Serial-Number' },
  { what: 'create for a Merchant-Serial-Number the merchant does not own', body: paymentRequest(), headers: (h) => ({ ...h, 'Merchant-Serial-Number': '999999' }), status: 403, message: /999999/ },

  // Gateway authentication (401 in the gateway's { statusCode, message } format).
  { what: 'create without Ocp-Apim-Subscription-Key', body: paymentRequest(), headers: drop('Ocp-Apim-Subscription-Key'), status: 401, message: /missing subscription key/ },
  { what: 'create with a wrong Ocp-Apim-Subscription-Key', body: paymentRequest(), headers: (h) => ({ ...h, 'Ocp-Apim-Subscription-Key': 'not-the-key' }), status: 401, message: /invalid subscription key/ },
  { what: 'create without Authorization', body: paymentRequest(), headers: drop('Authorization'), status: 401, message: /Authorization/ },
  { what: 'create with "Authorization: <token>" without Bearer', body: paymentRequest(), headers: (h, c) => ({ ...h, Authorization: c.token }), status: 401, message: /Authorization/ },
  { what: 'create with "Authorization: Basic …"', body: paymentRequest(), headers: (h) => ({ ...h, Authorization: 'Basic dXNlcjpwYXNz' }), status: 401, message: /Authorization/ },
  { what: 'create with "Authorization: Bearer" and no token', body: paymentRequest(), headers: (h) => ({ ...h, Authorization: 'Bearer' }), status: 401, message: /Authorization/ },
  { what: 'create with a forged token (one signature character changed)', body: paymentRequest(), headers: (h, c) => ({ ...h, Authorization: `Bearer ${forge(c.token)}` }), status: 401, message: /token/ },
  { what: 'create with a garbage token', body: paymentRequest(), headers: (h) => ({ ...h, Authorization: 'Bearer garbage' }), status: 401, message: /token/ },
  { what: 'create with a three-part garbage token', body: paymentRequest(), headers: (h) => ({ ...h, Authorization: 'Bearer abc.def.ghi' }), status: 401, message: /token/ },
  {
    what: 'create with an unsigned token (alg none)',
    body: paymentRequest(),
    headers: (h, c) => {
      const payload = c.token.split('.')[1]!;
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      return { ...h, Authorization: `Bearer ${header}.${payload}.` };
    },
    status: 401,
    message: /token/,
  },
  {
    what: 'GetPayment without Authorization',
    method: 'GET',
    path: (c) => `/epayment/v1/payments/${c.ref}`,
    headers: drop('Authorization'),
    idempotencyKey: null,
    status: 401,
    message: /Authorization/,
  },

  // Capture and refund.
  { what: 'capture without Idempotency-Key', path: (c) => capturePath(c.ref), body: { modificationAmount: { currency: 'NOK', value: 100 } }, idempotencyKey: null, status: 400, field: 'Idempotency-Key' },
  { what: 'refund without Idempotency-Key', path: (c) => refundPath(c.ref), body: { modificationAmount: { currency: 'NOK', value: 100 } }, idempotencyKey: null, status: 400, field: 'Idempotency-Key' },
  { what: 'capture with a 51-character Idempotency-Key', path: (c) => capturePath(c.ref), body: { modificationAmount: { currency: 'NOK', value: 100 } }, idempotencyKey: 'k'.repeat(51), status: 400, field: 'Idempotency-Key' },
  { what: 'capture with a string amount', path: (c) => capturePath(c.ref), body: { modificationAmount: { currency: 'NOK', value: '100' } }, status: 400, field: 'modificationAmount.value' },
  { what: 'capture with a float amount', path: (c) => capturePath(c.ref), body: { modificationAmount: { currency: 'NOK', value: 99.5 } }, status: 400, field: 'modificationAmount.value', code: '4040' },
  { what: 'capture with a negative amount', path: (c) => capturePath(c.ref), body: { modificationAmount: { currency: 'NOK', value: -1 } }, status: 400, field: 'modificationAmount.value' },
  { what: 'capture without modificationAmount', path: (c) => capturePath(c.ref), body: {}, status: 400, field: 'modificationAmount' },
  {
    what: 'capture with the amount at top level',
    path: (c) => capturePath(c.ref),
    body: { amount: { currency: 'NOK', value: 100 } },
    status: 400,
    field: 'amount',
    lenient: { status: 400, field: 'modificationAmount', warning: 'unknown-property;field="amount"' },
  },
  { what: 'capture without modificationAmount.currency', path: (c) => capturePath(c.ref), body: { modificationAmount: { value: 100 } }, status: 400, field: 'modificationAmount.currency' },
  { what: 'capture with currency "KRONER"', path: (c) => capturePath(c.ref), body: { modificationAmount: { currency: 'KRONER', value: 100 } }, status: 400, field: 'modificationAmount.currency' },
  {
    what: 'capture with the typo "modificationAmount.valeu"',
    path: (c) => capturePath(c.ref),
    body: { modificationAmount: { currency: 'NOK', valeu: 100 } },
    status: 400,
    field: 'modificationAmount.valeu',
    lenient: { status: 400, field: 'modificationAmount.value', warning: 'unknown-property;field="modificationAmount.valeu"' },
  },
  { what: 'capture with an empty body', path: (c) => capturePath(c.ref), rawBody: '', status: 400, field: 'body' },
  { what: 'refund with a string amount', path: (c) => refundPath(c.ref), body: { modificationAmount: { currency: 'NOK', value: '100' } }, status: 400, field: 'modificationAmount.value' },
  { what: 'refund with an amount above 65000000', path: (c) => refundPath(c.ref), body: { modificationAmount: { currency: 'NOK', value: 65_000_001 } }, status: 400, field: 'modificationAmount.value' },
  { what: 'refund with invalid JSON', path: (c) => refundPath(c.ref), rawBody: '{modificationAmount: 1}', status: 400, field: 'body' },

  // The reference in the path.
  { what: 'GetPayment of /epayment/v1/payments/short', method: 'GET', path: () => '/epayment/v1/payments/short', idempotencyKey: null, status: 400, field: 'reference' },
  { what: 'GetPayment of a reference with an underscore', method: 'GET', path: () => '/epayment/v1/payments/order_12345', idempotencyKey: null, status: 400, field: 'reference' },
  { what: 'GetPayment of a 65-character reference', method: 'GET', path: () => `/epayment/v1/payments/${'a'.repeat(65)}`, idempotencyKey: null, status: 400, field: 'reference' },
  { what: 'event log of a malformed reference', method: 'GET', path: () => '/epayment/v1/payments/bad!ref!/events', idempotencyKey: null, status: 400, field: 'reference' },
  { what: 'capture of a malformed reference', path: () => capturePath('short'), body: { modificationAmount: { currency: 'NOK', value: 100 } }, status: 400, field: 'reference' },

  // Size.
  { what: 'create with a body over 1 MB', rawBody: JSON.stringify(paymentRequest({ paymentDescription: 'x'.repeat(1_100_000) })), status: 413, message: /too large/ },
];

for (const strict of [false, true]) describe(strict ? 'ePayment with strictRequests rejects malformed requests as before leniency' : 'ePayment rejects malformed requests', () => {
  const t = useServer(strict ? { strictRequests: true } : {});
  const ctx = {} as Context;

  before(async () => {
    ctx.token = await t.api.token();
    ctx.ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
  });

  for (const c of CASES) {
    const expected = !strict && c.lenient ? c.lenient : c;
    const answer = expected.status < 300 ? `accepted with ${expected.status}` : `rejected with ${expected.status}`;
    const expectation = expected.code ? `code ${expected.code} naming ${expected.field}` : expected.field ? `naming ${expected.field}` : c.message ? `saying ${c.message}` : '';
    const warned = !strict && c.lenient ? `, warning ${c.lenient.warning.split(';')[0]}` : '';
    it(`${c.what} is ${answer} ${expectation}${warned}`.replace(/ +,/, ',').trim(), async () => {
      const headers: Headers = { ...(c.headers ? c.headers(await t.api.merchantHeaders(), ctx) : await t.api.merchantHeaders()) };
      const idempotencyKey = c.idempotencyKey === undefined ? randomUUID() : c.idempotencyKey;
      const options: Parameters<typeof t.api.call>[2] = { bare: true, headers };
      if (c.body !== undefined) options.body = c.body;
      if (c.rawBody !== undefined) options.rawBody = c.rawBody;
      if (idempotencyKey !== null) options.idempotencyKey = idempotencyKey;
      const res = await t.api.call(c.method ?? 'POST', c.path ? c.path(ctx) : CREATE, options);

      assert.ok(res.status < 500, `never a 5xx: ${res.status} ${res.text.slice(0, 300)}`);
      assert.equal(res.status, expected.status, res.text.slice(0, 500));
      if (expected.code) {
        assert.equal(errorCode(res), expected.code, res.text);
        assert.ok(String(res.body.detail).includes(expected.field!), `the detail names ${expected.field}: ${res.body.detail}`);
      } else if (expected.field) assertNames(res, expected.field);
      if (c.message && expected === c) {
        const said = res.status === 401 ? res.body.message : res.body.detail;
        assert.match(said, c.message);
      }
      const warning = res.headers.get('vipps-local-warning');
      if (!strict && c.lenient) assert.ok(warning?.includes(c.lenient.warning), `Vipps-Local-Warning names ${c.lenient.warning}: ${warning}`);
      else assert.equal(warning, null, 'no leniency, no Vipps-Local-Warning');
    });
  }

  it('a malformed capture changes nothing: the payment is still uncaptured with one AUTHORIZED event after CREATED', async () => {
    const payment = await t.api.getPayment(ctx.ref);
    assert.equal(payment.status, 200);
    assert.equal(payment.body.state, 'AUTHORIZED');
    assert.deepEqual(payment.body.aggregate.capturedAmount, { currency: 'NOK', value: 0 });
    assert.deepEqual(payment.body.aggregate.refundedAmount, { currency: 'NOK', value: 0 });
    const events = await t.api.events(ctx.ref);
    assert.deepEqual(events.body.map((e: any) => e.name), ['CREATED', 'AUTHORIZED']);
  });

  it('create with unicode (emoji, æøå, CJK) in paymentDescription is accepted with 201', async () => {
    const res = await t.api.createPayment({ paymentDescription: 'Sokker til Åse 🧦 – ære være 靴下' });
    assert.equal(res.status, 201, res.text);
  });

  it('a 100-character paymentDescription made of emoji counts characters, not UTF-16 units, and is accepted', async () => {
    const res = await t.api.createPayment({ paymentDescription: '🧦'.repeat(100) });
    assert.equal(res.status, 201, res.text);
  });

  it('after the whole table, the server still serves create → approve → capture', async () => {
    const { api } = t;
    const created = await api.createPayment({ amount: { currency: 'NOK', value: 2500 } });
    assert.equal(created.status, 201, created.text);
    const ref = created.body.reference as string;
    assert.equal((await api.approve(ref)).status, 200);
    const capture = await api.capture(ref, 2500);
    assert.equal(capture.status, 200, capture.text);
    assert.equal(capture.body.aggregate.capturedAmount.value, 2500);
    const events = await api.events(ref);
    assert.deepEqual(events.body.map((e: any) => e.name), ['CREATED', 'AUTHORIZED', 'CAPTURED']);
  });
});

/** A 400 problem that names `field` in extraDetails and carries no ErrorCode (malformed input is not a domain error). */
function assertNames(res: ApiResponse, field: string): void {
  const details = (res.body.extraDetails ?? []) as Array<{ name: string; reason: string }>;
  const names = details.map((d) => d.name);
  assert.ok(names.includes(field), `extraDetails names ${field}; got ${JSON.stringify(details)}`);
  assert.equal(errorCode(res), undefined, 'malformed input carries no ErrorCode');
  for (const d of details) assert.ok(d.reason.length > 0, `a reason for ${d.name}`);
}
