// Order Management data for page tests and screenshots, sent through the real API as a merchant would
// (the merchant's Api client: its sales unit is the order's). One writer goes straight to the store:
// a category naming an image that was never uploaded, a state the API refuses to create but the pages
// must still survive.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import { orderManagementStore, type CategoryType, type ReceiptDocument } from '../src/faces/order-management/om-store.ts';
import type { Store } from '../src/store/store.ts';
import type { Api } from './api-client.ts';

/** A square PNG (a QR code of `text`), `size` px: tall enough for Order Management's 167 px minimum. */
export async function samplePng(text: string, size = 200): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', width: size, margin: 2 });
}

/** POST /order-management/v1/images */
export async function addImage(api: Api, imageId: string, png: Buffer): Promise<void> {
  const res = await api.om('POST', '/v1/images', { body: { imageId, src: png.toString('base64'), type: 'base64' } });
  assert.equal(res.status, 200, res.text);
}

/** PUT /order-management/v2/ecom/categories/{orderId}: the order's category becomes this one. */
export async function putCategory(api: Api, orderId: string, category: CategoryType, orderDetailsUrl: string, imageId: string | null = null): Promise<void> {
  const res = await api.om('PUT', `/v2/ecom/categories/${orderId}`, { body: { category, orderDetailsUrl, ...(imageId ? { imageId } : {}) } });
  assert.equal(res.status, 200, res.text);
}

/** POST /order-management/v2/ecom/receipts/{orderId} */
export async function addReceipt(api: Api, orderId: string, receipt: ReceiptDocument): Promise<void> {
  const res = await api.om('POST', `/v2/ecom/receipts/${orderId}`, { body: receipt });
  assert.equal(res.status, 201, res.text);
}

/** A category whose image does not exist, written to the store (the API refuses it). */
export async function putCategoryWithoutImage(store: Store, msn: string, orderId: string, type: CategoryType, url: string, imageId: string): Promise<void> {
  const om = await orderManagementStore(store);
  await store.transaction((tx) => om.in(tx.sql).replaceCategories({ categoryId: randomUUID(), msn, paymentType: 'ECOM', orderId, type, url, imageId, createdAt: Date.now() }));
}
