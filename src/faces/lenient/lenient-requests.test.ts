// "Lenient in, exact out" over real HTTP, on every face: each request shape the platform accepts
// although the spec does not describe it is accepted and named in Vipps-Local-Warning; with
// strictRequests the same request gets the answer it got before (400, 404, 415, 4090). Every answer
// is still checked against the official spec (test-support/api-client.ts).
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { assertMatchesSpec, errorCode, paymentRequest, type Api, type ApiResponse } from '../../../test-support/api-client.ts';
import { useServer } from '../../../test-support/server.ts';
import { warningsOf } from '../../../test-support/warnings.ts';

/** A reference of 19 digits, beyond what a JavaScript number holds exactly (as the Postman collection makes them). */
const longNumericReference = () => `24867916${String(randomInt(1e9)).padStart(9, '0')}${randomInt(10, 99)}`;

interface Request {
  method: string;
  path: string;
  /** JSON text as sent (numbers unquoted where the row says so); a body object is stringified. */
  rawBody?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send no merchant headers (the access-token call). */
  bare?: boolean;
  idempotencyKey?: boolean;
}

interface Row {
  what: string;
  request: (c: Context) => Request;
  /** The default server: status and the warnings, as `kind field`, in order. */
  lenient: { status: number; warnings: string[]; code?: string; check?: (res: ApiResponse, c: Context) => void };
  /** strictRequests: the answer from before leniency. */
  strict: { status: number; field?: string; code?: string };
}

interface Context {
  api: Api;
  /** An AUTHORIZED payment of 100000 øre whose reference has capitals. */
  ref: string;
  /** A CREATED payment, for the one row that approves it. */
  fresh: string;
}

const tokenHeaders = (api: Api) => ({
  client_id: api.credentials.clientId,
  client_secret: api.credentials.clientSecret,
  'Ocp-Apim-Subscription-Key': api.credentials.subscriptionKey,
});

/** A create body as JSON text, with the members of `raw` written first, as given: rawCreate({ reference: '2486…' }). */
function rawCreate(raw: Record<string, string>, overrides: Record<string, unknown> = {}): string {
  const body = paymentRequest(overrides);
  for (const key of Object.keys(raw)) delete body[key];
  const members = Object.entries(raw).map(([key, value]) => `${JSON.stringify(key)}: ${value}`);
  return `{${members.join(', ')}, ${JSON.stringify(body).slice(1)}`;
}

const create = (extra: Partial<Request> = {}): ((c: Context) => Request) => () => ({ method: 'POST', path: '/epayment/v1/payments', body: paymentRequest(), idempotencyKey: true, ...extra });

