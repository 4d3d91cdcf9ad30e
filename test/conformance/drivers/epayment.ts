// The ePayment face's conformance driver: the shared scenarios over real HTTP (ePayment API v1,
// Webhooks API v1, the test API's force approve and the operator's test clock), every response
// checked against the official spec by the API client.
import { randomUUID } from 'node:crypto';
import { startServer, type VippsLocal } from '../../../src/index.ts';
import { EPAYMENT_EVENT_TYPES } from '../../../src/faces/webhooks/event-types.ts';
import { Api, errorCode, paymentRequest, type ApiResponse } from '../../../test-support/api-client.ts';
import { freshTestDatabase, type TestDatabase } from '../../../test-support/test-database.ts';
import { expectedAuthorization, operatorPost, WebhookReceiver } from '../../../test-support/webhook-receiver.ts';
import type { Answer, FaceDriver, NeutralPayment, ReceivedEvent } from '../driver.ts';

function neutral(body: any): NeutralPayment {
  const a = body.aggregate;
  return {
    state: body.state,
    amount: body.amount.value,
    authorized: a.authorizedAmount.value,
    captured: a.capturedAmount.value,
    refunded: a.refundedAmount.value,
    cancelled: a.cancelledAmount.value,
  };
}

function answer<T>(res: ApiResponse, okStatus: number, value: (body: any) => T): Answer<T> {
  return res.status === okStatus ? value(res.body) : { refused: true, status: res.status, code: errorCode(res) ?? String(res.status) };
}

export function epaymentDriver(): FaceDriver {
  let db: TestDatabase;
  let server: VippsLocal;
  let api: Api;
  const receivers: WebhookReceiver[] = [];
  /** A create repeated with its key repeats its request too: the same reference. */
  const referenceOfKey = new Map<string, string>();
  return {
    face: 'ePayment',
    skips: {},
    async start() {
      db = await freshTestDatabase();
      server = await startServer({ database: db.database, webhookRetryDelaysMs: [50] });
      api = new Api(server.url, server.credentials);
    },
    async stop() {
      for (const r of receivers) await r.close();
      await server?.close();
      await db?.remove();
    },
    async create(amount, key = randomUUID()) {
      const reference = referenceOfKey.get(key) ?? `conformance-${randomUUID()}`;
      referenceOfKey.set(key, reference);
      const res = await api.createPayment(paymentRequest({ reference, amount: { currency: 'NOK', value: amount } }), key);
      return answer(res, 201, (body) => body.reference as string);
    },
    async approve(reference) {
      return answer(await api.approve(reference), 200, () => undefined);
    },
    async capture(reference, amount, key) {
      return answer(await api.capture(reference, amount, key), 200, neutral);
    },
    async refund(reference, amount, key) {
      return answer(await api.refund(reference, amount, key), 200, neutral);
    },
    async cancel(reference) {
      return answer(await api.cancel(reference), 200, neutral);
    },
    async read(reference) {
      const res = await api.getPayment(reference);
      if (res.status !== 200) throw new Error(`GET ${reference}: ${res.status} ${res.text}`);
      return neutral(res.body);
    },
    async advanceClock(ms) {
      await operatorPost(server.url, '/clock/advance', { seconds: Math.ceil(ms / 1000) });
    },
    async receiveEvents() {
      const receiver = await WebhookReceiver.start();
      receivers.push(receiver);
      const url = `http://127.0.0.1:${receiver.port}/vipps/webhooks?shop=conformance`;
      const { secret } = await api.registeredWebhook(url, [...EPAYMENT_EVENT_TYPES]);
      const registered = new URL(url);
      return () =>
        receiver.arrivals.map((a): ReceivedEvent => {
          const expected = expectedAuthorization({
            pathAndQuery: registered.pathname + registered.search,
            date: String(a.headers['x-ms-date'] ?? ''),
            host: String(a.headers.host ?? ''),
            rawBody: a.raw,
            secret,
          });
          return { payment: a.body.reference, name: a.body.name, amount: a.body.amount.value, signed: a.headers.authorization === expected.authorization };
        });
    },
  };
}
