// What the benchmarks send: the default merchant's headers and create-payment requests, each with a
// unique reference and Idempotency-Key.
import type autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { DEFAULT_MERCHANT } from '../src/platform/config.ts';

export type Headers = Record<string, string>;

export const CREATE_PATH = '/epayment/v1/payments';
export const AMOUNT = 49_900; // NOK 499.00, in øre

/** A fresh access token and the headers every ePayment call carries. */
export async function merchantHeaders(url: string): Promise<Headers> {
  const res = await fetch(`${url}/accesstoken/get`, {
    method: 'POST',
    headers: {
      client_id: DEFAULT_MERCHANT.clientId,
      client_secret: DEFAULT_MERCHANT.clientSecret,
      'Ocp-Apim-Subscription-Key': DEFAULT_MERCHANT.subscriptionKey,
    },
  });
  if (res.status !== 200) throw new Error(`access token: ${res.status} ${await res.text()}`);
  const { access_token } = (await res.json()) as { access_token: string };
  return {
    Authorization: `Bearer ${access_token}`,
    'Ocp-Apim-Subscription-Key': DEFAULT_MERCHANT.subscriptionKey,
    'Merchant-Serial-Number': DEFAULT_MERCHANT.msn,
  };
}

/** Tells this run's references and databases from those of earlier runs. */
export const RUN_ID = randomUUID().slice(0, 8);
let sequence = 0;
/** A reference no other request of this process used: `<prefix>-<run>-<n>`. */
export const nextReference = (prefix = 'bench') => `${prefix}-${RUN_ID}-${++sequence}`;

export const createBody = (reference: string) =>
  JSON.stringify({
    amount: { currency: 'NOK', value: AMOUNT },
    paymentMethod: { type: 'WALLET' },
    reference,
    userFlow: 'WEB_REDIRECT',
    returnUrl: 'https://example.com/return',
    paymentDescription: 'Benchmark payment',
  });

export const jsonHeaders = (headers: Headers, idempotent: boolean): Headers => ({
  ...headers,
  'Content-Type': 'application/json',
  ...(idempotent ? { 'Idempotency-Key': randomUUID() } : {}),
});

/** POST /epayment/v1/payments with a unique reference and Idempotency-Key each time. */
export const createRequest = (headers: Headers): autocannon.Request => ({
  method: 'POST',
  path: CREATE_PATH,
  setupRequest: (req) => ({ ...req, headers: jsonHeaders(headers, true), body: createBody(nextReference()) }),
});
