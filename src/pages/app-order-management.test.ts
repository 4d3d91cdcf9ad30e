// The phone-app simulator showing Order Management data in a real browser: the category's label and
// image in the history, the receipt and the category's button on the payment screen, and a newer
// category (RECEIPT after ORDER_CONFIRMATION) shown on the next load.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Api } from '../../test-support/api-client.ts';
import { PHONE, saveScreenshot, useBrowser } from '../../test-support/browser.ts';
import { DEFAULT_CREDENTIALS } from '../../test-support/merchants.ts';
import { addImage, addReceipt, putCategory, putCategoryWithoutImage, samplePng } from '../../test-support/order-management-rows.ts';
import { usePlatformServer } from '../../test-support/platform-server.ts';
import { ADA, createPayment, openPage, signIn } from '../../test-support/shopper-steps.ts';
import { formatAmount } from './format.ts';

const MSN = DEFAULT_CREDENTIALS.msn;
const BOB = '4798765432';
const RECEIPT = {
  orderLines: [
    { name: 'Espresso beans', id: 'beans', totalAmount: 29800, totalAmountExcludingTax: 23840, totalTaxAmount: 5960, taxRate: 2500, unitInfo: { unitPrice: 14900, quantity: '2' } },
    { name: 'Oat milk', id: 'milk', totalAmount: 4500, totalAmountExcludingTax: 4018, totalTaxAmount: 482, taxRate: 1200 },
    { name: 'Shipping', id: 'shipping', totalAmount: 5600, totalAmountExcludingTax: 4480, totalTaxAmount: 1120, taxRate: 2500, isShipping: true },
  ],
  bottomLine: { currency: 'NOK', receiptNumber: '10452', barcode: { format: 'EAN-13', data: '5901234123457' } },
};
const AMOUNT = 29800 + 4500 + 5600;

