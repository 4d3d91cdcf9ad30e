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

  it('IMAGE/SVG+XML (the default) renders in the browser and decodes to the target URL, which opens the payment', async () => {
    const { reference, redirectUrl } = await createPayment(t.api, QR);
    const res = await fetch(redirectUrl);
    assert.equal(res.headers.get('content-type'), 'image/svg+xml');
    assert.match(await res.text(), /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);

    const { page, context } = await openPage(b.browser, { viewport: { width: 480, height: 480 } });
    await page.goto(redirectUrl);
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
