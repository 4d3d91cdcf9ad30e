// The official WooCommerce plugin's requests (vippsas/vipps-woocommerce, payment/VippsApi.class.php,
// plugin 6.0.5), replayed with their exact shapes: the token call (`accessToken/get`, an empty
// form-encoded body), creates as json_encode prints them (escaped slashes; customerInteraction inside
// customer, with or without a phone; metadata.orderid as an integer; minimumUserAge null; receipt
// lines with unitInfo, discount, productUrl and isShipping), Express with a 64-hex callback token and
// the plugin's own shipping groups, every cancel with `Idempotency-Key: 1`, captures keyed
// `"<n>:<order key>"`. Each reaches the state the plugin expects; every answer is checked against the spec.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { assertMatchesSpec } from '../../test-support/api-client.ts';
import { useServer } from '../../test-support/server.ts';
import { warningsOf } from '../../test-support/warnings.ts';
import { operatorPost, WebhookReceiver } from '../../test-support/webhook-receiver.ts';

const SITE = 'https://shop.example.no';

describe('the official WooCommerce plugin\'s requests, unmodified', () => {
  const t = useServer();
  let token = '';
  let shippingServer: WebhookReceiver;
  before(async () => {
    shippingServer = await WebhookReceiver.start();
  });
  after(() => shippingServer.close());

  /** What json_encode writes: slashes escaped (`https:\/\/`), no spaces. */
  const phpJson = (value: unknown) => JSON.stringify(value).replace(/\//g, '\\/');

  /** VippsApi::get_headers() plus http_call's own. */
  const headers = (extra: Record<string, string> = {}) => ({
    Authorization: `Bearer ${token}`,
    'X-TimeStamp': new Date().toISOString().replace(/\.\d+Z$/, '+00:00'),
    'X-Source-Address': '',
    'Ocp-Apim-Subscription-Key': t.server.credentials.subscriptionKey,
    'Merchant-Serial-Number': t.server.credentials.msn,
    'Vipps-System-Name': 'woocommerce',
    'Vipps-System-Version': '6.8.1/10.0.2',
    'Vipps-System-Plugin-Name': 'woo-vipps',
    'Vipps-System-Plugin-Version': '6.0.5',
    Connection: 'close',
    ...extra,
  });

  async function call(method: string, path: string, hdrs: Record<string, string>, body?: string) {
    const res = await fetch(`${t.server.url}/${path}`, { method, headers: body === undefined ? hdrs : { ...hdrs, 'Content-type': 'application/json' }, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    const response = { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, text };
    assertMatchesSpec(method, `/${path.split('?')[0]}`, response);
    return response;
  }

  let orderId = 1000;
  /** An order as the plugin creates it: a reference from the order id, the order key as Idempotency-Key. */
  function order(options: { phone?: string; express?: { callbackUrl: string; token: string } } = {}) {
    const id = ++orderId;
    const orderKey = `wc_order_${randomBytes(7).toString('hex').slice(0, 13)}`;
    const reference = `woo-shop-${String(id).padStart(8, '0')}`;
    const product = (name: string, total: number, quantity: string) => ({
      name,
      id: String(id * 10),
      totalAmount: total,
      totalAmountExcludingTax: total * 0.8,
      totalTaxAmount: total * 0.2,
      taxRate: 2500,
      unitInfo: { unitPrice: total / Number(quantity), quantity, quantityUnit: 'PCS' },
      discount: 0,
      productUrl: `${SITE}/product/${name.toLowerCase()}/`,
      isShipping: false,
    });
    const lines = [product('Socks', 40000, '2'), { ...product('Flat rate', 9900, '1'), id: 'flat_rate:1', isShipping: true }];
    const body: Record<string, unknown> = {
      reference,
      userFlow: 'WEB_REDIRECT',
      paymentMethod: { type: 'WALLET' },
      amount: { currency: 'NOK', value: 49900 },
      returnUrl: `${SITE}/vipps-betaling/?ls=${randomBytes(32).toString('hex')}&id=${id}`,
      customer: { customerInteraction: 'CUSTOMER_NOT_PRESENT', ...(options.phone ? { phoneNumber: options.phone } : {}) },
      metadata: { orderid: id },
      minimumUserAge: null,
      paymentDescription: `Confirm your order from ${SITE}`,
      receipt: { orderLines: lines, bottomLine: { currency: 'NOK', tipAmount: 0, giftCardAmount: 0, terminalId: 'woocommerce', receiptNumber: String(id) } },
    };
    if (options.express) {
      body.profile = { scope: 'name email phoneNumber address' };
      body.shipping = { dynamicOptions: { callbackUrl: options.express.callbackUrl, callbackAuthorizationToken: options.express.token } };
    }
    return { id, orderKey, reference, body: phpJson(body) };
  }

  it('gets a token from accessToken/get with an empty form-encoded body and only the client headers', async () => {
    const res = await call('POST', 'accessToken/get', {
      client_id: t.server.credentials.clientId,
      client_secret: t.server.credentials.clientSecret,
      'Ocp-Apim-Subscription-Key': t.server.credentials.subscriptionKey,
      Connection: 'close',
      'Content-type': 'application/x-www-form-urlencoded',
    }, '');
    assert.equal(res.status, 200, res.text);
    assert.ok(Number(res.body.expires_on) > Date.now() / 1000, 'expires_on is a number of seconds the plugin caches the token by');
    token = res.body.access_token;
  });

  it('creates an order with the shopper\'s phone and one without: customerInteraction inside customer, an integer order id, minimumUserAge null', async () => {
    const withPhone = order({ phone: '4712345678' });
    const created = await call('POST', 'epayment/v1/payments', headers({ 'Idempotency-Key': withPhone.orderKey }), withPhone.body);
    assert.equal(created.status, 201, created.text);
    assert.match(created.body.redirectUrl, /\/landing\?token=/);
    assert.deepEqual(warningsOf(created).sort(), ['number-as-string metadata.orderid', 'unknown-property customer.customerInteraction']);
    const fetched = await call('GET', `epayment/v1/payments/${withPhone.reference}`, headers());
    assert.deepEqual([fetched.body.state, fetched.body.amount.value, fetched.body.metadata], ['CREATED', 49900, { orderid: String(withPhone.id) }]);

    const withoutPhone = order();
    const anonymous = await call('POST', 'epayment/v1/payments', headers({ 'Idempotency-Key': withoutPhone.orderKey }), withoutPhone.body);
    assert.equal(anonymous.status, 201, anonymous.text);
    assert.ok(warningsOf(anonymous).includes('customer-without-identifier customer'), `${warningsOf(anonymous)}`);
  });

  it('cancels two orders, both with Idempotency-Key 1: each is cancelled', async () => {
    for (const approved of [false, true]) {
      const o = order({ phone: '4712345678' });
      assert.equal((await call('POST', 'epayment/v1/payments', headers({ 'Idempotency-Key': o.orderKey }), o.body)).status, 201);
      if (approved) assert.equal((await call('POST', `epayment/v1/test/payments/${o.reference}/approve`, headers(), phpJson({}))).status, 200);
      const cancel = await call('POST', `epayment/v1/payments/${o.reference}/cancel`, headers({ 'Idempotency-Key': '1' }), phpJson({ cancelTransactionOnly: false }));
      assert.equal(cancel.status, 200, cancel.text);
      assert.equal(cancel.body.reference, o.reference, 'the answer is this order\'s, not the first order\'s');
      assert.equal(cancel.body.state, approved ? 'AUTHORIZED' : 'TERMINATED');
      assert.equal(cancel.body.aggregate.cancelledAmount.value, 49900);
    }
  });

  it('captures with "<n>:<order key>" keys: a retried capture is answered once, and two orders with the same key are two captures', async () => {
    const sameKey = '1:wc_order_shared00000';
    const first = order({ phone: '4712345678' });
    const second = order({ phone: '4712345678' });
    for (const o of [first, second]) {
      assert.equal((await call('POST', 'epayment/v1/payments', headers({ 'Idempotency-Key': o.orderKey }), o.body)).status, 201);
      assert.equal((await call('POST', `epayment/v1/test/payments/${o.reference}/approve`, headers(), phpJson({}))).status, 200);
    }
    const capture = (o: { reference: string }, key: string, value: number) =>
      call('POST', `epayment/v1/payments/${o.reference}/capture`, headers({ 'Idempotency-Key': key }), phpJson({ modificationAmount: { value, currency: 'NOK' } }));
    const a = await capture(first, `0:${first.orderKey}`, 20000);
    const retried = await capture(first, `0:${first.orderKey}`, 20000);
    assert.deepEqual(retried.body, a.body, 'the retry gets the first answer');
    const b = await capture(first, sameKey, 29900);
    const c = await capture(second, sameKey, 49900);
    assert.deepEqual([a.status, b.status, c.status], [200, 200, 200], c.text);
    assert.equal(b.body.aggregate.capturedAmount.value, 49900);
    assert.equal(c.body.reference, second.reference);
    assert.equal(c.body.aggregate.capturedAmount.value, 49900, 'the second order is captured, not answered with the first order\'s capture');
    const refund = await call('POST', `epayment/v1/payments/${second.reference}/refund`, headers({ 'Idempotency-Key': `0:${second.orderKey}` }), phpJson({ modificationAmount: { value: 10000, currency: 'NOK' } }));
    assert.equal(refund.body.aggregate.refundedAmount.value, 10000);
  });

  it('Express with a 64-hex callback token: the plugin\'s callback URL and groups work, and shippingDetails come back', async () => {
    const tk = randomBytes(32).toString('hex');
    shippingServer.answer = () => ({
      status: 200,
      json: {
        groups: [
          { isDefault: true, priority: 0, brand: 'OTHER', type: 'OTHER', options: [{ priority: 0, name: 'Flat rate', id: `$flat_rate:1$${randomBytes(16).toString('hex')}`, amount: { value: 9900, currency: 'NOK' } }] },
          { isDefault: false, priority: 1, brand: 'OTHER', type: 'PICKUP_POINT', options: [{ priority: 1, name: 'Pickup', id: `$local_pickup:2$${randomBytes(16).toString('hex')}:1`, amount: { value: 0, currency: 'NOK' }, estimatedDelivery: '1-2 days' }] },
        ],
      },
    });
    const o = order({ express: { callbackUrl: `${shippingServer.url('/wc-api/vipps_shipping_details/')}?tk=${tk}&id=1&callback=`, token: tk } });
    const created = await call('POST', 'epayment/v1/payments', headers({ 'Idempotency-Key': o.orderKey, 'Vipps-System-Plugin-Name': 'woo-vipps-express' }), o.body);
    assert.equal(created.status, 201, created.text);
    const approved = await operatorPost(t.server.url, '/express/approve', { reference: o.reference, phoneNumber: '4712345678' });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const callback = shippingServer.arrivals.at(-1)!;
    assert.equal(callback.path, `/wc-api/vipps_shipping_details/?tk=${tk}&id=1&callback=`);
    assert.equal(callback.headers.authorization, tk);
    assert.equal(callback.body.reference, o.reference, 'the plugin finds the order by the body\'s reference');
    assert.deepEqual(Object.keys(callback.body).sort(), ['addressLine1', 'city', 'country', 'postCode', 'reference']);
    const payment = (await call('GET', `epayment/v1/payments/${o.reference}`, headers())).body;
    assert.equal(payment.state, 'AUTHORIZED');
    assert.match(payment.shippingDetails.shippingOptionId, /^\$flat_rate:1\$/);
    assert.equal(payment.amount.value - 49900, payment.shippingDetails.shippingCost, 'the plugin derives the shipping cost from amount.value − the order total');
    assert.equal(payment.userDetails.firstName, 'Ada');
  });
});
