// Who may call the operator API (issue 16, operator access): a web page of another origin may not
// (a real Chromium, a page on another port of 127.0.0.1), a token-less caller may not when the token
// is required, a wrong token never, the right one always.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startServer, type VippsLocal } from '../../index.ts';
import { useBrowser } from '../../../test-support/browser.ts';
import { useServer } from '../../../test-support/server.ts';
import { freshTestDatabase, type TestDatabase } from '../../../test-support/test-database.ts';
import { WebhookReceiver } from '../../../test-support/webhook-receiver.ts';

const OP = '/vipps-local/v1';

/** A page on another origin (127.0.0.1, another port) that tries what any web page can: a no-cors fetch and a form post. */
function attackerPage(target: string): string {
  return `<!doctype html><html><body>
<form id="form" method="POST" action="${target}${OP}/reset"><input name="x" value="1"></form>
<form id="plain" method="POST" action="${target}${OP}/clock/advance" enctype="text/plain"><input name='{"days":3,"x":"' value='"}'></form>
<script>
window.noCors = async () => {
  const sent = [];
  for (const [path, init] of [
    ['/reset', { method: 'POST', mode: 'no-cors' }],
    ['/reset', { method: 'POST', mode: 'no-cors', body: '{}' }],
    ['/clock/advance', { method: 'POST', mode: 'no-cors', body: '{"days":3}', headers: { 'content-type': 'text/plain' } }],
    ['/express/approve', { method: 'POST', mode: 'no-cors', body: '{"reference":"x"}' }],
  ]) {
    try { await fetch('${target}${OP}' + path, init); sent.push(path); } catch (e) { sent.push(path + ': ' + e.message); }
  }
  let read;
  try { read = await (await fetch('${target}${OP}/webhook-deliveries')).text(); } catch (e) { read = 'unreadable: ' + e.message; }
  return { sent, read };
};
</script></body></html>`;
}

/** The drive-by: a no-cors fetch, a form post and a text/plain form post from the attacker's page. */
async function driveBy(browser: ReturnType<typeof useBrowser>['browser'], attacker: WebhookReceiver, target: string) {
  attacker.answer = () => ({ status: 200, html: attackerPage(target) });
  const page = await browser.newPage();
  try {
    await page.goto(attacker.url('/page'));
    const result = (await page.evaluate('window.noCors()')) as { sent: string[]; read: string };
    await Promise.all([page.waitForNavigation(), page.evaluate('document.getElementById("form").submit()')]);
    const formAnswer = await page.evaluate('document.body.innerText');
    await page.goto(attacker.url('/page'));
    await Promise.all([page.waitForNavigation(), page.evaluate('document.getElementById("plain").submit()')]);
    const plainAnswer = await page.evaluate('document.body.innerText');
    return { ...result, formAnswer: String(formAnswer), plainAnswer: String(plainAnswer) };
  } finally {
    await page.close();
  }
}

async function call(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as any) : undefined };
}

