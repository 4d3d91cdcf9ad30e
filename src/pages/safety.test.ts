// The pages' safety: merchant text is only ever text, state changes need a same-origin form of
// this browser, a token opens one payment only, and returnUrl is followed only when it is safe.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCode } from '../../test-support/api-client.ts';
import { PHONE, saveScreenshot, useBrowser } from '../../test-support/browser.ts';
import { useServer } from '../../test-support/server.ts';
import { ADA, createPayment, openPage, signIn, stateOf, tokenOf } from '../../test-support/shopper-steps.ts';

const EVIL = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">"\'&';
const EVIL_MERCHANT = {
  name: 'Evil <b>Corp</b>',
  clientId: 'e1e1e1e1-1111-4111-8111-e1e1e1e1e1e1',
  clientSecret: 'evil-secret',
  subscriptionKey: 'evil-subscription-key',
  salesUnits: [{ msn: '666666', name: '<script>window.pwned = 3</script>Shop' }],
};

/** The form's hidden fields and the cookies a real page load gives, for hand-made POSTs. */
async function loadForm(url: string): Promise<{ cookie: string; csrf: string; token: string }> {
  const res = await fetch(url);
  const html = await res.text();
  const cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const token = /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return { cookie, csrf, token };
}

function post(url: string, body: Record<string, string>, headers: Record<string, string>) {
  return fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body).toString() });
}

