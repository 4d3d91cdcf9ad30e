// ePayment card passthrough against a real server on the store under test: a PSP creates with its
// own credentials and Psp-Id, the shopper's approval (force approve) waits for the PSP's card
// callback (a real HTTP server here), whose body and HMAC signature are checked independently, and
// whose answer decides: RESERVE and CAPTURE authorize, FAIL declines, SOFT_DECLINE sends the
// shopper through the PSP's page and the callback comes again with the same attempt id, no answer in
// time declines. Also who may create such payments, and in which currencies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api } from '../../../test-support/api-client.ts';
import { credentialsOf, MERCHANT_A, MERCHANT_B } from '../../../test-support/merchants.ts';
import { usePlatformServer } from '../../../test-support/platform-server.ts';
import { cardPassthrough, PSP_ONE, PSP_TWO, PspEpaymentApi } from '../../../test-support/test-psp.ts';
import { assertSigned, WebhookReceiver, type Answer, type Arrival } from '../../../test-support/webhook-receiver.ts';
import { readCardCallbackAnswer } from './card-callback.ts';

const [MSN_A1, MSN_A2] = MERCHANT_A.salesUnits as [string, string];
const MSN_B = MERCHANT_B.salesUnits[0]!;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('reading the PSP answer to the card callback', () => {
  const read = (json: unknown, attempt: 'first' | 'after-challenge' = 'first', status = 200) => readCardCallbackAnswer(status, JSON.stringify(json), null, attempt);
  it('RESERVE and CAPTURE approve; FAIL declines with its code and message', () => {
    assert.deepEqual(read({ status: 'RESERVE', networkTransactionReference: 'n' }), { outcome: 'approved' });
    assert.deepEqual(read({ status: 'CAPTURE' }), { outcome: 'approved' });
    const fail = read({ status: 'FAIL', errorCode: 300, errorMessage: 'Refused by Issuer' });
    assert.equal(fail.outcome, 'declined');
    assert.match((fail as { detail: string }).detail, /300: Refused by Issuer/);
  });
  it('SOFT_DECLINE with softDeclineUrl is a challenge the first time, and a decline after one', () => {
    assert.deepEqual(read({ status: 'SOFT_DECLINE', softDeclineUrl: 'https://psp.example/3ds' }), { outcome: 'challenge', url: 'https://psp.example/3ds' });
    assert.equal(read({ status: 'SOFT_DECLINE', softDeclineUrl: 'https://psp.example/3ds' }, 'after-challenge').outcome, 'declined');
    assert.equal(read({ status: 'SOFT_DECLINE' }).outcome, 'declined');
  });
  it('HTTP 500, non-JSON or no answer declines, telling the shopper to check at the merchant', () => {
    for (const answer of [read({ status: 'RESERVE' }, 'first', 500), readCardCallbackAnswer(200, 'OK', null, 'first'), readCardCallbackAnswer(null, '', 'no answer within 20000 ms', 'first')]) {
      assert.equal(answer.outcome, 'declined');
      assert.match((answer as { detail: string }).detail, /check the payment status at the merchant you came from/);
    }
  });
});

