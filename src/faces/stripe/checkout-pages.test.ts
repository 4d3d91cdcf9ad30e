// Stripe Checkout in Chromium: the hosted page (Vipps through the test payment page, a test card, a
// declined card, a failed Vipps payment, the cancel_url back link) and the embedded page inside a
// merchant's iframe (a card payment that ends on the return_url at top level, and the completion
// message to the parent). Sessions are made with stripe-node, as a merchant's server would.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Stripe from 'stripe';
import { DESKTOP, PHONE, saveScreenshot, useBrowser } from '../../../test-support/browser.ts';
import { useServer } from '../../../test-support/server.ts';
import { openPage } from '../../../test-support/shopper-steps.ts';

const SEED = { apiVersion: '2026-02-25.preview; vipps_preview=v1' };

describe('Stripe Checkout pages in the browser', { timeout: 120_000 }, () => {
  const t = useServer();
  const b = useBrowser();
  let shop: { url: string; server: Server };
  let stripe: Stripe;

  before(async () => {
    stripe = new Stripe(t.server.stripe!.secretKey, { host: '127.0.0.1', port: t.server.port, protocol: 'http', maxNetworkRetries: 0 });
    // The merchant: its thank-you pages, and a page that mounts embedded Checkout in an iframe
    // exactly as Stripe.js's createEmbeddedCheckoutPage does (src=/stripe/checkout/embedded?client_secret=…).
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://shop');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      if (url.pathname === '/embedded') {
        const src = `${t.server.url}/stripe/checkout/embedded?client_secret=${encodeURIComponent(url.searchParams.get('secret') ?? '')}`;
        res.end(`<!doctype html><meta charset="utf-8"><title>Shop checkout</title><h1>Checkout at the shop</h1>
<div id="checkout"><iframe src="${src.replace(/"/g, '&quot;')}" title="Secure checkout" style="width:100%;height:760px;border:0"></iframe></div>
<script>window.messages = []; addEventListener('message', function (e) { window.messages.push(e.data); });</script>`);
        return;
      }
      res.end(`<!doctype html><meta charset="utf-8"><title>Shop</title><h1 id="thanks">Back at the shop: ${url.pathname.replace(/[^\w/-]/g, '')}</h1>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    shop = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
  });
  after(async () => {
    shop.server.closeAllConnections();
    await new Promise((resolve) => shop.server.close(resolve));
  });

  /** The seed's hosted session (T-shirt, kr 20, card and vipps), returning to this test's shop. */
  function hostedSession(extra: Record<string, unknown> = {}) {
    return stripe.checkout.sessions.create(
      {
        line_items: [{ price_data: { currency: 'nok', product_data: { name: 'T-shirt' }, unit_amount: 2000 }, quantity: 1 }],
        mode: 'payment',
        payment_method_types: ['card', 'vipps'],
        success_url: `${shop.url}/success?session_id={CHECKOUT_SESSION_ID}`,
        ...extra,
      } as unknown as Stripe.Checkout.SessionCreateParams,
      SEED,
    );
  }

  async function payByCard(page: import('playwright-core').Page, number: string) {
    await page.click('[data-testid=method-card]');
    await page.fill('[data-testid=card-number]', number);
    await page.fill('[data-testid=card-exp]', '12 / 34');
    await page.fill('[data-testid=card-cvc]', '123');
    await page.click('[data-testid=pay]');
  }

  it('hosted Checkout with Vipps: the test payment page authorizes, the shopper lands on success_url with the session id, the session is complete and the PaymentIntent succeeded', async () => {
    const s = await hostedSession();
    const { page, context } = await openPage(b.browser);
    await page.goto(s.url!);
    assert.equal(await page.textContent('[data-testid=total]'), '20,00\u00a0kr');
    assert.deepEqual(await page.locator('[data-testid=line-item] b').allTextContents(), ['T-shirt']);
    await page.click('[data-testid=method-vipps]');
    await page.click('[data-testid=pay]');
    await page.waitForSelector('[data-testid=authorize]');
    await page.click('[data-testid=authorize]');
    await page.waitForURL(`${shop.url}/success?session_id=${s.id}`);
    const done = await stripe.checkout.sessions.retrieve(s.id, { expand: ['payment_intent'] });
    assert.equal(done.status, 'complete');
    assert.equal(done.payment_status, 'paid');
    assert.equal((done.payment_intent as Stripe.PaymentIntent).status, 'succeeded');
    assert.deepEqual((done.payment_intent as Stripe.PaymentIntent).payment_method_types, ['card', 'vipps']);
    await context.close();
  });

  it('hosted Checkout with the test card 4242 4242 4242 4242: straight to success_url, session complete', async () => {
    const s = await hostedSession();
    const { page, context } = await openPage(b.browser);
    await page.goto(s.url!);
    await payByCard(page, '4242 4242 4242 4242');
    await page.waitForURL(`${shop.url}/success?session_id=${s.id}`);
    const done = await stripe.checkout.sessions.retrieve(s.id);
    assert.equal(done.status, 'complete');
    const pi = await stripe.paymentIntents.retrieve(done.payment_intent as string, { expand: ['payment_method'] });
    assert.equal((pi.payment_method as Stripe.PaymentMethod).card?.last4, '4242');
    await context.close();
  });

  it("hosted Checkout with a declined card (4000 0000 0000 0002) shows Stripe's message and keeps the session open", async () => {
    const s = await hostedSession();
    const { page, context } = await openPage(b.browser);
    await page.goto(s.url!);
    await payByCard(page, '4000 0000 0000 0002');
    await page.waitForSelector('[data-testid=error]');
    assert.equal(await page.textContent('[data-testid=error]'), 'Your card was declined.');
    assert.equal(new URL(page.url()).pathname, `/stripe/checkout/pay/${s.id}`);
    assert.equal((await stripe.checkout.sessions.retrieve(s.id)).status, 'open');
    // The shopper tries again with a good card.
    await payByCard(page, '4242424242424242');
    await page.waitForURL(`${shop.url}/success?session_id=${s.id}`);
    await context.close();
  });

  it('a failed Vipps test payment brings the shopper back to Checkout with the reason, session still open', async () => {
    const s = await hostedSession();
    const { page, context } = await openPage(b.browser);
    await page.goto(s.url!);
    await page.click('[data-testid=method-vipps]');
    await page.click('[data-testid=pay]');
    await page.click('[data-testid=fail]');
    await page.waitForSelector('[data-testid=error]');
    assert.equal(new URL(page.url()).pathname, `/stripe/checkout/pay/${s.id}`);
    assert.match((await page.textContent('[data-testid=error]')) ?? '', /did not approve the payment in Vipps/);
    assert.equal((await stripe.checkout.sessions.retrieve(s.id)).status, 'open');
    await context.close();
  });

  it('hosted Checkout links back to cancel_url; only the session\'s payment method types are offered', async () => {
    const s = await hostedSession({ cancel_url: `${shop.url}/cart`, payment_method_types: ['vipps'] });
    const { page, context } = await openPage(b.browser);
    await page.goto(s.url!);
    assert.equal(await page.locator('[data-testid=method-card]').count(), 0, 'no card when the session only takes vipps');
    assert.equal(await page.locator('[data-testid=method-vipps]').count(), 1);
    await page.click('[data-testid=cancel]');
    await page.waitForURL(`${shop.url}/cart`);
    assert.equal((await stripe.checkout.sessions.retrieve(s.id)).status, 'open');
    await context.close();
  });

  it('embedded Checkout in an iframe on the merchant page: paying by card ends on the return_url at top level', async () => {
    const s = await stripe.checkout.sessions.create({
      line_items: [{ price_data: { currency: 'nok', product_data: { name: 'T-shirt' }, unit_amount: 2000 }, quantity: 1 }],
      mode: 'payment',
      ui_mode: 'embedded_page',
      return_url: `${shop.url}/return?session_id={CHECKOUT_SESSION_ID}`,
    });
    const { page, context } = await openPage(b.browser);
    const res = await page.request.get(`${t.server.url}/stripe/checkout/embedded?client_secret=${encodeURIComponent(s.client_secret!)}`);
    assert.equal(res.headers()['x-frame-options'], undefined, 'the page may be framed');
    assert.match(res.headers()['content-security-policy'] ?? '', /frame-ancestors \*/);
    await page.goto(`${shop.url}/embedded?secret=${encodeURIComponent(s.client_secret!)}`);
    const frame = page.frameLocator('#checkout iframe');
    await frame.locator('[data-testid=total]').waitFor();
    assert.equal(await frame.locator('[data-testid=total]').textContent(), '20,00\u00a0kr');
    await frame.locator('[data-testid=method-card]').click();
    await frame.locator('[data-testid=card-number]').fill('4242 4242 4242 4242');
    await frame.locator('[data-testid=card-exp]').fill('12 / 34');
    await frame.locator('[data-testid=card-cvc]').fill('123');
    await frame.locator('[data-testid=pay]').click();
    await page.waitForURL(`${shop.url}/return?session_id=${s.id}`);
    const done = await stripe.checkout.sessions.retrieve(s.id);
    assert.equal(done.status, 'complete');
    assert.equal(done.payment_status, 'paid');
    await context.close();
  });

  it('embedded Checkout with Vipps: the test payment page opens in the top window, and its return ends on the return_url', async () => {
    const s = await stripe.checkout.sessions.create({
      line_items: [{ price_data: { currency: 'nok', product_data: { name: 'T-shirt' }, unit_amount: 2000 }, quantity: 1 }],
      mode: 'payment',
      ui_mode: 'embedded_page',
      return_url: `${shop.url}/return?session_id={CHECKOUT_SESSION_ID}`,
    });
    const { page, context } = await openPage(b.browser);
    await page.goto(`${shop.url}/embedded?secret=${encodeURIComponent(s.client_secret!)}`);
    const frame = page.frameLocator('#checkout iframe');
    await frame.locator('[data-testid=method-vipps]').click();
    await frame.locator('[data-testid=pay]').click();
    await page.waitForURL(`${t.server.url}/stripe/authorize/**`);
    await page.click('[data-testid=authorize]');
    await page.waitForURL(`${shop.url}/return?session_id=${s.id}`);
    assert.equal((await stripe.checkout.sessions.retrieve(s.id)).status, 'complete');
    await context.close();
  });

  it('embedded Checkout with redirect_on_completion=never tells the parent page and stays; a declined card shows the message in the frame', async () => {
    const s = await stripe.checkout.sessions.create({
      line_items: [{ price_data: { currency: 'nok', product_data: { name: 'T-shirt' }, unit_amount: 2000 }, quantity: 1 }],
      mode: 'payment',
      ui_mode: 'embedded_page',
      redirect_on_completion: 'never',
    });
    const { page, context } = await openPage(b.browser);
    await page.goto(`${shop.url}/embedded?secret=${encodeURIComponent(s.client_secret!)}`);
    const frame = page.frameLocator('#checkout iframe');
    assert.equal(await frame.locator('[data-testid=method-vipps]').count(), 0, 'no redirecting method with redirect_on_completion=never');
    await frame.locator('[data-testid=card-number]').fill('4000000000000002');
    await frame.locator('[data-testid=card-exp]').fill('12/34');
    await frame.locator('[data-testid=card-cvc]').fill('123');
    await frame.locator('[data-testid=pay]').click();
    assert.equal(await frame.locator('[data-testid=error]').textContent(), 'Your card was declined.');
    await frame.locator('[data-testid=card-number]').fill('4242424242424242');
    await frame.locator('[data-testid=pay]').click();
    await frame.locator('[data-testid=complete]').waitFor();
    assert.equal(new URL(page.url()).pathname, '/embedded', 'the merchant page stays');
    const messages = (await page.evaluate('window.messages')) as Array<{ type: string }>;
    assert.ok(messages.some((m) => m.type === 'vipps-local:checkout-complete'), JSON.stringify(messages));
    assert.equal((await stripe.checkout.sessions.retrieve(s.id)).status, 'complete');
    await context.close();
  });

  it('hosted Checkout on desktop and on a phone (screenshots)', async () => {
    const s = await stripe.checkout.sessions.create(
      {
        line_items: [
          { price_data: { currency: 'nok', product_data: { name: 'T-shirt' }, unit_amount: 24900 }, quantity: 2 },
          { price_data: { currency: 'nok', product_data: { name: 'Wool socks' }, unit_amount: 14900 }, quantity: 1 },
        ],
        mode: 'payment',
        payment_method_types: ['card', 'vipps'],
        success_url: `${shop.url}/success`,
        cancel_url: `${shop.url}/cart`,
      } as unknown as Stripe.Checkout.SessionCreateParams,
      SEED,
    );
    for (const [name, options] of [['stripe-checkout-desktop', DESKTOP], ['stripe-checkout-phone', PHONE]] as const) {
      const { page, context } = await openPage(b.browser, options);
      await page.goto(s.url!);
      assert.equal(await page.textContent('[data-testid=total]'), '647,00\u00a0kr');
      await page.click('[data-testid=method-card]');
      assert.ok(await page.locator('[data-testid=card-number]').isVisible(), 'the card form opens when card is chosen');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= (options.viewport?.width ?? 0), `no horizontal scrolling (${width}px)`);
      await saveScreenshot(page, name);
      // The README's pictures are remade on request only (they are tracked files).
      if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
        const dir = join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots');
        mkdirSync(dir, { recursive: true });
        await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
      }
      await context.close();
    }
  });
});
