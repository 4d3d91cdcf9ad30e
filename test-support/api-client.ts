// A small HTTP client for tests. Every response it receives is checked against the official spec
// (test-support/spec-validator.ts): a response that does not match fails the test that caused it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { specValidator } from './spec-validator.ts';

export interface Credentials {
  clientId: string;
  clientSecret: string;
  subscriptionKey: string;
  msn: string;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as-is instead of JSON.stringify(body). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Leave out the standard merchant headers (token, subscription key, MSN). */
  bare?: boolean;
  /** Send the token and subscription key but no Merchant-Serial-Number (merchant-wide webhooks). */
  withoutMsn?: boolean;
  idempotencyKey?: string;
}

/**
 * Which spec operation a request path belongs to (in any case, with or without a trailing slash,
 * as vipps-local routes them). `prefix` is the API's base path on our server
 * (the spec's server URL path), which problem `instance` values leave out.
 */
const ROUTES: Array<{ re: RegExp; api: string; specPath: string; prefix: string }> = [
  { re: /^\/accesstoken\/get\/?$/i, api: 'access-token', specPath: '/accesstoken/get', prefix: '' },
  { re: /^\/epayment\/v1\/payments\/?$/i, api: 'epayment', specPath: '/v1/payments', prefix: '/epayment' },
  { re: /^\/epayment\/v1\/payments\/[^/]+\/?$/i, api: 'epayment', specPath: '/v1/payments/{Reference}', prefix: '/epayment' },
  { re: /^\/epayment\/v1\/payments\/[^/]+\/events\/?$/i, api: 'epayment', specPath: '/v1/payments/{Reference}/events', prefix: '/epayment' },
  { re: /^\/epayment\/v1\/payments\/[^/]+\/cancel\/?$/i, api: 'epayment', specPath: '/v1/payments/{Reference}/cancel', prefix: '/epayment' },
  { re: /^\/epayment\/v1\/payments\/[^/]+\/capture\/?$/i, api: 'epayment', specPath: '/v1/payments/{Reference}/capture', prefix: '/epayment' },
  { re: /^\/epayment\/v1\/payments\/[^/]+\/refund\/?$/i, api: 'epayment', specPath: '/v1/payments/{Reference}/refund', prefix: '/epayment' },
  { re: /^\/epayment\/v1\/test\/payments\/[^/]+\/approve\/?$/i, api: 'epayment', specPath: '/v1/test/payments/{Reference}/approve', prefix: '/epayment' },
  { re: /^\/webhooks\/v1\/webhooks\/?$/i, api: 'webhooks', specPath: '/v1/webhooks', prefix: '/webhooks' },
  { re: /^\/webhooks\/v1\/webhooks\/[^/]+\/?$/i, api: 'webhooks', specPath: '/v1/webhooks/{id}', prefix: '/webhooks' },
  { re: /^\/vipps-userinfo-api\/userinfo\/[^/]+\/?$/i, api: 'userinfo', specPath: '/vipps-userinfo-api/userinfo/{sub}', prefix: '' },
  ...[
    [/^\/v1\/images\/?$/i, '/v1/images'],
    [/^\/v1\/orders\/[^/]+\/?$/i, '/v1/orders/{transactionId}'],
    [/^\/v1\/receipts\/[^/]+\/?$/i, '/v1/receipts/{transactionId}'],
    [/^\/v2\/[^/]+\/receipts\/[^/]+\/?$/i, '/v2/{paymentType}/receipts/{orderId}'],
    [/^\/v2\/[^/]+\/categories\/[^/]+\/?$/i, '/v2/{paymentType}/categories/{orderId}'],
    [/^\/v2\/[^/]+\/[^/]+\/?$/i, '/v2/{paymentType}/{orderId}'],
    [/^\/v3\/categories\/?$/i, '/v3/categories'],
    [/^\/v3\/categories\/[^/]+\/?$/i, '/v3/categories/{categoryId}'],
  ].map(([re, specPath]) => ({ re: new RegExp(`^\\/order-management${(re as RegExp).source.slice(1)}`, 'i'), api: 'order-management', specPath: specPath as string, prefix: '/order-management' })),
  { re: /^\/psp\/v3\/psppayments\/init\/?$/i, api: 'psp', specPath: '/v3/psppayments/init', prefix: '/psp' },
  { re: /^\/psp\/v3\/psppayments\/updatestatus\/?$/i, api: 'psp', specPath: '/v3/psppayments/updatestatus', prefix: '/psp' },
  { re: /^\/psp\/v3\/psppayments\/[^/]+\/details\/?$/i, api: 'psp', specPath: '/v3/psppayments/{pspTransactionId}/details', prefix: '/psp' },
  { re: /^\/psp\/v3\/integration-test\/psppayments\/[^/]+\/approve\/?$/i, api: 'psp', specPath: '/v3/integration-test/psppayments/{pspTransactionId}/approve', prefix: '/psp' },
];

