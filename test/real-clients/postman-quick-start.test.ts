// The platform's own quick start, replayed as its official ePayment Postman collection sends it
// (vippsas/vipps-epayment-api tools/vipps-epayment-api-postman-collection.json, with the global
// environment): the token from `/accessToken/get` (capital T); creates whose `reference` and
// `customer.phoneNumber` are unquoted JSON numbers (the reference is the MSN and a millisecond
// timestamp, 19 digits, beyond what a JavaScript number holds exactly) and whose returnUrl is
// `http://example.com/…`; the Vipps-System-* headers on every call; force approve with an unquoted
// phone number and the `{{payment_token}}` its create script never fills; GetPayment's `profile.sub`
// then Userinfo without a subscription key; capture, refund and cancel (no body) with the
// Idempotency-Key variable left over from the last create and `Accept: application/problem+json`;
// the event log. Every request is written as a text template filled in as Postman fills it, every
// answer checked against the official spec.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { assertMatchesSpec } from '../../test-support/api-client.ts';
import { useServer } from '../../test-support/server.ts';
import { warningsOf } from '../../test-support/warnings.ts';

const PHONE = '4712345678';

describe('the official ePayment Postman quick start, unmodified', () => {
  const t = useServer();
  const env: Record<string, string> = {};
  /** Postman's `{{name}}`: the variable's value, or the text itself when the variable is not set. */
  const fill = (template: string) => template.replace(/\{\{([\w-]+)\}\}/g, (whole, name: string) => env[name] ?? whole);

  const systemHeaders = () => ({
    'Vipps-System-Name': fill('{{vipps_system_name}}'),
    'Vipps-System-Version': fill('{{vipps_system_version}}'),
    'Vipps-System-Plugin-Name': fill('{{vipps_system_plugin_name}}'),
    'Vipps-System-Plugin-Version': fill('{{vipps_system_plugin_version}}'),
  });
  const merchant = () => ({ Authorization: fill('Bearer {{access_token}}'), 'Ocp-Apim-Subscription-Key': fill('{{Ocp-Apim-Subscription-Key}}'), 'Merchant-Serial-Number': fill('{{merchantSerialNumber}}') });

  async function send(method: string, path: string, headers: Record<string, string>, raw?: string) {
    const res = await fetch(fill(`{{base_url}}${path}`), { method, headers, ...(raw !== undefined ? { body: fill(raw) } : {}) });
    const text = await res.text();
    const body = text.length > 0 ? JSON.parse(text) : undefined;
    const response = { status: res.status, headers: res.headers, body, text };
    assertMatchesSpec(method, new URL(res.url).pathname, response);
    return response;
  }

  /** The prerequest script of every create: a new key, and the reference = MSN + the time in ms. */
  const prerequest = () => {
    env.idempotency_key = randomUUID();
    env.reference = `${env.merchantSerialNumber}${Date.now()}`;
  };
  const create = (body: string) => {
    prerequest();
    return send('POST', '/epayment/v1/payments', { ...merchant(), 'Content-Type': 'application/json', 'Idempotency-Key': fill('{{idempotency_key}}'), ...systemHeaders() }, body);
  };

  it('runs the whole collection in order, and the 19-digit references come back digit for digit', async () => {
    Object.assign(env, {
      base_url: t.server.url,
      client_id: t.server.credentials.clientId,
      client_secret: t.server.credentials.clientSecret,
      'Ocp-Apim-Subscription-Key': t.server.credentials.subscriptionKey,
      merchantSerialNumber: t.server.credentials.msn,
      internationalMobileNumber: PHONE,
      amount: '49900',
      currency: 'NOK',
      vipps_system_name: 'Postman',
      vipps_system_version: '11.20.0',
      vipps_system_plugin_name: 'vipps-epayment-postman',
      vipps_system_plugin_version: '1.0.0',
    });

    // Get Access Token: POST {{base_url}}/accessToken/get, empty raw body, no content type.
    const token = await send('POST', '/accessToken/get', { client_id: fill('{{client_id}}'), client_secret: fill('{{client_secret}}'), 'Ocp-Apim-Subscription-Key': fill('{{Ocp-Apim-Subscription-Key}}'), 'Merchant-Serial-Number': fill('{{merchantSerialNumber}}'), ...systemHeaders() }, '');
    assert.equal(token.status, 200, token.text);
    assert.deepEqual(warningsOf(token), ['path-case /accessToken/get']);
    env.access_token = token.body.access_token;

    const socks = '"paymentDescription": "Purchase of socks"';
    const creates: Array<[string, string]> = [
      ['WEB_REDIRECT', `{\n  "amount": {\n    "value": {{amount}},\n    "currency": "{{currency}}"\n  },\n  "paymentMethod": {\n    "type": "WALLET"\n  },\n  "customer": {\n    "phoneNumber": {{internationalMobileNumber}}\n  },\n  "reference": {{reference}},\n  "userFlow": "WEB_REDIRECT",\n  "returnUrl": "http://example.com/redirect?reference={{reference}}",\n  ${socks}\n}`],
      ['QR', `{\n  "amount": {\n    "value": {{amount}},\n    "currency": "{{currency}}"\n  },\n  "paymentMethod": {\n    "type": "WALLET"\n  },\n  "reference": {{reference}},\n  "userFlow": "QR",\n  "returnUrl": "http://example.com/redirect?reference={{reference}}",\n  ${socks},\n  "qrFormat": {\n    "format": "IMAGE/SVG+XML",\n    "size": 1024\n  }\n}`],
      ['PUSH_MESSAGE', `{\n  "amount": {\n    "value": {{amount}},\n    "currency": "{{currency}}"\n  },\n  "paymentMethod": {\n    "type": "WALLET"\n  },\n  "customer": {\n    "phoneNumber": {{internationalMobileNumber}}\n  },\n  "reference": {{reference}},\n  "userFlow": "PUSH_MESSAGE",\n  "returnUrl": "http://example.com/redirect?reference={{reference}}",\n  ${socks}\n}`],
      ['NATIVE_REDIRECT', `{\n  "amount": {\n    "value": {{amount}},\n    "currency": "{{currency}}"\n  },\n  "paymentMethod": {\n    "type": "WALLET"\n  },\n  "reference": {{reference}},\n  "userFlow": "NATIVE_REDIRECT",\n  "returnUrl": "http://example.com/redirect?reference={{reference}}",\n  ${socks}\n}`],
    ];
    for (const [flow, body] of creates) {
      const res = await create(body);
      assert.equal(res.status, 201, `${flow}: ${res.text}`);
      assert.match(env.reference!, /^\d{19}$/);
      assert.ok(res.text.includes(`"reference":"${env.reference}"`), `${flow}: the reference comes back as the digits sent: ${res.text}`);
      assert.ok(warningsOf(res).includes('number-as-string reference'), `${flow}: ${warningsOf(res)}`);
      assert.ok(warningsOf(res).includes('http-merchant-url returnUrl'), `${flow}: ${warningsOf(res)}`);
      if (flow !== 'PUSH_MESSAGE') assert.match(res.body.redirectUrl, /^http:\/\/127\.0\.0\.1:\d+\//, flow);
      const fetched = await send('GET', '/epayment/v1/payments/{{reference}}', { ...merchant(), Accept: 'application/json', ...systemHeaders() });
      assert.equal(fetched.status, 200, fetched.text);
      assert.ok(fetched.text.includes(`"reference":"${env.reference}"`), `${flow}: GetPayment by the same digits`);
    }

    // Create payment - User info (the last create: the steps below act on it).
    const userInfo = await create(
      `{\n    "amount": {\n        "value": {{amount}},\n        "currency": "{{currency}}"\n    },\n    "paymentMethod": {\n        "type": "WALLET"\n    },\n    "customer": {\n        "phoneNumber": {{internationalMobileNumber}}\n    },\n    "reference": {{reference}},\n    "userFlow": "WEB_REDIRECT",\n    "returnUrl": "http://example.com/redirect?reference={{reference}}",\n    ${socks},\n    "profile": {\n        "scope": "name phoneNumber address birthDate"\n    }\n}`,
    );
    assert.equal(userInfo.status, 201, userInfo.text);

    // Force approve payment: the unquoted phone, and {{payment_token}}, which nothing filled.
    const approve = await send(
      'POST',
      '/epayment/v1/test/payments/{{reference}}/approve',
      { ...merchant(), 'Content-Type': 'application/json', ...systemHeaders() },
      '{\n  "customer": {\n    "phoneNumber": {{internationalMobileNumber}}\n  },\n  "token": "{{payment_token}}"\n}',
    );
    assert.equal(approve.status, 200, approve.text);
    assert.deepEqual(warningsOf(approve).sort(), ['number-as-string customer.phoneNumber', 'unusable-token token']);

    // Get payment, whose test script keeps profile.sub.
    const payment = await send('GET', '/epayment/v1/payments/{{reference}}', { ...merchant(), Accept: 'application/json', ...systemHeaders() });
    assert.equal(payment.body.state, 'AUTHORIZED');
    env.sub = payment.body.profile.sub;
    assert.match(env.sub!, /^[0-9a-f-]{36}$/);

    // Get Userinfo: the bearer token and the MSN, no subscription key.
    const claims = await send('GET', '/vipps-userinfo-api/userinfo/{{sub}}', { Authorization: fill('Bearer {{access_token}}'), 'Merchant-Serial-Number': fill('{{merchantSerialNumber}}'), ...systemHeaders() });
    assert.equal(claims.status, 200, claims.text);
    assert.equal(claims.body.sub, env.sub);
    assert.equal(claims.body.phone_number, PHONE);
    assert.equal(claims.body.name, 'Ada Lovelace');
    assert.equal(claims.body.birthdate, '1988-12-31');
    assert.ok(claims.body.address, 'address was asked for');
    assert.equal(claims.body.email, undefined, 'email was not asked for');

    // Capture and refund 1000, with the create's Idempotency-Key still in the variable.
    const modification = { ...merchant(), 'Idempotency-Key': fill('{{idempotency_key}}'), 'Content-Type': 'application/json', Accept: 'application/problem+json', ...systemHeaders() };
    const amount = '{\n  "modificationAmount": {\n    "value": 1000,\n    "currency": "NOK"\n  }\n}';
    const capture = await send('POST', '/epayment/v1/payments/{{reference}}/capture', modification, amount);
    assert.equal(capture.status, 200, capture.text);
    assert.equal(capture.body.aggregate.capturedAmount.value, 1000);
    const refund = await send('POST', '/epayment/v1/payments/{{reference}}/refund', modification, amount);
    assert.equal(refund.status, 200, refund.text);
    assert.equal(refund.body.aggregate.refundedAmount.value, 1000);

    // Cancel payment: no body, no content type.
    const cancel = await send('POST', '/epayment/v1/payments/{{reference}}/cancel', { ...merchant(), 'Idempotency-Key': fill('{{idempotency_key}}'), Accept: 'application/problem+json', ...systemHeaders() });
    assert.equal(cancel.status, 200, cancel.text);
    assert.equal(cancel.body.aggregate.cancelledAmount.value, 48900);

    // Get payment event log.
    const events = await send('GET', '/epayment/v1/payments/{{reference}}/events', { ...merchant(), Accept: 'application/json', ...systemHeaders() });
    assert.equal(events.status, 200, events.text);
    assert.deepEqual(
      events.body.map((e: { name: string; amount: { value: number }; idempotencyKey: string | null }) => [e.name, e.amount.value, e.idempotencyKey]),
      [
        ['CREATED', 49900, env.idempotency_key],
        ['AUTHORIZED', 49900, env.idempotency_key],
        ['CAPTURED', 1000, env.idempotency_key],
        ['REFUNDED', 1000, env.idempotency_key],
        ['CANCELLED', 48900, env.idempotency_key],
      ],
    );
    assert.ok(events.text.includes(`"reference":"${env.reference}"`));

    // The request log has every call of this payment, with the system headers as Postman filled them.
    const log = (await (await fetch(`${t.server.url}/vipps-local/v1/requests?reference=${env.reference}`)).json()) as {
      requests: Array<{ method: string; route: string; status: number; systemHeaders: Record<string, string | null> }>;
    };
    assert.deepEqual(
      log.requests.map((r) => [r.method, r.route, r.status]).reverse(),
      [
        ['POST', '/epayment/v1/payments', 201],
        ['POST', '/epayment/v1/test/payments/:reference/approve', 200],
        ['GET', '/epayment/v1/payments/:reference', 200],
        ['POST', '/epayment/v1/payments/:reference/capture', 200],
        ['POST', '/epayment/v1/payments/:reference/refund', 200],
        ['POST', '/epayment/v1/payments/:reference/cancel', 200],
        ['GET', '/epayment/v1/payments/:reference/events', 200],
      ],
    );
    const sent = systemHeaders();
    for (const r of log.requests) {
      assert.deepEqual(r.systemHeaders, sent, `${r.method} ${r.route}`);
    }
  });
});
