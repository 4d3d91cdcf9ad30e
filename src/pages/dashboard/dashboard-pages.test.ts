// The dashboard over HTTP, against a real server (SQLite and PostgreSQL): `/` for programs and
// browsers, the payments list, one payment's timeline and its buttons, webhooks, the request log,
// the clock, and what a merchant or shopper typed always escaped.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { useServer } from '../../../test-support/server.ts';
import { WebhookReceiver } from '../../../test-support/webhook-receiver.ts';
import { csrfOf, DashboardSession, paymentPathOf } from '../../../test-support/dashboard-session.ts';
import { SEED_VERSION, stripeFor } from '../../../test-support/stripe-client.ts';

const XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>';

async function eventually(check: () => Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('the dashboard over HTTP', { timeout: 60_000 }, () => {
  const t = useServer({ webhookPollIntervalMs: 20 });
  let receiver: WebhookReceiver;
  let session: DashboardSession;

  before(async () => {
    receiver = await WebhookReceiver.start();
    session = new DashboardSession(t.server.url);
  });
  after(async () => {
    await receiver?.close();
  });

  it('/ answers a program the JSON index as before, and a browser the payments page', async () => {
    const machine = await fetch(`${t.server.url}/`);
    assert.equal(machine.status, 200);
    assert.match(machine.headers.get('content-type') ?? '', /json/);
    const index = (await machine.json()) as { name: string; docs: string };
    assert.equal(index.name, 'vipps-local');
    assert.equal(typeof index.docs, 'string');

    const page = await session.get('/');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.text, /<h1>Payments<\/h1>/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'nonce-/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.equal(page.headers.get('access-control-allow-origin'), null, 'no CORS');
  });

  it("a payment that asked for profile data shows the scope asked and the Userinfo consent its approval recorded", async () => {
    const reference = await t.api.authorized({ profile: { scope: 'name phoneNumber' } });
    const page = await session.get(await paymentPathOf(session, reference));
    assert.match(page.text, /<dt>Profile scope asked<\/dt><dd>name phoneNumber<\/dd>/);
    assert.match(page.text, /data-testid="userinfo"/);
    assert.match(page.text, /data-testid="consented-scopes">name phoneNumber</);
    const plain = await t.api.authorized();
    assert.doesNotMatch((await session.get(await paymentPathOf(session, plain))).text, /data-testid="userinfo"/);
  });

  it('lists new payments newest first with state, amount, face and flow, filters them, and pages with a cursor', async () => {
    const prefix = `list-${randomUUID().slice(0, 8)}`;
    const a = await t.api.created({ reference: `${prefix}-a`, amount: { currency: 'NOK', value: 12345 } });
    const b = await t.api.authorized({ reference: `${prefix}-b` });
    const page = await session.get('/');
    const ia = page.text.indexOf(`data-reference="${a}"`);
    const ib = page.text.indexOf(`data-reference="${b}"`);
    assert.ok(ia > 0 && ib > 0, 'both are listed');
    assert.ok(ib < ia, 'newest first');
    const rowA = page.text.slice(ia, page.text.indexOf('</tr>', ia));
    assert.match(rowA, /data-state="CREATED"/);
    assert.match(rowA, /123\.45 NOK/);
    assert.match(rowA, /ePayment · WEB_REDIRECT/);

    const authorized = await session.get(`/?state=AUTHORIZED`);
    assert.ok(authorized.text.includes(`data-reference="${b}"`));
    assert.ok(!authorized.text.includes(`data-reference="${a}"`), 'the state filter leaves CREATED out');
    const byRef = await session.get(`/?reference=${a}`);
    assert.equal([...byRef.text.matchAll(/data-testid="payment-row"/g)].length, 1);
    const bad = await session.get('/?msn=12ab');
    assert.match(bad.text, /The sales unit \(MSN\) is 4 to 10 digits/);

    // More than one page: the first page links the next through a cursor, and the pages do not overlap.
    await Promise.all(Array.from({ length: 50 }, (_, i) => t.api.created({ reference: `${prefix}-p${i}` })));
    const first = await session.get('/');
    const older = /data-testid="older" href="([^"]+)"/.exec(first.text);
    assert.ok(older, 'a full page links to older payments');
    const second = await session.get(older[1]!.replace(/&amp;/g, '&'));
    const refs = (text: string) => [...text.matchAll(/data-testid="payment-row" data-reference="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(refs(first.text).length, 50);
    assert.ok(refs(second.text).length > 0);
    assert.equal(refs(first.text).filter((r) => refs(second.text).includes(r)).length, 0, 'no payment on both pages');
    assert.ok(refs(second.text).includes(a), 'the oldest ones are on the second page');
  });

  it('escapes what a merchant typed: description, returnUrl, unknown property names and webhook URLs never become markup', async () => {
    const res = await t.api.createPayment({ paymentDescription: XSS, returnUrl: `https://shop.example/return?q=${encodeURIComponent('"><script>alert(2)</script>')}`, [`x${XSS}`]: 1 });
    assert.equal(res.status, 201, res.text);
    const reference = res.body.reference as string;
    const hook = await t.api.registeredWebhook(`${receiver.url('/xss')}?a="><script>alert(3)</script>`, ['epayments.payment.created.v1']);
    for (const page of [await session.get('/'), await session.get(await paymentPathOf(session, reference)), await session.get('/dashboard/webhooks'), await session.get('/dashboard/requests')]) {
      assert.equal(page.status, 200);
      assert.ok(!page.text.includes('<script>alert'), 'no injected script element');
      assert.ok(!page.text.includes('<img src=x'), 'no injected image element');
    }
    const detail = await session.get(await paymentPathOf(session, reference));
    assert.ok(detail.text.includes('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;'), 'the description is shown as text');
    await t.api.deleteWebhook(hook.id);
  });

  it("one payment's timeline shows the create call with its Idempotency-Key, its events, the face, and a failing webhook delivery with each attempt; Resend delivers it", async () => {
    const { id: hookId } = await t.api.registeredWebhook(receiver.url('/timeline'), ['epayments.payment.authorized.v1']);
    receiver.answer = (a) => (a.path === '/timeline' ? 500 : 200);
    const key = `idem-${randomUUID()}`;
    const created = await t.api.createPayment({}, key);
    assert.equal(created.status, 201);
    const reference = created.body.reference as string;
    const path = await paymentPathOf(session, reference);

    // Approve from the dashboard, as a chosen test user with a working card.
    const before = await session.get(path);
    const approved = await session.post(`${path}/approve`, { csrf: csrfOf(before.text), phone: '4712345678', card: 'mastercard-4444' });
    assert.equal(approved.status, 303, approved.text.slice(0, 400));
    assert.equal(approved.location, `${path}?done=approved`);
    const payment = await t.api.getPayment(reference);
    assert.equal(payment.body.state, 'AUTHORIZED');
    assert.equal(payment.body.paymentMethod.cardBin, '555555', 'the chosen card paid');

    await eventually(async () => (await t.server.deliveries({ reference }))[0]?.attemptLog.length === 1, 'the first attempt to fail');
    const page = await session.get(`${path}?done=approved`);
    assert.match(page.text, /data-testid="notice"[^>]*>Approved\./);
    assert.match(page.text, /data-testid="state" data-state="AUTHORIZED"/);
    assert.ok(page.text.includes(key), 'the create call with its Idempotency-Key');
    assert.match(page.text, /POST <span class="mono">\/epayment\/v1\/payments<\/span>/);
    assert.match(page.text, /badge-ok">CREATED</);
    assert.match(page.text, /badge-ok">AUTHORIZED</);
    assert.match(page.text, /epayments\.payment\.authorized\.v1/);
    assert.match(page.text, /data-testid="delivery" data-delivery-id="\d+" data-status="pending"/);
    assert.equal([...page.text.matchAll(/data-testid="attempt"/g)].length, 1, 'the failed attempt is listed');
    assert.match(page.text, /badge-bad">500</);
    const kinds = [...page.text.matchAll(/data-kind="(\w+)"/g)].map((m) => m[1]);
    assert.ok(kinds.indexOf('request') < kinds.indexOf('event') && kinds.indexOf('event') < kinds.indexOf('delivery'), `oldest first: ${kinds.join(',')}`);

    // Retry now: sent at once instead of after the platform's 2 s retry delay.
    receiver.answer = () => 200;
    const deliveryId = /data-delivery-id="(\d+)"/.exec(page.text)![1]!;
    const clicked = Date.now();
    const retried = await session.post(`/dashboard/deliveries/${deliveryId}/redeliver`, { csrf: csrfOf(page.text), back: path.split('/').pop()! });
    assert.equal(retried.status, 303);
    assert.equal(retried.location, `${path}?done=redelivered`);
    await eventually(async () => (await t.server.deliveries({ reference }))[0]?.status === 'delivered', 'the retried delivery to arrive', 1500);
    assert.ok(Date.now() - clicked < 1500, 'sooner than the retry schedule');
    assert.deepEqual(receiver.at('/timeline').map((a) => a.answer), [500, 200]);

    // Resend: a delivered one goes once more.
    const resent = await session.post(`/dashboard/deliveries/${deliveryId}/redeliver`, { csrf: csrfOf(page.text) });
    assert.equal(resent.status, 303);
    assert.equal(resent.location, '/dashboard/webhooks?done=redelivered');
    await eventually(async () => receiver.at('/timeline').length === 3, 'the resent delivery to arrive');
    await eventually(async () => (await t.server.deliveries({ reference }))[0]?.status === 'delivered', 'delivered again');
    const webhooks = await session.get('/dashboard/webhooks?status=delivered');
    assert.ok(webhooks.text.includes(hookId), 'the registration is listed');
    assert.match(webhooks.text, new RegExp(`data-testid="delivery-row" data-status="delivered" data-reference="${reference}"`));
    const failed = await session.get('/dashboard/webhooks?status=pending');
    assert.ok(!failed.text.includes(`data-reference="${reference}"`), 'the status filter applies');
    await t.api.deleteWebhook(hookId);
  });

  it('approve with a declining card shows the reason and leaves the payment CREATED; reject aborts it', async () => {
    const reference = await t.api.created();
    const path = await paymentPathOf(session, reference);
    const page = await session.get(path);
    const declined = await session.post(`${path}/approve`, { csrf: csrfOf(page.text), phone: '4712345678', card: 'visa-0151' });
    assert.equal(declined.status, 409);
    assert.match(declined.text, /data-testid="error"[^>]*>Not approved: The card was declined: [^<]*insufficient funds/);
    assert.equal((await t.api.getPayment(reference)).body.state, 'CREATED');
    const rejected = await session.post(`${path}/reject`, { csrf: csrfOf(declined.text) });
    assert.equal(rejected.status, 303);
    assert.equal((await t.api.getPayment(reference)).body.state, 'ABORTED');
    const again = await session.post(`${path}/reject`, { csrf: csrfOf(declined.text) });
    assert.equal(again.status, 409, 'an ABORTED payment cannot be rejected again');
  });

  it("shows the shopper's steps: landing page opened, number entered, opened in the app, card declined with the reason, approved", async () => {
    const res = await t.api.createPayment({ userFlow: 'WEB_REDIRECT' });
    assert.equal(res.status, 201);
    const reference = res.body.reference as string;
    const token = new URL(res.body.redirectUrl as string).searchParams.get('token')!;
    const shopper = new DashboardSession(t.server.url);
    const landing = await shopper.get(`/landing?token=${encodeURIComponent(token)}&desktop=1`);
    assert.equal(landing.status, 200);
    const sent = await shopper.post('/landing/send', { token, csrf: csrfOf(landing.text), prefix: '47', phone: '12345678' });
    assert.equal(sent.status, 303, sent.text.slice(0, 300));
    const signInScreen = await shopper.get(`/app/payment?token=${encodeURIComponent(token)}`);
    const signedIn = await shopper.post('/app/sign-in', { csrf: csrfOf(signInScreen.text), prefix: '47', phone: '12345678', next: `/app/payment?token=${token}` });
    assert.equal(signedIn.status, 303);
    const payScreen = await shopper.get(`/app/payment?token=${encodeURIComponent(token)}`);
    const payCsrf = /name="token" value="[^"]*"><input type="hidden" name="csrf" value="([^"]+)"/.exec(payScreen.text)![1]!;
    const declined = await shopper.post('/app/payment/approve', { token, csrf: payCsrf, card: 'visa-0151' });
    assert.notEqual(declined.status, 303, 'the declining card does not pay');
    const paid = await shopper.post('/app/payment/approve', { token, csrf: payCsrf, card: 'visa-1111' });
    assert.equal(paid.status, 303);

    const page = await session.get(await paymentPathOf(session, reference));
    const steps = [...page.text.matchAll(/data-testid="shopper-step" data-step="([\w-]+)"/g)].map((m) => m[1]);
    assert.deepEqual(steps, ['landing-opened', 'number-entered', 'app-opened', 'app-declined', 'app-approved']);
    assert.match(page.text, /data-step="app-declined"[^<]*<\/span>: <span class="mono">card visa-0151: The card was declined: [^<]*insufficient funds/);
    assert.match(page.text, /data-step="number-entered"[^<]*<\/span>: <span class="mono">4712345678</);
  });

  it("shows a Stripe payment's face and flow in the list, and its PaymentIntent on the payment's page", async () => {
    const stripe = stripeFor(t.server, { apiVersion: SEED_VERSION });
    const pi = await stripe.paymentIntents.create({ amount: 2500, currency: 'nok', payment_method_types: ['vipps'], payment_method_data: { type: 'vipps' } } as never);
    await stripe.paymentIntents.confirm(pi.id, { return_url: 'https://shop.example/done' });
    const list = await session.get('/');
    const row = /<tr data-testid="payment-row"[^>]*>[\s\S]*?<\/tr>/.exec(list.text)![0];
    assert.match(row, /Stripe · /, 'the newest payment is the Stripe one');
    assert.match(row, /25\.00 NOK/);
    const path = /href="(\/dashboard\/payments\/[^"]+)"/.exec(row)![1]!;
    const page = await session.get(path);
    assert.match(page.text, new RegExp(`data-testid="payment-intent">${pi.id}<`));
    assert.match(page.text, /PaymentIntent as the Stripe API shows it/);
  });

  it('refuses a cross-site POST and a POST without the CSRF token; the payment does not change', async () => {
    const reference = await t.api.created();
    const path = await paymentPathOf(session, reference);
    const csrf = csrfOf((await session.get(path)).text);
    const crossSite = await session.post(`${path}/reject`, { csrf }, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSite.status, 403);
    const noToken = await session.post(`${path}/reject`, { csrf: 'forged' });
    assert.equal(noToken.status, 403);
    const otherBrowser = await new DashboardSession(t.server.url).post(`${path}/reject`, { csrf });
    assert.equal(otherBrowser.status, 403, "another browser's cookie-less post");
    assert.equal((await t.api.getPayment(reference)).body.state, 'CREATED');
    const read = await session.get('/', { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    assert.equal(read.status, 403, 'another site cannot load a page either');
    assert.equal(read.headers.get('access-control-allow-origin'), null);
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(`${t.server.url}/`, { headers: { host: 'attacker.example', accept: 'text/html' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(rebound, 403, 'a DNS-rebound Host is refused');
  });

  it("shows each call's request and response bodies, folded, pretty-printed and escaped, on the timeline and in the request log", async () => {
    const key = `bodies-${randomUUID()}`;
    const res = await t.api.createPayment({ paymentDescription: XSS }, key);
    assert.equal(res.status, 201, res.text);
    const reference = res.body.reference as string;
    const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const page = await session.get(await paymentPathOf(session, reference));
    const log = await session.get(`/dashboard/requests?idempotencyKey=${encodeURIComponent(key)}`);
    for (const text of [page.text, log.text]) {
      assert.ok(!text.includes('<script>alert'), 'no injected script element');
      assert.match(text, /<details class="bodies" data-testid="bodies" data-key="request-\d+"><summary>Request and response bodies<\/summary>/);
      const request = /<pre data-testid="request-body">([^<]*)<\/pre>/.exec(text);
      const response = /<pre data-testid="response-body">([^<]*)<\/pre>/.exec(text);
      assert.ok(request && response, 'both bodies are shown');
      assert.ok(request[1]!.includes('&lt;script&gt;alert(\\&quot;xss\\&quot;)&lt;/script&gt;'), request[1]);
      assert.ok(request[1]!.includes('\n  &quot;paymentDescription&quot;: '), 'pretty-printed');
      assert.equal(JSON.parse(unescape(request[1]!)).paymentDescription, XSS);
      assert.equal(JSON.parse(unescape(response[1]!)).reference, reference);
    }
    // A Stripe call's form body is shown as sent.
    const stripeCall = await fetch(`${t.server.url}/v1/payment_intents`, { method: 'POST', headers: { authorization: `Bearer ${t.server.stripe!.secretKey}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'amount=1000&currency=nok&metadata[note]=%3Cb%3Ehi%3C%2Fb%3E' });
    assert.equal(stripeCall.status, 200, await stripeCall.text());
    const all = await session.get('/dashboard/requests');
    assert.ok(all.text.includes('<pre data-testid="request-body">amount=1000&amp;currency=nok&amp;metadata[note]=%3Cb%3Ehi%3C%2Fb%3E</pre>'));
  });

  it('the request log finds a failed call by the traceId of its error', async () => {
    const res = await t.api.createPayment({ amount: { currency: 'NOK', value: -1 } });
    assert.equal(res.status, 400);
    const traceId = res.body.traceId as string;
    assert.ok(traceId);
    const found = await session.get(`/dashboard/requests?traceId=${encodeURIComponent(traceId)}`);
    const rows = [...found.text.matchAll(/data-testid="request-row" data-trace-id="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(rows, [traceId]);
    assert.match(found.text, /badge-bad">400</);
    const none = await session.get('/dashboard/requests?traceId=no-such-trace');
    assert.match(none.text, /data-testid="no-requests"/);
  });

  it('Expire moves the platform clock past the payment\'s deadline; the clock page advances it and sets faults', async () => {
    const reference = await t.api.created();
    const path = await paymentPathOf(session, reference);
    const page = await session.get(path);
    assert.match(page.text, /The clock is one for the whole platform/);
    const expired = await session.post(`${path}/expire`, { csrf: csrfOf(page.text) });
    assert.equal(expired.status, 303, expired.text.slice(0, 300));
    assert.equal((await t.api.getPayment(reference)).body.state, 'EXPIRED');

    const clock = await session.get('/dashboard/clock');
    const advanced = await session.post('/dashboard/clock/advance', { csrf: csrfOf(clock.text), amount: '2', unit: 'minutes' });
    assert.equal(advanced.status, 200);
    assert.match(advanced.text, /Advanced by 2 minutes/);
    const faults = await session.post('/dashboard/faults', { csrf: csrfOf(clock.text), duplicate: '1', delayMs: '0' });
    assert.match(faults.text, /data-testid="faults">duplicate</);
    const cleared = await session.post('/dashboard/faults', { csrf: csrfOf(clock.text), delayMs: '0' });
    assert.match(cleared.text, /data-testid="faults">none</);
  });
});

describe('the dashboard of a server listening on 0.0.0.0 (the operator token is required)', { timeout: 30_000 }, () => {
  const t = useServer({ host: '0.0.0.0' });

  it('refuses a browser without the token, signs in with it (HttpOnly, SameSite=Strict cookie), and accepts the token header from a program', async () => {
    const session = new DashboardSession(t.server.url);
    const refused = await session.get('/');
    assert.equal(refused.status, 401);
    assert.match(refused.text, /Sign in with the operator token/);
    assert.ok(!refused.text.includes('data-testid="payments"'), 'no payment data');
    const json = await fetch(`${t.server.url}/`);
    assert.equal(json.status, 200, 'the JSON index stays open');
    assert.equal((await session.get('/dashboard/webhooks')).status, 401);
    assert.equal((await session.get('/dashboard/checklist')).status, 401);
    assert.equal((await session.get('/dashboard/requests')).status, 401);

    const wrong = await session.post('/dashboard/sign-in', { csrf: csrfOf(refused.text), token: 'nope' });
    assert.equal(wrong.status, 401);
    const signedIn = await session.post('/dashboard/sign-in', { csrf: csrfOf(wrong.text), token: t.server.operatorToken });
    assert.equal(signedIn.status, 303);
    const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('vl_operator='));
    assert.ok(cookie, 'a session cookie');
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.ok(!cookie.includes(t.server.operatorToken), 'the cookie is not the token itself');
    assert.equal((await session.get('/')).status, 200);
    const clock = await session.get('/dashboard/clock');
    const signOutCsrf = /action="\/dashboard\/sign-out"><input type="hidden" name="csrf" value="([^"]+)"/.exec(clock.text);
    assert.ok(signOutCsrf, 'a signed-in browser can sign out');

    const signedOut = await session.post('/dashboard/sign-out', { csrf: signOutCsrf[1]! });
    assert.equal(signedOut.status, 303);
    assert.equal((await session.get('/')).status, 401, 'signed out');

    const program = await fetch(`${t.server.url}/dashboard/webhooks`, { headers: { accept: 'text/html', 'x-vipps-local-operator-token': t.server.operatorToken } });
    assert.equal(program.status, 200);
    const crossSiteSignIn = await new DashboardSession(t.server.url).post('/dashboard/sign-in', { csrf: 'x', token: t.server.operatorToken }, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSiteSignIn.status, 403, 'a cross-site sign-in is refused');
  });
});
