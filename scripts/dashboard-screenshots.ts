// Makes the README's screenshots of the dashboard (docs/screenshots/dashboard-*.png): a few payments
// in several states, one of them with a webhook receiver that answered 500 and then 200, at a
// desktop width. Run: npx tsx scripts/dashboard-screenshots.ts
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Api } from '../test-support/api-client.ts';
import { DESKTOP, launchBrowser } from '../test-support/browser.ts';
import { startPlatformServer } from '../test-support/platform-server.ts';
import { WebhookReceiver } from '../test-support/webhook-receiver.ts';
import { DEFAULT_MERCHANT } from '../src/platform/config.ts';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');
mkdirSync(OUT, { recursive: true });

const server = await startPlatformServer({ webhookRetryDelaysMs: [300, 60_000] });
const receiver = await WebhookReceiver.start();
const api = new Api(server.url, { clientId: DEFAULT_MERCHANT.clientId, clientSecret: DEFAULT_MERCHANT.clientSecret, subscriptionKey: DEFAULT_MERCHANT.subscriptionKey, msn: DEFAULT_MERCHANT.msn });
const browser = await launchBrowser();
try {
  const registered = await api.call('POST', '/webhooks/v1/webhooks', { body: { url: receiver.url(), events: ['epayments.payment.created.v1', 'epayments.payment.authorized.v1', 'epayments.payment.captured.v1'] } });
  if (registered.status !== 201) throw new Error(`webhook: ${registered.text}`);

  // The list: payments in several states.
  await api.created({ reference: 'order-10449', paymentDescription: 'Gift card' });
  const aborted = await api.created({ reference: 'order-10450', amount: { currency: 'NOK', value: 12900 } });
  await api.call('POST', `/epayment/v1/payments/${aborted}/cancel`, { body: {} });
  await api.authorized({ reference: 'order-10451', amount: { currency: 'NOK', value: 24900 }, paymentDescription: 'Coffee beans' });

  // The payment on show: its first delivery fails once, then the receiver answers.
  let failedOnce = false;
  receiver.answer = (arrival) => {
    if (failedOnce || (arrival.body as { reference?: string } | undefined)?.reference !== 'order-10452') return 200;
    failedOnce = true;
    return 500;
  };
  const reference = await api.authorized({ reference: 'order-10452', amount: { currency: 'NOK', value: 39900 }, paymentDescription: 'Espresso beans and filters' });
  const captured = await api.capture(reference, 39900);
  if (captured.status !== 200) throw new Error(`capture: ${captured.text}`);
  await new Promise((r) => setTimeout(r, 1500));

  const context = await browser.newContext({ ...DESKTOP, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await page.screenshot({ path: join(OUT, 'dashboard-payments.png') });
  console.log('docs/screenshots/dashboard-payments.png');
  await page.click(`a:has-text("${reference}")`);
  await page.waitForSelector('[data-testid=summary]');
  // Open the create call's bodies, as a developer would.
  await page.locator('details').filter({ hasText: /request body|Bodies|Request/i }).first().evaluate((d) => ((d as HTMLDetailsElement).open = true)).catch(() => undefined);
  await page.screenshot({ path: join(OUT, 'dashboard-payment.png'), fullPage: true });
  console.log('docs/screenshots/dashboard-payment.png');
  await context.close();
} finally {
  await browser.close();
  await receiver.close();
  await server.close();
}
