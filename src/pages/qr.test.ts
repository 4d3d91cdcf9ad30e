// QR: the image in every qrFormat, decoded with a standard QR decoder (jsQR), and its target
// URL opened in the simulator, which pays the payment.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { PHONE, saveScreenshot, useBrowser } from '../../test-support/browser.ts';
import { useServer } from '../../test-support/server.ts';
import { ADA, createPayment, openPage, signIn, stateOf, tokenOf } from '../../test-support/shopper-steps.ts';

// jsqr is CommonJS with an ES-style default export in its types: take the function either way.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;

function decodePng(png: Buffer): { text: string; width: number; height: number } {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
  assert.ok(code, 'the image holds a QR code a standard decoder reads');
  return { text: code.data, width: image.width, height: image.height };
}

const QR = { userFlow: 'QR', customerInteraction: 'CUSTOMER_PRESENT', returnUrl: undefined, paymentDescription: 'Table 12' };

describe('QR payments', { timeout: 60_000 }, () => {
  const t = useServer();
  const b = useBrowser();

  it('IMAGE/PNG in the requested size decodes to the target URL; pasting it in the simulator pays the payment', async () => {
    const { reference, redirectUrl } = await createPayment(t.api, { ...QR, qrFormat: { format: 'IMAGE/PNG', size: 300 } });
    assert.equal(new URL(redirectUrl).pathname, '/qr/v1');
    const res = await fetch(redirectUrl);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    const decoded = decodePng(Buffer.from(await res.arrayBuffer()));
    assert.deepEqual([decoded.width, decoded.height], [300, 300]);
    const target = new URL(decoded.text);
    assert.equal(`${target.origin}${target.pathname}`, `${t.server.url}/app/payment`);
    assert.equal(target.searchParams.get('token'), tokenOf(redirectUrl));

    // The simulator's "Scan a QR code": paste what the code says.
    const { page, context } = await openPage(b.browser, PHONE);
    await signIn(page, t.server.url, ADA);
    await page.fill('[data-testid=open-link]', decoded.text);
    await page.click('[data-testid=open]');
    assert.equal(await page.textContent('[data-testid=description]'), 'Table 12');
    await page.click('[data-testid=pay]');
    await page.waitForSelector('[data-testid=result][data-state=AUTHORIZED]');
    assert.equal(await stateOf(t.api, reference), 'AUTHORIZED');
    await saveScreenshot(page, 'qr-png-paid');
    await context.close();
  });

  it('PNG sizes 100 and 2000 are honoured', async () => {
    for (const size of [100, 2000]) {
      const { redirectUrl } = await createPayment(t.api, { ...QR, qrFormat: { format: 'IMAGE/PNG', size } });
      const image = PNG.sync.read(Buffer.from(await (await fetch(redirectUrl)).arrayBuffer()));
      assert.deepEqual([image.width, image.height], [size, size]);
    }
  });

  it('IMAGE/SVG+XML (the default) is an SVG for programs, and decodes to the target URL, which opens the payment', async () => {
    const { reference, redirectUrl } = await createPayment(t.api, QR);
    const res = await fetch(redirectUrl);
    assert.equal(res.headers.get('content-type'), 'image/svg+xml');
    assert.match(await res.text(), /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);

    // The image alone in the browser (?view=image: what the QR page's <img> loads).
    const { page, context } = await openPage(b.browser, { viewport: { width: 480, height: 480 } });
    await page.goto(`${redirectUrl}&view=image`);
    const decoded = decodePng(await page.screenshot());
    assert.equal(new URL(decoded.text).pathname, '/app/payment');

    await page.goto(decoded.text);
    await signIn(page, t.server.url, ADA);
    await page.click('[data-testid=pay]');
    await page.waitForSelector('[data-testid=result][data-state=AUTHORIZED]');
    assert.equal(await stateOf(t.api, reference), 'AUTHORIZED');
    await saveScreenshot(page, 'qr-svg-paid');
    await context.close();
  });

  it('TEXT/TARGETURL: redirectUrl is the target URL itself, and the QR endpoint answers it as text', async () => {
    const { redirectUrl } = await createPayment(t.api, { ...QR, qrFormat: { format: 'TEXT/TARGETURL' } });
    assert.equal(new URL(redirectUrl).pathname, '/app/payment');
    const res = await fetch(`${t.server.url}/qr/v1?token=${encodeURIComponent(tokenOf(redirectUrl))}`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await res.text(), redirectUrl);

    const { page, context } = await openPage(b.browser, PHONE);
    await page.goto(redirectUrl);
    await page.waitForSelector('[data-testid=sign-in]');
    await saveScreenshot(page, 'qr-text-target');
    await context.close();
  });

  describe('the redirectUrl opened in a browser (issue 17)', () => {
    const CHROME_PAGE = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
    const FIREFOX_PAGE = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const CHROME_IMG = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';
    const FIREFOX_IMG = 'image/avif,image/webp,*/*';
    const get = (url: string, accept?: string) => fetch(url, accept === undefined ? {} : { headers: { accept } });

    it('a browser (Accept prefers text/html, or ?view=html) gets a page; img tags, curl, fetch and image/* get the image as before', async () => {
      for (const qrFormat of [{ format: 'IMAGE/PNG', size: 200 }, { format: 'IMAGE/SVG+XML' }]) {
        const { redirectUrl } = await createPayment(t.api, { ...QR, qrFormat });
        const imageType = qrFormat.format.toLowerCase();
        const image = Buffer.from(await (await fetch(redirectUrl)).arrayBuffer());
        for (const accept of [undefined, '*/*', 'image/*', CHROME_IMG, FIREFOX_IMG, `${imageType}, text/html`, 'text/html;q=0.5, image/*']) {
          const res = await get(redirectUrl, accept);
          assert.equal(res.status, 200, `${qrFormat.format} Accept ${accept}`);
          assert.equal(res.headers.get('content-type'), imageType, `${qrFormat.format} Accept ${accept}`);
          assert.equal(res.headers.get('vary'), 'Accept');
          assert.equal(res.headers.get('cache-control'), 'private, max-age=600');
          assert.deepEqual(Buffer.from(await res.arrayBuffer()), image, `${qrFormat.format} Accept ${accept}: the same image`);
        }
        // ?view=image wins over a browser's Accept (the page's own <img>).
        const forced = await get(`${redirectUrl}&view=image`, CHROME_PAGE);
        assert.equal(forced.headers.get('content-type'), imageType);
        assert.deepEqual(Buffer.from(await forced.arrayBuffer()), image);

        for (const [url, accept] of [[redirectUrl, CHROME_PAGE], [redirectUrl, FIREFOX_PAGE], [redirectUrl, 'text/html'], [`${redirectUrl}&view=html`, undefined], [`${redirectUrl}&view=html`, 'image/*']] as const) {
          const res = await get(url, accept);
          assert.equal(res.status, 200, `${url} Accept ${accept}`);
          assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8', `${url} Accept ${accept}`);
          assert.equal(res.headers.get('cache-control'), 'no-store');
          assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'nonce-[^']+'/);
          const page = await res.text();
          const token = tokenOf(redirectUrl);
          const q = `token=${encodeURIComponent(token)}`.replace(/&/g, '&amp;');
          assert.ok(page.includes(`src="/qr/v1?${q}&amp;view=image"`), 'the image is the same URL, as an image');
          assert.ok(page.includes(`value="${t.server.url}/app/payment?${q}"`), 'the link the code holds');
          assert.ok(page.includes(`href="/app/payment?${q}"`), 'Open in simulator');
          // No Accept-Language: the shopper pages' default, Norwegian.
          assert.match(page, /<button[^>]*data-copy="qr-target"[^>]*>Kopier<\/button>/);
          assert.match(page, /<html lang="nb">/);
          assert.doesNotMatch(page, /<script(?![^>]*nonce=)/, 'every script carries the nonce');
          assert.doesNotMatch(page, /(src|href)="https?:\/\/(?!127\.0\.0\.1)/, 'no external assets');
        }
      }
    });

    it('the page speaks the browser\'s language: English, Danish and Finnish by Accept-Language', async () => {
      const { redirectUrl } = await createPayment(t.api, QR);
      for (const [language, copy, open] of [['en-GB,en;q=0.9', 'Copy', 'Open in simulator'], ['da', 'Kopiér', 'Åbn i simulatoren'], ['fi-FI', 'Kopioi', 'Avaa simulaattorissa']] as const) {
        const page = await (await fetch(redirectUrl, { headers: { accept: CHROME_PAGE, 'accept-language': language } })).text();
        assert.match(page, new RegExp(`<button[^>]*data-copy="qr-target"[^>]*>${copy}</button>`), language);
        assert.match(page, new RegExp(`data-testid="open-simulator">${open}</a>`), language);
      }
    });

    it('the page escapes what the merchant sent; TEXT/TARGETURL stays text; an unknown token is a 404 page', async () => {
      const { redirectUrl } = await createPayment(t.api, { ...QR, paymentDescription: '<img src=x onerror=alert(1)> "Table" & 12' });
      const page = await (await get(redirectUrl, CHROME_PAGE)).text();
      assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt; &quot;Table&quot; &amp; 12'));
      assert.ok(!page.includes('<img src=x'));

      const text = await createPayment(t.api, { ...QR, qrFormat: { format: 'TEXT/TARGETURL' } });
      const res = await get(`${t.server.url}/qr/v1?token=${encodeURIComponent(tokenOf(text.redirectUrl))}&view=html`, CHROME_PAGE);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(await res.text(), text.redirectUrl);

      const unknown = `${t.server.url}/qr/v1?token=${encodeURIComponent('MTIzNDU2Om5vcGUtbm9wZQ.' + 'A'.repeat(43))}`;
      const html = await get(unknown, CHROME_PAGE);
      assert.equal(html.status, 404);
      assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await html.text(), /data-testid="not-found"/);
      const plain = await get(unknown);
      assert.equal(plain.status, 404);
      assert.equal(await plain.text(), 'No payment has this QR code.\n');
    });

    it('in Chromium: the page shows the code and its link, Copy copies the link, Open in simulator opens the payment', async () => {
      const { reference, redirectUrl } = await createPayment(t.api, { ...QR, qrFormat: { format: 'IMAGE/PNG', size: 400 } });
      const target = `${t.server.url}/app/payment?token=${encodeURIComponent(tokenOf(redirectUrl))}`;
      const { page, context } = await openPage(b.browser);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.server.url });
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(redirectUrl);

      const img = page.locator('[data-testid=qr-image]');
      await page.waitForFunction(() => { const i = document.querySelector('[data-testid=qr-image]') as HTMLImageElement | null; return !!i && i.complete && i.naturalWidth > 0; });
      assert.equal(await img.evaluate((i: HTMLImageElement) => i.naturalWidth), 400, 'the image loaded in its size');
      assert.equal(decodePng(await img.screenshot()).text, target, 'the image on the page decodes to the link');
      assert.equal(await page.inputValue('[data-testid=qr-target]'), target);
      assert.equal(await page.textContent('[data-testid=description]'), 'Table 12');

      await page.click('[data-testid=copy]');
      await page.waitForSelector('[data-testid=copy][data-copy-state=copied]');
      assert.equal(await page.textContent('[data-testid=copy]'), 'Copied');
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), target);
      await saveScreenshot(page, 'qr-page');
      assert.deepEqual(errors, [], 'no console errors (CSP included)');

      await page.click('[data-testid=open-simulator]');
      await page.waitForSelector('[data-testid=sign-in]');
      assert.equal(new URL(page.url()).pathname.startsWith('/app'), true);
      await signIn(page, t.server.url, ADA);
      assert.equal(await page.textContent('[data-testid=description]'), 'Table 12');
      await page.click('[data-testid=pay]');
      await page.waitForSelector('[data-testid=result][data-state=AUTHORIZED]');
      assert.equal(await stateOf(t.api, reference), 'AUTHORIZED');
      await context.close();
    });
  });

  it('an unknown token answers 404, and the simulator explains a link that is no payment', async () => {
    const res = await fetch(`${t.server.url}/qr/v1?token=${encodeURIComponent('MTIzNDU2Om5vcGUtbm9wZQ.' + 'A'.repeat(43))}`);
    assert.equal(res.status, 404);
    const { page, context } = await openPage(b.browser, PHONE);
    await signIn(page, t.server.url, ADA);
    await page.fill('[data-testid=open-link]', 'https://example.com/not-a-payment');
    await page.click('[data-testid=open]');
    assert.match((await page.textContent('[data-testid=error]')) ?? '', /not a link to a payment/);
    await saveScreenshot(page, 'qr-not-a-payment');
    await context.close();
  });
});
