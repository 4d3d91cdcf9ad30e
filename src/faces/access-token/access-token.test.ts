// Access Token API (POST /accesstoken/get) over HTTP, and how ePayment accepts or refuses the token
// it issues (PLATFORM-NOTES.md §1 "Standard request headers", §2).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Api, type ApiResponse, type Credentials } from '../../../test-support/api-client.ts';
import { credentialsOf, MERCHANT_A, MERCHANT_B, type TestMerchant } from '../../../test-support/merchants.ts';
import { useServer } from '../../../test-support/server.ts';


function requestToken(api: Api, headers: Record<string, string>) {
  return api.call('POST', '/accesstoken/get', { bare: true, headers });
}

function tokenHeaders(m: TestMerchant): Record<string, string> {
  return { client_id: m.clientId, client_secret: m.clientSecret, 'Ocp-Apim-Subscription-Key': m.subscriptionKey };
}

function without(headers: Record<string, string>, name: string): Record<string, string> {
  const { [name]: _, ...rest } = headers;
  return rest;
}

/** A 401 in the API gateway's `{ statusCode, message }` shape (the client checks the shape). */
function assertGateway401(res: ApiResponse, message?: RegExp): void {
  assert.equal(res.status, 401, res.text);
  assert.equal(res.body.statusCode, 401);
  if (message) assert.match(res.body.message, message);
}

/** GET of an unknown payment: authentication passed when this answers 404. */
function probe(api: Api, headers: Record<string, string> = {}) {
  return api.call('GET', '/epayment/v1/payments/probe-reference-1', { headers });
}

