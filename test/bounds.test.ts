// Issue 16, item 4 and 5: the bounds that keep a shared vipps-local answering (the test clock, body
// sizes, QR renders, event streams, slow clients, token guessing) and the small items found on the
// way (a control character in `next`, JSON security headers). Each limit: docs/decisions.md, "Bounds".
import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { MERCHANT_A } from '../test-support/merchants.ts';
import { PSP_ONE, PspApi } from '../test-support/test-psp.ts';
import { useServer } from '../test-support/server.ts';
import { createPayment, tokenOf } from '../test-support/shopper-steps.ts';
import { createFailureThrottle } from '../src/faces/access-token/failure-throttle.ts';

const OPERATOR = '/vipps-local/v1';

function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** A GET from a chosen loopback address (127.0.0.2 is "another client"), kept open until `close`. */
function getFrom(url: string, localAddress = '127.0.0.1', headers: Record<string, string> = {}): Promise<{ res: IncomingMessage; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress, agent: false, headers }, (res) => resolve({ res, close: () => req.destroy() }));
    req.on('error', reject);
    req.end();
  });
}

function bodyOf(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
    res.on('end', () => resolve(text));
  });
}

describe('the test clock has a bound', { timeout: 120_000 }, () => {
  const t = useServer();

  it('9,000 advances of ten years: those past 2200-01-01 are refused with a clear 400, and health, pages and payment events keep answering', async () => {
    const before = await t.api.created();
    let accepted = 0;
    const refusals = new Set<string>();
    for (let i = 0; i < 9000; i++) {
      const res = await postJson(`${t.server.url}${OPERATOR}/clock/advance`, { days: 3650 });
      const body = (await res.json()) as { message?: string };
      if (res.status === 200) accepted += 1;
      else {
        assert.equal(res.status, 400, JSON.stringify(body));
        refusals.add(/^The test clock goes no further than 2200-01-01T00:00:00\.000Z: advancing by 315360000 seconds would take it to 22\d\d-.*Restart vipps-local/.test(body.message!) ? 'clear' : body.message!);
      }
    }
    console.log(`# clock: ${accepted} advances of 10 years accepted, ${9000 - accepted} refused`);
    assert.ok(accepted >= 15 && accepted <= 18, `accepted ${accepted}`);
    assert.deepEqual([...refusals], ['clear']);

    const clock = (await (await fetch(`${t.server.url}${OPERATOR}/clock`)).json()) as { now: string };
    assert.match(clock.now, /^21\d\d-/);
    const health = await fetch(`${t.server.url}${OPERATOR}/health`);
    assert.equal(health.status, 200);
    assert.match(((await health.json()) as { time: string }).time, /^21\d\d-\d\d-\d\dT/);

    t.api.forgetToken();
    const events = await t.api.events(before);
    assert.equal(events.status, 200, events.text);
    assert.deepEqual(events.body.map((e: { name: string }) => e.name), ['CREATED', 'EXPIRED']);
    const { reference, redirectUrl } = await createPayment(t.api);
    const page = await fetch(redirectUrl);
    assert.equal(page.status, 200);
    const created = await t.api.events(reference);
    assert.equal(created.status, 200, created.text);
    assert.match(created.body[0].timestamp, /^21\d\d-/);
    assert.equal((await fetch(`${t.server.url}/app`)).status, 200);
  });
});

