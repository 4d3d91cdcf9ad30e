// Order Management rows written straight to the store, for page tests and screenshots while the
// face's HTTP API is not on this branch (the rows the API would write: image, category, receipt).
import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import { orderManagementStore, type CategoryType, type ReceiptDocument } from '../src/faces/order-management/om-store.ts';
import type { Store } from '../src/store/store.ts';

/** A square PNG (a QR code of `text`), `size` px: tall enough for Order Management's 167 px minimum. */
export async function samplePng(text: string, size = 200): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', width: size, margin: 2 });
}

export async function addImage(store: Store, msn: string, imageId: string, png: Buffer): Promise<void> {
  const om = await orderManagementStore(store);
  await store.transaction((tx) => om.in(tx.sql).addImage({ msn, imageId, mime: 'image/png', width: 200, height: 200, base64: png.toString('base64'), createdAt: Date.now() }));
}

/** v2 PUT semantics: the order's categories become this one. */
export async function putCategory(store: Store, msn: string, orderId: string, type: CategoryType, url: string, imageId: string | null = null): Promise<void> {
  const om = await orderManagementStore(store);
  await store.transaction((tx) => om.in(tx.sql).replaceCategories({ categoryId: randomUUID(), msn, paymentType: 'ECOM', orderId, type, url, imageId, createdAt: Date.now() }));
}

export async function addReceipt(store: Store, msn: string, orderId: string, receipt: ReceiptDocument): Promise<void> {
  const om = await orderManagementStore(store);
  await store.transaction((tx) => om.in(tx.sql).addReceipt({ msn, paymentType: 'ECOM', orderId, receipt, createdAt: Date.now() }));
}
