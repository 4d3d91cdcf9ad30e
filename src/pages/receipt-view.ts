// An Order Management receipt as the app shows it: the order lines (shipping in its own group,
// returns negative), the total computed from the lines, VAT per rate, then the bottom line (tip,
// what paid it, receipt number, POS) and the barcode. Lines that do not add up to the payment's
// amount are not shown at all; a note says so instead.
import type { Currency } from '../domain/money.ts';
import type { ReceiptDocument } from '../faces/order-management/om-store.ts';
import { barcodeView, type BarcodeInput } from './barcode.ts';
import { formatAmount } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { ENGLISH, type Messages } from './i18n/messages.ts';

/** An order line as stored (the spec's `OrderLine`; read defensively, it is the merchant's JSON). */
interface Line {
  name?: unknown;
  totalAmount?: unknown;
  totalTaxAmount?: unknown;
  taxRate?: unknown;
  taxPercentage?: unknown;
  discount?: unknown;
  isReturn?: unknown;
  isShipping?: unknown;
  unitInfo?: { unitPrice?: unknown; quantity?: unknown; quantityUnit?: unknown } | null;
}

interface BottomLine {
  tipAmount?: unknown;
  posId?: unknown;
  terminalId?: unknown;
  receiptNumber?: unknown;
  paymentSources?: Record<string, unknown> | null;
  barcode?: BarcodeInput | null;
}

const UNIT: Record<string, string> = { KG: 'kg', KM: 'km', MINUTE: 'min', LITRE: 'l', KWH: 'kWh' };
const SOURCES = ['card', 'giftCard', 'voucher', 'cash'] as const;

const int = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0);
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
/** Returns count negative towards every sum (the spec's `isReturn`). */
const sign = (l: Line) => (l.isReturn === true ? -1 : 1);

/** The line's VAT rate in hundredths of a percent: `taxRate`, or the deprecated `taxPercentage` × 100. */
export function taxRateOf(l: Line): number | null {
  if (typeof l.taxRate === 'number') return l.taxRate;
  if (typeof l.taxPercentage === 'number') return l.taxPercentage * 100;
  return null;
}

/** The sum of the lines, returns negative: what the app takes as the receipt's total. */
export function linesTotal(lines: readonly Line[]): number {
  return lines.reduce((sum, l) => sum + sign(l) * int(l.totalAmount), 0);
}

/** VAT per rate (rate in hundredths of a percent → tax in minor units), lowest rate first. */
export function vatByRate(lines: readonly Line[]): Array<{ rate: number; tax: number }> {
  const byRate = new Map<number, number>();
  for (const l of lines) {
    const rate = taxRateOf(l);
    if (rate === null) continue;
    byRate.set(rate, (byRate.get(rate) ?? 0) + sign(l) * int(l.totalTaxAmount));
  }
  return [...byRate].sort(([a], [b]) => a - b).map(([rate, tax]) => ({ rate, tax }));
}

/** 2500 → "25", 1250 → "12,5" (Nordic decimal comma). */
const percent = (rate: number) => String(rate / 100).replace('.', ',');

function lineView(l: Line, currency: Currency, t: Messages): SafeHtml {
  const money = (minor: number) => formatAmount(currency, minor);
  const unit = l.unitInfo ?? null;
  const quantity = unit && text(unit.quantity) !== null ? `${text(unit.quantity)} ${UNIT[String(unit.quantityUnit ?? 'PCS')] ?? t.pieces}` : null;
  const details = [
    quantity && unit && typeof unit.unitPrice === 'number' ? `${quantity} × ${money(unit.unitPrice)}` : quantity,
    int(l.discount) > 0 ? t.discount(money(-int(l.discount))) : null,
    l.isReturn === true ? t.returned : null,
  ].filter((d): d is string => d !== null);
  return html`<li data-testid="receipt-line"${l.isReturn === true ? html` data-return` : null}><span><span class="line-name" data-testid="receipt-line-name">${text(l.name) ?? t.item}</span>${
    details.length > 0 ? html`<br><span class="muted small" data-testid="receipt-line-detail">${details.join(' · ')}</span>` : null
  }</span><span data-testid="receipt-line-amount">${money(sign(l) * int(l.totalAmount))}</span></li>`;
}

const row = (label: string, value: string, testid: string) => html`<li data-testid="${testid}"><span>${label}</span><span>${value}</span></li>`;

function bottomLineView(b: BottomLine, currency: Currency, t: Messages): SafeHtml | null {
  const money = (minor: number) => formatAmount(currency, minor);
  const sources = b.paymentSources ?? {};
  const rows = [
    int(b.tipAmount) > 0 ? row(t.tip, money(int(b.tipAmount)), 'receipt-tip') : null,
    ...SOURCES.filter((key) => int(sources[key]) > 0).map((key) => row(t.paidBy(t.paymentSource[key]), money(int(sources[key])), `receipt-paid-${key}`)),
    text(b.receiptNumber) !== null ? row(t.receiptNumber, text(b.receiptNumber)!, 'receipt-number') : null,
    text(b.posId ?? b.terminalId) !== null ? row(t.pos, text(b.posId ?? b.terminalId)!, 'receipt-pos') : null,
  ].filter((r) => r !== null);
  return rows.length > 0 ? html`<ul class="lines receipt-bottom" aria-label="${t.receiptDetails}">${rows}</ul>` : null;
}

/** The receipt, for a payment of `amount` minor units in `currency`. */
export function receiptView(receipt: ReceiptDocument, currency: Currency, amount: number, t: Messages = ENGLISH): SafeHtml {
  const lines = (Array.isArray(receipt.orderLines) ? receipt.orderLines : []) as Line[];
  const bottom = (receipt.bottomLine ?? {}) as BottomLine;
  const total = linesTotal(lines);
  const barcode = bottom.barcode ? barcodeView(bottom.barcode) : null;
  const tail = html`${bottomLineView(bottom, currency, t)}${barcode}`;
  if (total !== amount) {
    return html`<div class="receipt" data-testid="receipt">
<p class="alert alert-info" data-testid="receipt-lines-hidden">${t.linesHidden(formatAmount(currency, total), formatAmount(currency, amount))}</p>
${tail}</div>`;
  }
  const goods = lines.filter((l) => l.isShipping !== true);
  const shipping = lines.filter((l) => l.isShipping === true);
  const vat = vatByRate(lines).map(({ rate, tax }) => html`<li data-testid="receipt-vat" data-rate="${String(rate)}"><span>${t.vat(percent(rate))}</span><span>${formatAmount(currency, tax)}</span></li>`);
  return html`<div class="receipt" data-testid="receipt">
${goods.length > 0 ? html`<ul class="lines" aria-label="${t.orderLines}" data-testid="receipt-lines">${goods.map((l) => lineView(l, currency, t))}</ul>` : null}
${shipping.length > 0 ? html`<div class="receipt-group">${t.shipping}</div><ul class="lines" aria-label="${t.shipping}" data-testid="receipt-shipping">${shipping.map((l) => lineView(l, currency, t))}</ul>` : null}
<ul class="lines receipt-totals" aria-label="${t.total}">
  <li class="receipt-total" data-testid="receipt-total"><span>${t.total}</span><span>${formatAmount(currency, total)}</span></li>
  ${vat}
</ul>
${tail}</div>`;
}