describe('a body over a route\'s limit is a 413 in the face\'s own format, never a 500', { timeout: 60_000 }, () => {
  const t = useServer({ merchants: [{ ...MERCHANT_A, stripe: { secretKey: 'sk_test_bounds', publishableKey: 'pk_test_bounds' } }], psps: [PSP_ONE] });
  const big = JSON.stringify({ paymentDescription: 'x'.repeat(1_100_000) });

  it('every face answers an oversized body in its own error format', async () => {
    const url = t.server.url;
    const merchant = await t.api.merchantHeaders();
    const psp = new PspApi(url, PSP_ONE);
    const pspHeaders = { ...(await psp.api.merchantHeaders()), 'Psp-Id': PSP_ONE.pspId };
    const seen: string[] = [];
    const check = async (what: string, res: Response, status: number, shape: (body: any, type: string) => boolean) => {
      const text = await res.text();
      seen.push(`${what}: ${res.status}`);
      assert.equal(res.status, status, `${what}: ${text.slice(0, 200)}`);
      assert.ok(shape(text.startsWith('<') ? text : JSON.parse(text), res.headers.get('content-type') ?? ''), `${what}: ${text.slice(0, 200)}`);
    };
    await check('access token', await postJson(`${url}/accesstoken/get`, 'x'.repeat(100_000), { client_id: t.server.credentials.clientId, client_secret: t.server.credentials.clientSecret, 'ocp-apim-subscription-key': t.server.credentials.subscriptionKey }), 413, (b) => b.statusCode === 413 && /too large/i.test(b.message));
    await check('ePayment', await postJson(`${url}/epayment/v1/payments`, big, { ...merchant, 'idempotency-key': 'big-1' }), 413, (b, type) => b.status === 413 && /problem\+json/.test(type));
    await check('Webhooks', await postJson(`${url}/webhooks/v1/webhooks`, big, merchant), 413, (b, type) => b.status === 413 && /problem\+json/.test(type));
    // Order Management: a 400 naming the body and its size, what WooCommerce reads as "too large" (decisions.md).
    await check('Order Management', await postJson(`${url}/order-management/v2/ecom/receipts/ref-1`, big, merchant), 400, (b) => b.invalidParams?.[0]?.name === 'body' && /size/.test(b.invalidParams[0].reason));
    await check('Order Management image', await postJson(`${url}/order-management/v1/images`, JSON.stringify({ imageId: 'big', src: 'A'.repeat(3_000_000), type: 'base64' }), merchant), 400, (b) => b.invalidParams?.[0]?.name === 'body');
    await check('PSP', await postJson(`${url}/psp/v3/psppayments/init`, big, pspHeaders), 413, (b) => Array.isArray(b) && /too large/.test(b[0].errorMessage));
    await check('Stripe (form)', await fetch(`${url}/v1/payment_intents`, { method: 'POST', headers: { authorization: `Bearer ${t.server.stripe!.secretKey}`, 'content-type': 'application/x-www-form-urlencoded' }, body: `description=${'x'.repeat(300_000)}` }), 413, (b) => b.error?.type === 'invalid_request_error' && /too large/.test(b.error.message));
    await check('operator', await postJson(`${url}${OPERATOR}/clock/advance`, big), 413, (b) => b.statusCode === 413 && /too large/i.test(b.message));
    await check('pages', await fetch(`${url}/app/sign-in`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `phone=${'1'.repeat(20_000)}` }), 413, (b) => typeof b === 'string' && b.startsWith('<!doctype html>'));
    console.log(`# oversized bodies: ${seen.join(', ')}`);
    assert.equal((await fetch(`${url}${OPERATOR}/health`)).status, 200);
  });
});

