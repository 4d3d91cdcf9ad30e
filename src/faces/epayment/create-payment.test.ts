// Create payment (POST /epayment/v1/payments) over HTTP: every rule of CreatePaymentRequest and the
// error code it answers with (PLATFORM-NOTES.md §3.2–3.3, §7).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { Api, errorCode, newReference, paymentRequest, type ApiResponse } from '../../../test-support/api-client.ts';
import { credentialsOf, MERCHANT_A, MERCHANT_B, type TestMerchant } from '../../../test-support/merchants.ts';
import { useServer } from '../../../test-support/server.ts';


const RECEIPT = {
  orderLines: [{ name: 'Socks', id: 'line-1', totalAmount: 1000, totalAmountExcludingTax: 800, totalTaxAmount: 200, taxRate: 2500 }],
  bottomLine: { currency: 'NOK' },
};

function assertCode(res: ApiResponse, status: number, code: string): void {
  assert.equal(res.status, status, res.text);
  assert.equal(errorCode(res), code, res.text);
}

/** A 400 validation problem that names `field` in extraDetails and carries no ErrorCode. */
function assertFieldError(res: ApiResponse, field: string): void {
  assert.equal(res.status, 400, res.text);
  assert.equal(errorCode(res), undefined, 'malformed fields carry no ErrorCode');
  const names = (res.body.extraDetails ?? []).map((d: { name: string }) => d.name);
  assert.ok(names.includes(field), `extraDetails should name ${field}, got ${JSON.stringify(names)}`);
}

function tokenOf(redirectUrl: string): string | null {
  return new URL(redirectUrl).searchParams.get('token');
}

