// Order Management API against a real server, on the store under test: images, categories (v1, v2,
// v3), receipts, the receipt an ePayment create carried, the WooCommerce plugin's call sequence and a
// table of bad inputs. Every response is validated against specs/vipps/order-management/swagger.yaml
// by the Api client (ErrorResponse for errors, the declared schema or string id for successes).
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import QRCode from 'qrcode';
import { Api, newReference, type ApiResponse } from '../../../test-support/api-client.ts';
import { credentialsOf, MERCHANT_A, MERCHANT_B } from '../../../test-support/merchants.ts';
import { useServer } from '../../../test-support/server.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const [MSN_A1, MSN_A2] = MERCHANT_A.salesUnits as [string, string];

/** A PNG `size` px square (a QR code), as base64. */
const png = async (size: number) => (await QRCode.toBuffer('vipps-local', { width: size, margin: 1 })).toString('base64');

const RECEIPT = {
  orderLines: [
    { name: 'Socks', id: 'line_item_1', totalAmount: 1000, totalAmountExcludingTax: 800, totalTaxAmount: 200, taxRate: 2500, unitInfo: { unitPrice: 400, quantity: '2.5', quantityUnit: 'KG' }, discount: 0, productUrl: 'https://example.com/socks', isReturn: false, isShipping: false },
    { name: 'Home Delivery', id: 'delivery', totalAmount: 1000, totalAmountExcludingTax: 800, totalTaxAmount: 200, taxPercentage: 25, isShipping: true },
  ],
  bottomLine: { currency: 'NOK', tipAmount: 0, posId: 'pos_122', barcode: { format: 'CODE 39', data: 'SC0527013501' }, receiptNumber: '0527013501' },
};

/**
 * A receipt as the WooCommerce plugin builds it (`VippsApi::get_receipt_data`): product lines with
 * taxRate, unitInfo (quantity as a string, PCS), discount, productUrl and isShipping false; a fee line
 * without unitInfo; the shipping line with its method:instance id; the deprecated giftCardAmount and
 * terminalId in the bottom line, and the order number as receiptNumber.
 */
const WOO_RECEIPT = {
  orderLines: [
    { name: 'Vipps socks', id: '42', totalAmount: 19900, totalAmountExcludingTax: 15920, totalTaxAmount: 3980, taxRate: 2500, unitInfo: { unitPrice: 9950, quantity: '2', quantityUnit: 'PCS' }, discount: 0, productUrl: 'https://shop.example/product/socks/', isShipping: false },
    { name: 'Gift wrapping', id: 'gift-wrapping', totalAmount: 2500, totalAmountExcludingTax: 2000, totalTaxAmount: 500, discount: 0, taxRate: 2500 },
    { name: 'Flat rate', id: 'flat_rate:1', totalAmount: 4900, totalAmountExcludingTax: 3920, totalTaxAmount: 980, taxRate: 2500, unitInfo: { unitPrice: 4900, quantity: '1', quantityUnit: 'PCS' }, discount: 0, isShipping: true },
  ],
  bottomLine: { tipAmount: 0, giftCardAmount: 0, terminalId: 'woocommerce', currency: 'NOK', receiptNumber: '1234' },
};

function assertInvalid(res: ApiResponse, name: string, reason?: RegExp): void {
  assert.equal(res.status, 400, res.text);
  assert.equal(res.body.title, 'One or more validation errors occurred.');
  const param = (res.body.invalidParams as Array<{ name: string; reason: string }>).find((p) => p.name === name);
  assert.ok(param, `invalidParams names ${name}: ${res.text}`);
  if (reason) assert.match(param.reason, reason);
}

