// vippsLocalFetch / routeVippsSdk: what is routed where, with what, and how the global fetch is put back.
// A stub fetch records what would have been sent (no network).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { routeVippsSdk, vippsLocalFetch, VIPPS_ORIGINS } from './index.ts';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

function stubFetch(): { fetch: typeof globalThis.fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push({ url: request.url, method: request.method, headers: Object.fromEntries(request.headers.entries()), body: request.body === null ? '' : await request.text() });
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

describe('vippsLocalFetch', () => {
  it('sends the test environment and production to vipps-local with method, path, query, headers and body', async () => {
    const stub = stubFetch();
    const routed = vippsLocalFetch('http://127.0.0.1:8787', { fetch: stub.fetch });
    await routed(new Request('https://apitest.vipps.no/epayment/v1/payments/abc/capture?x=1', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'k1', 'Vipps-System-Name': 'acme' },
      body: '{"modificationAmount":{"currency":"NOK","value":100}}',
    }));
    await routed('https://api.vipps.no/epayment/v1/payments/abc');
    assert.deepEqual(stub.sent.map((s) => [s.method, s.url]), [
      ['POST', 'http://127.0.0.1:8787/epayment/v1/payments/abc/capture?x=1'],
      ['GET', 'http://127.0.0.1:8787/epayment/v1/payments/abc'],
    ]);
    assert.equal(stub.sent[0]!.headers['idempotency-key'], 'k1');
    assert.equal(stub.sent[0]!.headers['vipps-system-name'], 'acme');
    assert.equal(stub.sent[0]!.body, '{"modificationAmount":{"currency":"NOK","value":100}}');
    assert.deepEqual(VIPPS_ORIGINS, ['https://apitest.vipps.no', 'https://api.vipps.no']);
  });

  it('keeps a path in the base URL, and passes other origins on unchanged', async () => {
    const stub = stubFetch();
    const routed = vippsLocalFetch('https://staging.example.com/vipps/', { fetch: stub.fetch });
    await routed(new URL('https://apitest.vipps.no/accesstoken/get'), { method: 'POST', headers: { client_id: 'id' } });
    await routed('https://example.com/elsewhere?q=1', { method: 'PUT', body: 'x' });
    assert.deepEqual(stub.sent.map((s) => [s.method, s.url, s.body]), [
      ['POST', 'https://staging.example.com/vipps/accesstoken/get', ''],
      ['PUT', 'https://example.com/elsewhere?q=1', 'x'],
    ]);
    assert.equal(stub.sent[0]!.headers['client_id'], 'id');
  });

  it('routes only the origins it is given', async () => {
    const stub = stubFetch();
    const routed = vippsLocalFetch('http://127.0.0.1:1', { fetch: stub.fetch, origins: ['https://apitest.vipps.no'] });
    await routed('https://api.vipps.no/epayment/v1/payments/abc');
    assert.equal(stub.sent[0]!.url, 'https://api.vipps.no/epayment/v1/payments/abc');
  });

  it('refuses a malformed base URL at once', () => {
    assert.throws(() => vippsLocalFetch('localhost:8787'), TypeError);
  });
});

describe('routeVippsSdk', () => {
  it('replaces the global fetch until restore(), and restores in any order without clobbering a newer fetch', async () => {
    const original = globalThis.fetch;
    const stub = stubFetch();
    globalThis.fetch = stub.fetch;
    try {
      const outer = routeVippsSdk('http://127.0.0.1:8787');
      assert.notEqual(globalThis.fetch, stub.fetch);
      await fetch('https://apitest.vipps.no/epayment/v1/payments/abc');
      assert.equal(stub.sent[0]!.url, 'http://127.0.0.1:8787/epayment/v1/payments/abc');

      const inner = routeVippsSdk('http://127.0.0.1:9999');
      outer.restore(); // a newer fetch is installed: left alone
      await fetch('https://apitest.vipps.no/x');
      assert.equal(stub.sent[1]!.url, 'http://127.0.0.1:9999/x');
      inner.restore();
      await fetch('https://apitest.vipps.no/y');
      assert.equal(stub.sent[2]!.url, 'http://127.0.0.1:8787/y', 'the outer route is back');
      outer.restore();
      assert.equal(globalThis.fetch, stub.fetch, 'and now the fetch from before');
    } finally {
      globalThis.fetch = original;
    }
  });
});