/** A content type as declared, compared without case or spaces (`application/json;charset=UTF-8`). */
const sameMediaType = (a: string, b: string) => a.replace(/\s+/g, '').toLowerCase() === b.replace(/\s+/g, '').toLowerCase();

/** The problem schema of each API that answers problems. */
const PROBLEM_SCHEMA: Record<string, string> = { epayment: 'Problem', webhooks: 'ProblemDetails' };

const TRACE_ID = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

/** Checks one response against the spec. Exported for tests that make their own requests. */
export function assertMatchesSpec(method: string, path: string, res: { status: number; headers: Headers; body: unknown; text?: string }): void {
  const pathOnly = path.split('?')[0]!;
  const route = ROUTES.find((r) => r.re.test(pathOnly));
  if (!route) return;
  const where = `${method} ${pathOnly} → ${res.status}`;
  const contentType = res.headers.get('content-type') ?? '';
  const spec = specValidator();

  if (route.api === 'access-token' && res.status >= 400 && (res.body as Record<string, unknown> | undefined)?.error !== undefined) {
    // Answered by the identity provider behind the gateway, in Azure AD's format (PLATFORM-NOTES-ADDENDUM §4).
    assert.ok(res.status === 400 || res.status === 401, `${where}: identity provider errors are 400 or 401`);
    assert.match(contentType, /^application\/json/, `${where}: identity provider errors are JSON`);
    const body = res.body as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['correlation_id', 'error', 'error_codes', 'error_description', 'error_uri', 'timestamp', 'trace_id'], `${where}: Azure AD error shape`);
    assert.ok(Array.isArray(body.error_codes) && body.error_codes.length === 1, `${where}: one error code`);
    assert.match(String(body.error_description), new RegExp(`^AADSTS${(body.error_codes as number[])[0]}: `), `${where}: the description starts with its code`);
    return;
  }
  if (route.api === 'userinfo' && res.status >= 400) {
    // The Userinfo API answers every error itself, 401 included, in its spec's UserinfoError with the
    // declared content type (docs/decisions.md "Userinfo API"). `status` is a string there.
    const declared = spec.responseSchemaName(route.api, route.specPath, method, res.status);
    assert.ok(declared, `${where}: the spec declares no ${res.status} for this operation`);
    assert.equal(declared.name, 'UserinfoError');
    assert.ok(sameMediaType(contentType, declared.contentTypes[0]!), `${where}: content type ${contentType}, declared ${declared.contentTypes[0]}`);
    const errors = spec.checkSchema(route.api, 'UserinfoError', res.body);
    assert.deepEqual(errors, [], `${where}: response does not match UserinfoError: ${errors.join('; ')}`);
    const body = res.body as Record<string, unknown>;
    assert.equal(body.status, String(res.status), `${where}: status is the HTTP status as a string`);
    for (const k of ['type', 'title', 'detail', 'instance']) assert.equal(typeof body[k], 'string', `${where}: ${k} is present`);
    return;
  }
  if (route.api === 'order-management' && res.status >= 400 && res.status !== 401 && res.status !== 429) {
    // Order Management answers its errors in its spec's ErrorResponse, application/json (docs/decisions.md "Order Management API").
    // A 400 may answer any operation with a body or parameters; the image upload's 400 and 409 are
    // documented by the guide and the WooCommerce plugin, not its spec entry (PLATFORM-NOTES-ADDENDUM §7).
    const documented = res.status === 400 || (route.specPath === '/v1/images' && res.status === 409);
    if (!documented && [404, 409].includes(res.status)) assert.ok(spec.declaresStatus(route.api, route.specPath, method, res.status), `${where}: the spec declares no ${res.status} for this operation`);
    assert.match(contentType, /^application\/json/, `${where}: errors are application/json`);
    const errors = spec.checkSchema(route.api, 'ErrorResponse', res.body);
    assert.deepEqual(errors, [], `${where}: response does not match ErrorResponse: ${errors.join('; ')}`);
    assert.match(String((res.body as Record<string, unknown>).instance), TRACE_ID, `${where}: instance is a W3C traceparent`);
    return;
  }
  if (route.api === 'order-management' && res.status < 300 && !spec.responseSchemaName(route.api, route.specPath, method, res.status)) {
    // Declared as a plain string id (201Created, 200Upserted) or with no content (v1 writes, DELETE).
    assert.ok(spec.declaresStatus(route.api, route.specPath, method, res.status), `${where}: the spec declares no ${res.status} for this operation`);
    if (typeof res.body === 'string') assert.match(contentType, /^application\/json/, `${where}: a string id is JSON`);
    else assert.equal(res.text ?? '', '', `${where}: no content`);
    return;
  }
  if (route.api === 'psp' && res.status >= 400 && res.status !== 401 && res.status !== 403) {
    // The PSP API answers its errors as the spec's ErrorDetails[] (docs/decisions.md "PSP API v3"): a
    // declared status, or 404 for a transaction this PSP and sales unit do not have (declared nowhere).
    assert.ok(res.status === 404 || spec.declaresStatus(route.api, route.specPath, method, res.status), `${where}: the spec declares no ${res.status} for this operation`);
    assert.ok(sameMediaType(contentType, 'application/json;charset=UTF-8'), `${where}: errors are application/json;charset=UTF-8, got ${contentType}`);
    assert.ok(Array.isArray(res.body) && res.body.length > 0, `${where}: errors are a non-empty ErrorDetails array`);
    const entries = res.body as Array<Record<string, unknown>>;
    for (const entry of entries) {
      const errors = spec.checkSchema(route.api, 'ErrorDetails', entry);
      assert.deepEqual(errors, [], `${where}: response does not match ErrorDetails: ${errors.join('; ')}`);
      for (const k of ['errorCode', 'errorMessage', 'contextId']) assert.equal(typeof entry[k], 'string', `${where}: ${k} is present`);
      assert.equal(entry.contextId, entries[0]!.contextId, `${where}: one contextId per request`);
    }
    return;
  }
  // A PSP's MSN it does not act for is refused by the gateway, on the PSP API and on ePayment with Psp-Id (addendum §3).
  const pspMsnRefused = res.status === 403 && /^Invalid MSN: /.test(String((res.body as { message?: unknown } | undefined)?.message));
  if (res.status === 401 || res.status === 429 || (route.api === 'psp' && res.status === 403) || pspMsnRefused || (route.api === 'access-token' && res.status >= 400)) {
    // Answered by the API gateway, in its own format (PLATFORM-NOTES §1 "Error format"; 429: addendum §6).
    assert.match(contentType, /^application\/json/, `${where}: gateway errors are JSON`);
    const body = res.body as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['message', 'statusCode'], `${where}: gateway error shape`);
    assert.equal(body.statusCode, res.status);
    assert.equal(typeof body.message, 'string');
    return;
  }
  if (res.status >= 400) {
    assert.match(contentType, /^application\/problem\+json/, `${where}: errors are application/problem+json`);
    const problemSchema = PROBLEM_SCHEMA[route.api]!;
    const errors = spec.checkSchema(route.api, problemSchema, res.body);
    assert.deepEqual(errors, [], `${where}: response does not match ${problemSchema}: ${errors.join('; ')}`);
    const body = res.body as Record<string, unknown>;
    assert.equal(typeof body.title, 'string', `${where}: problem has a title`);
    assert.match(String(body.traceId), TRACE_ID, `${where}: traceId is W3C style`);
    assert.equal(body.instance, pathOnly.slice(route.prefix.length), `${where}: instance is the path without ${route.prefix}`);
    assert.equal(body.status, res.status);
    const allowed = ['type', 'title', 'status', 'detail', 'instance', 'traceId', 'extraDetails'];
    for (const k of Object.keys(body)) assert.ok(allowed.includes(k), `${where}: unexpected problem field ${k}`);
    return;
  }
  const declared = spec.responseSchemaName(route.api, route.specPath, method, res.status);
  if (!declared && res.status === 204) {
    // Webhooks' delete: 204 No Content, declared without a body.
    assert.ok(spec.declaresStatus(route.api, route.specPath, method, 204), `${where}: the spec declares no 204 for this operation`);
    assert.equal(res.text ?? '', '', `${where}: 204 has no body`);
    assert.equal(res.body, undefined, `${where}: 204 has no body`);
    return;
  }
  if (!declared) {
    // Force approve answers 200 "OK" with no body schema.
    assert.ok(
      route.specPath.endsWith('/approve') && res.status === 200,
      `${where}: the spec declares no response for this status`,
    );
    return;
  }
  assert.match(contentType, /^application\/json/, `${where}: success responses are application/json`);
  if (route.api === 'userinfo') assert.ok(sameMediaType(contentType, declared.contentTypes[0]!), `${where}: content type ${contentType}, declared ${declared.contentTypes[0]}`);
  const isArray = declared.name.endsWith('[]');
  const name = isArray ? declared.name.slice(0, -2) : declared.name;
  if (isArray) assert.ok(Array.isArray(res.body), `${where}: expected an array`);
  const items = isArray ? (res.body as unknown[]) : [res.body];
  for (const item of items) {
    const errors = spec.checkSchema(route.api, name, item);
    assert.deepEqual(errors, [], `${where}: response does not match ${name}: ${errors.join('; ')}`);
  }
}

