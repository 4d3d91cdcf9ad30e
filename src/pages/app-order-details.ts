// What the app reads of Order Management: the newest category and the receipt of a payment, and
// whether the category's image exists (an imageId the sales unit never uploaded shows no picture).
import type { Payment } from '../domain/payment.ts';
import type { OmCategory, OmReader } from '../faces/order-management/om-store.ts';
import { orderDetailsOf } from '../faces/order-management/order-details.ts';
import type { AppOrderDetails } from './order-details-view.ts';
import { appImagePath } from './paths.ts';

async function imageSrcOf(om: OmReader, p: Payment, category: OmCategory | null): Promise<string | null> {
  if (!category?.imageId) return null;
  return (await om.image(p.msn, category.imageId)) ? appImagePath(p.token) : null;
}

export async function appOrderDetails(om: OmReader, p: Payment): Promise<AppOrderDetails> {
  const { category, receipt } = await orderDetailsOf(om, p);
  return { category, receipt, imageSrc: await imageSrcOf(om, p, category) };
}

export interface HistoryOrder {
  category: OmCategory;
  imageSrc: string | null;
}

/** The category of each history payment that has one, by payment id. */
export async function historyOrders(om: OmReader, payments: readonly Payment[]): Promise<Map<string, HistoryOrder>> {
  const found = await Promise.all(
    payments.map(async (p) => {
      const category = (await om.categories(p.msn, p.reference)).at(-1);
      return category ? ([p.id, { category, imageSrc: await imageSrcOf(om, p, category) }] as const) : null;
    }),
  );
  return new Map(found.filter((f) => f !== null));
}