// The whole suite runs on a default server and again with strictRequests: the rules are the same,
// except where the platform reads a request leniently (http:// URLs, a number for a string).
for (const strict of [false, true]) describe(strict ? 'create payment with strictRequests (as before leniency)' : 'create payment', () => {
  const t = useServer({ merchants: [MERCHANT_A, MERCHANT_B], ...(strict ? { strictRequests: true } : {}) });

  describe('amount and currency', () => {
    it('NOK 100 øre (the minimum) is accepted', async () => {
      const res = await t.api.createPayment({ amount: { currency: 'NOK', value: 100 } });
      assert.equal(res.status, 201, res.text);
    });

    it('NOK 99 øre is rejected with 6010', async () => {
      assertCode(await t.api.createPayment({ amount: { currency: 'NOK', value: 99 } }), 400, '6010');
    });

    it('DKK 1 øre is accepted', async () => {
      const res = await t.api.createPayment({ amount: { currency: 'DKK', value: 1 } });
      assert.equal(res.status, 201, res.text);
      const payment = await t.api.getPayment(res.body.reference);
      assert.deepEqual(payment.body.amount, { currency: 'DKK', value: 1 });
    });

    it('EUR 1 cent is accepted', async () => {
      const res = await t.api.createPayment({ amount: { currency: 'EUR', value: 1 } });
      assert.equal(res.status, 201, res.text);
    });

    it('DKK 0 is rejected with 6010', async () => {
      assertCode(await t.api.createPayment({ amount: { currency: 'DKK', value: 0 } }), 400, '6010');
    });

    for (const currency of ['SEK', 'USD', 'GBP']) {
      it(`${currency} with WALLET is rejected with 5040 (only for CARD_PASSTHROUGH)`, async () => {
        const res = await t.api.createPayment({ amount: { currency, value: 10000 } });
        assertCode(res, 400, '5040');
        assert.equal(res.body.title, 'Invalid currency for merchant');
      });
    }

    it('the maximum 65000000 is accepted', async () => {
      const res = await t.api.createPayment({ amount: { currency: 'NOK', value: 65_000_000 } });
      assert.equal(res.status, 201, res.text);
    });

    it('65000001 is rejected with 400 naming amount.value', async () => {
      assertFieldError(await t.api.createPayment({ amount: { currency: 'NOK', value: 65_000_001 } }), 'amount.value');
    });

    it('a non-integer amount is rejected with 4040', async () => {
      // PLATFORM-NOTES §3.2: "a non-integer gives 4040"; the errors page: "Amounts must be integers, no decimals."
      assertCode(await t.api.createPayment({ amount: { currency: 'NOK', value: 100.5 } }), 400, '4040');
    });
  });

  describe('payment method', () => {
    it('CARD with a flow other than WEB_REDIRECT is rejected with 4160', async () => {
      const res = await t.api.createPayment({ paymentMethod: { type: 'CARD' }, userFlow: 'QR', returnUrl: undefined });
      assertCode(res, 400, '4160');
      assert.match(res.body.detail, /WEB_REDIRECT/);
    });

    it("CARD_PASSTHROUGH with a merchant's credentials (no Psp-Id) is rejected with 4160 saying it is for PSPs only", async () => {
      const res = await t.api.createPayment({
        paymentMethod: { type: 'CARD_PASSTHROUGH' },
        cardPassthrough: { pspReference: 'psp-reference', cardCallbackUrl: 'https://callback.example', allowedCardTypes: ['VISA_DEBIT'] },
      });
      assertCode(res, 400, '4160');
      assert.match(res.body.detail, /PSPs only.*Psp-Id/);
    });

    it('cardPassthrough details on a WALLET payment are rejected with 4160', async () => {
      const res = await t.api.createPayment({
        cardPassthrough: { pspReference: 'psp-reference', cardCallbackUrl: 'https://callback.example', allowedCardTypes: ['VISA_DEBIT'] },
      });
      assertCode(res, 400, '4160');
    });

    it('blockedSources on a NOK payment is rejected with 5010', async () => {
      assertCode(await t.api.createPayment({ paymentMethod: { type: 'WALLET', blockedSources: ['COMMERCIAL_CARDS'] } }), 400, '5010');
    });

    it('blockedSources on a DKK WALLET payment is accepted', async () => {
      const res = await t.api.createPayment({ amount: { currency: 'DKK', value: 1000 }, paymentMethod: { type: 'WALLET', blockedSources: ['COMMERCIAL_CARDS'] } });
      assert.equal(res.status, 201, res.text);
    });
  });

  describe('user flows', () => {
    it('WEB_REDIRECT without returnUrl is rejected with 4140', async () => {
      const res = await t.api.createPayment({ userFlow: 'WEB_REDIRECT', returnUrl: undefined });
      assertCode(res, 400, '4140');
      assert.match(res.body.detail, /returnUrl/);
    });

    it('WEB_REDIRECT gives a landing-page redirectUrl with a token, also in GetPayment', async () => {
      const res = await t.api.createPayment();
      assert.equal(res.status, 201);
      assert.ok(tokenOf(res.body.redirectUrl), res.body.redirectUrl);
      const payment = await t.api.getPayment(res.body.reference);
      assert.equal(payment.body.redirectUrl, res.body.redirectUrl);
    });

    it('PUSH_MESSAGE without customer is rejected with 4140', async () => {
      const res = await t.api.createPayment({ userFlow: 'PUSH_MESSAGE', returnUrl: undefined });
      assertCode(res, 400, '4140');
      assert.match(res.body.detail, /customer/);
    });

    it('PUSH_MESSAGE with customer answers 201 with no redirectUrl', async () => {
      const res = await t.api.createPayment({ userFlow: 'PUSH_MESSAGE', returnUrl: undefined, customer: { phoneNumber: '4712345678' } });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(Object.keys(res.body), ['reference']);
      const payment = await t.api.getPayment(res.body.reference);
      assert.equal(payment.body.redirectUrl, undefined, 'GetPayment has no redirectUrl for PUSH_MESSAGE either');
    });

    it('QR gives a redirectUrl to the QR image (/qr/v1?token=…)', async () => {
      const res = await t.api.createPayment({ userFlow: 'QR', returnUrl: undefined, customerInteraction: 'CUSTOMER_PRESENT' });
      assert.equal(res.status, 201, res.text);
      const url = new URL(res.body.redirectUrl);
      assert.equal(url.pathname, '/qr/v1');
      assert.ok(url.searchParams.get('token'));
    });

    it('QR with IMAGE/PNG also points to the QR image', async () => {
      const res = await t.api.createPayment({ userFlow: 'QR', returnUrl: undefined, qrFormat: { format: 'IMAGE/PNG', size: 200 } });
      assert.equal(res.status, 201, res.text);
      assert.equal(new URL(res.body.redirectUrl).pathname, '/qr/v1');
    });

    it('QR with TEXT/TARGETURL gives the target URL (/app/payment?token=…)', async () => {
      const res = await t.api.createPayment({ userFlow: 'QR', returnUrl: undefined, qrFormat: { format: 'TEXT/TARGETURL' } });
      assert.equal(res.status, 201, res.text);
      const url = new URL(res.body.redirectUrl);
      assert.equal(url.pathname, '/app/payment');
      assert.ok(url.searchParams.get('token'));
    });

    it('NATIVE_REDIRECT gives a redirectUrl with a token', async () => {
      const res = await t.api.createPayment({ userFlow: 'NATIVE_REDIRECT' });
      assert.equal(res.status, 201, res.text);
      assert.equal(typeof res.body.redirectUrl, 'string');
      assert.ok(tokenOf(res.body.redirectUrl), res.body.redirectUrl);
    });

    it('every payment gets its own redirect token', async () => {
      const a = await t.api.createPayment();
      const b = await t.api.createPayment();
      assert.notEqual(tokenOf(a.body.redirectUrl), tokenOf(b.body.redirectUrl));
    });
  });

  describe('customer', () => {
    it('a customer with two identifiers is rejected with 400 naming customer', async () => {
      const res = await t.api.createPayment({ customer: { phoneNumber: '4712345678', personalQr: 'https://qr.vipps.no/p/4712345678' } });
      assertFieldError(res, 'customer');
    });

    it('a personal QR (https://qr.vipps.no/p/4712345678) is accepted', async () => {
      const res = await t.api.createPayment({ userFlow: 'PUSH_MESSAGE', returnUrl: undefined, customer: { personalQr: 'https://qr.vipps.no/p/4712345678' } });
      assert.equal(res.status, 201, res.text);
    });

    it("the spec's example personal QR (…/031/4712345678?v=1) is accepted", async () => {
      const res = await t.api.createPayment({ userFlow: 'PUSH_MESSAGE', returnUrl: undefined, customer: { personalQr: 'https://qr.vipps.no/28/2/01/031/4712345678?v=1' } });
      assert.equal(res.status, 201, res.text);
    });

    it('an unparsable personal QR is rejected with 4060', async () => {
      assertCode(await t.api.createPayment({ customer: { personalQr: 'https://qr.vipps.no/p/nobody' } }), 400, '4060');
    });

    it('a malformed phone number is rejected with 4070', async () => {
      // PLATFORM-NOTES §3.2: phoneNumber, personalQr and customerToken errors are 4070, 4060 and 4050.
      assertCode(await t.api.createPayment({ customer: { phoneNumber: '12345' } }), 400, '4070');
    });

    it('a customerToken is rejected with 4050', async () => {
      assertCode(await t.api.createPayment({ customer: { customerToken: 'some-check-in-token' } }), 400, '4050');
    });

    it(strict ? 'an empty customer is rejected with 400 naming customer' : 'an empty customer is no customer (201, warning customer-without-identifier)', async () => {
      const res = await t.api.createPayment({ customer: {} });
      if (strict) return assertFieldError(res, 'customer');
      assert.equal(res.status, 201, res.text);
      assert.match(res.headers.get('vipps-local-warning') ?? '', /^customer-without-identifier;field="customer"/);
    });
  });

  describe('returnUrl and receiptUrl', () => {
    // http:// to any host: accepted with a warning (production requires https); strictRequests refuses it.
    const rejected = [...(strict ? ['http://example.com'] : []), 'javascript:alert(1)', 'data:text/html,hi', 'not a url',
      // Issue 16: schemes that launch programs or read other content, and credentials in the URL.
      'ms-msdt:/id PCWDiagnostic /skip force', 'intent://scan/#Intent;scheme=zxing;package=com.example;end', 'view-source:https://example.com/',
      'jar:https://example.com/app.jar!/index.html', 'https://user:pass@example.com/return', 'https://shop.example@evil.example/return', 'myapp://user:pass@done'];
    const accepted = ['https://example.com/return?order=1', 'http://localhost:3000/return', 'http://127.0.0.1:8080/r', 'myapp://done'];

    for (const url of rejected) {
      it(`returnUrl ${url} is rejected with 4090`, async () => {
        assertCode(await t.api.createPayment({ returnUrl: url }), 400, '4090');
      });
      it(`receiptUrl ${url} is rejected with 4090`, async () => {
        assertCode(await t.api.createPayment({ receiptUrl: url }), 400, '4090');
      });
    }
    for (const url of accepted) {
      it(`returnUrl ${url} is accepted`, async () => {
        const res = await t.api.createPayment({ returnUrl: url });
        assert.equal(res.status, 201, res.text);
      });
      it(`receiptUrl ${url} is accepted`, async () => {
        const res = await t.api.createPayment({ receiptUrl: url });
        assert.equal(res.status, 201, res.text);
      });
    }

    if (!strict) {
      for (const field of ['returnUrl', 'receiptUrl']) {
        it(`${field} http://example.com is accepted with a Vipps-Local-Warning http-merchant-url`, async () => {
          const res = await t.api.createPayment({ [field]: 'http://example.com/back' });
          assert.equal(res.status, 201, res.text);
          assert.equal(res.headers.get('vipps-local-warning')?.split(';').slice(0, 2).join(';'), `http-merchant-url;field="${field}"`);
        });
      }
      it('http://localhost is no leniency: no warning', async () => {
        const res = await t.api.createPayment({ returnUrl: 'http://localhost:3000/return' });
        assert.equal(res.status, 201, res.text);
        assert.equal(res.headers.get('vipps-local-warning'), null);
      });
    }

    it('receiptUrl null is accepted', async () => {
      const res = await t.api.createPayment({ receiptUrl: null });
      assert.equal(res.status, 201, res.text);
    });

    it('returnUrl longer than 2500 characters is rejected with 400 naming returnUrl', async () => {
      assertFieldError(await t.api.createPayment({ returnUrl: `https://example.com/${'a'.repeat(2500)}` }), 'returnUrl');
    });
  });

  describe('reference', () => {
    it('a reference reused with another Idempotency-Key is rejected with 409 4150', async () => {
      const reference = newReference();
      assert.equal((await t.api.createPayment({ reference })).status, 201);
      const again = await t.api.createPayment({ reference });
      assertCode(again, 409, '4150');
    });

    it('a retry with the same Idempotency-Key and body replays 201 with the same payment', async () => {
      const reference = newReference();
      const key = randomUUID();
      const body = paymentRequest({ reference });
      const first = await t.api.call('POST', '/epayment/v1/payments', { body, idempotencyKey: key });
      const second = await t.api.call('POST', '/epayment/v1/payments', { body, idempotencyKey: key });
      assert.equal(first.status, 201);
      assert.equal(second.status, 201, second.text);
      assert.deepEqual(second.body, first.body);
      const events = await t.api.events(reference);
      assert.equal(events.body.length, 1, 'only one CREATED event');
    });

    it('a reference that breaks the pattern is rejected with 400 naming reference', async () => {
      assertFieldError(await t.api.createPayment({ reference: 'short' }), 'reference');
      assertFieldError(await t.api.createPayment({ reference: 'has_underscore_123' }), 'reference');
    });

    it('references are case-sensitive', async () => {
      const reference = `Case-${randomUUID().slice(0, 8)}-abc`;
      assert.equal((await t.api.createPayment({ reference })).status, 201);
      assert.equal((await t.api.createPayment({ reference: reference.toUpperCase() })).status, 201);
    });
  });

  describe('reference uniqueness per MSN and access between merchants', () => {
    const api = (merchant: TestMerchant, msn: string) => new Api(t.server.url, credentialsOf(merchant, msn));

    it('the same reference can be used on another MSN of the same merchant', async () => {
      const reference = newReference();
      const first = await api(MERCHANT_A, '123456').createPayment({ reference });
      const second = await api(MERCHANT_A, '234567').createPayment({ reference });
      assert.equal(first.status, 201, first.text);
      assert.equal(second.status, 201, second.text);
      assert.notEqual(first.body.redirectUrl, second.body.redirectUrl, 'they are two payments');
    });

    it('the same reference can be used on another merchant’s MSN', async () => {
      const reference = newReference();
      assert.equal((await api(MERCHANT_B, '345678').createPayment({ reference })).status, 201);
      const res = await api(MERCHANT_A, '123456').createPayment({ reference, amount: { currency: 'NOK', value: 777 } });
      assert.equal(res.status, 201, res.text);
      const a = await api(MERCHANT_A, '123456').getPayment(reference);
      const b = await api(MERCHANT_B, '345678').getPayment(reference);
      assert.equal(a.body.amount.value, 777);
      assert.equal(b.body.amount.value, 49900);
    });

    it("merchant A asking for B's payment with B's MSN is refused with 403", async () => {
      const reference = newReference();
      assert.equal((await api(MERCHANT_B, '345678').createPayment({ reference })).status, 201);
      const res = await api(MERCHANT_A, '345678').getPayment(reference);
      assert.equal(res.status, 403, res.text);
    });

    it("merchant A asking for B's payment with its own MSN answers 404 5090", async () => {
      const reference = newReference();
      assert.equal((await api(MERCHANT_B, '345678').createPayment({ reference })).status, 201);
      assertCode(await api(MERCHANT_A, '123456').getPayment(reference), 404, '5090');
    });

    it("a payment of one MSN is not found through the merchant's other MSN (404 5090)", async () => {
      const reference = newReference();
      assert.equal((await api(MERCHANT_A, '123456').createPayment({ reference })).status, 201);
      assertCode(await api(MERCHANT_A, '234567').getPayment(reference), 404, '5090');
    });

    it("merchant A cannot capture B's payment through B's MSN (403)", async () => {
      const reference = newReference();
      assert.equal((await api(MERCHANT_B, '345678').createPayment({ reference })).status, 201);
      const res = await api(MERCHANT_A, '345678').capture(reference, 100);
      assert.equal(res.status, 403, res.text);
    });
  });

  describe('metadata', () => {
    const entries = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`key${i}`, `value${i}`]));

    it('5 entries are accepted and echoed in GetPayment', async () => {
      const metadata = entries(5);
      const res = await t.api.createPayment({ metadata });
      assert.equal(res.status, 201, res.text);
      const payment = await t.api.getPayment(res.body.reference);
      assert.deepEqual(payment.body.metadata, metadata);
    });

    it('6 entries are rejected with 4100', async () => {
      assertCode(await t.api.createPayment({ metadata: entries(6) }), 400, '4100');
    });

    it('a key of 100 characters is accepted, 101 is rejected with 4120', async () => {
      assert.equal((await t.api.createPayment({ metadata: { ['k'.repeat(100)]: 'v' } })).status, 201);
      assertCode(await t.api.createPayment({ metadata: { ['k'.repeat(101)]: 'v' } }), 400, '4120');
    });

    it('a value of 500 characters is accepted, 501 is rejected with 4130', async () => {
      assert.equal((await t.api.createPayment({ metadata: { k: 'v'.repeat(500) } })).status, 201);
      assertCode(await t.api.createPayment({ metadata: { k: 'v'.repeat(501) } }), 400, '4130');
    });

    it(strict ? 'a non-string metadata value is rejected with 400' : 'a number as a metadata value is read as its digits, with a warning', async () => {
      const res = await t.api.createPayment({ metadata: { k: 1 } });
      if (strict) return assertFieldError(res, 'metadata.k');
      assert.equal(res.status, 201, res.text);
      assert.match(res.headers.get('vipps-local-warning') ?? '', /^number-as-string;field="metadata\.k"/);
      assert.deepEqual((await t.api.getPayment(res.body.reference)).body.metadata, { k: '1' });
    });

    it('a boolean metadata value is rejected with 400', async () => {
      assertFieldError(await t.api.createPayment({ metadata: { k: true } }), 'metadata.k');
    });

    it('GetPayment has no metadata when none was sent', async () => {
      const ref = await t.api.created();
      assert.equal((await t.api.getPayment(ref)).body.metadata, undefined);
    });
  });

  describe('profile scope', () => {
    it('an unknown scope is rejected with 4080', async () => {
      assertCode(await t.api.createPayment({ profile: { scope: 'name shoeSize' } }), 400, '4080');
    });

    it('nin without permission is rejected with 5030', async () => {
      assertCode(await t.api.createPayment({ profile: { scope: 'name nin' } }), 400, '5030');
    });

    it('the documented scopes are accepted, and profile is {} until approval', async () => {
      const res = await t.api.createPayment({ profile: { scope: 'name address email phoneNumber birthDate' } });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual((await t.api.getPayment(res.body.reference)).body.profile, {});
    });
  });

  describe('receipt', () => {
    it('a valid receipt is accepted', async () => {
      const res = await t.api.createPayment({ amount: { currency: 'NOK', value: 1000 }, receipt: RECEIPT });
      assert.equal(res.status, 201, res.text);
    });

    it('a bottomLine currency other than the amount currency is rejected with 400 naming receipt.bottomLine.currency', async () => {
      const res = await t.api.createPayment({ amount: { currency: 'NOK', value: 1000 }, receipt: { ...RECEIPT, bottomLine: { currency: 'DKK' } } });
      assertFieldError(res, 'receipt.bottomLine.currency');
    });

    it('order line totals that do not add up are rejected with 400 naming the line', async () => {
      const lines = [RECEIPT.orderLines[0], { name: 'Hat', id: 'line-2', totalAmount: 1000, totalAmountExcludingTax: 800, totalTaxAmount: 100, taxRate: 2500 }];
      const res = await t.api.createPayment({ amount: { currency: 'NOK', value: 2000 }, receipt: { ...RECEIPT, orderLines: lines } });
      assertFieldError(res, 'receipt.orderLines[1].totalAmount');
    });

    it('an order line without taxRate or taxPercentage is rejected with 400 naming the line', async () => {
      const { taxRate: _, ...line } = RECEIPT.orderLines[0]!;
      const res = await t.api.createPayment({ amount: { currency: 'NOK', value: 1000 }, receipt: { ...RECEIPT, orderLines: [line] } });
      assertFieldError(res, 'receipt.orderLines[0].taxRate');
    });

    it('a receipt without order lines is rejected with 400 naming receipt.orderLines', async () => {
      const res = await t.api.createPayment({ receipt: { ...RECEIPT, orderLines: [] } });
      assertFieldError(res, 'receipt.orderLines');
    });
  });

  describe('shipping and industry data', () => {
    const fixedOptions = [
      { type: 'HOME_DELIVERY', brand: 'POSTEN', options: [{ id: 'home', name: 'Home delivery', amount: { currency: 'NOK', value: 4900 } }] },
    ];
    const expressScope = { scope: 'name address email phoneNumber' };

    it('shipping with both dynamicOptions and fixedOptions is rejected with 400 naming shipping', async () => {
      const res = await t.api.createPayment({
        profile: expressScope,
        shipping: { dynamicOptions: { callbackUrl: 'https://example.com/shipping' }, fixedOptions },
      });
      assertFieldError(res, 'shipping');
    });

    it('shipping with fixedOptions and the Express scope is accepted', async () => {
      const res = await t.api.createPayment({ profile: expressScope, shipping: { fixedOptions } });
      assert.equal(res.status, 201, res.text);
    });

    it('industryData.airlineData is accepted', async () => {
      const res = await t.api.createPayment({
        industryData: {
          airlineData: { agencyInvoiceNumber: '123456', airlineCode: '074', airlineDesignatorCode: 'KL', passengerName: 'FLYER / MARY MS.', ticketNumber: '123-1234567890' },
        },
      });
      assert.equal(res.status, 201, res.text);
    });

    it('airlineData without a required field is rejected with 400 naming it', async () => {
      const res = await t.api.createPayment({ industryData: { airlineData: { agencyInvoiceNumber: '123456', airlineCode: '074', airlineDesignatorCode: 'KL' } } });
      assertFieldError(res, 'industryData.airlineData.passengerName');
    });
  });

  describe('expiresAt (long-living payments)', () => {
    const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
    const MINUTE = 60_000;
    const DAY = 24 * 60 * MINUTE;

    it('expiresAt without receipt is rejected with 6130', async () => {
      assertCode(await t.api.createPayment({ userFlow: 'QR', returnUrl: undefined, expiresAt: inMs(DAY) }), 400, '6130');
    });

    it('expiresAt 5 minutes ahead is rejected with 6120', async () => {
      const res = await t.api.createPayment({ amount: { currency: 'NOK', value: 1000 }, userFlow: 'QR', returnUrl: undefined, receipt: RECEIPT, expiresAt: inMs(5 * MINUTE) });
      assertCode(res, 400, '6120');
    });

    it('expiresAt 61 days ahead is rejected with 6110', async () => {
      const res = await t.api.createPayment({ amount: { currency: 'NOK', value: 1000 }, userFlow: 'QR', returnUrl: undefined, receipt: RECEIPT, expiresAt: inMs(61 * DAY) });
      assertCode(res, 400, '6110');
    });

    it('expiresAt that is not RFC 3339 is rejected with 400 naming expiresAt', async () => {
      assertFieldError(await t.api.createPayment({ receipt: RECEIPT, expiresAt: 'tomorrow' }), 'expiresAt');
    });
  });
});

describe('create payment: a long-living payment on the test clock', () => {
  const t = useServer();

  it('expiresAt 1 day ahead with a receipt is accepted, and the payment does not expire after 10 minutes', async () => {
    const res = await t.api.createPayment({
      amount: { currency: 'NOK', value: 1000 },
      userFlow: 'QR',
      returnUrl: undefined,
      receipt: RECEIPT,
      expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    });
    assert.equal(res.status, 201, res.text);
    const reference = res.body.reference;
    const ordinary = await t.api.created();

    await t.server.advanceClock(11 * 60 * 1000);

    assert.equal((await t.api.getPayment(reference)).body.state, 'CREATED', 'the long-living payment is still open');
    assert.equal((await t.api.getPayment(ordinary)).body.state, 'EXPIRED', 'an ordinary payment created at the same time expired');
    assert.equal((await t.api.approve(reference)).status, 200);
    assert.equal((await t.api.getPayment(reference)).body.state, 'AUTHORIZED');
  });
});
