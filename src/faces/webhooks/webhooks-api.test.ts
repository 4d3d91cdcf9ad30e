// Webhooks API v1 against a real server: register, list, delete; scoping per merchant and sales unit;
// validation with ProblemDetails; the https setting; gateway 401s. Every response is validated
// against specs/vipps/webhooks/webhooks.yaml by the Api client.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Api, type ApiResponse } from '../../../test-support/api-client.ts';
import { credentialsOf, MERCHANT_A, MERCHANT_B } from '../../../test-support/merchants.ts';
import { useServer } from '../../../test-support/server.ts';
import { specValidator } from '../../../test-support/spec-validator.ts';

const PATH = '/webhooks/v1/webhooks';
const CREATED = 'epayments.payment.created.v1';
const CAPTURED = 'epayments.payment.captured.v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const [MSN_A1, MSN_A2] = MERCHANT_A.salesUnits as [string, string];

/** The names a 400's extraDetails lists. */
function fields(res: ApiResponse): string[] {
  return ((res.body?.extraDetails ?? []) as Array<{ name: string }>).map((d) => d.name);
}

function assertBadRequest(res: ApiResponse, field: string, reason?: RegExp): void {
  assert.equal(res.status, 400, res.text);
  assert.ok(fields(res).includes(field), `names ${field}: ${res.text}`);
  if (reason) assert.match((res.body.extraDetails as Array<{ name: string; reason: string }>).find((d) => d.name === field)!.reason, reason);
}

describe('the spec validator for the Webhooks API', () => {
  const spec = specValidator();
  it('accepts the documented examples and refuses invented fields', () => {
    assert.deepEqual(spec.checkSchema('webhooks', 'RegisterResponse', { id: '497f6eca-6276-4993-bfeb-53cbbbba6f08', secret: '090a478d-37ff-4e77-970e-d457aeb26a3a' }), []);
    assert.deepEqual(spec.checkSchema('webhooks', 'QueryResponse', { webhooks: [{ id: '497f6eca-6276-4993-bfeb-53cbbbba6f08', url: 'https://example.com/x', events: [CREATED] }] }), []);
    assert.notDeepEqual(
      spec.checkSchema('webhooks', 'QueryResponse', { webhooks: [{ id: '497f6eca-6276-4993-bfeb-53cbbbba6f08', url: 'https://example.com/x', events: [CREATED], secret: 's' }] }),
      [],
      'a listed webhook must not carry its secret',
    );
    assert.notDeepEqual(spec.checkSchema('webhooks', 'ProblemDetails', { title: 'x', code: 1 }), [], 'ProblemDetails is closed');
    assert.deepEqual(spec.checkSchema('webhooks', 'ProblemDetails', { title: 'x', instance: '/v1/webhooks', extraDetails: null }), []);
  });
});

