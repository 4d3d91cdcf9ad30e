// A payment service provider for tests: its config entry, a client for the PSP API v3 with its
// credentials (every response checked against psp/swagger.yaml by the Api client), and its
// makePaymentUrl endpoint, a real HTTP server that answers makePayment as a test tells it to (OK by
// default), with a 3-D Secure page.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Api, type ApiResponse, type CallOptions } from './api-client.ts';
import { WebhookReceiver, type Answer, type Arrival } from './webhook-receiver.ts';

export interface TestPsp {
  name: string;
  pspId: string;
  clientId: string;
  clientSecret: string;
  subscriptionKey: string;
  merchantSerialNumbers: string[];
}

/** Acts for both of Merchant A's sales units (test-support/merchants.ts), not for Merchant B's. */
export const PSP_ONE: TestPsp = {
  name: 'PSP One',
  pspId: 'C948DFD1546347568874C4DDC93A2E3C',
  clientId: 'dddddddd-4444-4444-8444-dddddddddddd',
  clientSecret: 'secret-psp-one',
  subscriptionKey: 'subscription-key-psp-one',
  merchantSerialNumbers: ['123456', '234567'],
};

/** Acts for Merchant A's first sales unit too. */
export const PSP_TWO: TestPsp = {
  name: 'PSP Two',
  pspId: '0A1B2C3D4E5F40718293A4B5C6D7E8F9',
  clientId: 'eeeeeeee-5555-4555-8555-eeeeeeeeeeee',
  clientSecret: 'secret-psp-two',
  subscriptionKey: 'subscription-key-psp-two',
  merchantSerialNumbers: ['123456'],
};

/** The PSP API v3 as a PSP calls it: its own token and key, its Psp-Id, and the merchant's MSN. */
export class PspApi {
  readonly api: Api;
  constructor(
    readonly baseUrl: string,
    readonly psp: TestPsp,
    readonly msn: string = psp.merchantSerialNumbers[0]!,
  ) {
    this.api = new Api(baseUrl, { clientId: psp.clientId, clientSecret: psp.clientSecret, subscriptionKey: psp.subscriptionKey, msn });
  }

  /** A PSP API call (`path` after /psp) with the PSP's headers, overridable by `options.headers`. */
  call(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
    return this.api.call(method, `/psp${path}`, { ...options, headers: { 'Psp-Id': this.psp.pspId, ...options.headers } });
  }

  init(body: Record<string, unknown>) {
    return this.call('POST', '/v3/psppayments/init', { body });
  }

  /** Initiates and asserts it worked: the answer's body. */
  async initiated(body: Record<string, unknown>): Promise<{ pspTransactionId: string; merchantOrderId: string; vippsRedirectUrl: string }> {
    const res = await this.init(body);
    assert.equal(res.status, 200, res.text);
    return res.body;
  }

  details(pspTransactionId: string) {
    return this.call('GET', `/v3/psppayments/${pspTransactionId}/details`);
  }

  updateStatus(transactions: Array<Record<string, unknown>>) {
    return this.call('POST', '/v3/psppayments/updatestatus', { body: { transactions } });
  }

  approve(pspTransactionId: string, body: Record<string, unknown>) {
    return this.call('POST', `/v3/integration-test/psppayments/${pspTransactionId}/approve`, { body });
  }
}

/** The token force approve takes: the one in vippsRedirectUrl. */
export const tokenOf = (vippsRedirectUrl: string) => new URL(vippsRedirectUrl).searchParams.get('token')!;

/** A valid InitiatePaymentRequest with fresh ids. */
export function initRequest(makePaymentUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pspTransactionId: randomUUID().replaceAll('-', '').slice(0, 24),
    merchantOrderId: `psp-order-${randomUUID()}`,
    amount: 49900,
    currency: 'NOK',
    pspRedirectUrl: 'https://psp.example/redirect',
    makePaymentUrl,
    makePaymentToken: 'psp-secret-token',
    paymentText: 'One pair of Vipps socks',
    ...overrides,
  };
}

export type MakePaymentAnswer = 'OK' | 'FAIL' | 'SOFT_DECLINE' | 'hang';

