// The receipt as the app shows it, rendered to HTML and read back as text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReceiptDocument } from '../faces/order-management/om-store.ts';
import { barcodeView } from './barcode.ts';
import { formatAmount } from './format.ts';
import { categoryButton } from './order-category.ts';
import { orderDetailsSection } from './order-details-view.ts';
import { receiptView } from './receipt-view.ts';

const kr = (minor: number) => formatAmount('NOK', minor);
const textOf = (markup: string) => markup.replace(/<[^>]*>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
/** The text of each element with this data-testid (elements without nested same-name tags). */
function texts(markup: string, testid: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<(\\w+)[^>]*data-testid="${testid}"[^>]*>([\\s\\S]*?)</\\1>`, 'g');
  for (const m of markup.matchAll(re)) out.push(textOf(m[2]!));
  return out;
}

const line = (name: string, totalAmount: number, more: Record<string, unknown> = {}) => ({
  name,
  id: name,
  totalAmount,
  totalAmountExcludingTax: Math.round(totalAmount * 0.8),
  totalTaxAmount: totalAmount - Math.round(totalAmount * 0.8),
  taxRate: 2500,
  ...more,
});

const SOCKS = line('Socks', 10000, { unitInfo: { unitPrice: 4000, quantity: '2.5', quantityUnit: 'KG' } });
const FLIPS = line('Flip-flops', 5000, { taxRate: 1500, totalTaxAmount: 652, totalAmountExcludingTax: 4348, discount: 2500, unitInfo: { unitPrice: 2500, quantity: '3' } });
const RETURNED = line('Returned hat', 2000, { isReturn: true });
const SHIPPING = line('Home delivery', 1000, { isShipping: true });
const receipt = (orderLines: Array<Record<string, unknown>>, bottomLine: Record<string, unknown> = { currency: 'NOK' }): ReceiptDocument => ({ orderLines, bottomLine });
const ALL = receipt([SOCKS, FLIPS, RETURNED, SHIPPING], { currency: 'NOK', tipAmount: 500, receiptNumber: 'R-0042', posId: 'till-7', paymentSources: { card: 9000, giftCard: 5000 } });
const ALL_SUM = 10000 + 5000 - 2000 + 1000;

describe('the receipt view', () => {
  it('shows each order line with its quantity and unit, unit price, discount and amount', () => {
    const out = receiptView(ALL, 'NOK', ALL_SUM).value;
    assert.deepEqual(texts(out, 'receipt-line-name'), ['Socks', 'Flip-flops', 'Returned hat', 'Home delivery']);
    const details = texts(out, 'receipt-line-detail');
    assert.equal(details[0], `2.5 kg × ${kr(4000)}`);
    assert.equal(details[1], `3 pcs × ${kr(2500)} · Discount ${kr(-2500)}`, 'no quantityUnit means pieces');
    assert.deepEqual(texts(out, 'receipt-line-amount'), [kr(10000), kr(5000), kr(-2000), kr(1000)]);
  });

  it('counts a returned line negative, in its amount, the total and the VAT', () => {
    const out = receiptView(receipt([SOCKS, RETURNED]), 'NOK', 8000).value;
    assert.deepEqual(texts(out, 'receipt-line-amount'), [kr(10000), kr(-2000)]);
    assert.equal(texts(out, 'receipt-total')[0], `Total${kr(8000)}`);
    assert.equal(texts(out, 'receipt-vat')[0], `VAT 25 %${kr(2000 - 400)}`);
    assert.match(out, /data-testid="receipt-line" data-return/);
  });

  it('puts shipping lines in their own group', () => {
    const out = receiptView(ALL, 'NOK', ALL_SUM).value;
    const shipping = out.slice(out.indexOf('data-testid="receipt-shipping"'));
    assert.ok(out.includes('data-testid="receipt-shipping"'));
    assert.match(textOf(shipping), /^[^]*Home delivery/);
    assert.doesNotMatch(textOf(shipping), /Socks/);
    const goods = out.slice(out.indexOf('data-testid="receipt-lines"'), out.indexOf('data-testid="receipt-shipping"'));
    assert.doesNotMatch(textOf(goods), /Home delivery/);
  });

  it('sums VAT per rate, taking the deprecated taxPercentage as that many percent', () => {
    const old = line('Old-style', 3000, { taxRate: undefined, taxPercentage: 15, totalTaxAmount: 391 });
    const out = receiptView(receipt([SOCKS, FLIPS, old, SHIPPING]), 'NOK', 19000).value;
    assert.deepEqual(texts(out, 'receipt-vat'), [`VAT 15 %${kr(652 + 391)}`, `VAT 25 %${kr(2000 + 200)}`]);
  });

  it('shows the bottom line: total computed from the lines, tip, payment sources, receipt number, POS', () => {
    const out = receiptView({ ...ALL, bottomLine: { ...ALL.bottomLine, totalAmount: 1 } }, 'NOK', ALL_SUM).value;
    assert.equal(texts(out, 'receipt-total')[0], `Total${kr(ALL_SUM)}`, 'the deprecated bottomLine.totalAmount is ignored');
    assert.equal(texts(out, 'receipt-tip')[0], `Tip${kr(500)}`);
    assert.equal(texts(out, 'receipt-paid-card')[0], `Paid by card${kr(9000)}`);
    assert.equal(texts(out, 'receipt-paid-giftCard')[0], `Paid by gift card${kr(5000)}`);
    assert.equal(texts(out, 'receipt-paid-cash').length, 0);
    assert.equal(texts(out, 'receipt-number')[0], 'Receipt numberR-0042');
    assert.equal(texts(out, 'receipt-pos')[0], 'POStill-7');
  });

  it('shows none of the lines when they do not add up to the payment amount, and says so', () => {
    const out = receiptView(ALL, 'NOK', ALL_SUM + 1).value;
    assert.equal(texts(out, 'receipt-line').length, 0);
    assert.equal(texts(out, 'receipt-vat').length, 0);
    assert.equal(texts(out, 'receipt-total').length, 0);
    assert.match(texts(out, 'receipt-lines-hidden')[0]!, new RegExp(`add up to ${kr(ALL_SUM)}, not the ${kr(ALL_SUM + 1)} paid`));
    assert.doesNotMatch(out, /Socks/);
    assert.equal(texts(out, 'receipt-number')[0], 'Receipt numberR-0042', 'the bottom line is still shown');
  });

  it('escapes merchant-typed names and bottom-line text', () => {
    const evil = '<script>alert(1)</script>';
    const out = receiptView(receipt([line(evil, 100)], { currency: 'NOK', receiptNumber: evil, posId: '"><img src=x onerror=alert(1)>' }), 'NOK', 100).value;
    assert.doesNotMatch(out, /<script|<img/);
    assert.ok(out.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });
});

describe('the receipt barcode', () => {
  const svgOf = (format: string, data: string) => barcodeView({ format, data })!.value;

  for (const [format, data] of [['CODE 39', 'ORDER-10452'], ['CODE 128', 'Receipt 10452/a'], ['EAN-13', '5901234123457'], ['EAN-13', '590123412345']] as const) {
    it(`draws ${format} data ${data} as an SVG barcode`, () => {
      const out = svgOf(format, data);
      assert.match(out, /data-testid="barcode"/);
      assert.match(out, /<svg[^>]*viewBox="[^"]+"[^>]*>[\s\S]*<path[\s\S]*<\/svg>/);
      assert.doesNotMatch(out, /data-testid="barcode-text"/);
    });
  }

  for (const data of ['5901234123450', '123456', 'not digits']) {
    it(`shows EAN-13 data that is not a valid EAN-13 (${data}) as text with a note`, () => {
      const out = svgOf('EAN-13', data);
      assert.doesNotMatch(out, /<svg/);
      assert.equal(texts(out, 'barcode-text').length, 1);
      assert.match(textOf(out), new RegExp(`${data}Not a valid EAN-13 barcode`));
    });
  }

  it('escapes barcode data: in the text fallback and in the SVG label', () => {
    const evil = '<script>alert(1)</script>';
    for (const format of ['EAN-13', 'CODE 128']) {
      const out = svgOf(format, evil);
      assert.doesNotMatch(out, /<script/);
      assert.ok(out.includes('&lt;script&gt;'), format);
    }
  });
});

describe('the category button', () => {
  const button = (type: Parameters<typeof categoryButton>[0]['type'], url = 'https://shop.example/order/1') => categoryButton({ type, url })?.value ?? '';

  it('names the link by category and opens the merchant URL with rel="noopener"', () => {
    const labels = (['GENERAL', 'ORDER_CONFIRMATION', 'RECEIPT', 'DELIVERY', 'TICKET', 'BOOKING'] as const).map((t) => textOf(button(t)));
    assert.deepEqual(labels, ['See order', 'See order', 'See order', 'Track delivery', 'Show ticket', 'See booking']);
    assert.match(button('DELIVERY'), /href="https:\/\/shop\.example\/order\/1" rel="noopener"/);
    assert.match(button('TICKET', 'http://localhost:3000/t'), /href="http:\/\/localhost:3000\/t"/);
  });

  it('shows no button for a URL that is not http(s)', () => {
    for (const url of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,x', 'vipps://x', '/relative', 'not a url']) assert.equal(categoryButton({ type: 'GENERAL', url }), null, url);
  });

  it('escapes the URL', () => {
    const out = button('GENERAL', 'https://shop.example/"><script>alert(1)</script>');
    assert.doesNotMatch(out, /<script|"></);
  });

  it('the order section shows the category label and image, and no section when there is nothing to show', () => {
    const category = { categoryId: 'c', msn: '1', paymentType: 'ECOM' as const, orderId: 'o', type: 'TICKET' as const, url: 'https://x.example/t', imageId: 'img', createdAt: 0 };
    const out = orderDetailsSection({ category, receipt: null, imageSrc: '/app/payment/image?token=t' }, 'NOK', 100)!.value;
    assert.equal(texts(out, 'order-category')[0], 'Ticket');
    assert.match(out, /<img[^>]*src="\/app\/payment\/image\?token=t"[^>]*data-testid="order-image"/);
    assert.equal(texts(out, 'category-link')[0], 'Show ticket');
    assert.doesNotMatch(orderDetailsSection({ category, receipt: null, imageSrc: null }, 'NOK', 100)!.value, /order-image/);
    assert.equal(orderDetailsSection({ category: null, receipt: null, imageSrc: null }, 'NOK', 100), null);
  });
});