describe('ePayment card passthrough', { timeout: 60_000 }, () => {
  const t = usePlatformServer({ merchants: [MERCHANT_A, MERCHANT_B], psps: [PSP_ONE, PSP_TWO], cardCallbackTimeoutMs: 1_000 });
  let psp: WebhookReceiver;
  let one: PspEpaymentApi;
  /** The answers per pspReference, in turn (the last repeats); RESERVE when none is set. */
  const answers = new Map<string, Answer[]>();
  before(async () => {
    psp = await WebhookReceiver.start();
    one = new PspEpaymentApi(t.server.url, PSP_ONE);
    psp.answer = (a: Arrival) => {
      const list = answers.get(a.body?.pspReference) ?? [];
      const before = psp.arrivals.filter((x) => x.body?.pspReference === a.body?.pspReference).length;
      return list[Math.min(before, list.length - 1)] ?? { status: 200, json: { status: 'RESERVE', networkTransactionReference: 'ntr-1' } };
    };
  });
  after(() => psp?.close());

  const callbackUrl = () => psp.url('/card-callback?shop=1');
  const callsFor = (pspReference: string) => psp.arrivals.filter((a) => a.body?.pspReference === pspReference);

  /** Creates a CARD_PASSTHROUGH payment answered by `list`; returns its reference and pspReference. */
  async function created(list: Answer[] = [], overrides: Record<string, unknown> = {}, api: Api = one) {
    const details = cardPassthrough(callbackUrl());
    answers.set(details.pspReference as string, list);
    const res = await api.createPayment({ amount: { currency: 'NOK', value: 6000 }, paymentMethod: { type: 'CARD_PASSTHROUGH' }, cardPassthrough: details, ...overrides });
    assert.equal(res.status, 201, res.text);
    return { reference: res.body.reference as string, pspReference: details.pspReference as string };
  }

  async function approved(reference: string, body: Record<string, unknown> = {}) {
    const res = await one.approve(reference, body);
    assert.equal(res.status, 200, res.text);
    return (await one.getPayment(reference)).body;
  }

  it('RESERVE: the approval waits for the signed card callback, whose body is as documented; then AUTHORIZED', async () => {
    const { reference, pspReference } = await created();
    const payment = await approved(reference);
    assert.equal(payment.state, 'AUTHORIZED');
    assert.equal(payment.paymentMethod.type, 'CARD_PASSTHROUGH');
    const [call] = callsFor(pspReference);
    assert.ok(call, 'the card callback was sent');
    assertSigned(call, callbackUrl(), PSP_ONE.clientSecret);
    const body = call.body;
    assert.match(body.authorizationAttemptId, GUID);
    assert.deepEqual({ ...body, authorizationAttemptId: '-', softDeclineCompletedRedirectUrl: '-' }, {
      pspReference,
      authorizationAttemptId: '-',
      merchantSerialNumber: MSN_A1,
      amount: { currency: 'NOK', value: 6000 },
      softDeclineCompletedRedirectUrl: '-',
      cardInfo: {
        maskedCardNumber: '411111XXXXXX1111',
        cardType: 'VISA-DEBIT',
        cardIssuedInCountryCode: 'NO',
        cardDataType: 'TOKEN',
        networkToken: body.cardInfo.networkToken,
      },
    });
    const token = body.cardInfo.networkToken;
    assert.deepEqual(Object.keys(token).sort(), ['cryptogram', 'eci', 'expiryMonth', 'expiryYear', 'number', 'paymentAccountReference', 'tokenType']);
    assert.match(token.expiryYear, /^20\d{2}$/, 'a four-digit expiry year');
    assert.equal(token.tokenType, 'VISA');
    const back = new URL(body.softDeclineCompletedRedirectUrl);
    assert.equal(back.pathname, '/app/mobileintercept');
    assert.equal(back.searchParams.get('responsecode'), 'OK');
  });

  it('a Mastercard chosen gives cardType MC-CREDIT when only credit is allowed', async () => {
    const details = cardPassthrough(callbackUrl(), { allowedCardTypes: ['MC_CREDIT'] });
    const res = await one.createPayment({ paymentMethod: { type: 'CARD_PASSTHROUGH' }, cardPassthrough: details });
    assert.equal(res.status, 201, res.text);
    const reference = res.body.reference as string;
    const payment = await t.server.platform.engine.getPayment({ msn: MSN_A1, reference });
    await t.server.platform.engine.approve({ id: payment.id }, { card: 'mastercard-4444' });
    await t.server.platform.engine.whenAnswered(payment.id);
    const [call] = callsFor(details.pspReference as string);
    assert.equal(call?.body.cardInfo.cardType, 'MC-CREDIT');
    assert.equal(call?.body.cardInfo.networkToken.tokenType, 'MASTERCARD');
  });

  it('CAPTURE authorizes (the PSP then captures with the ePayment capture call)', async () => {
    const { reference } = await created([{ status: 200, json: { status: 'CAPTURE' } }]);
    assert.equal((await approved(reference)).state, 'AUTHORIZED');
    const capture = await one.capture(reference, 6000);
    assert.equal(capture.status, 200, capture.text);
    assert.equal(capture.body.aggregate.capturedAmount.value, 6000);
  });

  it('FAIL declines: the payment stays CREATED, and approving again sends a new attempt id', async () => {
    const { reference, pspReference } = await created([{ status: 200, json: { status: 'FAIL', errorCode: 300, errorMessage: 'Refused by Issuer' } }, { status: 200, json: { status: 'RESERVE' } }]);
    assert.equal((await approved(reference)).state, 'CREATED');
    const declined = await t.server.platform.engine.getPayment({ msn: MSN_A1, reference });
    assert.match(declined.lastDecline ?? '', /Refused by Issuer/);
    assert.equal((await approved(reference)).state, 'AUTHORIZED');
    const [first, second] = callsFor(pspReference);
    assert.notEqual(first?.body.authorizationAttemptId, second?.body.authorizationAttemptId);
  });

  it('SOFT_DECLINE: the shopper goes through softDeclineUrl, comes back to the intercept, and the same attempt is sent again → RESERVE', async () => {
    const { reference, pspReference } = await created([
      { status: 200, json: { status: 'SOFT_DECLINE', softDeclineUrl: 'https://psp.example/3ds/1' } },
      { status: 200, json: { status: 'RESERVE' } },
    ]);
    const challenged = await approved(reference);
    assert.equal(challenged.state, 'CREATED');
    const held = await t.server.platform.engine.getPayment({ msn: MSN_A1, reference });
    assert.equal(held.pendingApproval?.external?.challengeUrl, 'https://psp.example/3ds/1');
    const [first] = callsFor(pspReference);
    const res = await fetch(first!.body.softDeclineCompletedRedirectUrl, { redirect: 'manual' });
    assert.equal(res.status, 303);
    await t.server.platform.engine.whenAnswered(held.id);
    assert.equal((await one.getPayment(reference)).body.state, 'AUTHORIZED');
    const [, second] = callsFor(pspReference);
    assert.ok(second, 'the callback was sent again');
    assert.equal(second.body.authorizationAttemptId, first!.body.authorizationAttemptId);
    assert.notEqual(second.body.cardInfo.networkToken.cryptogram, first!.body.cardInfo.networkToken.cryptogram, 'a fresh cryptogram');
  });

  it('no answer within cardCallbackTimeoutMs, or HTTP 500, declines with "check the payment status at the merchant"', async () => {
    for (const answer of ['hang', 500] as Answer[]) {
      const { reference } = await created([answer]);
      assert.equal((await approved(reference)).state, 'CREATED');
      const p = await t.server.platform.engine.getPayment({ msn: MSN_A1, reference });
      assert.match(p.lastDecline ?? '', /check the payment status at the merchant you came from/);
    }
  });

  it("CARD_PASSTHROUGH without Psp-Id, with the merchant's own credentials, is 4160", async () => {
    const merchant = new Api(t.server.url, credentialsOf(MERCHANT_A));
    const res = await merchant.createPayment({ paymentMethod: { type: 'CARD_PASSTHROUGH' }, cardPassthrough: cardPassthrough(callbackUrl()) });
    assert.equal(res.status, 400, res.text);
    assert.match(res.text, /4160/);
    assert.match(res.body.detail, /PSPs only/);
  });

  it("a PSP's credentials without Psp-Id are refused by the gateway (401), as before", async () => {
    const withoutPspId = new Api(t.server.url, { clientId: PSP_ONE.clientId, clientSecret: PSP_ONE.clientSecret, subscriptionKey: PSP_ONE.subscriptionKey, msn: MSN_A1 });
    const res = await withoutPspId.createPayment();
    assert.equal(res.status, 401, res.text);
    assert.match(res.body.message, /subscription key of PSP "PSP One"/);
    assert.equal((await one.createPayment()).status, 201, 'with Psp-Id the same credentials create (the PSP acting for the merchant)');
  });

  it('an MSN the PSP does not act for is 403 "Invalid MSN"', async () => {
    const wrong = new PspEpaymentApi(t.server.url, PSP_TWO, MSN_A2);
    const res = await wrong.getPayment('any');
    assert.equal(res.status, 403, res.text);
    assert.match(res.text, new RegExp(`Invalid MSN: ${MSN_A2}\\. This MSN is not valid for the provided PSP ID\\.`));
    const other = new PspEpaymentApi(t.server.url, PSP_ONE, MSN_B);
    assert.equal((await other.getPayment('any')).status, 403);
  });

  it('SEK, USD and GBP are accepted for CARD_PASSTHROUGH, and SEK is still refused for WALLET (5040)', async () => {
    for (const currency of ['SEK', 'USD', 'GBP']) {
      const { reference } = await created([], { amount: { currency, value: 10000 } });
      assert.equal((await one.getPayment(reference)).body.amount.currency, currency);
    }
    const wallet = await one.createPayment({ amount: { currency: 'SEK', value: 10000 } });
    assert.equal(wallet.status, 400, wallet.text);
    assert.match(wallet.text, /5040/);
  });

  it('cardCallbackUrl must be https (or http to loopback), and allowedCardTypes non-empty', async () => {
    const http = await one.createPayment({ paymentMethod: { type: 'CARD_PASSTHROUGH' }, cardPassthrough: cardPassthrough('http://psp.example/cb') });
    assert.equal(http.status, 400, http.text);
    const none = await one.createPayment({ paymentMethod: { type: 'CARD_PASSTHROUGH' }, cardPassthrough: cardPassthrough(callbackUrl(), { allowedCardTypes: [] }) });
    assert.equal(none.status, 400, none.text);
    assert.match(none.text, /allowedCardTypes/);
    const missing = await one.createPayment({ paymentMethod: { type: 'CARD_PASSTHROUGH' } });
    assert.equal(missing.status, 400, missing.text);
    assert.match(missing.text, /4160/);
  });
});
