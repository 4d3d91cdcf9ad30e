// The Order Management part of the app's payment screen: the category (label and image), the
// receipt, and the category's button to the merchant's page.
import type { Currency } from '../domain/money.ts';
import type { OmCategory, ReceiptDocument } from '../faces/order-management/om-store.ts';
import { html, type SafeHtml } from './html.ts';
import { ENGLISH, type Messages } from './i18n/messages.ts';
import { categoryButton } from './order-category.ts';
import { receiptView } from './receipt-view.ts';

export interface AppOrderDetails {
  category: OmCategory | null;
  receipt: ReceiptDocument | null;
  /** Where the app loads the category's image from; null when it has none that exists. */
  imageSrc: string | null;
}

/** Nothing when the order has neither a category nor a receipt. */
export function orderDetailsSection(d: AppOrderDetails, currency: Currency, amount: number, t: Messages = ENGLISH): SafeHtml | null {
  if (!d.category && !d.receipt) return null;
  const head = d.category
    ? html`<div class="order-head">${d.imageSrc ? html`<img class="order-image" src="${d.imageSrc}" alt="" data-testid="order-image">` : null}<b data-testid="order-category">${t.category[d.category.type]}</b></div>`
    : html`<div class="order-head"><b>${t.orderDetails}</b></div>`;
  return html`<section class="panel order-details stack" data-testid="order-details"${d.category ? html` data-category="${d.category.type}"` : null}>
${head}
${d.receipt ? receiptView(d.receipt, currency, amount, t) : null}
${d.category ? categoryButton(d.category, t) : null}
</section>`;
}