describe('Order Management in the phone-app simulator', { timeout: 60_000 }, () => {
  const t = usePlatformServer();
  const b = useBrowser();
  let api: Api;
  before(() => {
    api = new Api(t.server.url, DEFAULT_CREDENTIALS);
  });
  const store = () => t.server.platform.store;

  /** A payment Ada approved in the simulator; returns its reference. */
  async function paidByAda(page: import('playwright-core').Page): Promise<string> {
    const { reference } = await createPayment(api, { userFlow: 'PUSH_MESSAGE', customer: { phoneNumber: ADA }, returnUrl: undefined, amount: { currency: 'NOK', value: AMOUNT } });
    await signIn(page, t.server.url, ADA);
    await page.click(`[data-testid=request][data-reference="${reference}"]`);
    await page.click('[data-testid=pay]');
    await page.waitForSelector('[data-testid=result][data-state=AUTHORIZED]');
    return reference;
  }

  it('the history shows the category and its image; the payment shows the receipt, VAT, barcode and button; a RECEIPT replacing the ORDER_CONFIRMATION shows on reload', async () => {
    const { page, context } = await openPage(b.browser, PHONE);
    const reference = await paidByAda(page);
    await page.goto(`${t.server.url}/app`);
    const item = `[data-testid=history-item][data-reference="${reference}"]`;
    assert.equal(await page.locator(`${item} [data-testid=history-category]`).count(), 0, 'no category yet');

    await addImage(api, 'nordlys-logo', await samplePng('Nordlys'));
    await putCategory(api, reference, 'ORDER_CONFIRMATION', 'https://shop.example/orders/10452', 'nordlys-logo');
    await addReceipt(api, reference, RECEIPT);

    await page.reload();
    assert.equal(await page.textContent(`${item} [data-testid=history-category]`), 'Order confirmation');
    const picture = page.locator(`${item} img[data-testid=history-image]`);
    await picture.evaluate((img: HTMLImageElement) => img.decode());
    assert.equal(await picture.evaluate((img: HTMLImageElement) => img.naturalHeight), 200, 'the uploaded image is served and decodes');

    await page.click(item);
    await page.waitForSelector('[data-testid=order-details]');
    assert.equal(await page.textContent('[data-testid=order-category]'), 'Order confirmation');
    assert.deepEqual(await page.locator('[data-testid=receipt-line-name]').allTextContents(), ['Espresso beans', 'Oat milk', 'Shipping']);
    assert.equal(await page.locator('[data-testid=receipt-shipping] [data-testid=receipt-line]').count(), 1);
    assert.deepEqual(await page.locator('[data-testid=receipt-vat]').allTextContents(), [`VAT 12 %${formatAmount('NOK', 482)}`, `VAT 25 %${formatAmount('NOK', 5960 + 1120)}`]);
    assert.equal(await page.textContent('[data-testid=receipt-total]'), `Total${formatAmount('NOK', AMOUNT)}`);
    assert.equal(await page.locator('[data-testid=barcode][data-format="EAN-13"] svg path').count() > 0, true, 'the barcode is drawn');
    const link = page.locator('[data-testid=category-link]');
    assert.equal(await link.textContent(), 'See order');
    assert.equal(await link.getAttribute('href'), 'https://shop.example/orders/10452');
    assert.equal(await link.getAttribute('rel'), 'noopener');
    assert.equal(await page.locator('[data-testid=order-image]').count(), 1);
    await saveScreenshot(page, 'app-order-management-confirmation');

    await putCategory(api, reference, 'RECEIPT', 'https://shop.example/receipts/10452', 'nordlys-logo');
    await page.reload();
    assert.equal(await page.textContent('[data-testid=order-category]'), 'Receipt');
    assert.equal(await page.getAttribute('[data-testid=category-link]', 'href'), 'https://shop.example/receipts/10452');
    assert.equal(await page.locator('[data-testid=receipt-line]').count(), 3, 'the receipt stays');
    await page.click('[data-testid=done]');
    assert.equal(await page.textContent(`${item} [data-testid=history-category]`), 'Receipt');
    await saveScreenshot(page, 'app-order-management-receipt');
    await context.close();
  });

  it('order lines that do not add up to the payment amount are not shown; a note says so', async () => {
    const { page, context } = await openPage(b.browser, PHONE);
    const reference = await paidByAda(page);
    await addReceipt(api, reference, { ...RECEIPT, orderLines: RECEIPT.orderLines.slice(0, 2) });
    await page.reload();
    await page.waitForSelector('[data-testid=receipt-lines-hidden]');
    assert.equal(await page.locator('[data-testid=receipt-line]').count(), 0);
    assert.match((await page.textContent('[data-testid=receipt-lines-hidden]')) ?? '', /do(es)? not show them/);
    await context.close();
  });

  it('a category image whose imageId was never uploaded shows the initial instead, and no image is served', async () => {
    const { page, context } = await openPage(b.browser, PHONE);
    const reference = await paidByAda(page);
    await putCategoryWithoutImage(store(), MSN, reference, 'TICKET', 'https://shop.example/t/1', 'never-uploaded');
    await page.goto(`${t.server.url}/app`);
    const item = `[data-testid=history-item][data-reference="${reference}"]`;
    assert.equal(await page.textContent(`${item} [data-testid=history-category]`), 'Ticket');
    assert.equal(await page.locator(`${item} [data-testid=history-image]`).count(), 0);
    assert.equal(await page.locator(`${item} .avatar`).count(), 1);
    const href = await page.getAttribute(item, 'href');
    assert.ok(href);
    const imageUrl = new URL(href.replace('/app/payment?', '/app/payment/image?'), t.server.url).toString();
    assert.equal((await page.request.get(imageUrl)).status(), 404);
    await context.close();
  });

  it('the category image is served only to the signed-in user the payment was sent to', async () => {
    const ada = await openPage(b.browser, PHONE);
    const reference = await paidByAda(ada.page);
    await addImage(api, 'ticket-logo', await samplePng('Ticket'));
    await putCategory(api, reference, 'TICKET', 'https://shop.example/t/2', 'ticket-logo');
    await ada.page.goto(`${t.server.url}/app`);
    const src = await ada.page.getAttribute(`[data-testid=history-item][data-reference="${reference}"] [data-testid=history-image]`, 'src');
    assert.ok(src);
    const url = new URL(src, t.server.url).toString();

    const own = await ada.page.request.get(url);
    assert.equal(own.status(), 200);
    assert.equal(own.headers()['content-type'], 'image/png');
    assert.deepEqual((await own.body()).subarray(0, 8), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    assert.equal((await fetch(url)).status, 404, 'not signed in');
    const bob = await openPage(b.browser, PHONE);
    await signIn(bob.page, t.server.url, BOB);
    await bob.page.waitForSelector('[data-testid=greeting]');
    assert.equal((await bob.page.request.get(url)).status(), 404, 'signed in as someone else');
    assert.equal((await ada.page.request.get(url.replace(/token=[^&]+/, 'token=nope'))).status(), 404, 'no such payment');
    await ada.context.close();
    await bob.context.close();
  });
});