export interface MakePaymentEndpoint {
  /** The makePaymentUrl to give in init. */
  url: string;
  /** Every makePayment that arrived (headers, parsed body). */
  calls: Arrival[];
  /**
   * How the PSP answers, per pspTransactionId: a list answered in turn (the last one repeats); OK
   * when none is set. SOFT_DECLINE answers with url3dSecure pointing at this PSP's 3-D Secure page.
   */
  answers: Map<string, MakePaymentAnswer[]>;
  /** The PSP's 3-D Secure page for a transaction: three links to the makePayment's operations URLs. */
  threeDsUrl(pspTransactionId: string): string;
  close(): Promise<void>;
}

/**
 * The PSP's makePaymentUrl and its 3-D Secure page, on a real HTTP server (the webhook receiver of
 * test-support): answers makePayment as `answers` says, and serves GET /3ds/<id> as a page whose
 * buttons go to the operations URLs of that transaction's last ACCEPTED makePayment.
 */
export async function startMakePaymentEndpoint(): Promise<MakePaymentEndpoint> {
  const receiver = await WebhookReceiver.start();
  const answers = new Map<string, MakePaymentAnswer[]>();
  const threeDsUrl = (id: string) => receiver.url(`/3ds/${id}`);
  const operationsOf = (id: string) =>
    (receiver.arrivals.filter((a) => a.method === 'POST' && a.body?.pspTransactionId === id && a.body?.paymentState === 'ACCEPTED').at(-1)?.body?.operations ?? []) as Array<{ url: string; operation: string }>;
  receiver.answer = (arrival): Answer => {
    const threeDs = /^\/3ds\/([^/?]+)/.exec(arrival.path);
    if (arrival.method === 'GET' && threeDs) {
      const links = operationsOf(threeDs[1]!).map((o) => `<p><a href="${o.url.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" data-testid="${o.operation}">${o.operation}</a></p>`);
      return { status: 200, html: `<!doctype html><title>Test PSP 3-D Secure</title><h1>Test PSP 3-D Secure</h1>${links.join('')}` };
    }
    const id = String(arrival.body?.pspTransactionId ?? '');
    if (arrival.body?.paymentState !== 'ACCEPTED') return { status: 200, json: { paymentInfo: { pspTransactionId: id, status: 'FAIL' }, errorMessage: { errorId: '93', errorText: 'Not processed' } } };
    const list = answers.get(id) ?? [];
    // The makePayments of this transaction answered before this one (the arrival is recorded after its answer is chosen).
    const before = receiver.arrivals.filter((a) => a.body?.pspTransactionId === id && a.body?.paymentState === 'ACCEPTED').length;
    const answer = list[Math.min(before, list.length - 1)] ?? 'OK';
    switch (answer) {
      case 'hang':
        return 'hang';
      case 'FAIL':
        return { status: 200, json: { errorMessage: { errorId: '82', errorText: 'Card blocked by the test PSP' }, paymentInfo: { pspTransactionId: id, status: 'FAIL' } } };
      case 'SOFT_DECLINE':
        return { status: 200, json: { errorMessage: { errorId: '1036', errorText: 'Soft Decline' }, paymentInfo: { pspTransactionId: id, status: 'SOFT_DECLINE', url3dSecure: threeDsUrl(id) } } };
      default:
        return { status: 200, json: { paymentInfo: { pspTransactionId: id, status: 'OK' } } };
    }
  };
  return {
    url: receiver.url('/psp/makepayment'),
    get calls() {
      return receiver.arrivals.filter((a) => a.method === 'POST');
    },
    answers,
    threeDsUrl,
    close: () => receiver.close(),
  };
}

/**
 * ePayment as a PSP calls it for card passthrough: its own token and key, its Psp-Id on every call
 * (not on /accesstoken/get), and the merchant's MSN. Responses are checked against epayment.yaml.
 */
export class PspEpaymentApi extends Api {
  constructor(
    baseUrl: string,
    readonly psp: TestPsp,
    msn: string = psp.merchantSerialNumbers[0]!,
  ) {
    super(baseUrl, { clientId: psp.clientId, clientSecret: psp.clientSecret, subscriptionKey: psp.subscriptionKey, msn });
  }

  override call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    if (options.bare) return super.call(method, path, options);
    return super.call(method, path, { ...options, headers: { 'Psp-Id': this.psp.pspId, ...options.headers } });
  }
}

/** A valid cardPassthrough for a create request. */
export function cardPassthrough(cardCallbackUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { pspReference: `psp-ref-${randomUUID()}`, cardCallbackUrl, allowedCardTypes: ['VISA_DEBIT', 'VISA_CREDIT', 'MC_DEBIT', 'MC_CREDIT'], ...overrides };
}
