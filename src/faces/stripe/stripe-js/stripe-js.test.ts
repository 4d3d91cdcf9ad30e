// vipps-local's Stripe.js in a real Chromium, loaded from a real vipps-local by merchant pages on
// another origin (a tiny merchant server on 127.0.0.1).
//
// - Loading: the script's content type, window.Stripe defined synchronously, loadStripe from the
//   real @stripe/stripe-js package picking it up without touching js.stripe.com.
// - The wire contract (what the library sends and how it reads answers): the page's calls to
//   vipps-local's /v1 are answered by the test (page.route), so these pin the library alone.
// - The seed's Payment Element integration end to end against the real Stripe face: a PaymentIntent
//   made with the official `stripe` package, the shopper picks Vipps, the test payment page
//   authorizes or fails, and the seed's return page reads the outcome.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Page, Request, Route } from 'playwright-core';
import Stripe from 'stripe';
import { useBrowser } from '../../../../test-support/browser.ts';
import { openPage } from '../../../../test-support/shopper-steps.ts';
import { useServer } from '../../../../test-support/server.ts';

const PK = 'pk_test_vippslocal';
const SK = 'sk_test_vippslocal';
const SEED_VERSION = '2026-02-25.preview; vipps_preview=v1';
const LOAD_STRIPE_MJS = readFileSync(new URL('../../../../node_modules/@stripe/stripe-js/dist/index.mjs', import.meta.url), 'utf8');

interface Merchant {
  url: string;
  /** The PaymentIntent the checkout page of each order was rendered with. */
  intents: Map<string, Stripe.PaymentIntent>;
  /** The Checkout Session the embedded checkout page of each order fetched. */
  sessions: Map<string, Stripe.Checkout.Session>;
}

