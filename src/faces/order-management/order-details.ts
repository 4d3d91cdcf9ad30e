// What Order Management adds to a payment, as the app shows it: the order's newest category (the one
// the app shows; a v2 PUT replaces, a v3 POST adds) and its receipt. A receipt sent with the ePayment
// create and one sent later through Order Management are one receipt of the payment: the create's
// counts first, and Order Management refuses a second (receipts are immutable).
import type { Payment } from '../../domain/payment.ts';
import { epaymentTermsOf } from '../epayment/terms.ts';
import type { OmCategory, OmReader, ReceiptDocument } from './om-store.ts';

export interface OrderDetails {
  category: OmCategory | null;
  receipt: ReceiptDocument | null;
}

/** The receipt an ePayment create carried, if any. */
export function createReceiptOf(p: Payment): ReceiptDocument | null {
  const receipt = epaymentTermsOf(p).receipt as ReceiptDocument | undefined;
  return receipt ?? null;
}

/** The order details of a payment (its sales unit and reference are the order's MSN and order id; ePayment payments are ECOM). */
export async function orderDetailsOf(om: OmReader, p: Payment): Promise<OrderDetails> {
  const [categories, stored] = await Promise.all([om.categories(p.msn, p.reference), om.receipt(p.msn, 'ECOM', p.reference)]);
  return { category: categories.at(-1) ?? null, receipt: createReceiptOf(p) ?? stored?.receipt ?? null };
}
