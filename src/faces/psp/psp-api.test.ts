// PSP API v3 against a real server, on the store under test: a PSP's whole flow (init, force approve,
// details, updatestatus), the init rules and their ErrorDetails codes, what a PSP may see, and its
// credentials. Every response is validated against specs/vipps/psp/swagger.yaml by the Api client.
// The PSP's makePaymentUrl is a real HTTP server answering OK.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiResponse } from '../../../test-support/api-client.ts';
import { MERCHANT_A, MERCHANT_B } from '../../../test-support/merchants.ts';
import { useServer } from '../../../test-support/server.ts';
import { initRequest, PSP_ONE, PSP_TWO, PspApi, startMakePaymentEndpoint, tokenOf, type MakePaymentEndpoint } from '../../../test-support/test-psp.ts';

const [MSN_A1, MSN_A2] = MERCHANT_A.salesUnits as [string, string];
const MSN_B = MERCHANT_B.salesUnits[0]!;
const PHONE = '91234567';

function assertErrors(res: ApiResponse, status: number, code: string, message?: RegExp | string): void {
  assert.equal(res.status, status, res.text);
  const entries = res.body as Array<{ errorCode: string; errorMessage: string }>;
  const found = entries.find((e) => e.errorCode === code && (message === undefined || (typeof message === 'string' ? e.errorMessage === message : message.test(e.errorMessage))));
  assert.ok(found, `an entry with code ${code}${message ? ` and message ${message}` : ''}: ${res.text}`);
}