/** A request with a Host header fetch() would not send. */
function withHost(url: string, host: string, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { host, 'x-vipps-local-operator': '1' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('operator API on loopback without a token (loopback-open)', () => {
  const t = useServer();
  const b = useBrowser();
  let attacker: WebhookReceiver;
  before(async () => {
    attacker = await WebhookReceiver.start();
  });
  after(async () => {
    await attacker?.close();
  });

  it('a page on another origin cannot reset or move the clock (no-cors fetch, form posts), nor read the delivery log', async () => {
    const ref = await t.api.created();
    const clockBefore = (await call(`${t.server.url}${OP}/clock`)).body.offsetSeconds as number;
    const result = await driveBy(b.browser, attacker, t.server.url);
    assert.deepEqual(result.sent, ['/reset', '/reset', '/clock/advance', '/express/approve'], 'the browser sent every request');
    t.api.forgetToken();
    assert.equal((await t.api.getPayment(ref)).status, 200, 'the payment created before is still there');
    assert.equal((await call(`${t.server.url}${OP}/clock`)).body.offsetSeconds, clockBefore, 'the clock did not move');
    assert.match(result.read, /^unreadable/, 'no CORS: the page cannot read the log');
    assert.match(result.formAnswer, /"statusCode":403/, `the form post is refused: ${result.formAnswer}`);
    assert.match(result.plainAnswer, /"statusCode":403/, `the text/plain form post is refused: ${result.plainAnswer}`);
  });

  it('a state-changing call needs a JSON body or X-Vipps-Local-Operator; either is enough', async () => {
    const url = `${t.server.url}${OP}/webhook-faults`;
    assert.equal((await call(`${t.server.url}${OP}/reset`, { method: 'POST' })).status, 403, 'body-less POST');
    assert.equal((await call(url, { method: 'PUT', body: '{}', headers: { 'content-type': 'text/plain' } })).status, 403, 'text/plain');
    assert.equal((await call(url, { method: 'PUT', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 403, 'a form');
    const refused = await call(`${t.server.url}${OP}/reset`, { method: 'POST' });
    assert.match(refused.body.message, /Content-Type: application\/json or the header X-Vipps-Local-Operator: 1/);
    assert.equal((await call(url, { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json' } })).status, 200);
    assert.equal((await call(url, { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json; charset=utf-8' } })).status, 200);
    assert.equal((await call(`${t.server.url}${OP}/reset`, { method: 'POST', headers: { 'x-vipps-local-operator': '1' } })).status, 200);
  });

  it('refuses Sec-Fetch-Site cross-site and same-site, a foreign Origin and a Host that is not loopback, for reads and writes alike', async () => {
    const json = { 'content-type': 'application/json' };
    for (const path of ['/webhook-deliveries', '/requests', '/clock']) {
      assert.equal((await call(`${t.server.url}${OP}${path}`, { headers: { 'sec-fetch-site': 'cross-site' } })).status, 403, `${path} cross-site`);
      assert.equal((await call(`${t.server.url}${OP}${path}`, { headers: { 'sec-fetch-site': 'same-site' } })).status, 403, `${path} same-site`);
      assert.equal((await call(`${t.server.url}${OP}${path}`, { headers: { origin: 'http://127.0.0.1:1' } })).status, 403, `${path} foreign Origin`);
      assert.equal((await call(`${t.server.url}${OP}${path}`, { headers: { 'sec-fetch-site': 'same-origin', origin: t.server.url } })).status, 200, `${path} same origin`);
      assert.equal((await call(`${t.server.url}${OP}${path}`, { headers: { 'sec-fetch-site': 'none' } })).status, 200, `${path} typed into the address bar`);
    }
    const advance = (headers: Record<string, string>) => call(`${t.server.url}${OP}/clock/advance`, { method: 'POST', headers: { ...json, ...headers }, body: '{"seconds":1}' });
    assert.equal((await advance({ 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal((await advance({ origin: 'http://evil.example' })).status, 403);
    assert.equal((await advance({ origin: 'null' })).status, 403);
    assert.equal((await advance({ origin: t.server.url })).status, 200);
    // DNS rebinding: a name of the attacker's that resolves to 127.0.0.1 is same-origin to the browser.
    assert.equal(await withHost(`${t.server.url}${OP}/webhook-deliveries`, `rebound.example:${t.server.port}`), 403);
    assert.equal(await withHost(`${t.server.url}${OP}/webhook-deliveries`, `localhost:${t.server.port}`), 200);
  });

  it('health stays open, even to another site', async () => {
    assert.equal((await call(`${t.server.url}${OP}/health`, { headers: { 'sec-fetch-site': 'cross-site' } })).status, 200);
  });

  it('a wrong token is refused with 401 even where no token is needed; the right one in either header is accepted from anywhere', async () => {
    const url = `${t.server.url}${OP}/reset`;
    const wrong = await call(url, { method: 'POST', headers: { 'x-vipps-local-operator-token': 'not-the-token', 'content-type': 'application/json' } });
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.equal((await call(url, { method: 'POST', headers: { authorization: 'Bearer not-the-token-either' } })).status, 401);
    const token = t.server.operatorToken;
    assert.match(token, /^\S{16,}$/);
    assert.equal((await call(url, { method: 'POST', headers: { 'x-vipps-local-operator-token': token, 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' } })).status, 200);
    assert.equal((await call(url, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status, 200);
  });
});

describe('operator API when the token is required (operatorAccess: token)', () => {
  const t = useServer({ operatorAccess: 'token' });
  const b = useBrowser();
  let attacker: WebhookReceiver;
  before(async () => {
    attacker = await WebhookReceiver.start();
  });
  after(async () => {
    await attacker?.close();
  });

  it('a page on another origin cannot reset or move the clock', async () => {
    const ref = await t.api.created();
    const result = await driveBy(b.browser, attacker, t.server.url);
    assert.equal(result.sent.length, 4);
    t.api.forgetToken();
    assert.equal((await t.api.getPayment(ref)).status, 200, 'the payment created before is still there');
    assert.match(result.formAnswer, /"statusCode":401/);
  });

  it('every operator call but health needs the token: none or a wrong one is 401, the right one (either header) passes', async () => {
    const token = t.server.operatorToken;
    const calls: Array<[string, string, string?]> = [
      ['GET', '/clock'],
      ['POST', '/clock/advance', '{"seconds":1}'],
      ['GET', '/webhook-deliveries'],
      ['GET', '/requests'],
      ['GET', '/webhook-faults'],
      ['PUT', '/webhook-faults', '{}'],
      ['PUT', '/webhooks/00000000-0000-4000-8000-000000000000/faults', '{}'],
      ['POST', '/express/approve', '{"reference":"nothing-here"}'],
      ['POST', '/reset', '{}'],
    ];
    for (const [method, path, body] of calls) {
      const init = (headers: Record<string, string>): RequestInit => ({ method, headers: { 'content-type': 'application/json', ...headers }, ...(body !== undefined ? { body } : {}) });
      const none = await call(`${t.server.url}${OP}${path}`, init({ 'x-vipps-local-operator': '1' }));
      assert.equal(none.status, 401, `${method} ${path} without the token`);
      assert.match(none.body.message, /operator token/);
      assert.equal((await call(`${t.server.url}${OP}${path}`, init({ 'x-vipps-local-operator-token': `${token}x` }))).status, 401, `${method} ${path} with a wrong token`);
      const right = await call(`${t.server.url}${OP}${path}`, init({ 'x-vipps-local-operator-token': token }));
      assert.ok(right.status !== 401 && right.status !== 403, `${method} ${path} with the token: ${right.status}`);
      const bearer = await call(`${t.server.url}${OP}${path}`, init({ authorization: `Bearer ${token}` }));
      assert.equal(bearer.status, right.status, `${method} ${path} with Authorization: Bearer`);
    }
    assert.equal((await call(`${t.server.url}${OP}/health`)).status, 200, 'health is open');
  });

  it("a merchant's access token is not the operator token", async () => {
    const res = await call(`${t.server.url}${OP}/webhook-deliveries`, { headers: { authorization: `Bearer ${await t.api.token()}` } });
    assert.equal(res.status, 401);
    assert.match(res.body.message, /merchant/);
  });

  it("startServer()'s helpers (advanceClock, reset) keep working", async () => {
    const ref = await t.api.created();
    await t.server.advanceClock(11 * 60_000);
    t.api.forgetToken();
    assert.equal((await t.api.getPayment(ref)).body.state, 'EXPIRED');
    await t.server.reset();
    assert.equal((await t.api.getPayment(ref)).status, 404);
  });
});

describe('operator API of a server listening on 0.0.0.0', () => {
  let server: VippsLocal;
  let db: TestDatabase;
  before(async () => {
    db = await freshTestDatabase();
    server = await startServer({ host: '0.0.0.0', database: db.database });
  });
  after(async () => {
    await server?.close();
    await db?.remove();
  });

  it('needs the token by default, and keeps the token it generated in the database', async () => {
    assert.equal((await call(`${server.url}${OP}/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 401);
    assert.equal((await call(`${server.url}${OP}/reset`, { method: 'POST', headers: { 'x-vipps-local-operator-token': server.operatorToken } })).status, 200);
    const again = await startServer({ host: '127.0.0.1', database: db.database });
    try {
      assert.equal(again.operatorToken, server.operatorToken, 'a second instance on the same database has the same token');
    } finally {
      await again.close();
    }
  });

  it('takes the token from config', async () => {
    const db2 = await freshTestDatabase();
    const configured = await startServer({ host: '0.0.0.0', database: db2.database, operatorToken: 'a-team-wide-operator-token' });
    try {
      assert.equal(configured.operatorToken, 'a-team-wide-operator-token');
      assert.equal((await call(`${configured.url}${OP}/clock`, { headers: { authorization: 'Bearer a-team-wide-operator-token' } })).status, 200);
      assert.equal((await call(`${configured.url}${OP}/clock`)).status, 401);
    } finally {
      await configured.close();
      await db2.remove();
    }
  });
});