/** The merchant's site: the seed's pages, a bare page for the library, and the loadStripe module. */
function useMerchant(vippsLocal: () => string, stripe: () => Stripe): Merchant {
  const merchant: Merchant = { url: '', intents: new Map(), sessions: new Map() };
  let server: Server;
  const page = (res: ServerResponse, html: string) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  };
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', merchant.url);
    const script = `${vippsLocal()}/stripe-js/v3`;
    switch (url.pathname) {
      case '/loadstripe.mjs':
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        return res.end(LOAD_STRIPE_MJS);
      case '/sync':
        return page(res, syncPage(script));
      case '/load-stripe':
        return page(res, loadStripePage(url.searchParams.get('ours') === '0' ? null : script));
      case '/bare':
        return page(res, `<!doctype html><meta charset="utf-8"><title>Bare</title><script src="${script}"></script><div id="pe"></div><div id="checkout"></div>`);
      case '/checkout': {
        // stripe@23's types follow endive, which dropped payment_method_types (STRIPE-NOTES V2); the
        // seed's preview version still takes it.
        const params = { amount: 1099, currency: 'nok', payment_method_types: (url.searchParams.get('types') ?? 'vipps').split(',') };
        const intent = await stripe().paymentIntents.create(params as Stripe.PaymentIntentCreateParams);
        if (!intent.client_secret) throw new Error(`no PaymentIntent from vipps-local: ${JSON.stringify(intent)}`);
        merchant.intents.set(url.searchParams.get('order') ?? '', intent);
        return page(res, seedCheckoutPage(script, intent.client_secret!, `${merchant.url}/complete?order=${encodeURIComponent(url.searchParams.get('order') ?? '')}`));
      }
      case '/complete':
        return page(res, seedReturnPage(script));
      case '/embedded-checkout':
        return page(res, embeddedCheckoutPage(script, url.searchParams.get('order') ?? ''));
      case '/session': {
        // The seed's embedded form session (STRIPE-NOTES V5: ui_mode=embedded at its version).
        const order = url.searchParams.get('order') ?? '';
        const params = {
          line_items: [{ price_data: { currency: 'nok', product_data: { name: 'T-shirt' }, unit_amount: 2000 }, quantity: 1 }],
          mode: 'payment',
          payment_method_types: ['card', 'vipps'],
          ui_mode: 'embedded',
          ...(url.searchParams.get('never') ? { redirect_on_completion: 'never' } : { return_url: `${merchant.url}/return?session_id={CHECKOUT_SESSION_ID}` }),
        };
        const session = await stripe().checkout.sessions.create(params as unknown as Stripe.Checkout.SessionCreateParams);
        if (!session.client_secret) throw new Error(`no Checkout Session from vipps-local: ${JSON.stringify(session)}`);
        merchant.sessions.set(order, session);
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ clientSecret: session.client_secret }));
      }
      default:
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(`<!doctype html><title>Elsewhere</title><p id="where">${url.pathname.replace(/[^\w/-]/g, '')}</p>`);
    }
  }
  before(async () => {
    server = createServer((req, res) => {
      handle(req, res).catch((err: Error) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`merchant server: ${err.message}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    merchant.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return merchant;
}

/** A blocking script tag, then an inline script that uses Stripe at once (without `new`). */
const syncPage = (script: string) => `<!doctype html><meta charset="utf-8"><title>Sync</title>
<script src="${script}"></script>
<script>
  const stripe = Stripe('${PK}');
  window.__sync = {
    type: typeof window.Stripe,
    version: Stripe.version,
    instance: stripe instanceof Stripe,
    methods: ['elements', 'createToken', 'createPaymentMethod', 'confirmCardPayment', 'confirmPayment', 'retrievePaymentIntent',
      'handleNextAction', 'createEmbeddedCheckoutPage', 'initEmbeddedCheckout', '_registerWrapper', 'registerAppInfo'].filter((m) => typeof stripe[m] !== 'function'),
  };
</script>`;

/** The React set-up: our script in the page, then a module that calls loadStripe (as a bundle does). */
const loadStripePage = (script: string | null) => `<!doctype html><meta charset="utf-8"><title>loadStripe</title>
${script ? `<script src="${script}"></script>` : ''}
<script type="module">
  import { loadStripe } from '/loadstripe.mjs';
  try {
    const stripe = await loadStripe('${PK}', { apiVersion: 'vipps_preview=v1' });
    window.__loaded = { ours: stripe instanceof window.Stripe, elements: typeof stripe.elements };
    const elements = stripe.elements({ clientSecret: 'pi_x_secret_y' });
    window.__loaded.paymentElement = typeof elements.create('payment').mount;
  } catch (err) {
    window.__loaded = { error: err.message };
  }
</script>`;

/**
 * The seed's HTML + JS Payment Element page. One change: the seed prints
 * `apiVersion: vipps_preview=v1`, a ReferenceError in JavaScript (STRIPE-NOTES V8); here it is a string.
 */
const seedCheckoutPage = (script: string, clientSecret: string, returnUrl: string) => `<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <title>Checkout</title>
  <script src="${script}"></script>
</head>
<body>
  <form id="payment-form">
    <div id="payment-element">
      <!-- Elements will create form elements here -->
    </div>
    <button id="submit">Submit</button>
    <div id="error-message">
      <!-- Display error message to your customers here -->
    </div>
  </form>
  <script>
    const stripe = Stripe('${PK}', {
      betas: 'vipps_pm_beta_1',
      apiVersion: 'vipps_preview=v1',
    });
    const options = {
      clientSecret: ${JSON.stringify(clientSecret)},
      // Fully customizable with appearance API.
      appearance: {/*...*/},
    };
    const elements = stripe.elements(options);
    const paymentElementOptions = { layout: 'accordion'};
    const paymentElement = elements.create('payment', paymentElementOptions);
    paymentElement.mount('#payment-element');

    const form = document.getElementById('payment-form');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const {error} = await stripe.confirmPayment({
        //\`Elements\` instance that was used to create the Payment Element
        elements,
        confirmParams: {
          return_url: ${JSON.stringify(returnUrl)},
        },
      });
      if (error) {
        const messageContainer = document.querySelector('#error-message');
        messageContainer.textContent = error.message;
      }
    });
  </script>
</body>
</html>`;

/** The seed's return page: retrieves the PaymentIntent and shows a message for its status. */
const seedReturnPage = (script: string) => `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>Order status</title><script src="${script}"></script></head>
<body>
  <div id="message"></div>
  <script>
    const stripe = Stripe('${PK}', { betas: 'vipps_pm_beta_1', apiVersion: 'vipps_preview=v1' });
    const clientSecret = new URLSearchParams(window.location.search).get(
      'payment_intent_client_secret'
    );
    stripe.retrievePaymentIntent(clientSecret).then(({paymentIntent}) => {
      const message = document.querySelector('#message')
      switch (paymentIntent.status) {
        case 'succeeded':
          message.innerText = 'Success! Payment received.';
          break;
        case 'processing':
          message.innerText = "Payment processing. We'll update you when payment is received.";
          break;
        case 'requires_payment_method':
          message.innerText = 'Payment failed. Please try another payment method.';
          break;
        default:
          message.innerText = 'Something went wrong.';
          break;
      }
    });
  </script>
</body>
</html>`;

/** Stripe's embedded Checkout integration: the client secret fetched from the merchant's server. */
const embeddedCheckoutPage = (script: string, order: string) => `<!doctype html><meta charset="utf-8"><title>Embedded checkout</title>
<script src="${script}"></script>
<h1>Checkout at the shop</h1>
<div id="checkout"></div>
<script>
  window.completed = 0;
  const stripe = Stripe('${PK}', { apiVersion: 'vipps_preview=v1' });
  const fetchClientSecret = () => fetch('/session' + location.search).then((r) => r.json()).then((j) => j.clientSecret);
  stripe.createEmbeddedCheckoutPage({ fetchClientSecret, onComplete: () => { window.completed++; } })
    .then((checkout) => checkout.mount('#checkout'));
</script>`;

/** A PaymentIntent as the API would answer a publishable-key retrieve. */
function intent(overrides: Record<string, unknown> = {}) {
  return {
    id: 'pi_wire1',
    object: 'payment_intent',
    amount: 1099,
    currency: 'nok',
    client_secret: 'pi_wire1_secret_abc',
    status: 'requires_payment_method',
    payment_method_types: ['vipps', 'card'],
    next_action: null,
    last_payment_error: null,
    livemode: false,
    ...overrides,
  };
}

/** What the page sent to vipps-local's API, and the answers the test gives it. */
interface ApiCall {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
  headers: Record<string, string>;
}

/**
 * Answers the page's calls to vipps-local's /v1 with `answer` (status and body); the response
 * carries the CORS header the real API must send too.
 */
async function answerApi(page: Page, base: string, answer: (call: ApiCall) => { status: number; body: unknown } | 'network-error'): Promise<ApiCall[]> {
  const calls: ApiCall[] = [];
  await page.route(`${base}/v1/**`, async (route: Route, request: Request) => {
    const url = new URL(request.url());
    const call: ApiCall = {
      method: request.method(),
      path: url.pathname,
      query: url.searchParams,
      form: new URLSearchParams(request.postData() ?? ''),
      headers: request.headers(),
    };
    calls.push(call);
    const a = answer(call);
    if (a === 'network-error') return route.abort('connectionrefused');
    return route.fulfill({ status: a.status, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify(a.body) });
  });
  return calls;
}

/** Mounts a Payment Element on /bare for `clientSecret`, recording its events in window.__events. */
async function mountPaymentElement(page: Page, options: { clientSecret: string; apiVersion?: string; layout?: string }) {
  await page.evaluate((o) => {
    const w = window as any;
    w.__events = [];
    w.stripe = w.Stripe('pk_test_vippslocal', o.apiVersion ? { apiVersion: o.apiVersion } : undefined);
    w.elements = w.stripe.elements({ clientSecret: o.clientSecret });
    w.paymentElement = w.elements.create('payment', { layout: o.layout ?? 'tabs' });
    for (const name of ['ready', 'change', 'loaderror']) w.paymentElement.on(name, (e: unknown) => w.__events.push({ name, e }));
    w.paymentElement.mount('#pe');
  }, options);
}

const events = (page: Page) => page.evaluate(() => (window as any).__events as { name: string; e: any }[]);

describe("vipps-local's Stripe.js", { timeout: 120_000 }, () => {
  const t = useServer();
  const b = useBrowser();
  let sdk: Stripe;
  const merchant = useMerchant(
    () => t.server.url,
    () => sdk,
  );
  before(() => {
    const { port } = new URL(t.server.url);
    sdk = new Stripe(SK, { host: '127.0.0.1', port: Number(port), protocol: 'http', apiVersion: SEED_VERSION as Stripe.LatestApiVersion, maxNetworkRetries: 0 });
  });

  describe('loading', () => {
    it('is served at /stripe-js/v3 (and with a trailing slash) as JavaScript with a short cache lifetime', async () => {
      for (const path of ['/stripe-js/v3', '/stripe-js/v3/']) {
        const res = await fetch(`${t.server.url}${path}`);
        assert.equal(res.status, 200, path);
        assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
        const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get('cache-control') ?? '')?.[1]);
        assert.ok(maxAge > 0 && maxAge <= 300, `short max-age, got ${res.headers.get('cache-control')}`);
        assert.match(await res.text(), /window\.Stripe = Stripe;/);
      }
    });

    it('defines window.Stripe while the blocking script runs: the next inline script calls Stripe() without new; Stripe.version is endive', async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/sync`);
      const sync = await page.evaluate(() => (window as any).__sync);
      assert.deepEqual(sync, { type: 'function', version: 'endive', instance: true, methods: [] });
      await context.close();
    });

    it('refuses a secret key, as Stripe.js does', async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/bare`);
      const message = await page.evaluate(() => {
        try {
          (window as any).Stripe('sk_test_vippslocal');
          return 'no error';
        } catch (err) {
          return (err as Error).message;
        }
      });
      assert.match(message, /should not use your secret key/);
      await context.close();
    });

    it('loadStripe from @stripe/stripe-js resolves to this Stripe when the page includes the script first: nothing is requested from js.stripe.com and no version warning', async () => {
      const { page, context } = await openPage(b.browser);
      const stripeJsRequests: string[] = [];
      await context.route('https://js.stripe.com/**', (route) => {
        stripeJsRequests.push(route.request().url());
        return route.abort();
      });
      const warnings: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text());
      });
      await page.goto(`${merchant.url}/load-stripe`);
      await page.waitForFunction(() => (window as any).__loaded);
      assert.deepEqual(await page.evaluate(() => (window as any).__loaded), { ours: true, elements: 'function', paymentElement: 'function' });
      assert.deepEqual(stripeJsRequests, []);
      assert.deepEqual(warnings.filter((w) => /Stripe\.js/.test(w)), []);
      await context.close();
    });

    it('without the script, the same page makes loadStripe go to js.stripe.com (so the test above would see it)', async () => {
      const { page, context } = await openPage(b.browser);
      const stripeJsRequests: string[] = [];
      await context.route('https://js.stripe.com/**', (route) => {
        stripeJsRequests.push(route.request().url());
        return route.abort();
      });
      await page.goto(`${merchant.url}/load-stripe?ours=0`);
      await page.waitForFunction(() => (window as any).__loaded);
      assert.match((await page.evaluate(() => (window as any).__loaded)).error, /Failed to load Stripe\.js/);
      assert.ok(stripeJsRequests.some((u) => u.startsWith('https://js.stripe.com/endive/stripe.js')), stripeJsRequests.join(', '));
      await context.close();
    });
  });

  describe('the wire contract (API answered by the test)', () => {
    it("the Payment Element retrieves the PaymentIntent by GET with client_secret, key and the preview version, and offers one option per payment_method_types entry", async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/bare`);
      const calls = await answerApi(page, t.server.url, () => ({ status: 200, body: intent() }));
      await mountPaymentElement(page, { clientSecret: 'pi_wire1_secret_abc', apiVersion: 'vipps_preview=v1' });
      await page.getByLabel('Vipps').waitFor();
      assert.equal(await page.getByLabel('Card', { exact: true }).count(), 1);
      assert.equal(calls.length, 1);
      const [get] = calls;
      assert.equal(get!.method, 'GET');
      assert.equal(get!.path, '/v1/payment_intents/pi_wire1');
      assert.deepEqual(Object.fromEntries(get!.query), { client_secret: 'pi_wire1_secret_abc', key: PK, _stripe_version: SEED_VERSION });
      assert.equal(get!.headers.authorization, undefined);
      assert.ok((await events(page)).some((e) => e.name === 'ready' && e.e.elementType === 'payment'), 'ready was emitted');
      // The first method is open, with the Vipps explanation.
      assert.ok(await page.getByLabel('Vipps').isChecked());
      assert.match((await page.locator('#pe').textContent()) ?? '', /redirected to Vipps/);
      await context.close();
    });

    it('sends no _stripe_version without apiVersion, and a full apiVersion as given', async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/bare`);
      const calls = await answerApi(page, t.server.url, () => ({ status: 200, body: intent() }));
      await page.evaluate(async () => {
        const w = window as any;
        await w.Stripe('pk_test_vippslocal').retrievePaymentIntent('pi_wire1_secret_abc');
        await w.Stripe('pk_test_vippslocal', { apiVersion: '2026-10-28.endive' }).retrievePaymentIntent('pi_wire1_secret_abc');
      });
      assert.equal(calls[0]!.query.get('_stripe_version'), null);
      assert.equal(calls[1]!.query.get('_stripe_version'), '2026-10-28.endive');
      await context.close();
    });

    it('choosing a method emits change; confirmPayment posts a form with the chosen type and follows next_action.redirect_to_url', async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/bare`);
      const redirectTo = `${merchant.url}/vipps-test-page`;
      const calls = await answerApi(page, t.server.url, (call) =>
        call.method === 'GET'
          ? { status: 200, body: intent({ payment_method_types: ['card', 'vipps'] }) }
          : { status: 200, body: intent({ status: 'requires_action', next_action: { type: 'redirect_to_url', redirect_to_url: { url: redirectTo, return_url: 'x' } } }) },
      );
      await mountPaymentElement(page, { clientSecret: 'pi_wire1_secret_abc', apiVersion: 'vipps_preview=v1', layout: 'accordion' });
      await page.getByLabel('Vipps').check();
      const change = (await events(page)).find((e) => e.name === 'change');
      assert.deepEqual(change?.e, { elementType: 'payment', empty: false, complete: true, collapsed: false, value: { type: 'vipps' } });
      await page.evaluate(() => {
        const w = window as any;
        w.stripe.confirmPayment({ elements: w.elements, confirmParams: { return_url: 'https://shop.example/complete?order=7' } });
      });
      await page.waitForURL(redirectTo);
      const post = calls.find((c) => c.method === 'POST')!;
      assert.equal(post.path, '/v1/payment_intents/pi_wire1/confirm');
      assert.equal(post.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.deepEqual(Object.fromEntries(post.form), {
        return_url: 'https://shop.example/complete?order=7',
        'payment_method_data[type]': 'vipps',
        client_secret: 'pi_wire1_secret_abc',
        key: PK,
        _stripe_version: SEED_VERSION,
      });
      await context.close();
    });

    it("a card is sent as payment_method_data[card][…]; with redirect 'always' a succeeded intent goes to return_url, keeping its query", async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/bare`);
      const calls = await answerApi(page, t.server.url, (call) => ({ status: 200, body: intent(call.method === 'GET' ? {} : { status: 'succeeded' }) }));
      await mountPaymentElement(page, { clientSecret: 'pi_wire1_secret_abc' });
      await page.getByLabel('Card', { exact: true }).check();
      await page.getByLabel('Card number').fill('4242 4242 4242 4242');
      await page.getByLabel('Expiration date (MM / YY)').fill('12 / 34');
      await page.getByLabel('Security code (CVC)').fill('123');
      await page.evaluate((url) => {
        const w = window as any;
        w.stripe.confirmPayment({ elements: w.elements, confirmParams: { return_url: url } });
      }, `${merchant.url}/done?order=9`);
      await page.waitForURL(`${merchant.url}/done?**`);
      const back = new URL(page.url());
      assert.equal(back.searchParams.get('order'), '9');
      assert.equal(back.searchParams.get('payment_intent'), 'pi_wire1');
      assert.equal(back.searchParams.get('payment_intent_client_secret'), 'pi_wire1_secret_abc');
      assert.equal(back.searchParams.get('redirect_status'), 'succeeded');
      const form = calls.find((c) => c.method === 'POST')!.form;
      assert.equal(form.get('payment_method_data[type]'), 'card');
      assert.equal(form.get('payment_method_data[card][number]'), '4242424242424242');
      assert.equal(form.get('payment_method_data[card][exp_month]'), '12');
      assert.equal(form.get('payment_method_data[card][exp_year]'), '2034');
      assert.equal(form.get('payment_method_data[card][cvc]'), '123');
      await context.close();
    });

    it("an incomplete card, or no return_url with redirect 'always', resolves a validation_error without calling confirm", async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/bare`);
      const calls = await answerApi(page, t.server.url, () => ({ status: 200, body: intent() }));
      await mountPaymentElement(page, { clientSecret: 'pi_wire1_secret_abc' });
      await page.getByLabel('Card', { exact: true }).check();
      await page.getByLabel('Card number').fill('4242 4242');
      const results = await page.evaluate(async () => {
        const w = window as any;
        const incomplete = await w.stripe.confirmPayment({ elements: w.elements, confirmParams: { return_url: 'https://shop.example/r' } });
        const submitted = await w.elements.submit();
        const noReturnUrl = await w.stripe.confirmPayment({ elements: w.elements, confirmParams: {} });
        return { incomplete, submitted, noReturnUrl };
      });
      assert.deepEqual(results.incomplete.error, { type: 'validation_error', message: 'Your card number is incomplete.', code: 'incomplete_number', param: 'number' });
      assert.equal(results.submitted.error.code, 'incomplete_number');
      assert.equal(results.noReturnUrl.error.type, 'validation_error');
      assert.equal(results.noReturnUrl.error.param, 'return_url');
      assert.equal(await page.getByRole('alert').textContent(), 'Your card number is incomplete.');
      assert.deepEqual(calls.filter((c) => c.method === 'POST'), []);
      await context.close();
    });

    it("with redirect 'if_required' a succeeded intent resolves { paymentIntent } and the page stays", async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/bare`);
      await answerApi(page, t.server.url, (call) => ({ status: 200, body: intent(call.method === 'GET' ? {} : { status: 'requires_capture' }) }));
      await mountPaymentElement(page, { clientSecret: 'pi_wire1_secret_abc' });
      await page.getByLabel('Vipps').waitFor();
      const result = await page.evaluate(async () => {
        const w = window as any;
        return w.stripe.confirmPayment({ elements: w.elements, redirect: 'if_required' });
      });
      assert.equal(result.paymentIntent.status, 'requires_capture');
      assert.equal(new URL(page.url()).pathname, '/bare');
      await context.close();
    });

    it("an API error resolves { error } with the API's error object; an unreachable API resolves api_connection_error", async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/bare`);
      const apiError = { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message: 'This PaymentIntent has already succeeded.', payment_intent: intent({ status: 'succeeded' }) };
      let unreachable = false;
      await answerApi(page, t.server.url, (call) => (unreachable ? 'network-error' : call.method === 'GET' ? { status: 200, body: intent() } : { status: 400, body: { error: apiError } }));
      await mountPaymentElement(page, { clientSecret: 'pi_wire1_secret_abc' });
      await page.getByLabel('Vipps').waitFor();
      const rejected = await page.evaluate(async () => {
        const w = window as any;
        return w.stripe.confirmPayment({ elements: w.elements, confirmParams: { return_url: 'https://shop.example/r' } });
      });
      assert.deepEqual(rejected, { error: apiError });
      unreachable = true;
      const offline = await page.evaluate(() => (window as any).stripe.retrievePaymentIntent('pi_wire1_secret_abc'));
      assert.equal(offline.error.type, 'api_connection_error');
      assert.match(offline.error.message, /Could not connect to vipps-local/);
      await context.close();
    });

    it('retrievePaymentIntent resolves { paymentIntent }; a client secret of the wrong form throws an IntegrationError', async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/bare`);
      await answerApi(page, t.server.url, () => ({ status: 200, body: intent({ status: 'succeeded' }) }));
      const result = await page.evaluate(async () => {
        const stripe = (window as any).Stripe('pk_test_vippslocal');
        const ok = await stripe.retrievePaymentIntent('pi_wire1_secret_abc');
        let thrown = '';
        try {
          stripe.retrievePaymentIntent('nonsense');
        } catch (err) {
          thrown = `${(err as Error).name}: ${(err as Error).message}`;
        }
        return { status: ok.paymentIntent.status, thrown };
      });
      assert.equal(result.status, 'succeeded');
      assert.match(result.thrown, /^IntegrationError: Invalid value for retrievePaymentIntent/);
      await context.close();
    });

    it('methods vipps-local does not offer resolve an invalid_request_error that says so; other Element types throw', async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/bare`);
      const result = await page.evaluate(async () => {
        const stripe = (window as any).Stripe('pk_test_vippslocal');
        const token = await stripe.createToken({});
        const method = await stripe.createPaymentMethod({ type: 'card' });
        let thrown = '';
        try {
          stripe.elements({ clientSecret: 'pi_a_secret_b' }).create('card');
        } catch (err) {
          thrown = (err as Error).message;
        }
        return { token: token.error, method: method.error, thrown };
      });
      assert.deepEqual(result.token, { type: 'invalid_request_error', message: 'createToken is not supported by vipps-local' });
      assert.deepEqual(result.method, { type: 'invalid_request_error', message: 'createPaymentMethod is not supported by vipps-local' });
      assert.match(result.thrown, /elements\.create\('card'\) is not supported by vipps-local/);
      await context.close();
    });

    it("confirmCardPayment confirms with the Payment Element's card and resolves the intent", async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/bare`);
      const calls = await answerApi(page, t.server.url, (call) => ({ status: 200, body: intent(call.method === 'GET' ? {} : { status: 'succeeded' }) }));
      await mountPaymentElement(page, { clientSecret: 'pi_wire1_secret_abc' });
      await page.getByLabel('Card', { exact: true }).check();
      await page.getByLabel('Card number').fill('4000 0000 0000 0077');
      await page.getByLabel('Expiration date (MM / YY)').fill('0139');
      await page.getByLabel('Security code (CVC)').fill('999');
      const result = await page.evaluate(async () => {
        const w = window as any;
        return w.stripe.confirmCardPayment('pi_wire1_secret_abc', { payment_method: { card: w.paymentElement, billing_details: { name: 'Ada' } } });
      });
      assert.equal(result.paymentIntent.status, 'succeeded');
      const form = calls.find((c) => c.method === 'POST')!.form;
      assert.equal(form.get('payment_method_data[card][number]'), '4000000000000077');
      assert.equal(form.get('payment_method_data[card][exp_year]'), '2039');
      assert.equal(form.get('payment_method_data[billing_details][name]'), 'Ada');
      await context.close();
    });
  });

  describe('Embedded Checkout', () => {
    it("mounts one borderless iframe of vipps-local's embedded Checkout page for the session's client secret; onComplete follows the page's message", async () => {
      const { page, context } = await openPage(b.browser);
      // The page belongs to the Checkout helper: here it only announces completion.
      await page.route(`${t.server.url}/stripe/checkout/embedded**`, (route) =>
        route.fulfill({ contentType: 'text/html', body: `<!doctype html><button onclick="parent.postMessage({ type: 'vipps-local:checkout-complete' }, '*')">Finish</button>` }),
      );
      await page.goto(`${merchant.url}/bare`);
      // As text: tsx would wrap these callbacks in a helper the page does not have.
      await page.evaluate(`(async () => {
        window.__completed = 0;
        window.checkout = await Stripe('${PK}').createEmbeddedCheckoutPage({
          fetchClientSecret: async () => 'cs_test_a1_secret_b2',
          onComplete: () => window.__completed++,
        });
        window.checkout.mount('#checkout');
      })()`);
      const frame = page.locator('#checkout iframe');
      assert.equal(await frame.getAttribute('src'), `${t.server.url}/stripe/checkout/embedded?client_secret=cs_test_a1_secret_b2`);
      assert.equal(await frame.getAttribute('allow'), 'payment *');
      assert.equal(await frame.evaluate((f) => getComputedStyle(f).borderStyle), 'none');
      await page.frameLocator('#checkout iframe').getByRole('button', { name: 'Finish' }).click();
      await page.waitForFunction(() => (window as any).__completed === 1);

      // A message from the page itself (not the frame) is not completion.
      await page.evaluate(() => window.postMessage({ type: 'vipps-local:checkout-complete' }, '*'));
      await page.waitForTimeout(100);
      assert.equal(await page.evaluate(() => (window as any).__completed), 1);
      await context.close();
    });

    it('refuses a second embedded checkout (also under its old name initEmbeddedCheckout) until the first is destroyed', async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/bare`);
      const result = await page.evaluate(async () => {
        const stripe = (window as any).Stripe('pk_test_vippslocal');
        const first = await stripe.createEmbeddedCheckoutPage({ clientSecret: 'cs_test_1_secret_x' });
        const second = await stripe.initEmbeddedCheckout({ clientSecret: 'cs_test_2_secret_y' }).then(
          () => 'created',
          (err: Error) => err.message,
        );
        first.mount('#checkout');
        first.destroy();
        const third = await stripe.initEmbeddedCheckout({ clientSecret: 'cs_test_3_secret_z' }).then(() => 'created');
        return { second, third, frames: document.querySelectorAll('#checkout iframe').length };
      });
      assert.deepEqual(result, { second: 'You cannot have multiple embedded checkout items.', third: 'created', frames: 0 });
      await context.close();
    });
  });

  describe("Embedded Checkout against vipps-local's embedded Checkout page", () => {
    async function payByCardInFrame(page: Page, number: string) {
      const frame = page.frameLocator('#checkout iframe');
      await frame.locator('[data-testid=method-card]').click();
      await frame.locator('[data-testid=card-number]').fill(number);
      await frame.locator('[data-testid=card-exp]').fill('12 / 34');
      await frame.locator('[data-testid=card-cvc]').fill('123');
      await frame.locator('[data-testid=pay]').click();
    }

    it("the seed's embedded session, mounted with fetchClientSecret: a card payment in the frame ends on return_url in the top window", async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/embedded-checkout?order=embedded-card`);
      await payByCardInFrame(page, '4242 4242 4242 4242');
      const session = merchant.sessions.get('embedded-card')!;
      await page.waitForURL(`${merchant.url}/return?session_id=${session.id}`);
      assert.equal((await sdk.checkout.sessions.retrieve(session.id)).status, 'complete');
      await context.close();
    });

    it('with redirect_on_completion=never the merchant page stays, onComplete is called once, and the frame takes the height its page reports', async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/embedded-checkout?order=embedded-never&never=1`);
      await page.frameLocator('#checkout iframe').locator('[data-testid=pay]').waitFor();
      await page.waitForFunction(() => /^\d+px$/.test((document.querySelector('#checkout iframe') as HTMLIFrameElement).style.height));
      await payByCardInFrame(page, '4242424242424242');
      await page.waitForFunction(() => (window as any).completed === 1);
      assert.equal(new URL(page.url()).pathname, '/embedded-checkout');
      assert.equal((await sdk.checkout.sessions.retrieve(merchant.sessions.get('embedded-never')!.id)).status, 'complete');
      await context.close();
    });
  });

  describe("the seed's Payment Element page against the Stripe face", () => {
    /** The shopper's way from the seed's checkout page to the Vipps test payment page. */
    async function payWithVipps(order: string) {
      const { page, context } = await openPage(b.browser);
      const res = await page.goto(`${merchant.url}/checkout?order=${order}`);
      assert.equal(res?.status(), 200, await res?.text());
      const pi = merchant.intents.get(order);
      assert.ok(pi?.client_secret, 'the merchant created a PaymentIntent with the stripe package');
      await page.getByLabel('Vipps').check();
      await page.getByRole('button', { name: 'Submit' }).click();
      await page.waitForURL((url) => url.origin === t.server.url);
      return { page, context, pi };
    }

    it('the shopper picks Vipps, submits, authorizes on the test payment page and the return page shows the success', async () => {
      const { page, context, pi } = await payWithVipps('paid');
      await page.getByRole('button', { name: 'Authorize test payment' }).click();
      await page.waitForURL(`${merchant.url}/complete?**`);
      const back = new URL(page.url());
      assert.equal(back.searchParams.get('order'), 'paid', "the return_url's own query is kept");
      assert.equal(back.searchParams.get('payment_intent'), pi.id);
      assert.equal(back.searchParams.get('redirect_status'), 'succeeded');
      await page.locator('#message', { hasText: 'Success! Payment received.' }).waitFor();
      assert.equal((await sdk.paymentIntents.retrieve(pi.id)).status, 'succeeded');
      await context.close();
    });

    it('a card payment needs no redirect: confirmPayment goes straight to return_url and the return page shows the success', async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/checkout?order=card&types=card,vipps`);
      const pi = merchant.intents.get('card')!;
      await page.getByLabel('Card', { exact: true }).check();
      await page.getByLabel('Card number').fill('4242 4242 4242 4242');
      await page.getByLabel('Expiration date (MM / YY)').fill('12 / 34');
      await page.getByLabel('Security code (CVC)').fill('123');
      await page.getByRole('button', { name: 'Submit' }).click();
      await page.waitForURL(`${merchant.url}/complete?**`);
      const back = new URL(page.url());
      assert.equal(back.searchParams.get('payment_intent'), pi.id);
      assert.equal(back.searchParams.get('redirect_status'), 'succeeded');
      await page.locator('#message', { hasText: 'Success! Payment received.' }).waitFor();
      assert.equal((await sdk.paymentIntents.retrieve(pi.id)).status, 'succeeded');
      await context.close();
    });

    it("a declined test card shows the API's decline message on the checkout page, which stays", async () => {
      const { page, context } = await openPage(b.browser);
      await page.goto(`${merchant.url}/checkout?order=declined&types=card`);
      await page.getByLabel('Card', { exact: true }).check();
      await page.getByLabel('Card number').fill('4000 0000 0000 0002');
      await page.getByLabel('Expiration date (MM / YY)').fill('12 / 34');
      await page.getByLabel('Security code (CVC)').fill('123');
      await page.getByRole('button', { name: 'Submit' }).click();
      await page.locator('#error-message', { hasText: 'Your card was declined.' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/checkout');
      await context.close();
    });

    it('the shopper fails the test payment and the return page says the payment failed', async () => {
      const { page, context, pi } = await payWithVipps('failed');
      await page.getByRole('button', { name: 'Fail test payment' }).click();
      await page.waitForURL(`${merchant.url}/complete?**`);
      await page.locator('#message', { hasText: 'Payment failed. Please try another payment method.' }).waitFor();
      assert.equal((await sdk.paymentIntents.retrieve(pi.id)).status, 'requires_payment_method');
      await context.close();
    });
  });
});
