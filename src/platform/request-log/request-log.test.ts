// The request log over real HTTP: what an API request leaves in GET /vipps-local/v1/requests, the
// filters, what is never recorded, restarts, pruning and reset (on SQLite, and again on PostgreSQL).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startServer } from '../../index.ts';
import { pruneRetained } from '../../server.ts';
import { Api, errorCode, newReference, paymentRequest } from '../../../test-support/api-client.ts';
import { credentialsOf, DEFAULT_CREDENTIALS, MERCHANT_A, MERCHANT_B } from '../../../test-support/merchants.ts';
import { startPlatformServer } from '../../../test-support/platform-server.ts';
import { useServer } from '../../../test-support/server.ts';
import { freshTestDatabase } from '../../../test-support/test-database.ts';

interface Entry {
  id: number;
  time: string;
  method: string;
  path: string;
  route: string | null;
  api: string;
  status: number;
  latencyMs: number;
  clientId: string | null;
  msn: string | null;
  reference: string | null;
  idempotencyKey: string | null;
  systemHeaders: Record<string, string | null>;
  traceId: string | null;
  errorCode: string | null;
  errorDetail: string | null;
  leniencies: Array<{ kind: string; field: string; detail: string }>;
  notes: string[];
  requestBody: string | null;
  responseBody: string | null;
}

