import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCreatePayment, phoneFromPersonalQr, type CreatePaymentRequest } from './create-payment-rules.ts';
import { FieldValidationError } from '../../domain/reasons.ts';
import { DAY_MS } from '../../domain/payment.ts';
import { defaultSalesUnit } from '../../domain/sales-unit.ts';
import { epaymentCodeOf } from '../../../test-support/domain-errors.ts';

const NOW = Date.UTC(2026, 0, 1);
const base = (over: Partial<CreatePaymentRequest> = {}): CreatePaymentRequest => ({
  amount: { currency: 'NOK', value: 1000 },
  paymentMethod: { type: 'WALLET' },
  reference: 'order-12345678',
  userFlow: 'WEB_REDIRECT',
  returnUrl: 'https://example.com/back',
  ...over,
});
const ctx = { now: NOW, salesUnit: defaultSalesUnit('123456', 'Shop'), customerExists: (p: string) => p !== '4700000000' };

function code(req: CreatePaymentRequest): string {
  try {
    validateCreatePayment(req, ctx);
  } catch (err) {
    const coded = epaymentCodeOf(err);
    if (coded !== null) return coded;
    if (err instanceof FieldValidationError) return `field:${err.fields.map((f) => f.name).join(',')}`;
    throw err;
  }
  return 'ok';
}

const receipt = {
  orderLines: [{ name: 'Socks', id: 'l1', totalAmount: 1000, totalAmountExcludingTax: 800, totalTaxAmount: 200, taxRate: 2500 }],
  bottomLine: { currency: 'NOK' as const },
};

describe('create-payment rules', () => {
  it('a valid WEB_REDIRECT request chooses no expiry of its own: the default ten minutes apply', () => {
    const v = validateCreatePayment(base(), ctx);
    assert.equal(v.expiresAt, undefined);
    assert.equal(v.terms.longLiving, false);
    assert.equal(v.epayment.customerInteraction, 'CUSTOMER_NOT_PRESENT');
  });

  it('amounts below the currency minimum are rejected with 6010', () => {
    assert.equal(code(base({ amount: { currency: 'NOK', value: 99 } })), '6010');
    assert.equal(code(base({ amount: { currency: 'DKK', value: 1 } })), 'ok');
  });

  it('an amount above 65,000,000 minor units is rejected with 4040 by the rules themselves, whatever face sent it', () => {
    assert.equal(code(base({ amount: { currency: 'NOK', value: 65_000_001 } })), '4040');
    assert.equal(code(base({ amount: { currency: 'NOK', value: 65_000_000 } })), 'ok');
  });

  it('card-passthrough-only currencies are rejected for WALLET with 5040', () => {
    assert.equal(code(base({ amount: { currency: 'SEK', value: 1000 } })), '5040');
  });

  it('flows without their required field are rejected with 4140', () => {
    assert.equal(code(base({ returnUrl: undefined })), '4140');
    assert.equal(code(base({ userFlow: 'PUSH_MESSAGE' })), '4140');
  });

  it('a customer with two identifiers names the customer field', () => {
    assert.equal(code(base({ customer: { phoneNumber: '4712345678', personalQr: 'https://qr.vipps.no/p/4712345678' } })), 'field:customer');
  });

  it('an unknown customer is rejected with 7010', () => {
    assert.equal(code(base({ userFlow: 'PUSH_MESSAGE', customer: { phoneNumber: '4700000000' } })), '7010');
  });

  it('unsafe return URLs are rejected with 4090; http to any host is left to the face (a leniency)', () => {
    assert.equal(code(base({ returnUrl: 'javascript:alert(1)' })), '4090');
    assert.equal(code(base({ returnUrl: 'http://shop.example.com/' })), 'ok');
    assert.equal(code(base({ returnUrl: 'myapp://paid' })), 'ok');
    assert.equal(code(base({ returnUrl: 'http://localhost:3000/paid' })), 'ok');
  });

  it('return URLs with a scheme that launches programs or with user:password@ are rejected with 4090', () => {
    for (const returnUrl of ['ms-msdt:/id PCWDiagnostic', 'MS-MSDT:x', 'intent://scan/#Intent;end', 'view-source:https://example.com', 'jar:https://example.com/a.jar!/', 'https://user:pass@example.com/', 'https://user@example.com/']) {
      assert.equal(code(base({ returnUrl })), '4090', returnUrl);
    }
  });

  it('metadata limits have their own codes', () => {
    const six = Object.fromEntries([1, 2, 3, 4, 5, 6].map((i) => [`k${i}`, 'v']));
    assert.equal(code(base({ metadata: six })), '4100');
    assert.equal(code(base({ metadata: { ['k'.repeat(101)]: 'v' } })), '4120');
    assert.equal(code(base({ metadata: { k: 'v'.repeat(501) } })), '4130');
  });

  it('scopes: unknown → 4080, nin without permission → 5030', () => {
    assert.equal(code(base({ profile: { scope: 'name shoeSize' } })), '4080');
    assert.equal(code(base({ profile: { scope: 'name nin' } })), '5030');
    assert.equal(code(base({ profile: { scope: 'name email' } })), 'ok');
  });

  it('expiresAt needs a receipt and must lie between 10 minutes and 60 days ahead', () => {
    const at = (ms: number) => new Date(NOW + ms).toISOString();
    assert.equal(code(base({ expiresAt: at(DAY_MS) })), '6130');
    assert.equal(code(base({ expiresAt: at(5 * 60_000), receipt })), '6120');
    assert.equal(code(base({ expiresAt: at(61 * DAY_MS), receipt })), '6110');
    const v = validateCreatePayment(base({ expiresAt: at(DAY_MS), receipt }), ctx);
    assert.equal(v.expiresAt, NOW + DAY_MS);
    assert.equal(v.terms.longLiving, true);
  });

  it('a receipt whose lines do not add up names the line', () => {
    const bad = { ...receipt, orderLines: [{ ...receipt.orderLines[0]!, totalTaxAmount: 150 }] };
    assert.equal(code(base({ receipt: bad })), 'field:receipt.orderLines[0].totalAmount');
  });

  it('QR payments default to an SVG image; PNG defaults to 1024 px', () => {
    assert.deepEqual(validateCreatePayment(base({ userFlow: 'QR' }), ctx).terms.qrFormat, { format: 'IMAGE/SVG+XML' });
    assert.deepEqual(validateCreatePayment(base({ userFlow: 'QR', qrFormat: { format: 'IMAGE/PNG' } }), ctx).terms.qrFormat, { format: 'IMAGE/PNG', size: 1024 });
  });

  it('personal QR codes yield the MSISDN they carry', () => {
    assert.equal(phoneFromPersonalQr('https://qr.vipps.no/28/2/01/031/4712345678?v=1'), '4712345678');
    assert.equal(phoneFromPersonalQr('not a qr'), undefined);
  });
});