describe('access token', () => {
  const t = useServer({ merchants: [MERCHANT_A, MERCHANT_B] });
  const apiFor = (m: TestMerchant, msn?: string) => new Api(t.server.url, credentialsOf(m, msn));

  describe('issuance', () => {
    it('answers 200 with every field a string, token_type Bearer and expires_in "3600"', async () => {
      const res = await requestToken(t.api, tokenHeaders(MERCHANT_A));
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      for (const key of ['token_type', 'expires_in', 'ext_expires_in', 'expires_on', 'not_before', 'resource', 'access_token']) {
        assert.equal(typeof res.body[key], 'string', `${key} is a string`);
      }
      assert.equal(res.body.token_type, 'Bearer');
      assert.equal(res.body.expires_in, '3600');
      assert.equal(Number(res.body.expires_on) - Number(res.body.not_before), 3600);
      assert.ok(Math.abs(Number(res.body.not_before) - Date.now() / 1000) < 60, 'not_before is now, in epoch seconds');
    });

    it('the access token is a JWT with three base64url parts', async () => {
      const res = await requestToken(t.api, tokenHeaders(MERCHANT_A));
      const parts = res.body.access_token.split('.');
      assert.equal(parts.length, 3);
      for (const part of parts) assert.match(part, /^[A-Za-z0-9_-]+$/);
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      assert.equal(header.typ, 'JWT');
    });

    it('an empty body (--data \'\') with any content type is accepted', async () => {
      const res = await t.api.call('POST', '/accesstoken/get', {
        bare: true,
        rawBody: '',
        headers: { ...tokenHeaders(MERCHANT_A), 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(res.status, 200, res.text);
    });

    it('several tokens can be valid at once', async () => {
      const a = (await requestToken(t.api, tokenHeaders(MERCHANT_A))).body.access_token;
      const b = (await requestToken(t.api, tokenHeaders(MERCHANT_A))).body.access_token;
      const api = apiFor(MERCHANT_A);
      for (const token of [a, b]) {
        const res = await probe(api, { Authorization: `Bearer ${token}` });
        assert.equal(res.status, 404, res.text);
      }
    });
  });

  describe('refused token requests are answered by the layer that refuses them (decisions.md, issue 11)', () => {
    const UNKNOWN_CLIENT = '00000000-0000-4000-8000-000000000000';
    // [case, change to merchant A's headers, status, body]: `gateway` is APIM's { statusCode, message },
    // `aad` is Azure AD's { error, error_description, error_codes, ... } with that error and AADSTS code.
    type Expected = { gateway: RegExp } | { aad: [string, number] };
    const cases: Array<[string, (h: Record<string, string>) => Record<string, string>, number, Expected]> = [
      ['missing subscription key', (h) => without(h, 'Ocp-Apim-Subscription-Key'), 401, { gateway: /^Access denied due to missing subscription key\./ }],
      ['wrong subscription key', (h) => ({ ...h, 'Ocp-Apim-Subscription-Key': 'no-such-key' }), 401, { gateway: /^Access denied due to invalid subscription key\./ }],
      ['missing subscription key and client_id (the gateway answers first)', (h) => without(without(h, 'Ocp-Apim-Subscription-Key'), 'client_id'), 401, { gateway: /missing subscription key/ }],
      ['missing client_id', (h) => without(h, 'client_id'), 400, { aad: ['invalid_request', 900144] }],
      ['empty client_id', (h) => ({ ...h, client_id: '' }), 400, { aad: ['invalid_request', 900144] }],
      ['unknown client_id', (h) => ({ ...h, client_id: UNKNOWN_CLIENT }), 400, { aad: ['unauthorized_client', 700016] }],
      ['missing client_secret', (h) => without(h, 'client_secret'), 401, { aad: ['invalid_client', 7000218] }],
      ['wrong client_secret', (h) => ({ ...h, client_secret: 'not-the-secret' }), 401, { aad: ['invalid_client', 7000215] }],
      ['client_secret of another merchant', (h) => ({ ...h, client_secret: MERCHANT_B.clientSecret }), 401, { aad: ['invalid_client', 7000215] }],
      ['subscription key of another merchant', (h) => ({ ...h, 'Ocp-Apim-Subscription-Key': MERCHANT_B.subscriptionKey }), 401, { gateway: /subscription key does not belong to this client_id/ }],
      ['Merchant-Serial-Number of another merchant', (h) => ({ ...h, 'Merchant-Serial-Number': MERCHANT_B.salesUnits[0]! }), 403, { gateway: /^Invalid MSN: 345678\. This MSN is not valid/ }],
      ['malformed Merchant-Serial-Number', (h) => ({ ...h, 'Merchant-Serial-Number': '12' }), 403, { gateway: /^Invalid MSN: 12\./ }],
    ];
    for (const [name, change, status, expected] of cases) {
      it(`${name}: ${status} ${'gateway' in expected ? 'from the gateway' : `${expected.aad[0]} AADSTS${expected.aad[1]}`}`, async () => {
        const res = await requestToken(t.api, change(tokenHeaders(MERCHANT_A)));
        assert.equal(res.status, status, res.text);
        if ('gateway' in expected) {
          assert.deepEqual(Object.keys(res.body).sort(), ['message', 'statusCode']);
          assert.equal(res.body.statusCode, status);
          assert.match(res.body.message, expected.gateway);
        } else {
          assert.equal(res.body.error, expected.aad[0]);
          assert.deepEqual(res.body.error_codes, [expected.aad[1]]);
          assert.match(res.body.error_description, new RegExp(`^AADSTS${expected.aad[1]}: `));
        }
      });
    }

    it('an unknown client_id gets the body Azure AD sends, naming the id, with matching trace ids and time', async () => {
      const res = await requestToken(t.api, { ...tokenHeaders(MERCHANT_A), client_id: UNKNOWN_CLIENT });
      assert.equal(res.status, 400, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json; charset=utf-8$/);
      const b = res.body;
      assert.equal(b.error, 'unauthorized_client');
      assert.match(b.timestamp, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
      assert.match(b.trace_id, /^[0-9a-f-]{36}$/);
      assert.match(b.correlation_id, /^[0-9a-f-]{36}$/);
      assert.notEqual(b.trace_id, b.correlation_id);
      assert.equal(b.error_uri, 'https://login.windows.net/error?code=700016');
      assert.equal(
        b.error_description,
        `AADSTS700016: Application with identifier '${UNKNOWN_CLIENT}' was not found in the directory 'vipps-local'. ` +
          'This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
          `You may have sent your authentication request to the wrong tenant.\r\nTrace ID: ${b.trace_id}\r\nCorrelation ID: ${b.correlation_id}\r\nTimestamp: ${b.timestamp}`,
      );
    });

    it('a wrong client_secret names the application in AADSTS7000215', async () => {
      const res = await requestToken(t.api, { ...tokenHeaders(MERCHANT_A), client_secret: 'nope' });
      assert.equal(res.status, 401, res.text);
      assert.match(res.body.error_description, new RegExp(`^AADSTS7000215: Invalid client secret provided\\. .*for a secret added to app '${MERCHANT_A.clientId}'\\.\r\nTrace ID: `));
      assert.equal(res.body.error_uri, 'https://login.windows.net/error?code=7000215');
    });

    it('the identity provider\'s timestamp follows the platform clock', async () => {
      await t.server.advanceClock(2 * 24 * 3600 * 1000);
      const res = await requestToken(t.api, without(tokenHeaders(MERCHANT_A), 'client_secret'));
      const shown = Date.parse(res.body.timestamp.replace(' ', 'T'));
      assert.ok(shown - Date.now() > 2 * 24 * 3600 * 1000 - 60_000, `timestamp ${res.body.timestamp} is two days ahead`);
    });
  });

  describe('using the token on ePayment', () => {
    it('a token works for ePayment', async () => {
      const api = apiFor(MERCHANT_A);
      const res = await api.createPayment();
      assert.equal(res.status, 201, res.text);
      assert.equal((await api.getPayment(res.body.reference)).status, 200);
    });

    it('a request without Authorization is refused with 401', async () => {
      const api = apiFor(MERCHANT_A);
      const res = await api.call('GET', '/epayment/v1/payments/probe-reference-1', {
        bare: true,
        headers: { 'Ocp-Apim-Subscription-Key': MERCHANT_A.subscriptionKey, 'Merchant-Serial-Number': '123456' },
      });
      assertGateway401(res);
    });

    it('a token sent without the word Bearer is refused with 401', async () => {
      const api = apiFor(MERCHANT_A);
      assertGateway401(await probe(api, { Authorization: await api.token() }));
    });

    it('a tampered token is refused with 401', async () => {
      const api = apiFor(MERCHANT_A);
      const token = await api.token();
      const [h, p, s] = token.split('.');
      const tampered = `${h}.${p}.${s!.slice(0, -4)}AAAA`;
      assertGateway401(await probe(api, { Authorization: `Bearer ${tampered}` }));
    });

    it('a missing subscription key on ePayment is refused with 401', async () => {
      const api = apiFor(MERCHANT_A);
      const res = await api.call('GET', '/epayment/v1/payments/probe-reference-1', {
        bare: true,
        headers: { Authorization: `Bearer ${await api.token()}`, 'Merchant-Serial-Number': '123456' },
      });
      assertGateway401(res, /subscription key/);
    });

    it("a token with another merchant's subscription key is refused with 401", async () => {
      const api = apiFor(MERCHANT_A);
      assertGateway401(await probe(api, { 'Ocp-Apim-Subscription-Key': MERCHANT_B.subscriptionKey }));
    });

    it("a token used on another merchant's MSN is refused with 403", async () => {
      const res = await probe(apiFor(MERCHANT_A), { 'Merchant-Serial-Number': '345678' });
      assert.equal(res.status, 403, res.text);
    });

    it('a token without an MSN works on every MSN of its merchant', async () => {
      assert.equal((await probe(apiFor(MERCHANT_A, '123456'))).status, 404);
      assert.equal((await probe(apiFor(MERCHANT_A, '234567'))).status, 404);
    });

    it('a token requested for one MSN is refused with 403 on another MSN of the same merchant', async () => {
      const res = await requestToken(t.api, { ...tokenHeaders(MERCHANT_A), 'Merchant-Serial-Number': '123456' });
      assert.equal(res.status, 200, res.text);
      const api = apiFor(MERCHANT_A);
      const authorization = { Authorization: `Bearer ${res.body.access_token}` };
      assert.equal((await probe(api, { ...authorization, 'Merchant-Serial-Number': '123456' })).status, 404, 'it works for its own MSN');
      const other = await probe(api, { ...authorization, 'Merchant-Serial-Number': '234567' });
      assert.equal(other.status, 403, other.text);
    });
  });
});

describe('access token expiry on the test clock', () => {
  const t = useServer();

  it('after 3601 seconds the token is refused with 401 naming expiry, and a new token works', async () => {
    await t.api.token();
    const fresh = await t.api.createPayment();
    assert.equal(fresh.status, 201, fresh.text);

    // Tokens count whole seconds, so "just before the hour" keeps a margin of a few seconds.
    await t.server.advanceClock(3590 * 1000);
    assert.equal((await t.api.getPayment(fresh.body.reference)).status, 200, 'still valid just before the hour');

    await t.server.advanceClock(11 * 1000);
    const res = await t.api.getPayment(fresh.body.reference);
    assertGateway401(res, /expired/);

    t.api.forgetToken();
    assert.equal((await t.api.getPayment(fresh.body.reference)).status, 200);
  });
});

describe('access token with a configured lifetime', () => {
  const t = useServer({ accessTokenLifetimeSeconds: 60 });

  it('expires_in follows accessTokenLifetimeSeconds and the token expires after it', async () => {
    const res = await requestToken(t.api, {
      client_id: t.server.credentials.clientId,
      client_secret: t.server.credentials.clientSecret,
      'Ocp-Apim-Subscription-Key': t.server.credentials.subscriptionKey,
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.expires_in, '60');
    assert.equal(Number(res.body.expires_on) - Number(res.body.not_before), 60);

    const headers = { Authorization: `Bearer ${res.body.access_token}` };
    assert.equal((await probe(t.api, headers)).status, 404, 'valid at first');
    await t.server.advanceClock(61 * 1000);
    assertGateway401(await probe(t.api, headers), /expired/);
  });
});

describe('access token for a PSP (its own client id, secret and subscription key)', () => {
  const PSP = {
    name: 'Test PSP',
    pspId: '7b6a5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
    clientId: 'cccccccc-3333-4333-8333-cccccccccccc',
    clientSecret: 'secret-psp',
    subscriptionKey: 'subscription-key-psp',
    merchantSerialNumbers: ['345678'],
  };
  const t = useServer({ merchants: [MERCHANT_A, MERCHANT_B], psps: [PSP] });
  const pspHeaders = { client_id: PSP.clientId, client_secret: PSP.clientSecret, 'Ocp-Apim-Subscription-Key': PSP.subscriptionKey };

  it('a PSP gets a token with its own credentials, also for a sales unit it acts for', async () => {
    const res = await requestToken(t.api, pspHeaders);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.token_type, 'Bearer');
    const forMsn = await requestToken(t.api, { ...pspHeaders, 'Merchant-Serial-Number': '345678' });
    assert.equal(forMsn.status, 200, forMsn.text);
    const log = await fetch(`${t.server.url}/vipps-local/v1/requests?msn=345678`).then((r) => r.json() as Promise<{ requests: Array<Record<string, unknown>> }>);
    assert.deepEqual(
      log.requests.filter((r) => r.api === 'accesstoken').map((r) => [r.clientId, r.status]),
      [[PSP.clientId, 200]],
      "the request log lists the PSP's token call under the sales unit it was issued for",
    );
  });

  it('a PSP is refused a token for a sales unit it does not act for (403 Invalid MSN)', async () => {
    const res = await requestToken(t.api, { ...pspHeaders, 'Merchant-Serial-Number': '123456' });
    assert.equal(res.status, 403, res.text);
    assert.match(res.body.message, /Invalid MSN: 123456/);
  });

  it("a PSP's subscription key with a merchant's client id is refused by the gateway", async () => {
    const res = await requestToken(t.api, { ...tokenHeaders(MERCHANT_B), 'Ocp-Apim-Subscription-Key': PSP.subscriptionKey });
    assertGateway401(res, /does not belong to this client_id/);
  });

  it("ePayment refuses a PSP's subscription key, saying PSP credentials are not taken there yet", async () => {
    const token = (await requestToken(t.api, pspHeaders)).body.access_token;
    const res = await probe(t.api, { Authorization: `Bearer ${token}`, 'Ocp-Apim-Subscription-Key': PSP.subscriptionKey, 'Merchant-Serial-Number': '345678' });
    assertGateway401(res, /subscription key of PSP "Test PSP"/);
  });

  it("ePayment refuses a PSP's token with a merchant's subscription key", async () => {
    const token = (await requestToken(t.api, pspHeaders)).body.access_token;
    const res = await probe(t.api, { Authorization: `Bearer ${token}`, 'Ocp-Apim-Subscription-Key': MERCHANT_B.subscriptionKey, 'Merchant-Serial-Number': '345678' });
    assertGateway401(res, /issued to PSP "Test PSP", and the subscription key is a merchant's/);
  });
});