export function newReference(prefix = 'order'): string {
  return `${prefix}-${randomUUID()}`;
}

export function paymentRequest(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    amount: { currency: 'NOK', value: 49900 },
    paymentMethod: { type: 'WALLET' },
    reference: newReference(),
    userFlow: 'WEB_REDIRECT',
    returnUrl: 'https://example.com/return',
    paymentDescription: 'Two pairs of socks',
    ...overrides,
  };
}

export class Api {
  private accessToken: string | undefined;

  constructor(
    readonly baseUrl: string,
    readonly credentials: Credentials,
  ) {}

  async token(): Promise<string> {
    if (this.accessToken) return this.accessToken;
    const res = await this.call('POST', '/accesstoken/get', {
      bare: true,
      headers: {
        client_id: this.credentials.clientId,
        client_secret: this.credentials.clientSecret,
        'Ocp-Apim-Subscription-Key': this.credentials.subscriptionKey,
      },
    });
    assert.equal(res.status, 200, `token: ${res.text}`);
    this.accessToken = res.body.access_token as string;
    return this.accessToken;
  }

  forgetToken(): void {
    this.accessToken = undefined;
  }

  async merchantHeaders(): Promise<Record<string, string>> {
    return {
      Authorization: `Bearer ${await this.token()}`,
      'Ocp-Apim-Subscription-Key': this.credentials.subscriptionKey,
      'Merchant-Serial-Number': this.credentials.msn,
    };
  }

