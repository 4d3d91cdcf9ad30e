// A payment service provider for tests: its config entry, a client for the PSP API v3 with its
// credentials (every response checked against psp/swagger.yaml by the Api client), and its
// makePaymentUrl endpoint, a real HTTP server that answers every makePayment with OK.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Api, type ApiResponse, type CallOptions } from './api-client.ts';

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

export interface MakePaymentCall {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface MakePaymentEndpoint {
  url: string;
  calls: MakePaymentCall[];
  close(): Promise<void>;
}

/** The PSP's makePaymentUrl: answers every POST with 200 paymentInfo OK, and keeps what arrived. */
export async function startMakePaymentEndpoint(): Promise<MakePaymentEndpoint> {
  const calls: MakePaymentCall[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        // kept as {}: the test that cares asserts on it
      }
      calls.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ paymentInfo: { pspTransactionId: String(body.pspTransactionId ?? ''), status: 'OK' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/psp/makepayment`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