describe('PSP API v3', () => {
  // Merchant A's second sales unit is whitelisted for skipLandingPage; the first is not.
  const t = useServer({ merchants: [{ ...MERCHANT_A, salesUnits: [MSN_A1, { msn: MSN_A2, allowSkipLandingPage: true }] }, MERCHANT_B], psps: [PSP_ONE, PSP_TWO] });
  let endpoint: MakePaymentEndpoint;
  let one: PspApi;
  let two: PspApi;
  before(async () => {
    endpoint = await startMakePaymentEndpoint();
    one = new PspApi(t.server.url, PSP_ONE);
    two = new PspApi(t.server.url, PSP_TWO);
  });
  after(() => endpoint.close());

  const request = (overrides: Record<string, unknown> = {}) => initRequest(endpoint.url, overrides);

  async function approved(api: PspApi, overrides: Record<string, unknown> = {}): Promise<string> {
    const body = request(overrides);
    const init = await api.initiated(body);
    const res = await api.approve(init.pspTransactionId, { customerPhoneNumber: PHONE, token: tokenOf(init.vippsRedirectUrl) });
    assert.equal(res.status, 200, res.text);
    return init.pspTransactionId;
  }

  it('init → force approve → captures, refund: details show the summary and every operation, in order', async () => {
    const body = request({ amount: 10000 });
    const init = await one.initiated(body);
    assert.equal(init.pspTransactionId, body.pspTransactionId);
    assert.equal(init.merchantOrderId, body.merchantOrderId);
    assert.match(init.vippsRedirectUrl, new RegExp(`^${t.server.url}/landing\\?token=`), 'a web shopper goes to the landing page');

    const before = await one.details(init.pspTransactionId);
    assert.equal(before.status, 200, before.text);
    assert.deepEqual(before.body, {
      pspTransactionId: init.pspTransactionId,
      merchantOrderId: init.merchantOrderId,
      transactionSummary: { capturedAmount: 0, remainingAmountToCapture: 0, refundedAmount: 0, remainingAmountToRefund: 0 },
      transactionLogHistory: [],
    });

    const approve = await one.approve(init.pspTransactionId, { customerPhoneNumber: PHONE, token: tokenOf(init.vippsRedirectUrl) });
    assert.equal(approve.status, 200, approve.text);
    assert.equal(approve.text, '', 'force approve answers with no body');
    const reserved = (await one.details(init.pspTransactionId)).body;
    assert.deepEqual(reserved.transactionSummary, { capturedAmount: 0, remainingAmountToCapture: 10000, refundedAmount: 0, remainingAmountToRefund: 0 });
    assert.deepEqual(reserved.transactionLogHistory.map((e: any) => [e.operation, e.amount, e.operationSuccess, e.paymentText]), [['RESERVED', 10000, true, 'One pair of Vipps socks']]);
    assert.ok(!Number.isNaN(Date.parse(reserved.transactionLogHistory[0].timeStamp)), 'timeStamp is ISO-8601');

    const id = init.pspTransactionId;
    for (const update of [
      { pspTransactionId: id, status: 'RESERVED', amount: 10000 },
      { pspTransactionId: id, status: 'CAPTURED', amount: 4000, currency: 'NOK', paymentText: 'First parcel' },
      { pspTransactionId: id, status: 'CAPTURED', amount: 6000 },
      { pspTransactionId: id, status: 'REFUNDED', amount: 2500, paymentText: 'One returned', operationStatus: 'SUCCESS' },
    ]) {
      const res = await one.updateStatus([update]);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, { responseInfo: { responseCode: '9000', responseMessage: 'SUCCESS' } });
    }
    const after = (await one.details(id)).body;
    assert.deepEqual(after.transactionSummary, { capturedAmount: 10000, remainingAmountToCapture: 0, refundedAmount: 2500, remainingAmountToRefund: 7500 });
    assert.deepEqual(
      after.transactionLogHistory.map((e: any) => [e.operation, e.amount, e.operationSuccess, e.paymentText]),
      [
        ['RESERVED', 10000, true, 'One pair of Vipps socks'],
        ['CAPTURED', 4000, true, 'First parcel'],
        ['CAPTURED', 6000, true, 'One pair of Vipps socks'],
        ['REFUNDED', 2500, true, 'One returned'],
      ],
      'the confirmed reservation adds no line; each capture and the refund do',
    );
  });

  it('an update reported FAILED, and one above what remains, are logged as failed and move no money; the call still answers 9000', async () => {
    const id = await approved(one, { amount: 5000 });
    const res = await one.updateStatus([
      { pspTransactionId: id, status: 'CAPTURED', amount: 5000, operationStatus: 'FAILED' },
      { pspTransactionId: id, status: 'CAPTURED', amount: 3000 },
      { pspTransactionId: id, status: 'CAPTURED', amount: 2001 },
      { pspTransactionId: id, status: 'REFUNDED', amount: 3001 },
      { pspTransactionId: 'nosuchtransaction', status: 'CAPTURED', amount: 1 },
    ]);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.responseInfo.responseCode, '9000');
    const details = (await one.details(id)).body;
    assert.deepEqual(details.transactionSummary, { capturedAmount: 3000, remainingAmountToCapture: 2000, refundedAmount: 0, remainingAmountToRefund: 3000 });
    assert.deepEqual(
      details.transactionLogHistory.map((e: any) => [e.operation, e.amount, e.operationSuccess]),
      [
        ['RESERVED', 5000, true],
        ['CAPTURED', 5000, false],
        ['CAPTURED', 3000, true],
        ['CAPTURED', 2001, false],
        ['REFUNDED', 3001, false],
      ],
    );
  });

  it('an updatestatus body that is not a PaymentStatus is 400 (51) and applies none of its entries', async () => {
    const id = await approved(one, { amount: 2000 });
    const res = await one.updateStatus([
      { pspTransactionId: id, status: 'CAPTURED', amount: 1000 },
      { pspTransactionId: id, status: 'SETTLED', amount: 1000 },
    ]);
    assertErrors(res, 400, '51', /status/);
    assert.equal((await one.details(id)).body.transactionSummary.capturedAmount, 0);
    assertErrors(await one.call('POST', '/v3/psppayments/updatestatus', { body: { transactions: [{ pspTransactionId: id, status: 'CAPTURED' }] } }), 400, '51', /amount/);
  });

  it('CANCELLED releases what was not captured; a capture after that is logged as failed', async () => {
    const id = await approved(one, { amount: 3000 });
    await one.updateStatus([
      { pspTransactionId: id, status: 'CAPTURED', amount: 1000 },
      { pspTransactionId: id, status: 'CANCELLED', amount: 2000 },
      { pspTransactionId: id, status: 'CAPTURED', amount: 1 },
    ]);
    const details = (await one.details(id)).body;
    assert.deepEqual(details.transactionSummary, { capturedAmount: 1000, remainingAmountToCapture: 0, refundedAmount: 0, remainingAmountToRefund: 1000 });
    assert.deepEqual(details.transactionLogHistory.map((e: any) => [e.operation, e.amount, e.operationSuccess]), [
      ['RESERVED', 3000, true],
      ['CAPTURED', 1000, true],
      ['CANCELLED', 2000, true],
      ['CAPTURED', 1, false],
    ]);
  });

  it('isApp answers the app link; skipLandingPage pushes to the number on a whitelisted sales unit', async () => {
    const app = await one.initiated(request({ isApp: true, pspRedirectUrl: 'pspapp://return' }));
    assert.match(app.vippsRedirectUrl, new RegExp(`^${t.server.url}/app/payment\\?token=`));
    const onA2 = new PspApi(t.server.url, PSP_ONE, MSN_A2);
    const push = await onA2.initiated(request({ skipLandingPage: true, customerMobileNumber: PHONE }));
    assert.ok(tokenOf(push.vippsRedirectUrl), 'the push payment still has a link with its token');
    const someoneElse = await onA2.approve(push.pspTransactionId, { customerPhoneNumber: '92345678', token: tokenOf(push.vippsRedirectUrl) });
    assertErrors(someoneElse, 400, '51', /another user/);
    const res = await onA2.approve(push.pspTransactionId, { customerPhoneNumber: PHONE, token: tokenOf(push.vippsRedirectUrl) });
    assert.equal(res.status, 200, res.text);
  });

  it('force approve needs the token of vippsRedirectUrl', async () => {
    const init = await one.initiated(request());
    assertErrors(await one.approve(init.pspTransactionId, { customerPhoneNumber: PHONE, token: 'not-the-token' }), 400, '51', /token/);
    assertErrors(await one.approve(init.pspTransactionId, { customerPhoneNumber: '4791234567', token: tokenOf(init.vippsRedirectUrl) }), 400, '51', /customerPhoneNumber/);
    assertErrors(await one.approve('nosuchtransaction', { customerPhoneNumber: PHONE, token: tokenOf(init.vippsRedirectUrl) }), 404, '51');
  });

  it("force approve sends makePayment and answers after it: the PSP's FAIL reserves nothing, and a later approval with OK does", async () => {
    const init = await one.initiated(request({ amount: 4200 }));
    endpoint.answers.set(init.pspTransactionId, ['FAIL', 'OK']);
    const approve = () => one.approve(init.pspTransactionId, { customerPhoneNumber: PHONE, token: tokenOf(init.vippsRedirectUrl) });
    assert.equal((await approve()).status, 200);
    const declined = await one.details(init.pspTransactionId);
    assert.deepEqual(declined.body.transactionLogHistory, []);
    const [call] = endpoint.calls.filter((c) => c.body.pspTransactionId === init.pspTransactionId);
    assert.equal(call?.body.networkToken.number, '4895370013193500', "the guide's token for amount 4200");
    assert.equal(call?.headers.authorization, 'psp-secret-token');
    assert.equal((await approve()).status, 200);
    const reserved = await one.details(init.pspTransactionId);
    assert.deepEqual(
      reserved.body.transactionLogHistory.map((e: { operation: string; operationSuccess: boolean }) => [e.operation, e.operationSuccess]),
      [['RESERVED', true]],
    );
  });

  describe('init refusals (ErrorDetails)', () => {
    it('a pspTransactionId the PSP used before is 44; another PSP may use it', async () => {
      const first = request();
      await one.initiated(first);
      assertErrors(await one.init(request({ pspTransactionId: first.pspTransactionId })), 400, '44');
      const other = await two.init(request({ pspTransactionId: first.pspTransactionId }));
      assert.equal(other.status, 200, other.text);
    });

    it('a merchantOrderId the sales unit has is 99, whoever created it; another sales unit may use it', async () => {
      const first = request();
      await one.initiated(first);
      assertErrors(await two.init(request({ merchantOrderId: first.merchantOrderId })), 400, '99', /OrderId already exists/);
      const onA2 = new PspApi(t.server.url, PSP_ONE, MSN_A2);
      assert.equal((await onA2.init(request({ merchantOrderId: first.merchantOrderId }))).status, 200);
    });

    it('a refused init leaves no transaction behind: its id can be used again', async () => {
      const first = request();
      await one.initiated(first);
      const retry = request({ merchantOrderId: first.merchantOrderId });
      assertErrors(await one.init(retry), 400, '99');
      assert.equal((await one.init({ ...retry, merchantOrderId: `again-${Date.now()}` })).status, 200);
    });

    const cases: Array<[string, Record<string, unknown>, string, RegExp | string]> = [
      ['currency other than NOK', { currency: 'DKK' }, '51', 'transaction.currency.invalid'],
      ['amount 0', { amount: 0 }, '51', 'amount.less.than.one'],
      ['amount not an integer', { amount: 10.5 }, '51', /Invalid amount/],
      ['amount above int32', { amount: 2_147_483_648 }, '51', /Invalid amount/],
      ['pspRedirectUrl not absolute', { pspRedirectUrl: '/return' }, '51', 'Invalid pspRedirectUrl'],
      ['pspRedirectUrl with an app scheme, not isApp', { pspRedirectUrl: 'pspapp://return' }, '51', 'Invalid pspRedirectUrl'],
      ['makePaymentUrl not absolute', { makePaymentUrl: 'psp.example/pay' }, '51', 'Invalid makePaymentUrl'],
      ['makePaymentUrl javascript:', { makePaymentUrl: 'javascript:alert(1)' }, '51', 'Invalid makePaymentUrl'],
      ['pspTransactionId over 36 characters', { pspTransactionId: 'a'.repeat(37) }, '51', /Invalid pspTransactionId/],
      ['merchantOrderId with other characters', { merchantOrderId: 'order 1' }, '51', /Invalid merchantOrderId/],
      ['merchantOrderId over 50 characters', { merchantOrderId: 'a'.repeat(51) }, '51', /Invalid merchantOrderId/],
      ['customerMobileNumber not eight digits', { customerMobileNumber: '4791234567' }, '51', /Invalid customerMobileNumber/],
      ['makePaymentToken over 255 characters', { makePaymentToken: 'x'.repeat(256) }, '51', /Invalid makePaymentToken/],
      ['isApp not a boolean', { isApp: 'yes' }, '51', /isApp/],
      ['skipLandingPage without customerMobileNumber', { skipLandingPage: true }, '51', /requires a valid customerMobileNumber/],
      ['skipLandingPage on a sales unit not whitelisted', { skipLandingPage: true, customerMobileNumber: PHONE }, '42', /Skip landing page not allowed/],
      ['amount below the NOK minimum', { amount: 99 }, '51', /minimum/],
    ];
    for (const [what, overrides, code, message] of cases) {
      it(`${what}: 400 ${code}`, async () => {
        assertErrors(await one.init(request(overrides)), 400, code, message);
      });
    }

    it('missing required fields are each named, in one answer', async () => {
      const res = await one.init({ amount: 100 });
      assert.equal(res.status, 400, res.text);
      const messages = (res.body as Array<{ errorMessage: string }>).map((e) => e.errorMessage);
      for (const field of ['pspTransactionId', 'merchantOrderId', 'pspRedirectUrl', 'makePaymentUrl']) assert.ok(messages.some((m) => m.includes(`${field} is required`)), `${field}: ${res.text}`);
      assert.ok(messages.includes('transaction.currency.invalid'), res.text);
    });
  });

  describe('who sees what', () => {
    it("another PSP does not see a PSP's transaction, nor can it approve or update it", async () => {
      const init = await one.initiated(request());
      assertErrors(await two.details(init.pspTransactionId), 404, '51');
      assertErrors(await two.approve(init.pspTransactionId, { customerPhoneNumber: PHONE, token: tokenOf(init.vippsRedirectUrl) }), 404, '51');
      await two.updateStatus([{ pspTransactionId: init.pspTransactionId, status: 'CANCELLED', amount: 49900 }]);
      assert.deepEqual((await one.details(init.pspTransactionId)).body.transactionLogHistory, [], "the other PSP's update changed nothing");
    });

    it('a transaction is seen under the sales unit it was made for only', async () => {
      const init = await one.initiated(request());
      assertErrors(await new PspApi(t.server.url, PSP_ONE, MSN_A2).details(init.pspTransactionId), 404, '51');
    });

    it('a PSP acting for a sales unit it does not serve is refused: 403 Invalid MSN', async () => {
      const res = await new PspApi(t.server.url, PSP_ONE, MSN_B).init(request());
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.message, `Invalid MSN: ${MSN_B}. This MSN is not valid for the provided PSP ID.`);
    });

    const refusals: Array<[string, Record<string, string>, RegExp]> = [
      ['no Psp-Id', { 'Psp-Id': '' }, /missing Psp-Id/],
      ['an unknown Psp-Id', { 'Psp-Id': 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF' }, /unknown Psp-Id/],
      ["another PSP's Psp-Id", { 'Psp-Id': PSP_TWO.pspId }, /not the PSP the access token was issued to/],
      ['no token', { Authorization: '' }, /missing Authorization/],
      ['a bad token', { Authorization: 'Bearer nonsense' }, /invalid access token/],
      ['no subscription key', { 'Ocp-Apim-Subscription-Key': '' }, /missing subscription key/],
      ["a merchant's subscription key", { 'Ocp-Apim-Subscription-Key': MERCHANT_A.subscriptionKey }, /subscription key of merchant/],
    ];
    for (const [what, headers, message] of refusals) {
      it(`${what}: the gateway's 401`, async () => {
        const res = await one.call('POST', '/v3/psppayments/init', { body: request(), headers });
        assert.equal(res.status, 401, res.text);
        assert.match(res.body.message, message);
      });
    }
  });
});