describe('safety of the shopper pages', { timeout: 60_000 }, () => {
  const t = useServer({ merchants: [EVIL_MERCHANT] });
  const b = useBrowser();
  const api = () => t.api;

  it('a <script> in paymentDescription, order lines or the merchant name renders as text and never runs', async () => {
    const receipt = {
      orderLines: [{ name: EVIL, id: 'x', totalAmount: 1000, totalAmountExcludingTax: 800, totalTaxAmount: 200, taxRate: 2500 }],
      bottomLine: { currency: 'NOK' },
    };
    const { redirectUrl } = await createPayment(api(), { paymentDescription: EVIL, receipt });
    const { page, context } = await openPage(b.browser);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(redirectUrl);
    assert.equal(await page.textContent('[data-testid=description]'), EVIL);
    assert.match((await page.textContent('.merchant-name')) ?? '', /^<script>window\.pwned = 3<\/script>Shop$/);
    assert.equal(await page.locator('.summary img, .summary script, .summary b').count(), 0, 'no element came from merchant text');
    await page.fill('[data-testid=phone]', '12345678');
    await page.click('[data-testid=next]');
    await page.waitForSelector('[data-testid=waiting]');

    const phone = await openPage(b.browser, PHONE);
    await signIn(phone.page, t.server.url, '4712345678');
    await phone.page.waitForSelector('[data-testid=request]');
    await phone.page.click('[data-testid=request]');
    assert.equal(await phone.page.textContent('[data-testid=description]'), EVIL);
    for (const p of [page, phone.page]) assert.equal(await p.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
    assert.deepEqual(dialogs, []);
    await saveScreenshot(page, 'safety-xss-landing');
    await saveScreenshot(phone.page, 'safety-xss-app');
    await context.close();
    await phone.context.close();
  });

  it('every page is sent with a CSP that allows only its own nonce-tagged script, no framing, and no caching', async () => {
    const { redirectUrl } = await createPayment(api());
    const res = await fetch(redirectUrl);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'nonce-[^']+'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /form-action 'self'/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('referrer-policy'), 'same-origin', 'the token in the URL never reaches the merchant as a Referer');
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    const html = await res.text();
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.ok(scripts.length > 0 && scripts.every((s) => s.includes(`nonce="${nonce}"`)));
    assert.doesNotMatch(html, /https?:\/\/(?!127\.0\.0\.1)[^"' ]*\.(js|css|woff2?|png|svg)/, 'no external assets');
  });

  it('a POST without this browser\'s CSRF cookie and token, or from another origin, is refused with 403 and changes nothing', async () => {
    const { reference, redirectUrl } = await createPayment(api());
    const form = await loadForm(redirectUrl);
    const send = `${t.server.url}/landing/send`;
    const body = { token: form.token, csrf: form.csrf, prefix: '47', phone: '12345678' };
    const host = new URL(t.server.url).host;

    assert.equal((await post(send, body, {})).status, 403, 'no cookie');
    assert.equal((await post(send, { ...body, csrf: 'x' }, { cookie: form.cookie })).status, 403, 'wrong token');
    assert.equal((await post(send, body, { cookie: form.cookie, origin: 'https://evil.example' })).status, 403, 'other origin');
    assert.equal((await post(send, body, { cookie: form.cookie, 'sec-fetch-site': 'cross-site' })).status, 403, 'cross-site fetch');
    assert.equal((await post(`${t.server.url}/landing/cancel`, { token: form.token, csrf: form.csrf }, { origin: 'https://evil.example', cookie: form.cookie })).status, 403);
    assert.equal(await stateOf(api(), reference), 'CREATED');

    const ok = await post(send, body, { cookie: form.cookie, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' });
    assert.equal(ok.status, 303);
    assert.match(ok.headers.get('location') ?? '', /^\/landing\/wait\?token=/);
  });

  it('the simulator\'s sign-in cookie cannot be forged, and Pay needs a form made for that user and payment', async () => {
    const { reference } = await createPayment(api(), { userFlow: 'PUSH_MESSAGE', customer: { phoneNumber: ADA }, returnUrl: undefined });
    const { page, context } = await openPage(b.browser);
    await signIn(page, t.server.url, ADA);
    const href = await page.getAttribute(`[data-testid=request][data-reference="${reference}"]`, 'href');
    const token = tokenOf(new URL(href!, t.server.url).toString());

    // A cookie that claims to be Ada without the server's signature is nobody.
    const forged = await fetch(`${t.server.url}/app`, { headers: { cookie: `vl_app=${ADA}.${'A'.repeat(43)}` } });
    assert.match(await forged.text(), /data-testid="sign-in"/);

    // A form token made for another payment does not approve this one.
    const other = await createPayment(api(), { userFlow: 'PUSH_MESSAGE', customer: { phoneNumber: ADA }, returnUrl: undefined });
    await page.reload();
    const otherHref = await page.getAttribute(`[data-testid=request][data-reference="${other.reference}"]`, 'href');
    await page.goto(new URL(otherHref!, t.server.url).toString());
    const csrfForOther = await page.inputValue('#pay-form input[name=csrf]');
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await post(`${t.server.url}/app/payment/approve`, { token, csrf: csrfForOther }, { cookie, origin: t.server.url });
    assert.equal(res.status, 403);
    assert.equal(await stateOf(api(), reference), 'CREATED');
    await saveScreenshot(page, 'safety-app');
    await context.close();
  });

  it('a token opens one payment only: another payment\'s name with made-up random bits opens nothing', async () => {
    const a = await createPayment(api());
    const bPayment = await createPayment(api());
    const [, randomOfA] = tokenOf(a.redirectUrl).split('.');
    const [nameOfB] = tokenOf(bPayment.redirectUrl).split('.');
    for (const guess of [`${nameOfB}.${randomOfA}`, `${nameOfB}.${'A'.repeat(43)}`, nameOfB!, 'x']) {
      const res = await fetch(`${t.server.url}/landing?token=${encodeURIComponent(guess!)}`);
      assert.equal(res.status, 404, guess);
      const status = await fetch(`${t.server.url}/payment/status?token=${encodeURIComponent(guess!)}`);
      assert.equal(status.status, 404);
    }
  });

  it('returnUrl: javascript: is refused at create (4090), so no page can ever follow it', async () => {
    // http:// to any host is accepted, as a reported leniency (docs/decisions.md, "Lenient in, exact out"):
    // a plain navigation, not a script. Dangerous schemes stay refused.
    for (const returnUrl of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,hi', 'file:///etc/passwd']) {
      const res = await api().createPayment({ returnUrl });
      assert.equal(res.status, 400, returnUrl);
      assert.equal(errorCode(res), '4090');
    }
  });
});
