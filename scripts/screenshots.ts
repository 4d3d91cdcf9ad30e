// Makes the README's screenshots of the shopper pages (docs/screenshots/*.png) at a 375 px phone
// width and at a desktop width. Run: npx tsx scripts/screenshots.ts
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { Api } from '../test-support/api-client.ts';
import { DESKTOP, launchBrowser, PHONE } from '../test-support/browser.ts';
import { addImage, addReceipt, putCategory, samplePng } from '../test-support/order-management-rows.ts';
import { startPlatformServer } from '../test-support/platform-server.ts';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');
const SHOP = {
  name: 'Nordlys Kaffe AS',
  clientId: 'c0ffee00-1111-4222-8333-444455556666',
  clientSecret: 'nordlys-secret',
  subscriptionKey: 'nordlys-subscription-key',
  salesUnits: [{ msn: '223344', name: 'Nordlys Kaffe' }],
};
const RECEIPT = {
  orderLines: [
    { name: 'Espresso beans, 500 g', id: 'beans', totalAmount: 29800, totalAmountExcludingTax: 23840, totalTaxAmount: 5960, taxRate: 2500, unitInfo: { unitPrice: 14900, quantity: '2' } },
    { name: 'Paper filters, 100 pcs', id: 'filters', totalAmount: 4900, totalAmountExcludingTax: 3920, totalTaxAmount: 980, taxRate: 2500 },
    { name: 'Shipping', id: 'shipping', totalAmount: 5200, totalAmountExcludingTax: 4160, totalTaxAmount: 1040, taxRate: 2500, isShipping: true },
  ],
  bottomLine: { currency: 'NOK' },
};

const server = await startPlatformServer({ merchants: [SHOP] });
const api = new Api(server.url, { clientId: SHOP.clientId, clientSecret: SHOP.clientSecret, subscriptionKey: SHOP.subscriptionKey, msn: '223344' });
const browser = await launchBrowser();
mkdirSync(OUT, { recursive: true });

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.screenshot({ path: join(OUT, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
}

async function newPayment(): Promise<{ redirectUrl: string; token: string }> {
  const res = await api.createPayment({
    amount: { currency: 'NOK', value: 39900 },
    paymentDescription: 'Order 10452: coffee beans and filters',
    returnUrl: 'https://nordlys.example/order/10452',
    receipt: RECEIPT,
    profile: { scope: 'name email' },
  });
  const redirectUrl = res.body.redirectUrl as string;
  return { redirectUrl, token: new URL(redirectUrl).searchParams.get('token')! };
}

try {
  for (const [width, options] of [['phone', PHONE], ['desktop', DESKTOP]] as Array<[string, BrowserContextOptions]>) {
    const context = await browser.newContext(options);
    const page = await context.newPage();

    const first = await newPayment();
    await page.goto(`${first.redirectUrl}&desktop=1`);
    await page.fill('[data-testid=phone]', '123 45 678');
    await shoot(page, `landing-${width}`);
    await page.click('[data-testid=next]');
    await page.waitForSelector('[data-testid=waiting]');
    await shoot(page, `waiting-${width}`);

    await page.goto(`${server.url}/app`);
    await page.click('[data-testid="user-4712345678"]');
    await page.waitForSelector('[data-testid=request]');
    await shoot(page, `app-home-${width}`);
    await page.click('[data-testid=request]');
    await page.waitForSelector('[data-testid=pay]');
    await shoot(page, `app-payment-${width}`);
    await context.close();
  }

  // A paid payment with an Order Management receipt (with a barcode), a category and its image.
  const phone = await browser.newContext(PHONE);
  const page = await phone.newPage();
  const paid = await api.createPayment({
    amount: { currency: 'NOK', value: 39900 },
    userFlow: 'PUSH_MESSAGE',
    customer: { phoneNumber: '4712345678' },
    returnUrl: undefined,
    paymentDescription: 'Order 10452: coffee beans and filters',
  });
  const reference = paid.body.reference as string;
  await page.goto(`${server.url}/app`);
  await page.click('[data-testid="user-4712345678"]');
  await page.click(`[data-testid=request][data-reference="${reference}"]`);
  await page.click('[data-testid=pay]');
  await page.waitForSelector('[data-testid=result][data-state=AUTHORIZED]');
  await addImage(api, 'nordlys-logo', await samplePng('Nordlys Kaffe'));
  await putCategory(api, reference, 'RECEIPT', 'https://nordlys.example/order/10452', 'nordlys-logo');
  await addReceipt(api, reference, {
    ...RECEIPT,
    bottomLine: { currency: 'NOK', receiptNumber: '10452', posId: 'web', paymentSources: { card: 39900 }, barcode: { format: 'CODE 128', data: 'NK-10452' } },
  });
  await page.reload();
  await page.waitForSelector('[data-testid=order-details]');
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.screenshot({ path: join(OUT, 'app-receipt-phone.png'), fullPage: true });
  console.log('docs/screenshots/app-receipt-phone.png');
  await phone.close();
} finally {
  await browser.close();
  await server.close();
}