describe('QR images stay cheap', { timeout: 120_000 }, () => {
  const t = useServer();

  it('16 concurrent QR renders at the largest size (2000) do not hold a concurrent health request for a second', async () => {
    const QR = { userFlow: 'QR', customerInteraction: 'CUSTOMER_PRESENT', returnUrl: undefined, qrFormat: { format: 'IMAGE/PNG', size: 2000 } };
    const urls: string[] = [];
    for (let i = 0; i < 16; i++) urls.push((await createPayment(t.api, QR)).redirectUrl);
    await fetch(`${t.server.url}${OPERATOR}/health`);
    let rendering = true;
    const latencies: number[] = [];
    const probe = (async () => {
      while (rendering) {
        const start = performance.now();
        const res = await fetch(`${t.server.url}${OPERATOR}/health`);
        await res.arrayBuffer();
        latencies.push(performance.now() - start);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const started = performance.now();
    const images = await Promise.all(urls.map(async (u) => {
      const res = await fetch(u);
      assert.equal(res.status, 200);
      return Buffer.from(await res.arrayBuffer());
    }));
    const renderMs = performance.now() - started;
    rendering = false;
    await probe;
    const worst = Math.max(...latencies);
    console.log(`# QR: 16 renders of 2000 px in ${renderMs.toFixed(0)} ms (${(images[0]!.length / 1024).toFixed(0)} KiB each); health during them: ${latencies.length} requests, worst ${worst.toFixed(1)} ms`);
    // Before the fix the renders held the event loop for seconds. The compression now runs on libuv's
    // threads, which share the machine's two cores with the event loop and with the other test
    // process: 250 ms was within that noise on CI (269 ms once), a second is not.
    assert.ok(worst < 1000, `health took ${worst.toFixed(0)} ms during the renders`);

    // Again, from the cache: the same bytes.
    const again = Buffer.from(await (await fetch(urls[0]!)).arrayBuffer());
    assert.ok(again.equals(images[0]!));
  });
});

describe('event streams are capped per client and in all', { timeout: 60_000 }, () => {
  const t = useServer();
  const small = useServer({ limits: { eventStreamsPerClient: 3, eventStreams: 5 } });

  it('a client gets 20 event streams; the 21st is a 429 with a clear message, and a closed one makes room', async () => {
    const { redirectUrl } = await createPayment(t.api);
    const url = `${t.server.url}/payment/events?token=${encodeURIComponent(tokenOf(redirectUrl))}`;
    const open = [];
    for (let i = 0; i < 20; i++) {
      const s = await getFrom(url);
      assert.equal(s.res.statusCode, 200);
      open.push(s);
    }
    const refused = await getFrom(url);
    assert.equal(refused.res.statusCode, 429);
    assert.match(JSON.parse(await bodyOf(refused.res)).message, /20 live update streams open \(at most 20\)/);
    const other = await getFrom(url, '127.0.0.2');
    assert.equal(other.res.statusCode, 200, 'another client is not affected');
    other.close();
    open.pop()!.close();
    await new Promise((r) => setTimeout(r, 100));
    const room = await getFrom(url);
    assert.equal(room.res.statusCode, 200);
    room.close();
    for (const s of open) s.close();
  });

  it('over the overall cap every client gets a 429', async () => {
    const { redirectUrl } = await createPayment(small.api);
    const url = `${small.server.url}/payment/events?token=${encodeURIComponent(tokenOf(redirectUrl))}`;
    const open = [];
    for (const from of ['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.2', '127.0.0.2']) open.push(await getFrom(url, from));
    assert.deepEqual(open.map((s) => s.res.statusCode), [200, 200, 200, 200, 200]);
    const third = await getFrom(url, '127.0.0.3');
    assert.equal(third.res.statusCode, 429);
    assert.match(JSON.parse(await bodyOf(third.res)).message, /at most 5/);
    for (const s of open) s.close();
  });
});

describe('slow clients are dropped', { timeout: 60_000 }, () => {
  const t = useServer({ limits: { requestTimeoutMs: 1000, headersTimeoutMs: 1000 } });

  /** Sends `head` and never more; resolves with the ms until the server closed the socket (or null after `waitMs`). */
  function stall(head: string, waitMs: number): Promise<number | null> {
    const { port } = new URL(t.server.url);
    return new Promise((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      const start = performance.now();
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(null);
      }, waitMs);
      socket.on('connect', () => socket.write(head));
      socket.on('data', () => undefined);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(performance.now() - start);
      });
    });
  }

  it('a request that declares a body and never sends it is closed within the request timeout (+1 s check), and the server stays healthy', async () => {
    const closedAfter = await stall(`POST /epayment/v1/payments HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"amount":`, 6000);
    console.log(`# slow body: closed after ${closedAfter === null ? 'never' : `${closedAfter.toFixed(0)} ms`} (request timeout 1000 ms)`);
    assert.ok(closedAfter !== null && closedAfter < 3000, `closed after ${closedAfter}`);
    assert.equal((await fetch(`${t.server.url}${OPERATOR}/health`)).status, 200);
  });

  it('headers that never end are closed within the headers timeout (+1 s check)', async () => {
    const closedAfter = await stall('GET /vipps-local/v1/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ', 6000);
    console.log(`# slow headers: closed after ${closedAfter === null ? 'never' : `${closedAfter.toFixed(0)} ms`} (headers timeout 1000 ms)`);
    assert.ok(closedAfter !== null && closedAfter < 3000, `closed after ${closedAfter}`);
    assert.equal((await fetch(`${t.server.url}${OPERATOR}/health`)).status, 200);
  });
});

describe('the token endpoint is throttled against guessing client_secret', { timeout: 60_000 }, () => {
  const t = useServer();
  const tokenCall = (secret: string, from = '127.0.0.1', clientId = t.server.credentials.clientId) =>
    new Promise<{ status: number; body: any; retryAfter: string | undefined }>((resolve, reject) => {
      const req = request(`${t.server.url}/accesstoken/get`, { method: 'POST', localAddress: from, agent: false, headers: { client_id: clientId, client_secret: secret, 'ocp-apim-subscription-key': t.server.credentials.subscriptionKey } }, async (res) => {
        resolve({ status: res.statusCode!, body: JSON.parse(await bodyOf(res)), retryAfter: res.headers['retry-after'] as string | undefined });
      });
      req.on('error', reject);
      req.end();
    });

  it('successful logins are never counted; after 20 wrong secrets in a minute that address gets the gateway\'s 429 for the client_id, even with the right secret; another address is not affected', async () => {
    for (let i = 0; i < 50; i++) assert.equal((await tokenCall(t.server.credentials.clientSecret)).status, 200);
    for (let i = 0; i < 20; i++) assert.notEqual((await tokenCall(`guess-${i}`)).status, 429, `guess ${i}`);
    const wrong = await tokenCall('guess-21');
    assert.equal(wrong.status, 429);
    assert.match(wrong.body.message, /^Rate limit is exceeded\. Try again in \d+ seconds\.$/);
    assert.equal(wrong.body.statusCode, 429);
    assert.ok(Number(wrong.retryAfter) > 0 && Number(wrong.retryAfter) <= 60);
    assert.equal((await tokenCall(t.server.credentials.clientSecret)).status, 429, 'the secret is not checked while throttled');
    assert.equal((await tokenCall(t.server.credentials.clientSecret, '127.0.0.2')).status, 200, 'another address logs in');
  });

  it('the window passes: the count starts again (the throttle on its own, with a clock)', () => {
    let now = 0;
    const throttle = createFailureThrottle({ tokenFailuresPerClientId: 3, tokenFailuresPerAddress: 5, tokenFailureWindowMs: 60_000 }, () => now);
    for (let i = 0; i < 3; i++) throttle.failed('a', 'c1');
    assert.equal(throttle.blockedFor('a', 'c1'), 60);
    assert.equal(throttle.blockedFor('a', 'c2'), 0);
    throttle.failed('a', 'c2');
    throttle.failed('a', 'c3');
    assert.equal(throttle.blockedFor('a', 'c4'), 60, 'five failures from one address, whatever the client_id');
    assert.equal(throttle.blockedFor('b', 'c1'), 0);
    now = 45_000;
    assert.equal(throttle.blockedFor('a', 'c1'), 15);
    now = 60_000;
    assert.equal(throttle.blockedFor('a', 'c1'), 0);
    assert.equal(throttle.blockedFor('a', 'c4'), 0);
  });
});