  async call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = options.bare ? {} : await this.merchantHeaders();
    if (options.withoutMsn) delete headers['Merchant-Serial-Number'];
    if (options.body !== undefined || options.rawBody !== undefined) headers['Content-Type'] = 'application/json';
    if (options.idempotencyKey !== undefined) headers['Idempotency-Key'] = options.idempotencyKey;
    Object.assign(headers, options.headers);
    const init: RequestInit = { method, headers };
    if (options.rawBody !== undefined) init.body = options.rawBody;
    else if (options.body !== undefined) init.body = JSON.stringify(options.body);
    const res = await fetch(this.baseUrl + path, init);
    const text = await res.text();
    let body: unknown = undefined;
    if (text.length > 0) {
      assert.match(res.headers.get('content-type') ?? '', /json/, `${method} ${path}: non-empty bodies are JSON, got ${text.slice(0, 80)}`);
      body = JSON.parse(text);
    }
    const response = { status: res.status, headers: res.headers, body: body as T, text };
    assertMatchesSpec(method, path, response);
    return response;
  }

  createPayment(overrides: Record<string, unknown> = {}, idempotencyKey: string = randomUUID()) {
    return this.call('POST', '/epayment/v1/payments', { body: paymentRequest(overrides), idempotencyKey });
  }

  /** Creates a payment and asserts it worked; returns its reference. */
  async created(overrides: Record<string, unknown> = {}): Promise<string> {
    const res = await this.createPayment(overrides);
    assert.equal(res.status, 201, res.text);
    return res.body.reference as string;
  }

  /** Creates and force-approves a payment; returns its reference. */
  async authorized(overrides: Record<string, unknown> = {}): Promise<string> {
    const reference = await this.created(overrides);
    const res = await this.approve(reference);
    assert.equal(res.status, 200, res.text);
    return reference;
  }

  getPayment(reference: string) {
    return this.call('GET', `/epayment/v1/payments/${reference}`);
  }

  events(reference: string) {
    return this.call('GET', `/epayment/v1/payments/${reference}/events`);
  }

  approve(reference: string, body: Record<string, unknown> = {}) {
    return this.call('POST', `/epayment/v1/test/payments/${reference}/approve`, { body });
  }

  capture(reference: string, value: number, idempotencyKey: string = randomUUID(), currency = 'NOK') {
    return this.call('POST', `/epayment/v1/payments/${reference}/capture`, { body: { modificationAmount: { currency, value } }, idempotencyKey });
  }

  refund(reference: string, value: number, idempotencyKey: string = randomUUID(), currency = 'NOK') {
    return this.call('POST', `/epayment/v1/payments/${reference}/refund`, { body: { modificationAmount: { currency, value } }, idempotencyKey });
  }

  cancel(reference: string, body?: Record<string, unknown>, idempotencyKey?: string) {
    const options: CallOptions = {};
    if (body !== undefined) options.body = body;
    if (idempotencyKey !== undefined) options.idempotencyKey = idempotencyKey;
    return this.call('POST', `/epayment/v1/payments/${reference}/cancel`, options);
  }

  /** POST /webhooks/v1/webhooks; `withoutMsn` registers merchant-wide. */
  registerWebhook(body: unknown, options: Pick<CallOptions, 'withoutMsn' | 'headers'> = {}) {
    return this.call('POST', '/webhooks/v1/webhooks', { ...options, body });
  }

  /** Registers and asserts it worked: the 201 body `{ id, secret }`. */
  async registeredWebhook(url: string, events: string[], options: Pick<CallOptions, 'withoutMsn'> = {}): Promise<{ id: string; secret: string }> {
    const res = await this.registerWebhook({ url, events }, options);
    assert.equal(res.status, 201, res.text);
    return res.body as { id: string; secret: string };
  }

  listWebhooks(options: Pick<CallOptions, 'withoutMsn' | 'headers'> = {}) {
    return this.call('GET', '/webhooks/v1/webhooks', options);
  }

  deleteWebhook(id: string, options: Pick<CallOptions, 'withoutMsn' | 'headers'> = {}) {
    return this.call('DELETE', `/webhooks/v1/webhooks/${id}`, options);
  }

  /** An Order Management call (`path` after /order-management) with the merchant headers. */
  om(method: string, path: string, options: CallOptions = {}) {
    return this.call(method, `/order-management${path}`, options);
  }

  /** GET /vipps-userinfo-api/userinfo/{sub} with the merchant headers (or as `options` says). */
  userinfo(sub: string, options: Pick<CallOptions, 'withoutMsn' | 'headers' | 'bare'> = {}) {
    return this.call('GET', `/vipps-userinfo-api/userinfo/${encodeURIComponent(sub)}`, options);
  }
}

/** The ErrorCode of a problem response, or undefined. */
export function errorCode(res: ApiResponse): string | undefined {
  return (res.body?.extraDetails as Array<{ name: string; reason: string }> | null)?.find((d) => d.name === 'ErrorCode')?.reason;
}