async function requestLog(baseUrl: string, query = ''): Promise<{ status: number; text: string; body: { requests: Entry[]; dropped: number } }> {
  const res = await fetch(`${baseUrl}/vipps-local/v1/requests${query}`);
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

async function entries(baseUrl: string, query = ''): Promise<Entry[]> {
  const res = await requestLog(baseUrl, query);
  assert.equal(res.status, 200, res.text);
  return res.body.requests;
}

const SYSTEM_HEADERS = {
  'Vipps-System-Name': 'woocommerce',
  'Vipps-System-Version': '6.4.2/8.0.1',
  'Vipps-System-Plugin-Name': 'woo-vipps',
  'Vipps-System-Plugin-Version': '2.1.0',
};

describe('request log over HTTP', () => {
  const ctx = useServer({ merchants: [MERCHANT_A, MERCHANT_B] });
  let unitOne: Api;
  let unitTwo: Api;
  let merchantB: Api;
  before(() => {
    unitOne = new Api(ctx.server.url, credentialsOf(MERCHANT_A, '123456'));
    unitTwo = new Api(ctx.server.url, credentialsOf(MERCHANT_A, '234567'));
    merchantB = new Api(ctx.server.url, credentialsOf(MERCHANT_B));
  });

  it('records an ePayment create with every field: method, path, status, sales unit, the four system headers, Idempotency-Key, time, latency', async () => {
    const reference = newReference();
    const key = randomUUID();
    const sent = Date.now();
    const res = await unitOne.call('POST', '/epayment/v1/payments', { body: paymentRequest({ reference }), idempotencyKey: key, headers: SYSTEM_HEADERS });
    assert.equal(res.status, 201, res.text);
    const [e, ...others] = await entries(ctx.server.url, `?idempotencyKey=${key}`);
    assert.equal(others.length, 0);
    const { id, time, latencyMs, requestBody, responseBody, ...rest } = e!;
    assert.equal(JSON.parse(requestBody!).reference, reference);
    assert.equal(JSON.parse(responseBody!).reference, reference);
    assert.ok(Number.isInteger(id));
    assert.ok(Math.abs(Date.parse(time) - sent) < 5_000, `time ${time} is when the request was sent`);
    assert.match(time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(latencyMs >= 0 && latencyMs < 5_000, String(latencyMs));
    assert.deepEqual(rest, {
      method: 'POST',
      path: '/epayment/v1/payments',
      route: '/epayment/v1/payments',
      api: 'epayment',
      status: 201,
      clientId: MERCHANT_A.clientId,
      msn: '123456',
      reference,
      idempotencyKey: key,
      systemHeaders: SYSTEM_HEADERS,
      traceId: null,
      errorCode: null,
      errorDetail: null,
      leniencies: [],
      notes: [],
    });
  });

  it("a refused capture's entry carries its error code and the traceId of its problem body; ?traceId= finds it", async () => {
    const reference = await unitOne.created();
    const key = randomUUID();
    const res = await unitOne.capture(reference, 100, key);
    assert.equal(res.status, 400, res.text);
    const code = errorCode(res);
    assert.ok(code, res.text);
    const traceId = res.body.traceId as string;
    const found = await entries(ctx.server.url, `?traceId=${traceId}`);
    assert.equal(found.length, 1);
    assert.deepEqual(
      { route: found[0]!.route, status: found[0]!.status, reference: found[0]!.reference, idempotencyKey: found[0]!.idempotencyKey, errorCode: found[0]!.errorCode, traceId: found[0]!.traceId },
      { route: '/epayment/v1/payments/:reference/capture', status: 400, reference, idempotencyKey: key, errorCode: code, traceId },
    );
    assert.equal(found[0]!.errorDetail, res.body.detail);
  });

  it('?reference= and ?msn= filter; another sales unit\'s requests are not listed under this one', async () => {
    const reference = newReference('shared');
    assert.equal((await unitOne.createPayment({ reference })).status, 201);
    assert.equal((await unitTwo.createPayment({ reference })).status, 201);
    assert.equal((await unitTwo.getPayment(reference)).status, 200);
    assert.equal((await merchantB.createPayment({ reference })).status, 201);

    const byReference = await entries(ctx.server.url, `?reference=${reference}`);
    assert.deepEqual(
      byReference.map((e) => [e.msn, e.method, e.route]),
      [
        ['345678', 'POST', '/epayment/v1/payments'],
        ['234567', 'GET', '/epayment/v1/payments/:reference'],
        ['234567', 'POST', '/epayment/v1/payments'],
        ['123456', 'POST', '/epayment/v1/payments'],
      ],
      'newest first',
    );
    const one = await entries(ctx.server.url, `?reference=${reference}&msn=123456`);
    assert.deepEqual(one.map((e) => [e.msn, e.clientId]), [['123456', MERCHANT_A.clientId]]);
    const two = await entries(ctx.server.url, '?msn=234567&limit=1000');
    assert.ok(two.length >= 2);
    assert.ok(two.every((e) => e.msn === '234567'), 'only that sales unit');
    const b = await entries(ctx.server.url, '?msn=345678&limit=1000');
    assert.ok(b.every((e) => e.msn === '345678' && e.clientId === MERCHANT_B.clientId));
    assert.equal((await entries(ctx.server.url, `?reference=${reference}&limit=2`)).length, 2);
  });

  it('lists the leniencies a request met', async () => {
    const headers = await unitOne.merchantHeaders();
    const reference = String(Date.now()) + '123456';
    const res = await fetch(`${ctx.server.url}/ePayment/v1/payments/`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: `{"amount":{"currency":"NOK","value":1000},"paymentMethod":{"type":"WALLET"},"reference":${reference},"userFlow":"WEB_REDIRECT","returnUrl":"https://example.com/r","paymentDescription":"Socks","orderId":7}`,
    });
    assert.equal(res.status, 201, await res.text());
    const [e] = await entries(ctx.server.url, `?reference=${reference}`);
    assert.equal(e!.path, '/ePayment/v1/payments/');
    assert.equal(e!.route, '/epayment/v1/payments');
    assert.deepEqual(e!.leniencies.map((l) => [l.kind, l.field]), [
      ['path-case', '/ePayment/v1/payments/'],
      ['path-trailing-slash', '/ePayment/v1/payments/'],
      ['number-as-string', 'reference'],
      ['unknown-property', 'orderId'],
    ]);
  });

  it('never records the access token, client_secret or Authorization header', async () => {
    const api = new Api(ctx.server.url, credentialsOf(MERCHANT_A, '123456'));
    const token = await api.token();
    const reference = await api.created();
    await api.getPayment(reference);
    await api.call('POST', '/accesstoken/get', {
      bare: true,
      headers: { client_id: MERCHANT_A.clientId, client_secret: 'the-wrong-secret-xyz', 'Ocp-Apim-Subscription-Key': MERCHANT_A.subscriptionKey },
    });
    await api.call('GET', `/epayment/v1/payments/${reference}`, { headers: { Authorization: 'Bearer not-a-token-abc' } });
    const { text, body } = await requestLog(ctx.server.url, '?limit=1000');
    assert.ok(body.requests.some((e) => e.api === 'accesstoken' && e.status === 200 && e.clientId === MERCHANT_A.clientId), 'token calls are logged');
    for (const secret of [token, token.split('.')[2]!, MERCHANT_A.clientSecret, 'the-wrong-secret-xyz', 'not-a-token-abc']) {
      assert.ok(!text.includes(secret), `the log contains ${secret}`);
    }
  });

  it('records the Webhooks API and the access token call, with who made them', async () => {
    const res = await unitTwo.registerWebhook({ url: 'https://example.com/hooks', events: ['epayments.payment.created.v1'] });
    assert.equal(res.status, 201, res.text);
    const [e] = await entries(ctx.server.url, '?msn=234567&limit=1');
    assert.deepEqual([e!.api, e!.method, e!.route, e!.status, e!.clientId], ['webhooks', 'POST', '/webhooks/v1/webhooks', 201, MERCHANT_A.clientId]);
    assert.ok(!JSON.stringify(e).includes(res.body.secret), 'the webhook secret is not in the log');
  });

  it('notes a system header longer than the documented 30 characters, and does not refuse it', async () => {
    const name = 'Acme Enterprises Ecommerce DeLuxe';
    const key = randomUUID();
    const res = await unitOne.call('POST', '/epayment/v1/payments', { body: paymentRequest(), idempotencyKey: key, headers: { 'Vipps-System-Name': name } });
    assert.equal(res.status, 201, res.text);
    const [e] = await entries(ctx.server.url, `?idempotencyKey=${key}`);
    assert.equal(e!.systemHeaders['Vipps-System-Name'], name);
    assert.equal(e!.notes.length, 1);
    assert.match(e!.notes[0]!, /^Vipps-System-Name is 33 characters long; the specs document at most 30/);
  });

  it('logs an unrouted path under an API, not the shopper pages, the operator API or the index', async () => {
    const marker = randomUUID();
    await fetch(`${ctx.server.url}/epayment/v1/paymnts/${marker}`);
    await fetch(`${ctx.server.url}/app?x=${marker}`);
    await fetch(`${ctx.server.url}/landing?token=${marker}`);
    await fetch(`${ctx.server.url}/vipps-local/v1/health?x=${marker}`);
    await fetch(`${ctx.server.url}/?x=${marker}`);
    await fetch(`${ctx.server.url}/favicon.ico`);
    const { text, body } = await requestLog(ctx.server.url, '?limit=1000');
    const mine = body.requests.filter((e) => e.path.includes(marker));
    assert.deepEqual(mine.map((e) => [e.api, e.status, e.route]), [['epayment', 404, null]]);
    assert.equal(text.split(marker).length - 1, 1, 'no other request with the marker is logged');
    assert.ok(!body.requests.some((e) => e.path === '/favicon.ico'));
  });

  it('answers 400 with a reason for bad parameters', async () => {
    for (const [query, reason] of [
      ['?limit=0', /limit must be a whole number from 1 to 1000/],
      ['?limit=1001', /limit must be a whole number from 1 to 1000/],
      ['?limit=ten', /limit must be a whole number/],
      ['?msn=abc', /msn must be a Merchant-Serial-Number/],
      ['?reference=', /reference is empty/],
      ['?reference=a&reference=b', /reference may be given once/],
      ['?refrence=a', /Unknown query parameter "refrence"/],
    ] as const) {
      const res = await requestLog(ctx.server.url, query);
      assert.equal(res.status, 400, `${query}: ${res.text}`);
      assert.equal((res.body as unknown as { statusCode: number }).statusCode, 400);
      assert.match((res.body as unknown as { message: string }).message, reason, query);
    }
  });

  it('reset empties it', async () => {
    assert.ok((await entries(ctx.server.url)).length > 0);
    assert.equal((await fetch(`${ctx.server.url}/vipps-local/v1/reset`, { method: 'POST', headers: { 'x-vipps-local-operator': '1' } })).status, 200);
    assert.deepEqual(await entries(ctx.server.url), []);
  });
});

describe('request log across a restart and with age', () => {
  it('entries survive a restart: they are in the store, written at close', async () => {
    const db = await freshTestDatabase();
    try {
      const first = await startServer({ database: db.database });
      const api = new Api(first.url, DEFAULT_CREDENTIALS);
      const key = randomUUID();
      assert.equal((await api.createPayment({}, key)).status, 201);
      await first.close(); // the entry may still be in memory: close writes it
      const second = await startServer({ database: db.database });
      try {
        const found = await entries(second.url, `?idempotencyKey=${key}`);
        assert.deepEqual(found.map((e) => [e.status, e.msn]), [[201, DEFAULT_CREDENTIALS.msn]]);
      } finally {
        await second.close();
      }
    } finally {
      await db.remove();
    }
  });

  describe('pruning', () => {
    let server: Awaited<ReturnType<typeof startPlatformServer>>;
    before(async () => {
      server = await startPlatformServer({ idempotencyRetentionHours: 24 });
    });
    after(async () => {
      await server?.close();
    });

    it('entries older than the idempotency retention are pruned with the idempotency records', async () => {
      const api = new Api(server.url, DEFAULT_CREDENTIALS);
      const oldKey = randomUUID();
      assert.equal((await api.createPayment({}, oldKey)).status, 201);
      assert.equal((await entries(server.url, `?idempotencyKey=${oldKey}`)).length, 1);
      server.platform.clock.advance(23 * 3600_000);
      const youngKey = randomUUID();
      api.forgetToken(); // the first token expired with the clock
      assert.equal((await api.createPayment({}, youngKey)).status, 201);
      server.platform.clock.advance(2 * 3600_000);
      await server.platform.requestLog.list({ limit: 1 }); // writes what waits
      await pruneRetained(server.platform, 24);
      assert.deepEqual(await entries(server.url, `?idempotencyKey=${oldKey}`), [], '25 hours old: pruned');
      assert.equal((await entries(server.url, `?idempotencyKey=${youngKey}`)).length, 1, '2 hours old: kept');
    });
  });
});

describe('request log bodies over HTTP', () => {
  const ctx = useServer();
  let api: Api;
  before(() => {
    api = new Api(ctx.server.url, DEFAULT_CREDENTIALS);
  });
  const stripe = async (path: string, form: string) => {
    const res = await fetch(`${ctx.server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ctx.server.stripe!.secretKey}`, 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('keeps the request body as sent and the response body; an access token answer only as token_type and expires_in', async () => {
    const reference = newReference();
    const key = randomUUID();
    const sent = JSON.stringify(paymentRequest({ reference }), null, 1);
    const res = await api.call('POST', '/epayment/v1/payments', { rawBody: sent, idempotencyKey: key });
    assert.equal(res.status, 201, res.text);
    const [e] = await entries(ctx.server.url, `?idempotencyKey=${key}`);
    assert.equal(e!.requestBody, sent, 'the text as sent, its spacing included');
    assert.equal(e!.responseBody, res.text);
    const tokenCall = (await entries(ctx.server.url, '?limit=1000')).find((x) => x.api === 'accesstoken' && x.status === 200);
    assert.deepEqual(Object.keys(JSON.parse(tokenCall!.responseBody!)), ['token_type', 'expires_in']);
    assert.equal(tokenCall!.requestBody, null);
    // An error answer is kept whole; a GET has no request body.
    const refused = await api.capture(reference, 100, randomUUID());
    assert.equal(refused.status, 400, refused.text);
    const [capture] = await entries(ctx.server.url, `?traceId=${refused.body.traceId as string}`);
    assert.equal(capture!.responseBody, refused.text);
    assert.deepEqual(JSON.parse(capture!.requestBody!), { modificationAmount: { currency: 'NOK', value: 100 } });
    await api.getPayment(reference);
    const [get] = await entries(ctx.server.url, `?reference=${reference}&limit=1`);
    assert.equal(get!.method, 'GET');
    assert.equal(get!.requestBody, null);
    assert.equal(JSON.parse(get!.responseBody!).reference, reference);
  });

  it('cuts a body over 8 KiB on a character boundary and notes it', async () => {
    const reference = newReference();
    const key = randomUUID();
    const res = await api.call('POST', '/epayment/v1/payments', { body: paymentRequest({ reference, padding: 'ø'.repeat(10_000) }), idempotencyKey: key });
    assert.equal(res.status, 201, res.text);
    const [e] = await entries(ctx.server.url, `?idempotencyKey=${key}`);
    const bytes = Buffer.byteLength(e!.requestBody!);
    assert.ok(bytes <= 8192 && bytes >= 8190, String(bytes));
    assert.ok(!e!.requestBody!.includes('\uFFFD'));
    assert.ok(e!.notes.some((n) => /^The request body is \d+ bytes long; the first 819[0-2] are kept\.$/.test(n)), JSON.stringify(e!.notes));
  });

  it('never keeps a secret in a body: tokens, webhook secrets, Stripe client and endpoint secrets, form fields', async () => {
    const token = await api.token();
    const hook = await api.registerWebhook({ url: 'https://example.com/hooks', events: ['epayments.payment.created.v1'] });
    assert.equal(hook.status, 201, hook.text);
    const endpoint = await stripe('/v1/webhook_endpoints', 'url=https%3A%2F%2Fexample.com%2Fstripe&enabled_events[]=payment_intent.succeeded');
    assert.equal(endpoint.status, 200, JSON.stringify(endpoint.body));
    const intent = await stripe('/v1/payment_intents', 'amount=1000&currency=nok&metadata[order]=1');
    assert.equal(intent.status, 200, JSON.stringify(intent.body));
    const formSecret = `form-secret-${randomUUID()}`;
    await stripe('/v1/payment_intents', `amount=1000&currency=nok&client_secret=${formSecret}&metadata[password]=${formSecret}`);
    const jsonSecret = `json-secret-${randomUUID()}`;
    await api.call('POST', '/epayment/v1/payments', { body: paymentRequest({ password: jsonSecret, nested: { client_secret: jsonSecret } }), idempotencyKey: randomUUID() });
    const { text, body } = await requestLog(ctx.server.url, '?limit=1000');
    const secrets = [token, token.split('.')[2]!, DEFAULT_CREDENTIALS.clientSecret, hook.body.secret as string, endpoint.body.secret as string, intent.body.client_secret as string, formSecret, jsonSecret];
    for (const secret of secrets) {
      assert.ok(typeof secret === 'string' && secret.length > 8, `a secret to look for: ${String(secret)}`);
      assert.ok(!text.includes(secret), `the log contains ${secret}`);
    }
    const registration = body.requests.find((e) => e.api === 'webhooks' && e.status === 201);
    assert.equal(JSON.parse(registration!.responseBody!).secret, '[redacted]');
    const endpointEntry = body.requests.find((e) => e.path === '/v1/webhook_endpoints');
    assert.equal(JSON.parse(endpointEntry!.responseBody!).secret, '[redacted]');
    assert.ok(body.requests.some((e) => e.requestBody?.includes('client_secret=%5Bredacted%5D')), 'a form field is redacted by name');
  });

  it('the merchant view answers the bodies of its own requests', async () => {
    const reference = await api.created();
    const res = await api.call('GET', `/vipps-local/v1/merchant/requests?reference=${reference}`);
    assert.equal(res.status, 200, res.text);
    const [e] = res.body.requests as Entry[];
    assert.equal(JSON.parse(e!.requestBody!).reference, reference);
    assert.equal(JSON.parse(e!.responseBody!).reference, reference);
  });
});