describe('Order Management API', () => {
  const t = useServer({ merchants: [MERCHANT_A, MERCHANT_B] });
  let a1: Api;
  let a2: Api;
  let b: Api;
  let image: string;
  before(async () => {
    a1 = new Api(t.server.url, credentialsOf(MERCHANT_A, MSN_A1));
    a2 = new Api(t.server.url, credentialsOf(MERCHANT_A, MSN_A2));
    b = new Api(t.server.url, credentialsOf(MERCHANT_B));
    image = await png(200);
  });

  it("the WooCommerce plugin's sequence: image, ecom category, ecom receipt, then the order reads back both", async () => {
    const reference = await a1.authorized();
    const bytes = Buffer.from(image, 'base64');
    const imageId = createHash('sha512').update(bytes).digest('hex'); // WooCommerce names images by their SHA-512
    const uploaded = await a1.om('POST', '/v1/images/', { body: { imageId, src: image, type: 'base64' } });
    assert.equal(uploaded.status, 200, uploaded.text);
    assert.deepEqual(uploaded.body, { imageId });
    const category = await a1.om('PUT', `/v2/ecom/categories/${reference}`, { body: { category: 'ORDER_CONFIRMATION', orderDetailsUrl: 'https://shop.example/order/1', imageId } });
    assert.equal(category.status, 200, category.text);
    assert.match(category.body, UUID);
    const receipt = await a1.om('POST', `/v2/ecom/receipts/${reference}`, { body: WOO_RECEIPT });
    assert.equal(receipt.status, 201, receipt.text);
    assert.match(receipt.body, UUID);
    const order = await a1.om('GET', `/v2/ecom/${reference}`);
    assert.equal(order.status, 200, order.text);
    assert.deepEqual(order.body, { category: { category: 'ORDER_CONFIRMATION', orderDetailsUrl: 'https://shop.example/order/1', imageId }, receipt: WOO_RECEIPT });
    const upper = await a1.om('GET', `/v2/ECOM/${reference}`);
    assert.deepEqual(upper.body, order.body, 'paymentType matches in any case');
  });

  it('a duplicate image id is a 409 that says "duplicate", and the first image stays', async () => {
    const imageId = `img-${randomUUID()}`;
    assert.equal((await a1.om('POST', '/v1/images', { body: { imageId, src: image, type: 'base64' } })).status, 200);
    const again = await a1.om('POST', '/v1/images', { body: { imageId, src: await png(300), type: 'base64' } });
    assert.equal(again.status, 409, again.text);
    assert.match(again.body.detail, /duplicate/);
    const other = await a2.om('POST', '/v1/images', { body: { imageId, src: image, type: 'base64' } });
    assert.equal(other.status, 200, 'images are kept per sales unit');
  });

  it('a receipt is immutable: a second one is a 409, and the first is what the order reads back', async () => {
    const orderId = newReference();
    assert.equal((await a1.om('POST', `/v2/ECOM/receipts/${orderId}`, { body: RECEIPT })).status, 201);
    const second = await a1.om('POST', `/v2/ecom/receipts/${orderId}`, { body: { ...RECEIPT, orderLines: [RECEIPT.orderLines[0]] } });
    assert.equal(second.status, 409, second.text);
    assert.match(second.body.detail, /immutable/);
    assert.deepEqual((await a1.om('GET', `/v2/ecom/${orderId}`)).body, { receipt: RECEIPT });
  });

  it("the receipt of an ePayment create is the order's receipt: read back by v1 and v2, and a later one is refused with 409", async () => {
    const reference = await a1.created({ receipt: RECEIPT });
    const order = await a1.om('GET', `/v2/ecom/${reference}`);
    assert.equal(order.status, 200, order.text);
    assert.deepEqual(order.body, { receipt: RECEIPT });
    assert.deepEqual((await a1.om('GET', `/v1/receipts/${reference}`)).body, RECEIPT);
    const posted = await a1.om('POST', `/v2/ecom/receipts/${reference}`, { body: RECEIPT });
    assert.equal(posted.status, 409, posted.text);
    assert.match(posted.body.detail, /create request/);
  });

  it('order ids are not checked against payments (as on the platform), and an order with nothing added is a 404', async () => {
    const orderId = `no-such-payment-${randomUUID()}`;
    const missing = await a1.om('GET', `/v2/ecom/${orderId}`);
    assert.equal(missing.status, 404, missing.text);
    assert.equal((await a1.om('PUT', `/v2/ecom/categories/${orderId}`, { body: { category: 'GENERAL', orderDetailsUrl: 'https://shop.example/x' } })).status, 200);
    assert.equal((await a1.om('GET', `/v2/ecom/${orderId}`)).status, 200);
  });

  it('v3 keeps a list of categories per order; get and delete by id; a v2 PUT replaces the list with one', async () => {
    const orderId = newReference();
    const add = (type: string) => a1.om('POST', '/v3/categories', { body: { orderId, paymentType: 'ECOM', type, url: `https://shop.example/${type}` } });
    const first = await add('ORDER_CONFIRMATION');
    assert.equal(first.status, 201, first.text);
    assert.match(first.body.categoryId, UUID);
    const second = await add('DELIVERY');
    const listed = await a1.om('GET', `/v3/categories?orderId=${orderId}`);
    assert.deepEqual(
      listed.body.categories.map((c: { type: string }) => c.type),
      ['ORDER_CONFIRMATION', 'DELIVERY'],
    );
    const got = await a1.om('GET', `/v3/categories/${second.body.categoryId}`);
    assert.deepEqual(got.body, { categoryId: second.body.categoryId, orderId, paymentType: 'ECOM', type: 'DELIVERY', url: 'https://shop.example/DELIVERY' });
    assert.equal((await a1.om('GET', `/v2/ecom/${orderId}`)).body.category.category, 'DELIVERY', 'v2 reads the newest');
    assert.equal((await a1.om('DELETE', `/v3/categories/${first.body.categoryId}`)).status, 200);
    assert.equal((await a1.om('DELETE', `/v3/categories/${first.body.categoryId}`)).status, 404);
    assert.equal((await a1.om('PUT', `/v2/ecom/categories/${orderId}`, { body: { category: 'RECEIPT', orderDetailsUrl: 'https://shop.example/receipt' } })).status, 200);
    const after = await a1.om('GET', `/v3/categories?orderId=${orderId}`);
    assert.deepEqual(
      after.body.categories.map((c: { type: string }) => c.type),
      ['RECEIPT'],
    );
  });

  it("another sales unit or merchant sees none of an order's data", async () => {
    const orderId = newReference();
    const created = await a1.om('POST', '/v3/categories', { body: { orderId, paymentType: 'ECOM', type: 'TICKET', url: 'https://shop.example/t' } });
    for (const other of [a2, b]) {
      assert.equal((await other.om('GET', `/v2/ecom/${orderId}`)).status, 404);
      assert.equal((await other.om('GET', `/v3/categories/${created.body.categoryId}`)).status, 404);
      assert.deepEqual((await other.om('GET', `/v3/categories?orderId=${orderId}`)).body, { categories: [] });
      assert.equal((await other.om('DELETE', `/v3/categories/${created.body.categoryId}`)).status, 404);
    }
  });

  it('the deprecated v1 operations read and write the same ECOM order', async () => {
    const orderId = newReference();
    const put = await a1.om('PUT', `/v1/orders/${orderId}`, { body: { category: 'BOOKING', orderDetailsUrl: 'https://shop.example/b' } });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual((await a1.om('GET', `/v1/orders/${orderId}`)).body, { category: 'BOOKING', orderDetailsUrl: 'https://shop.example/b' });
    assert.equal((await a1.om('POST', `/v1/receipts/${orderId}`, { body: RECEIPT })).status, 200);
    assert.deepEqual((await a1.om('GET', `/v2/ecom/${orderId}`)).body, { category: { category: 'BOOKING', orderDetailsUrl: 'https://shop.example/b' }, receipt: RECEIPT });
  });

  it('a category naming an image that does not exist is refused and nothing is written', async () => {
    const orderId = newReference();
    const res = await a1.om('PUT', `/v2/ecom/categories/${orderId}`, { body: { category: 'GENERAL', orderDetailsUrl: 'https://shop.example/x', imageId: 'never-uploaded' } });
    assertInvalid(res, 'imageId', /upload it first/);
    assert.equal((await a1.om('GET', `/v2/ecom/${orderId}`)).status, 404);
  });

  it('without credentials the gateway answers 401', async () => {
    const res = await a1.om('GET', `/v2/ecom/${newReference()}`, { bare: true });
    assert.equal(res.status, 401);
  });

  describe('bad input gets a 400 naming the field, never a 5xx', () => {
    const line = RECEIPT.orderLines[0]!;
    const cases: Array<{ name: string; method: string; path: () => string; body: () => Promise<unknown> | unknown; param: string; reason?: RegExp }> = [
      { name: 'src that is not base64', method: 'POST', path: () => '/v1/images', body: () => ({ imageId: 'x1', src: 'not base64!', type: 'base64' }), param: 'src', reason: /base64/ },
      { name: 'src that is no PNG or JPEG', method: 'POST', path: () => '/v1/images', body: () => ({ imageId: 'x2', src: Buffer.from('GIF89a-not-really').toString('base64'), type: 'base64' }), param: 'src', reason: /PNG or a JPEG/ },
      { name: 'an image under 167 px high', method: 'POST', path: () => '/v1/images', body: async () => ({ imageId: 'x3', src: await png(100), type: 'base64' }), param: 'src', reason: /height/ },
      { name: 'an image over 2 MB', method: 'POST', path: () => '/v1/images', body: () => ({ imageId: 'x4', src: randomBytes(2 * 1024 * 1024 + 3).toString('base64'), type: 'base64' }), param: 'src', reason: /size/ },
      { name: 'a body far over the limit', method: 'POST', path: () => '/v1/images', body: () => ({ imageId: 'x5', src: randomBytes(4 * 1024 * 1024).toString('base64'), type: 'base64' }), param: 'body', reason: /size/ },
      { name: 'an imageId with a space', method: 'POST', path: () => '/v1/images', body: () => ({ imageId: 'a b', src: image, type: 'base64' }), param: 'imageId' },
      { name: 'an imageId of 129 characters', method: 'POST', path: () => '/v1/images', body: () => ({ imageId: 'a'.repeat(129), src: image, type: 'base64' }), param: 'imageId' },
      { name: 'type other than base64', method: 'POST', path: () => '/v1/images', body: () => ({ imageId: 'x6', src: image, type: 'url' }), param: 'type' },
      { name: 'an unknown category', method: 'PUT', path: () => `/v2/ecom/categories/${newReference()}`, body: () => ({ category: 'INVOICE', orderDetailsUrl: 'https://x.example' }), param: 'category' },
      { name: 'a javascript: orderDetailsUrl', method: 'PUT', path: () => `/v2/ecom/categories/${newReference()}`, body: () => ({ category: 'GENERAL', orderDetailsUrl: 'javascript:alert(1)' }), param: 'orderDetailsUrl' },
      { name: 'an unknown paymentType', method: 'PUT', path: () => `/v2/card/categories/${newReference()}`, body: () => ({ category: 'GENERAL', orderDetailsUrl: 'https://x.example' }), param: 'paymentType' },
      { name: 'an orderId with a slash-free bad character', method: 'GET', path: () => '/v2/ecom/bad*id', body: () => undefined, param: 'orderId' },
      { name: 'a line without taxRate or taxPercentage', method: 'POST', path: () => `/v2/ecom/receipts/${newReference()}`, body: () => ({ ...RECEIPT, orderLines: [{ ...line, taxRate: undefined }] }), param: 'orderLines[0].taxRate' },
      { name: 'a line whose totals do not add up', method: 'POST', path: () => `/v2/ecom/receipts/${newReference()}`, body: () => ({ ...RECEIPT, orderLines: [{ ...line, totalTaxAmount: 300 }] }), param: 'orderLines[0].totalAmount' },
      { name: 'a negative amount', method: 'POST', path: () => `/v2/ecom/receipts/${newReference()}`, body: () => ({ ...RECEIPT, orderLines: [{ ...line, totalAmount: -1000, totalAmountExcludingTax: -800, totalTaxAmount: -200 }] }), param: 'orderLines[0].totalAmount', reason: /isReturn/ },
      { name: 'no order lines', method: 'POST', path: () => `/v2/ecom/receipts/${newReference()}`, body: () => ({ ...RECEIPT, orderLines: [] }), param: 'orderLines' },
      { name: 'a currency the API does not take', method: 'POST', path: () => `/v2/ecom/receipts/${newReference()}`, body: () => ({ ...RECEIPT, bottomLine: { currency: 'SEK' } }), param: 'bottomLine.currency' },
      { name: 'categories queried without orderId', method: 'GET', path: () => '/v3/categories', body: () => undefined, param: 'orderId' },
      { name: 'a categoryId that is no uuid', method: 'GET', path: () => '/v3/categories/not-a-uuid', body: () => undefined, param: 'categoryId' },
    ];
    for (const c of cases) {
      it(`${c.name} → 400 naming ${c.param}`, async () => {
        const body = await c.body();
        const res = await a1.om(c.method, c.path(), body === undefined ? {} : { body });
        assertInvalid(res, c.param, c.reason);
      });
    }
    it('a body that is not JSON → 400 naming body', async () => {
      assertInvalid(await a1.om('POST', '/v1/images', { rawBody: '{"imageId":' }), 'body');
    });
  });
});