const ROWS: Row[] = [
  // Bodies.
  {
    what: 'an unknown property at top level',
    request: create({ body: paymentRequest({ orderId: 'woo-1234' }) }),
    lenient: { status: 201, warnings: ['unknown-property orderId'] },
    strict: { status: 400, field: 'orderId' },
  },
  {
    what: 'an unknown property nested (customerInteraction inside customer)',
    request: create({ body: paymentRequest({ customer: { phoneNumber: '4712345678', customerInteraction: 'CUSTOMER_PRESENT' } }) }),
    lenient: { status: 201, warnings: ['unknown-property customer.customerInteraction'] },
    strict: { status: 400, field: 'customer.customerInteraction' },
  },
  {
    what: 'an unknown property in a receipt line (WooCommerce-style line plus one more field)',
    request: create({
      body: paymentRequest({
        receipt: {
          orderLines: [{ name: 'Socks', id: '1', totalAmount: 1000, totalAmountExcludingTax: 800, totalTaxAmount: 200, taxRate: 2500, unitInfo: { unitPrice: 1000, quantity: '1', quantityUnit: 'PCS' }, discount: 0, productUrl: 'https://shop.example/socks', isShipping: false, sku: 'S-1' }],
          bottomLine: { currency: 'NOK', tipAmount: 0, giftCardAmount: 0, terminalId: 'woocommerce', receiptNumber: '1234' },
        },
      }),
    }),
    lenient: { status: 201, warnings: ['unknown-property receipt.orderLines[0].sku'] },
    strict: { status: 400, field: 'receipt.orderLines[0].sku' },
  },
  {
    what: 'an unquoted 19-digit reference',
    request: () => ({ method: 'POST', path: '/epayment/v1/payments', rawBody: rawCreate({ reference: longNumericReference() }), idempotencyKey: true }),
    lenient: { status: 201, warnings: ['number-as-string reference'], check: (res) => assert.match(res.text, /"reference":"24867916\d{11}"/) },
    strict: { status: 400, field: 'reference' },
  },
  {
    what: 'an unquoted phone number',
    request: () => ({ method: 'POST', path: '/epayment/v1/payments', rawBody: rawCreate({ customer: '{"phoneNumber": 4712345678}' }, { userFlow: 'PUSH_MESSAGE' }), idempotencyKey: true }),
    lenient: { status: 201, warnings: ['number-as-string customer.phoneNumber'] },
    strict: { status: 400, field: 'customer.phoneNumber' },
  },
  {
    what: 'null for optional fields that are not nullable',
    request: create({ body: paymentRequest({ paymentDescription: null, customerInteraction: null, profile: null }) }),
    lenient: { status: 201, warnings: ['null-as-absent paymentDescription', 'null-as-absent customerInteraction', 'null-as-absent profile'] },
    strict: { status: 400, field: 'paymentDescription' },
  },
  {
    what: 'an integer as a metadata value',
    request: create({ body: paymentRequest({ metadata: { orderid: 123 } }) }),
    lenient: { status: 201, warnings: ['number-as-string metadata.orderid'] },
    strict: { status: 400, field: 'metadata.orderid' },
  },
  {
    what: 'a customer with no identifier (WooCommerce: customer: { customerInteraction })',
    request: create({ body: paymentRequest({ customer: { customerInteraction: 'CUSTOMER_PRESENT' } }) }),
    lenient: { status: 201, warnings: ['unknown-property customer.customerInteraction', 'customer-without-identifier customer'] },
    strict: { status: 400, field: 'customer.customerInteraction' },
  },
  {
    what: 'an empty customer on PUSH_MESSAGE (no customer: the flow still needs one)',
    request: create({ body: paymentRequest({ userFlow: 'PUSH_MESSAGE', customer: {} }) }),
    lenient: { status: 400, code: '4140', warnings: ['customer-without-identifier customer'] },
    strict: { status: 400, field: 'customer' },
  },
  {
    what: 'Content-Type text/json',
    request: create({ headers: { 'Content-Type': 'text/json' } }),
    lenient: { status: 201, warnings: ['json-content-type Content-Type'] },
    strict: { status: 415 },
  },
  {
    what: 'Content-Type application/vnd.foo+json',
    request: create({ headers: { 'Content-Type': 'application/vnd.foo+json; charset=utf-8' } }),
    lenient: { status: 201, warnings: ['json-content-type Content-Type'] },
    strict: { status: 415 },
  },
  {
    what: 'an http:// returnUrl to a host that is not loopback',
    request: create({ body: paymentRequest({ returnUrl: 'http://example.com/return' }) }),
    lenient: { status: 201, warnings: ['http-merchant-url returnUrl'] },
    strict: { status: 400, code: '4090' },
  },
  // Spec-valid already (the same in both modes, and no warning).
  {
    what: 'minimumUserAge null (nullable in the spec)',
    request: create({ body: paymentRequest({ minimumUserAge: null }) }),
    lenient: { status: 201, warnings: [] },
    strict: { status: 201 },
  },
  {
    what: 'amounts written 49900.0 (a JSON Schema integer)',
    request: () => ({
      method: 'POST',
      path: '/epayment/v1/payments',
      rawBody: rawCreate({
        amount: '{"currency": "NOK", "value": 49900.0}',
        receipt: '{"orderLines": [{"name": "Socks", "id": "1", "totalAmount": 49900.0, "totalAmountExcludingTax": 39920.0, "totalTaxAmount": 9980.0, "taxRate": 2500.0}], "bottomLine": {"currency": "NOK"}}',
      }),
      idempotencyKey: true,
    }),
    lenient: { status: 201, warnings: [] },
    strict: { status: 201 },
  },
  {
    what: 'a float amount 10.5 (still its own error, 4040)',
    request: () => ({ method: 'POST', path: '/epayment/v1/payments', rawBody: rawCreate({ amount: '{"currency": "NOK", "value": 10.5}' }), idempotencyKey: true }),
    lenient: { status: 400, code: '4040', warnings: [] },
    strict: { status: 400, code: '4040' },
  },
  {
    what: 'a string where a number belongs (still an error)',
    request: create({ body: paymentRequest({ amount: { currency: 'NOK', value: '1000' } }) }),
    lenient: { status: 400, warnings: [] },
    strict: { status: 400, field: 'amount.value' },
  },

  // Paths: ePayment.
  {
    what: 'POST /ePayment/v1/Payments',
    request: create({ path: '/ePayment/v1/Payments' }),
    lenient: { status: 201, warnings: ['path-case /ePayment/v1/Payments'] },
    strict: { status: 404 },
  },
  {
    what: 'POST /epayment/v1/payments/ (trailing slash)',
    request: create({ path: '/epayment/v1/payments/' }),
    lenient: { status: 201, warnings: ['path-trailing-slash /epayment/v1/payments/'] },
    strict: { status: 404 },
  },
  {
    what: 'GET /EPAYMENT/V1/PAYMENTS/{reference} (the reference keeps its case)',
    request: (c) => ({ method: 'GET', path: `/EPAYMENT/V1/PAYMENTS/${c.ref}` }),
    lenient: { status: 200, warnings: [`path-case /EPAYMENT/V1/PAYMENTS/{ref}`], check: (res, c) => assert.equal(res.body.reference, c.ref) },
    strict: { status: 404 },
  },
  {
    what: 'GET /epayment/v1/payments/{reference}/events/',
    request: (c) => ({ method: 'GET', path: `/epayment/v1/payments/${c.ref}/events/` }),
    lenient: { status: 200, warnings: [`path-trailing-slash /epayment/v1/payments/{ref}/events/`] },
    strict: { status: 404 },
  },
  {
    what: 'POST /epayment/v1/payments/{reference}/Capture/',
    request: (c) => ({ method: 'POST', path: `/epayment/v1/payments/${c.ref}/Capture/`, body: { modificationAmount: { currency: 'NOK', value: 100 } }, idempotencyKey: true }),
    lenient: { status: 200, warnings: [`path-case /epayment/v1/payments/{ref}/Capture/`, `path-trailing-slash /epayment/v1/payments/{ref}/Capture/`] },
    strict: { status: 404 },
  },
  // Paths: Webhooks.
  {
    what: 'GET /Webhooks/V1/Webhooks',
    request: () => ({ method: 'GET', path: '/Webhooks/V1/Webhooks' }),
    lenient: { status: 200, warnings: ['path-case /Webhooks/V1/Webhooks'] },
    strict: { status: 404 },
  },
  {
    what: 'GET /webhooks/v1/webhooks/',
    request: () => ({ method: 'GET', path: '/webhooks/v1/webhooks/' }),
    lenient: { status: 200, warnings: ['path-trailing-slash /webhooks/v1/webhooks/'] },
    strict: { status: 404 },
  },
  {
    what: 'a webhook registration with an unknown property',
    request: () => ({ method: 'POST', path: '/webhooks/v1/webhooks', body: { url: `https://example.com/hooks/${randomUUID()}`, events: ['epayments.payment.captured.v1'], secret: 'mine' } }),
    lenient: { status: 201, warnings: ['unknown-property secret'] },
    strict: { status: 400, field: 'secret' },
  },
  {
    what: 'force approve whose token names no payment (the Postman collection sends its unfilled {{payment_token}})',
    request: (c) => ({ method: 'POST', path: `/epayment/v1/test/payments/${c.fresh}/approve`, body: { customer: { phoneNumber: '4712345678' }, token: '{{payment_token}}' } }),
    lenient: { status: 200, warnings: ['unusable-token token'] },
    strict: { status: 400, code: '10020' },
  },
  // Paths: Access Token (the official plugins and the Postman collection call /accessToken/get).
  ...['/accessToken/get', '/AccessToken/Get', '/accesstoken/get/'].map(
    (path): Row => ({
      what: `POST ${path} with an empty form-encoded body`,
      request: (c) => ({ method: 'POST', path, bare: true, rawBody: '', headers: { ...tokenHeaders(c.api), 'Content-Type': 'application/x-www-form-urlencoded' } }),
      lenient: { status: 200, warnings: path.endsWith('/') ? [`path-trailing-slash ${path}`] : [`path-case ${path}`] },
      strict: { status: 404 },
    }),
  ),
];