describe('JSON answers carry security headers, on every face', { timeout: 60_000 }, () => {
  const t = useServer({ merchants: [{ ...MERCHANT_A, stripe: { secretKey: 'sk_test_bounds', publishableKey: 'pk_test_bounds' } }], psps: [PSP_ONE] });

  it('x-content-type-options: nosniff and a deny-all CSP on every JSON answer', async () => {
    const url = t.server.url;
    const merchant = await t.api.merchantHeaders();
    const reference = await t.api.created();
    const psp = new PspApi(url, PSP_ONE);
    const pspHeaders = { ...(await psp.api.merchantHeaders()), 'Psp-Id': PSP_ONE.pspId };
    const answers: Array<[string, Response]> = [
      ['token', await fetch(`${url}/accesstoken/get`, { method: 'POST', headers: { client_id: t.server.credentials.clientId, client_secret: t.server.credentials.clientSecret, 'ocp-apim-subscription-key': t.server.credentials.subscriptionKey } })],
      ['token error', await fetch(`${url}/accesstoken/get`, { method: 'POST' })],
      ['ePayment', await fetch(`${url}/epayment/v1/payments/${reference}`, { headers: merchant })],
      ['ePayment problem', await fetch(`${url}/epayment/v1/payments/nope-${reference}`, { headers: merchant })],
      ['Webhooks', await fetch(`${url}/webhooks/v1/webhooks`, { headers: merchant })],
      ['Userinfo', await fetch(`${url}/vipps-userinfo-api/userinfo/nobody`, { headers: merchant })],
      ['Order Management', await fetch(`${url}/order-management/v2/ecom/${reference}`, { headers: merchant })],
      ['PSP', await fetch(`${url}/psp/v3/psppayments/nope/details`, { headers: pspHeaders })],
      ['Stripe', await fetch(`${url}/v1/payment_intents`, { headers: { authorization: `Bearer ${t.server.stripe!.secretKey}` } })],
      ['operator', await fetch(`${url}${OPERATOR}/health`)],
      ['root', await fetch(`${url}/`)],
      ['not found', await fetch(`${url}/no/such/path`)],
    ];
    for (const [what, res] of answers) {
      await res.arrayBuffer();
      assert.match(res.headers.get('content-type') ?? '', /json/, what);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
      assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'", what);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', what);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', what);
    }
  });
});

describe('the simulator\'s sign-in and sign-out with a control character in next', { timeout: 60_000 }, () => {
  const t = useServer();

  async function form() {
    const res = await fetch(`${t.server.url}/app`);
    const html = await res.text();
    const cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
    return { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '' };
  }
  const post = (path: string, body: Record<string, string>, cookie: string) =>
    fetch(`${t.server.url}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: t.server.url, 'sec-fetch-site': 'same-origin', cookie }, body: new URLSearchParams(body).toString() });

  for (const next of ['/app/\u001b[31m', '/app/\u0000', '/app?x=\u00e9\u2028']) {
    it(`next ${JSON.stringify(next)} is ignored: sign-in and sign-out go to /app (303), not a 500`, async () => {
      const { cookie, csrf } = await form();
      const signIn = await post('/app/sign-in', { csrf, prefix: '47', phone: '12345678', next }, cookie);
      assert.equal(signIn.status, 303);
      assert.equal(signIn.headers.get('location'), '/app');
      const signOut = await post('/app/sign-out', { csrf, next }, cookie);
      assert.equal(signOut.status, 303);
      assert.equal(signOut.headers.get('location'), '/app');
    });
  }
});