describe('Webhooks API v1', () => {
  const t = useServer({ merchants: [MERCHANT_A, MERCHANT_B] });
  let a1: Api;
  let a2: Api;
  let b: Api;

  before(() => {
    a1 = new Api(t.server.url, credentialsOf(MERCHANT_A, MSN_A1));
    a2 = new Api(t.server.url, credentialsOf(MERCHANT_A, MSN_A2));
    b = new Api(t.server.url, credentialsOf(MERCHANT_B));
  });

  it('registers (201 with id and secret), lists without the secret, and deletes (204)', async () => {
    const url = 'http://localhost:3000/vipps/webhooks?shop=1';
    const res = await a1.registerWebhook({ url, events: [CAPTURED, CREATED] });
    assert.equal(res.status, 201, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(Object.keys(res.body).sort(), ['id', 'secret']);
    assert.match(res.body.id, UUID);
    assert.ok(typeof res.body.secret === 'string' && res.body.secret.length >= 32, 'a long random secret');
    const other = await a1.registeredWebhook('https://example.com/hook', [CREATED]);
    assert.notEqual(other.secret, res.body.secret);

    const list = await a1.listWebhooks();
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, {
      webhooks: [
        { id: res.body.id, url, events: [CAPTURED, CREATED] },
        { id: other.id, url: 'https://example.com/hook', events: [CREATED] },
      ],
    });
    assert.ok(!list.text.includes(res.body.secret) && !list.text.includes(other.secret), 'the secret is shown only at registration');

    const del = await a1.deleteWebhook(res.body.id);
    assert.equal(del.status, 204);
    assert.equal(del.text, '');
    assert.deepEqual((await a1.listWebhooks()).body, { webhooks: [{ id: other.id, url: 'https://example.com/hook', events: [CREATED] }] });
    const again = await a1.deleteWebhook(res.body.id);
    assert.equal(again.status, 404, 'a deleted registration is gone');
    assert.equal((await a1.deleteWebhook(other.id)).status, 204);
    assert.deepEqual((await a1.listWebhooks()).body, { webhooks: [] });
  });

  it('registrations are scoped to the merchant and the Merchant-Serial-Number that made them', async () => {
    const unit1 = await a1.registeredWebhook('https://example.com/a1', [CREATED]);
    const unit2 = await a2.registeredWebhook('https://example.com/a2', [CREATED]);
    const wide = await a1.registeredWebhook('https://example.com/a-all', [CREATED], { withoutMsn: true });
    const ofB = await b.registeredWebhook('https://example.com/b', [CREATED]);
    const ids = async (api: Api, withoutMsn = false) => ((await api.listWebhooks({ withoutMsn })).body.webhooks as Array<{ id: string }>).map((w) => w.id);
    assert.deepEqual(await ids(a1), [unit1.id]);
    assert.deepEqual(await ids(a2), [unit2.id]);
    assert.deepEqual(await ids(a1, true), [wide.id], 'without Merchant-Serial-Number: the merchant-wide registrations');
    assert.deepEqual(await ids(b), [ofB.id]);
    assert.deepEqual(await ids(b, true), []);

    // Nobody can delete a registration of another merchant or another scope: 404, and it stays.
    assert.equal((await b.deleteWebhook(unit1.id)).status, 404);
    assert.equal((await a2.deleteWebhook(unit1.id)).status, 404);
    assert.equal((await a1.deleteWebhook(unit1.id, { withoutMsn: true })).status, 404);
    assert.equal((await a1.deleteWebhook(wide.id)).status, 404);
    assert.deepEqual(await ids(a1), [unit1.id]);
    assert.deepEqual(await ids(a1, true), [wide.id]);

    for (const [api, id, withoutMsn] of [[a1, unit1.id, false], [a2, unit2.id, false], [a1, wide.id, true], [b, ofB.id, false]] as const) {
      assert.equal((await api.deleteWebhook(id, { withoutMsn })).status, 204);
    }
  });

  it('a sales unit of another merchant is 403; a malformed Merchant-Serial-Number is 400', async () => {
    const headers = { 'Merchant-Serial-Number': MERCHANT_B.salesUnits[0]! };
    assert.equal((await a1.registerWebhook({ url: 'https://example.com/x', events: [CREATED] }, { headers })).status, 403);
    assert.equal((await a1.listWebhooks({ headers })).status, 403);
    assert.equal((await a1.deleteWebhook('497f6eca-6276-4993-bfeb-53cbbbba6f08', { headers })).status, 403);
    assertBadRequest(await a1.listWebhooks({ headers: { 'Merchant-Serial-Number': '12ab' } }), 'Merchant-Serial-Number');
  });

  it('a token issued for one sales unit acts for that unit only, also without the header', async () => {
    const res = await fetch(`${t.server.url}/accesstoken/get`, {
      method: 'POST',
      headers: { client_id: MERCHANT_A.clientId, client_secret: MERCHANT_A.clientSecret, 'Ocp-Apim-Subscription-Key': MERCHANT_A.subscriptionKey, 'Merchant-Serial-Number': MSN_A2 },
    });
    const token = ((await res.json()) as { access_token: string }).access_token;
    const headers = { Authorization: `Bearer ${token}`, 'Ocp-Apim-Subscription-Key': MERCHANT_A.subscriptionKey };
    const reg = await a1.call('POST', PATH, { bare: true, headers, body: { url: 'https://example.com/bound', events: [CREATED] } });
    assert.equal(reg.status, 201, reg.text);
    assert.deepEqual(((await a2.listWebhooks()).body.webhooks as Array<{ id: string }>).map((w) => w.id), [reg.body.id], 'registered for the token’s sales unit');
    assert.deepEqual((await a1.listWebhooks({ withoutMsn: true })).body.webhooks, [], 'not merchant-wide');
    assert.equal((await a1.call('POST', PATH, { bare: true, headers: { ...headers, 'Merchant-Serial-Number': MSN_A1 }, body: { url: 'https://example.com/x', events: [CREATED] } })).status, 403);
    assert.equal((await a2.deleteWebhook(reg.body.id)).status, 204);
  });

  describe('validation (400 ProblemDetails naming the field)', () => {
    const cases: Array<{ what: string; body?: unknown; rawBody?: string; field: string; reason?: RegExp }> = [
      { what: 'no url', body: { events: [CREATED] }, field: 'url' },
      { what: 'no events', body: { url: 'https://example.com/x' }, field: 'events' },
      { what: 'an empty body object', body: {}, field: 'url' },
      { what: 'url that is not a URL', body: { url: 'not a url', events: [CREATED] }, field: 'url' },
      { what: 'a relative url', body: { url: '/webhooks', events: [CREATED] }, field: 'url' },
      { what: 'an empty url', body: { url: '', events: [CREATED] }, field: 'url' },
      { what: 'url as a number', body: { url: 42, events: [CREATED] }, field: 'url' },
      { what: 'http to a host that is not loopback', body: { url: 'http://example.com/hook', events: [CREATED] }, field: 'url', reason: /https/ },
      { what: 'an ftp url', body: { url: 'ftp://example.com/hook', events: [CREATED] }, field: 'url' },
      { what: 'a url with credentials', body: { url: 'https://user:pw@example.com/hook', events: [CREATED] }, field: 'url' },
      { what: 'a url with a fragment', body: { url: 'https://example.com/hook#x', events: [CREATED] }, field: 'url' },
      { what: 'an unknown event', body: { url: 'https://example.com/x', events: [CREATED, 'epayments.payment.shipped.v1'] }, field: 'events', reason: /epayments\.payment\.shipped\.v1/ },
      { what: 'an event of the wrong case', body: { url: 'https://example.com/x', events: ['EPAYMENTS.PAYMENT.CREATED.V1'] }, field: 'events' },
      { what: 'no events at all', body: { url: 'https://example.com/x', events: [] }, field: 'events' },
      { what: 'a repeated event', body: { url: 'https://example.com/x', events: [CREATED, CREATED] }, field: 'events' },
      { what: 'events as a string', body: { url: 'https://example.com/x', events: CREATED }, field: 'events' },
      // A number where a string belongs is read as its digits (a leniency), which is no event.
      { what: 'an event that is a number', body: { url: 'https://example.com/x', events: [7] }, field: 'events', reason: /\b7\b/ },
      { what: 'an event that is an object', body: { url: 'https://example.com/x', events: [{}] }, field: 'events[0]' },
      { what: 'invalid JSON', rawBody: '{"url": ', field: 'body' },
      { what: 'no body', field: 'body' },
      { what: 'a JSON array', body: [], field: 'body' },
    ];
    for (const c of cases) {
      it(`refuses ${c.what}`, async () => {
        const options = c.rawBody !== undefined ? { rawBody: c.rawBody } : c.body !== undefined ? { body: c.body } : { headers: { 'Content-Type': 'application/json' } };
        const res = await a1.call('POST', PATH, options);
        assertBadRequest(res, c.field, c.reason);
        assert.equal(res.body.instance, '/v1/webhooks');
      });
    }

    it('ignores an unknown field, naming it in Vipps-Local-Warning (strictRequests refuses it: lenient-requests.test.ts)', async () => {
      const res = await a1.call('POST', PATH, { body: { url: 'https://example.com/x', events: [CREATED], secret: 'mine' } });
      assert.equal(res.status, 201, res.text);
      assert.notEqual(res.body.secret, 'mine');
      assert.equal(res.headers.get('vipps-local-warning'), 'unknown-property;field="secret";detail="Not part of the API; ignored."');
      assert.equal((await a1.deleteWebhook(res.body.id)).status, 204);
    });

    it('refuses a body that is not JSON with 415', async () => {
      const res = await a1.call('POST', PATH, { rawBody: 'url=https://example.com', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      assert.equal(res.status, 415);
    });

    it('accepts Vipps-System-* headers of any length (no limit on any endpoint: system-headers.test.ts)', async () => {
      assert.equal((await a1.listWebhooks({ headers: { 'Vipps-System-Name': 'x'.repeat(31) } })).status, 200);
      assert.equal((await a1.listWebhooks({ headers: { 'Vipps-System-Name': 'woocommerce', 'Vipps-System-Version': '5.4.0' } })).status, 200);
    });

    it('refuses to delete a malformed id (400 naming id) and answers 404 for an unknown one', async () => {
      const malformed = await a1.deleteWebhook('not-a-uuid');
      assertBadRequest(malformed, 'id');
      assert.equal(malformed.body.instance, '/v1/webhooks/not-a-uuid');
      const unknown = await a1.deleteWebhook('497f6eca-6276-4993-bfeb-53cbbbba6f08');
      assert.equal(unknown.status, 404);
      assert.match(unknown.body.detail, /497f6eca-6276-4993-bfeb-53cbbbba6f08/);
      assert.equal(unknown.body.title, 'Not Found');
      assert.equal(unknown.body.extraDetails, null, 'the Webhooks API has no error codes, so no ErrorCode');
    });

    it('takes every documented event name, including other APIs’ events', async () => {
      const names = [
        'epayments.payment.created.v1', 'epayments.payment.aborted.v1', 'epayments.payment.expired.v1', 'epayments.payment.cancelled.v1',
        'epayments.payment.captured.v1', 'epayments.payment.refunded.v1', 'epayments.payment.authorized.v1', 'epayments.payment.terminated.v1',
        'recurring.agreement-activated.v1', 'recurring.agreement-rejected.v1', 'recurring.agreement-stopped.v1', 'recurring.agreement-expired.v1',
        'recurring.charge-reserved.v1', 'recurring.charge-captured.v1', 'recurring.charge-canceled.v1', 'recurring.charge-failed.v1',
        'recurring.charge-refunded.v1', 'recurring.charge-creation-failed.v1', 'user.checked-in.v1', 'login.merchant-initiated.ping.v1',
      ];
      const { id } = await a2.registeredWebhook('https://example.com/everything', names);
      assert.deepEqual((await a2.listWebhooks()).body.webhooks, [{ id, url: 'https://example.com/everything', events: names }]);
      assert.equal((await a2.deleteWebhook(id)).status, 204);
    });

    it('accepts http only to loopback hosts', async () => {
      const created: string[] = [];
      for (const url of ['http://localhost:3000/hook', 'http://127.0.0.1/hook', 'http://[::1]:8080/hook', 'http://shop.localhost/hook', 'https://example.com:8443/hook?x=1']) {
        const res = await a2.registerWebhook({ url, events: [CAPTURED] });
        assert.equal(res.status, 201, `${url}: ${res.text}`);
        created.push(res.body.id);
      }
      for (const id of created) assert.equal((await a2.deleteWebhook(id)).status, 204);
    });
  });

  describe('at most 25 registrations per event', () => {
    it('the 26th registration for an event is refused, naming events; other events and other sales units are not affected', async () => {
      const ids: string[] = [];
      for (let i = 1; i <= 25; i++) ids.push((await a1.registeredWebhook(`https://example.com/hook/${i}`, [CREATED])).id);
      const refused = await a1.registerWebhook({ url: 'https://example.com/hook/26', events: [CAPTURED, CREATED] });
      assertBadRequest(refused, 'events', /25/);
      assert.match(JSON.stringify(refused.body), /epayments\.payment\.created\.v1/);
      assert.equal(((await a1.listWebhooks()).body.webhooks as unknown[]).length, 25, 'nothing was registered');
      const captured = await a1.registeredWebhook('https://example.com/hook/captured', [CAPTURED]);
      const otherUnit = await a2.registeredWebhook('https://example.com/hook/other-unit', [CREATED]);
      // Deleting one makes room again.
      assert.equal((await a1.deleteWebhook(ids.pop()!)).status, 204);
      ids.push((await a1.registeredWebhook('https://example.com/hook/25-again', [CREATED])).id);
      for (const id of [...ids, captured.id]) assert.equal((await a1.deleteWebhook(id)).status, 204);
      assert.equal((await a2.deleteWebhook(otherUnit.id)).status, 204);
    });

    it('QR check-in (user.checked-in.v1) allows one', async () => {
      const first = await a1.registeredWebhook('https://example.com/qr', ['user.checked-in.v1']);
      assertBadRequest(await a1.registerWebhook({ url: 'https://example.com/qr2', events: ['user.checked-in.v1'] }), 'events');
      assert.equal((await a1.deleteWebhook(first.id)).status, 204);
    });
  });

  describe('authentication, as for ePayment (401 in the API gateway’s format)', () => {
    const calls: Array<[string, (api: Api, headers: Record<string, string>) => Promise<ApiResponse>]> = [
      ['POST', (api, headers) => api.call('POST', PATH, { bare: true, headers, body: { url: 'https://example.com/x', events: [CREATED] } })],
      ['GET', (api, headers) => api.call('GET', PATH, { bare: true, headers })],
      ['DELETE', (api, headers) => api.call('DELETE', `${PATH}/497f6eca-6276-4993-bfeb-53cbbbba6f08`, { bare: true, headers })],
    ];
    for (const [method, call] of calls) {
      it(`${method}: missing or wrong subscription key, missing, malformed or invalid token, or a token of another merchant`, async () => {
        const good = await a1.merchantHeaders();
        const tokenOfB = (await b.merchantHeaders()).Authorization!;
        const variants: Array<[string, Record<string, string>, RegExp]> = [
          ['no subscription key', { Authorization: good.Authorization! }, /subscription key/],
          ['a wrong subscription key', { ...good, 'Ocp-Apim-Subscription-Key': 'nope' }, /subscription key/],
          ['no Authorization', { 'Ocp-Apim-Subscription-Key': good['Ocp-Apim-Subscription-Key']! }, /Authorization/],
          ['Authorization that is not Bearer', { ...good, Authorization: 'Basic eDp5' }, /Authorization/],
          ['an invalid token', { ...good, Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x' }, /token/],
          ['a token of another merchant', { ...good, Authorization: tokenOfB }, /different merchants/],
        ];
        for (const [what, headers, message] of variants) {
          const res = await call(a1, headers);
          assert.equal(res.status, 401, `${what}: ${res.text}`);
          assert.match(res.body.message, message, what);
        }
      });
    }
  });

  it('reset forgets every registration', async () => {
    await a1.registeredWebhook('https://example.com/reset', [CREATED]);
    const res = await fetch(`${t.server.url}/vipps-local/v1/reset`, { method: 'POST', headers: { 'x-vipps-local-operator': '1' } });
    assert.equal(res.status, 200);
    assert.deepEqual((await a1.listWebhooks()).body, { webhooks: [] });
  });
});

describe('Webhooks API v1 with webhooksRequireHttps', () => {
  const t = useServer({ webhooksRequireHttps: true });

  it('refuses http://localhost and accepts https', async () => {
    for (const url of ['http://localhost:3000/hook', 'http://127.0.0.1:8080/hook']) {
      assertBadRequest(await t.api.registerWebhook({ url, events: [CREATED] }), 'url', /https/);
    }
    assert.equal((await t.api.registerWebhook({ url: 'https://localhost:3000/hook', events: [CREATED] })).status, 201);
  });
});
