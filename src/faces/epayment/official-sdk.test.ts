// The official Vipps MobilePay SDK (@vippsmobilepay/sdk), used exactly as a merchant would, against
// vipps-local. The SDK always calls https://apitest.vipps.no in test mode; the package's exported
// routeVippsSdk sends those calls to the local server (first describe: the README's example as
// written). test-support/sdk-fetch.ts wraps the same routing to record every exchange, so we can
// check both what the SDK got back and what it sent, and validate every answer against the spec.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, type CreatePaymentRequest, type Problem } from '@vippsmobilepay/sdk';
import { routeVippsSdk } from '../../index.ts';
import { assertMatchesSpec, newReference } from '../../../test-support/api-client.ts';
import { routeSdkFetch, type SdkExchange, type SdkFetchRoute } from '../../../test-support/sdk-fetch.ts';
import { useServer } from '../../../test-support/server.ts';
import { specValidator } from '../../../test-support/spec-validator.ts';

type SdkResult<T> = { ok: true; data: T } | { ok: false; error: unknown };

/** The data of a successful SDK result; fails the test with the SDK's error otherwise. */
function ok<T>(result: SdkResult<T>, what: string): T {
  if (!result.ok) {
    const error = result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
    assert.fail(`${what}: the SDK reported an error: ${error}`);
  }
  return result.data;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TEST_USER_PHONE = '4712345678';

function paymentBody(value: number): CreatePaymentRequest {
  return {
    amount: { currency: 'NOK', value },
    paymentMethod: { type: 'WALLET' },
    reference: newReference('sdk'),
    userFlow: 'WEB_REDIRECT',
    returnUrl: 'https://example.com/return',
    paymentDescription: 'Paid through the official SDK',
  };
}

describe('the README example: routeVippsSdk from the package entry', () => {
  const t = useServer();

  it('the SDK gets a token, creates, force approves and reads a payment on vipps-local', async () => {
    const vipps = t.server;
    const route = routeVippsSdk(vipps.url);
    try {
      const { clientId, clientSecret, subscriptionKey, msn } = vipps.credentials;
      const client = Client({ merchantSerialNumber: msn, subscriptionKey, useTestMode: true, retryRequests: false });
      const token = ok(await client.auth.getToken(clientId, clientSecret), 'getToken');
      const body = paymentBody(1200);
      const created = ok(await client.payment.create(token.access_token!, body), 'create');
      ok(await client.payment.forceApprove(token.access_token!, body.reference!, { customer: { phoneNumber: TEST_USER_PHONE } }), 'forceApprove');
      const info = ok(await client.payment.info(token.access_token!, body.reference!), 'info');
      assert.equal(info.state, 'AUTHORIZED');

      // What the SDK handed back is what vipps-local answered: check it against the spec.
      const spec = specValidator();
      assert.deepEqual(spec.checkSchema('access-token', 'AuthorizationTokenResponse', token), []);
      assert.deepEqual(spec.checkSchema('epayment', 'CreatePaymentResponse', created), []);
      assert.deepEqual(spec.checkSchema('epayment', 'GetPaymentResponse', info), []);
      assert.match(created.redirectUrl ?? '', new RegExp(`^${vipps.url}/landing\\?token=`));
    } finally {
      route.restore();
    }
  });
});

describe('the official Vipps MobilePay SDK against vipps-local', () => {
  const t = useServer();
  let route: SdkFetchRoute;

  before(() => {
    route = routeSdkFetch(t.server.url);
  });
  after(() => {
    route?.restore();
  });

  /** Exchanges recorded since `from`, each checked against the spec. */
  function validated(from: number): SdkExchange[] {
    const made = route.exchanges.slice(from);
    for (const x of made) {
      assertMatchesSpec(x.method, x.path, { status: x.status, headers: x.responseHeaders, body: x.responseBody });
    }
    return made;
  }

  function merchantClient(system = true) {
    const { msn, subscriptionKey } = t.server.credentials;
    return Client({
      merchantSerialNumber: msn,
      subscriptionKey,
      useTestMode: true,
      retryRequests: false,
      ...(system ? { systemName: 'acme-shop', systemVersion: '3.1.4', pluginName: 'acme-vipps', pluginVersion: '1.0.0' } : {}),
    });
  }

  async function sdkToken(client: ReturnType<typeof merchantClient>): Promise<string> {
    const { clientId, clientSecret } = t.server.credentials;
    const token = ok(await client.auth.getToken(clientId, clientSecret), 'getToken');
    assert.equal(token.token_type, 'Bearer');
    assert.equal(typeof token.access_token, 'string');
    return token.access_token!;
  }

  it('create → force approve → capture → refund, with info and history', async () => {
    const from = route.exchanges.length;
    const client = merchantClient();
    const token = await sdkToken(client);

    const body = paymentBody(1000);
    const reference = body.reference!;
    const created = ok(await client.payment.create(token, body), 'create');
    assert.equal(created.reference, reference);
    assert.match(created.redirectUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/landing\?token=/);

    let info = ok(await client.payment.info(token, reference), 'info after create');
    assert.equal(info.state, 'CREATED');

    ok(await client.payment.forceApprove(token, reference, { customer: { phoneNumber: TEST_USER_PHONE } }), 'forceApprove');
    info = ok(await client.payment.info(token, reference), 'info after approve');
    assert.equal(info.state, 'AUTHORIZED');
    assert.deepEqual(info.aggregate.authorizedAmount, { currency: 'NOK', value: 1000 });

    const captured = ok(await client.payment.capture(token, reference, { modificationAmount: { currency: 'NOK', value: 600 } }), 'capture');
    assert.equal(captured.state, 'AUTHORIZED');
    assert.deepEqual(captured.aggregate.capturedAmount, { currency: 'NOK', value: 600 });

    const refunded = ok(await client.payment.refund(token, reference, { modificationAmount: { currency: 'NOK', value: 250 } }), 'refund');
    assert.deepEqual(refunded.aggregate.refundedAmount, { currency: 'NOK', value: 250 });

    info = ok(await client.payment.info(token, reference), 'info at the end');
    assert.equal(info.state, 'AUTHORIZED');
    assert.deepEqual(info.aggregate.authorizedAmount, { currency: 'NOK', value: 1000 });
    assert.deepEqual(info.aggregate.capturedAmount, { currency: 'NOK', value: 600 });
    assert.deepEqual(info.aggregate.refundedAmount, { currency: 'NOK', value: 250 });
    assert.deepEqual(info.aggregate.cancelledAmount, { currency: 'NOK', value: 0 });

    const history = ok(await client.payment.history(token, reference), 'history');
    assert.deepEqual(
      history.map((e) => [e.name, e.amount.value, e.reference]),
      [
        ['CREATED', 1000, reference],
        ['AUTHORIZED', 1000, reference],
        ['CAPTURED', 600, reference],
        ['REFUNDED', 250, reference],
      ],
    );

    // What the SDK sent, and our answers to it (each validated against the spec).
    const made = validated(from);
    assert.deepEqual(
      made.map((x) => [x.method, x.path, x.status]),
      [
        ['POST', '/accesstoken/get', 200],
        ['POST', '/epayment/v1/payments', 201],
        ['GET', `/epayment/v1/payments/${reference}`, 200],
        ['POST', `/epayment/v1/test/payments/${reference}/approve`, 200],
        ['GET', `/epayment/v1/payments/${reference}`, 200],
        ['POST', `/epayment/v1/payments/${reference}/capture`, 200],
        ['POST', `/epayment/v1/payments/${reference}/refund`, 200],
        ['GET', `/epayment/v1/payments/${reference}`, 200],
        ['GET', `/epayment/v1/payments/${reference}/events`, 200],
      ],
    );
    const { msn, subscriptionKey } = t.server.credentials;
    for (const x of made) {
      const h = x.requestHeaders;
      const where = `${x.method} ${x.path}`;
      assert.equal(h['ocp-apim-subscription-key'], subscriptionKey, where);
      assert.equal(h['merchant-serial-number'], msn, where);
      assert.equal(h['vipps-system-name'], 'acme-shop', where);
      assert.equal(h['vipps-system-version'], '3.1.4', where);
      assert.equal(h['vipps-system-plugin-name'], 'acme-vipps', where);
      assert.equal(h['vipps-system-plugin-version'], '1.0.0', where);
      assert.match(h['user-agent'] ?? '', /^Vipps\/Deno-SDK\/npm-module\/\d+\.\d+\.\d+$/, where);
      assert.match(h['idempotency-key'] ?? '', UUID, `${where}: the SDK sends a fresh Idempotency-Key on every request`);
      if (x.path === '/accesstoken/get') {
        assert.equal(h['client_id'], t.server.credentials.clientId);
        assert.equal(h['client_secret'], t.server.credentials.clientSecret);
        // getToken asks for application/x-www-form-urlencoded, but the SDK's default headers are
        // spread after it (base_client_helper.js), so it really sends an empty application/json body.
        assert.equal(h['content-type'], 'application/json', where);
        assert.equal(x.requestBody, '', 'the token request has no body');
        assert.equal(h['authorization'], 'Bearer', `${where}: an empty bearer ("Bearer " trimmed)`);
      } else {
        assert.equal(h['authorization'], `Bearer ${token}`, where);
        assert.equal(h['content-type'], 'application/json', where);
      }
      if (x.method === 'GET') assert.equal(x.requestBody, '', `${where}: no body`);
    }
    assert.equal(new Set(made.map((x) => x.requestHeaders['idempotency-key'])).size, made.length, 'one key per request');

    // The SDK's Idempotency-Key headers are the ones the event log records; the authorization
    // answers the create, so AUTHORIZED carries the create's key (as in the documented examples).
    const keyOf = (suffix: string) => made.find((x) => x.method === 'POST' && x.path.endsWith(suffix))!.requestHeaders['idempotency-key'];
    assert.deepEqual(
      history.map((e) => e.idempotencyKey),
      [keyOf('/v1/payments'), keyOf('/v1/payments'), keyOf('/capture'), keyOf('/refund')],
    );
  });

  it('a capture above the authorized amount comes back as the SDK error with our problem details (6090)', async () => {
    const from = route.exchanges.length;
    const client = merchantClient();
    const token = await sdkToken(client);
    const body = paymentBody(500);
    const reference = body.reference!;
    ok(await client.payment.create(token, body), 'create');
    ok(await client.payment.forceApprove(token, reference, { customer: { phoneNumber: TEST_USER_PHONE } }), 'forceApprove');

    const result = await client.payment.capture(token, reference, { modificationAmount: { currency: 'NOK', value: 501 } });
    assert.equal(result.ok, false, 'the over-capture must fail');
    if (result.ok) return;
    assert.ok(!(result.error instanceof Error), `expected the problem object, got Error: ${String(result.error)}`);
    // The SDK's Problem type has no `instance`; our problem details carry it (checked by assertMatchesSpec).
    const problem = result.error as Problem & { instance?: string };
    assert.equal(problem.status, 400);
    assert.equal(problem.title, 'Capture amount too high');
    assert.equal(problem.instance, `/v1/payments/${reference}/capture`);
    assert.match(problem.traceId, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.deepEqual(
      problem.extraDetails?.find((d) => d.name === 'ErrorCode'),
      { name: 'ErrorCode', reason: '6090' },
    );

    // Nothing was captured; the SDK made no retry.
    const info = ok(await client.payment.info(token, reference), 'info');
    assert.deepEqual(info.aggregate.capturedAmount, { currency: 'NOK', value: 0 });
    const made = validated(from);
    assert.deepEqual(
      made.map((x) => [x.method, x.path.replace(reference, '{ref}'), x.status]),
      [
        ['POST', '/accesstoken/get', 200],
        ['POST', '/epayment/v1/payments', 201],
        ['POST', '/epayment/v1/test/payments/{ref}/approve', 200],
        ['POST', '/epayment/v1/payments/{ref}/capture', 400],
        ['GET', '/epayment/v1/payments/{ref}', 200],
      ],
    );
  });

  it('cancel without a body and a client without system headers (the SDK sends them empty)', async () => {
    const from = route.exchanges.length;
    const client = merchantClient(false);
    const token = await sdkToken(client);
    const body = paymentBody(700);
    const reference = body.reference!;
    ok(await client.payment.create(token, body), 'create');
    ok(await client.payment.forceApprove(token, reference, {}), 'forceApprove with an empty body');

    const cancelled = ok(await client.payment.cancel(token, reference), 'cancel');
    assert.equal(cancelled.state, 'AUTHORIZED');
    assert.deepEqual(cancelled.aggregate.cancelledAmount, { currency: 'NOK', value: 700 });

    const history = ok(await client.payment.history(token, reference), 'history');
    assert.deepEqual(history.map((e) => e.name), ['CREATED', 'AUTHORIZED', 'CANCELLED']);

    const made = validated(from);
    const cancel = made.find((x) => x.path.endsWith('/cancel'))!;
    assert.equal(cancel.requestBody, '', 'the SDK cancel sends no body');
    assert.equal(cancel.requestHeaders['content-type'], 'application/json', '…but still says application/json');
    for (const x of made) {
      assert.equal(x.requestHeaders['vipps-system-name'], '', `${x.method} ${x.path}: empty system headers are sent`);
    }
  });

  it('bad client credentials come back as an SDK error, not a crash', async () => {
    const from = route.exchanges.length;
    const client = merchantClient();
    const result = await client.auth.getToken(t.server.credentials.clientId, 'not-the-secret');
    assert.equal(result.ok, false);
    if (result.ok) return;
    const made = validated(from);
    assert.deepEqual(made.map((x) => [x.path, x.status]), [['/accesstoken/get', 401]]);
    assert.deepEqual(result.error, made[0]!.responseBody, 'the SDK hands back the identity provider\'s error body');
    // The SDK types it as its AccessTokenError, Azure AD's body (types_external.d.ts).
    assert.equal((result.error as { error?: string }).error, 'invalid_client');
    assert.deepEqual((result.error as { error_codes?: number[] }).error_codes, [7000215]);
  });
});