async function send(c: Context, r: Request): Promise<ApiResponse> {
  const headers: Record<string, string> = r.bare ? {} : await c.api.merchantHeaders();
  if (r.rawBody !== undefined || r.body !== undefined) headers['Content-Type'] = 'application/json';
  if (r.idempotencyKey) headers['Idempotency-Key'] = randomUUID();
  Object.assign(headers, r.headers);
  const init: RequestInit = { method: r.method, headers };
  if (r.rawBody !== undefined) init.body = r.rawBody;
  else if (r.body !== undefined) init.body = JSON.stringify(r.body);
  const res = await fetch(c.api.baseUrl + r.path, init);
  const text = await res.text();
  const response: ApiResponse = { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, text };
  // A path that matches no route (strictRequests) is answered by the server's not-found handler, which is in no spec.
  if (!(res.status === 404 && response.body?.statusCode === 404)) assertMatchesSpec(r.method, r.path, response);
  return response;
}

for (const strict of [false, true]) {
  describe(strict ? 'strictRequests: each leniency is the error it was' : 'lenient in, exact out: each leniency is accepted and named in Vipps-Local-Warning', () => {
    const t = useServer(strict ? { strictRequests: true } : {});
    const c = {} as Context;
    before(async () => {
      c.api = t.api;
      c.ref = await t.api.authorized({ reference: `Order-MiXeD-${randomUUID()}`, amount: { currency: 'NOK', value: 100_000 } });
      c.fresh = await t.api.created();
    });

    for (const row of ROWS) {
      const expected = strict ? row.strict : row.lenient;
      const named = !strict && row.lenient.warnings.length > 0 ? `, warning ${row.lenient.warnings.map((w) => w.split(' ')[0]).join(' + ')}` : '';
      it(`${row.what}: ${expected.status}${expected.code ? ` ${expected.code}` : ''}${named}`, async () => {
        const res = await send(c, row.request(c));
        assert.equal(res.status, expected.status, res.text.slice(0, 500));
        if (expected.code) assert.equal(errorCode(res), expected.code, res.text);
        if (strict && row.strict.field) {
          const names = ((res.body.extraDetails ?? []) as Array<{ name: string }>).map((d) => d.name);
          assert.ok(names.includes(row.strict.field), `names ${row.strict.field}: ${res.text}`);
        }
        const want = strict ? [] : row.lenient.warnings.map((w) => w.replace('{ref}', c.ref));
        assert.deepEqual(warningsOf(res), want, `Vipps-Local-Warning: ${res.headers.get('vipps-local-warning')}`);
        if (!strict) await row.lenient.check?.(res, c);
      });
    }

    it('a request that needs no leniency has no Vipps-Local-Warning header, on every face', async () => {
      const token = await send(c, { method: 'POST', path: '/accesstoken/get', bare: true, rawBody: '', headers: { ...tokenHeaders(c.api), 'Content-Type': 'application/x-www-form-urlencoded' } });
      const created = await t.api.createPayment();
      const got = await t.api.getPayment(c.ref);
      const captured = await t.api.capture(c.ref, 100);
      const webhooks = await t.api.listWebhooks();
      const refused = await t.api.createPayment({ amount: { currency: 'NOK', value: 10 } });
      for (const res of [token, created, got, captured, webhooks, refused]) {
        assert.ok(res.status < 500, res.text);
        assert.equal(res.headers.get('vipps-local-warning'), null, res.text);
      }
      assert.equal(refused.status, 400, 'an error without leniency has no header either');
    });

    it('prototype pollution is refused with 400 on both parse paths (plain and lossless numbers)', async () => {
      const payloads = [
        rawCreate({ ['__proto__']: '{"polluted": true}' }),
        rawCreate({ ['__proto__']: '{"polluted": true}', amount: '{"currency": "NOK", "value": 49900.0}' }),
        rawCreate({ constructor: '{"prototype": {"polluted": true}}' }),
        rawCreate({ constructor: '{"prototype": {"polluted": true}}', reference: longNumericReference() }),
        rawCreate({ reference: longNumericReference() }).replace('{', '{"\\u005f_proto__": {"polluted": true},'),
      ];
      for (const rawBody of payloads) {
        assert.match(rawBody, /proto/);
        const res = await send(c, { method: 'POST', path: '/epayment/v1/payments', rawBody, idempotencyKey: true });
        assert.equal(res.status, 400, `${rawBody}: ${res.text}`);
        assert.equal(res.body.extraDetails[0].name, 'body');
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
      }
    });

    if (!strict) {
      it('a 19-digit reference sent unquoted comes back digit for digit: create → GetPayment → approve → capture → events, by that reference in the URL', async () => {
        const reference = longNumericReference();
        assert.notEqual(String(Number(reference)), reference, 'beyond a double');
        const created = await send(c, { method: 'POST', path: '/epayment/v1/payments', rawBody: rawCreate({ reference }, { userFlow: 'WEB_REDIRECT' }), idempotencyKey: true });
        assert.equal(created.status, 201, created.text);
        assert.ok(created.text.includes(`"reference":"${reference}"`), created.text);
        const got = await t.api.getPayment(reference);
        assert.equal(got.status, 200, got.text);
        assert.ok(got.text.includes(`"reference":"${reference}"`), got.text);
        const approved = await send(c, { method: 'POST', path: `/epayment/v1/test/payments/${reference}/approve`, rawBody: '{"customer": {"phoneNumber": 4712345678}}' });
        assert.equal(approved.status, 200, approved.text);
        assert.deepEqual(warningsOf(approved), ['number-as-string customer.phoneNumber']);
        const captured = await t.api.capture(reference, 49900);
        assert.equal(captured.status, 200, captured.text);
        assert.ok(captured.text.includes(`"reference":"${reference}"`), captured.text);
        const events = await t.api.events(reference);
        assert.deepEqual(events.body.map((e: { name: string; reference: string }) => [e.name, e.reference]), [
          ['CREATED', reference],
          ['AUTHORIZED', reference],
          ['CAPTURED', reference],
        ]);
      });

      it('the metadata number is stored as its digits', async () => {
        const res = await t.api.createPayment({ metadata: { orderid: 1234 } });
        assert.equal(res.status, 201, res.text);
        assert.deepEqual((await t.api.getPayment(res.body.reference)).body.metadata, { orderid: '1234' });
      });
    }
  });
}
