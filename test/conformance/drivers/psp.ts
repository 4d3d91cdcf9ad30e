// The PSP API v3 face's conformance driver: the shared scenarios over real HTTP. The PSP initiates
// and force approves; capture, refund and cancel are updatestatus records of what the PSP did with
// its acquirer, and the payment is read from its details. updatestatus answers 9000 for every valid
// call, so each record carries a paymentText of its own, and the driver finds its line in the
// transaction log to learn whether it was applied (operationSuccess) or refused.
import { randomUUID } from 'node:crypto';
import { startServer, type VippsLocal } from '../../../src/index.ts';
import { DEFAULT_MERCHANT } from '../../../src/platform/config.ts';
import type { ApiResponse } from '../../../test-support/api-client.ts';
import { freshTestDatabase, type TestDatabase } from '../../../test-support/test-database.ts';
import { initRequest, PspApi, startMakePaymentEndpoint, tokenOf, type MakePaymentEndpoint, type TestPsp } from '../../../test-support/test-psp.ts';
import { operatorPost } from '../../../test-support/webhook-receiver.ts';
import type { Answer, FaceDriver, NeutralPayment, Refused } from '../driver.ts';

const PSP: TestPsp = {
  name: 'Conformance PSP',
  pspId: 'A1B2C3D4E5F60718293A4B5C6D7E8F90',
  clientId: 'ffffffff-6666-4666-8666-ffffffffffff',
  clientSecret: 'secret-conformance-psp',
  subscriptionKey: 'subscription-key-conformance-psp',
  merchantSerialNumbers: [DEFAULT_MERCHANT.msn],
};

interface LogLine {
  amount: number;
  paymentText?: string;
  operation: string;
  operationSuccess: boolean;
}

const refusedBy = (res: ApiResponse): Refused => ({ refused: true, status: res.status, code: (Array.isArray(res.body) ? res.body[0]?.errorCode : undefined) ?? String(res.status) });

export function pspDriver(): FaceDriver {
  let db: TestDatabase;
  let server: VippsLocal;
  let endpoint: MakePaymentEndpoint;
  let api: PspApi;
  const created = new Map<string, { amount: number; token: string }>();

  async function details(id: string): Promise<{ summary: Record<string, number>; log: LogLine[] }> {
    const res = await api.details(id);
    if (res.status !== 200) throw new Error(`details of ${id}: ${res.status} ${res.text}`);
    return { summary: res.body.transactionSummary, log: res.body.transactionLogHistory };
  }

  async function read(id: string): Promise<NeutralPayment> {
    const { summary, log } = await details(id);
    const sum = (operation: string) => log.filter((l) => l.operation === operation && l.operationSuccess).reduce((n, l) => n + l.amount, 0);
    const reserved = log.some((l) => l.operation === 'RESERVED' && l.operationSuccess);
    const cancelled = sum('CANCELLED');
    return {
      state: reserved ? 'AUTHORIZED' : cancelled > 0 ? 'TERMINATED' : 'CREATED',
      amount: created.get(id)?.amount ?? 0,
      authorized: sum('RESERVED'),
      captured: summary.capturedAmount!,
      refunded: summary.refundedAmount!,
      cancelled,
    };
  }

  /** Reports one update, then finds its own line in the log (by its paymentText). */
  async function report(id: string, status: string, amount: number): Promise<Answer<NeutralPayment>> {
    const marker = `conformance ${randomUUID()}`;
    const res = await api.updateStatus([{ pspTransactionId: id, status, amount, paymentText: marker }]);
    if (res.status !== 200) return refusedBy(res);
    const line = (await details(id)).log.find((l) => l.paymentText === marker);
    if (!line) throw new Error(`updatestatus ${status} ${amount} of ${id}: no line in the transaction log`);
    return line.operationSuccess ? read(id) : { refused: true, status: 200, code: 'operationSuccess:false' };
  }

  return {
    face: 'PSP API v3',
    skips: {
      expiry: 'PSP v3 details carry no payment state: a payment that expired unapproved shows the same empty log as one still waiting (the PSP learns of the timeout through its makePaymentUrl, paymentState TIMEOUT).',
      'idempotent-replay': 'PSP v3 has no idempotency key: a repeated init is refused with 44, and an updatestatus entry carries no key (a repeated one is a second record).',
      'events-delivered-once': 'PSP v3 has no webhooks: the PSP hears of an approval through makePaymentUrl and polls details.',
    },
    async start() {
      db = await freshTestDatabase();
      endpoint = await startMakePaymentEndpoint();
      server = await startServer({ database: db.database, psps: [PSP] });
      api = new PspApi(server.url, PSP);
    },
    async stop() {
      await server?.close();
      await endpoint?.close();
      await db?.remove();
    },
    async create(amount) {
      const res = await api.init(initRequest(endpoint.url, { amount }));
      if (res.status !== 200) return refusedBy(res);
      created.set(res.body.pspTransactionId, { amount, token: tokenOf(res.body.vippsRedirectUrl) });
      return res.body.pspTransactionId as string;
    },
    async approve(id) {
      const res = await api.approve(id, { customerPhoneNumber: '91234567', token: created.get(id)!.token });
      return res.status === 200 ? undefined : refusedBy(res);
    },
    capture: (id, amount) => report(id, 'CAPTURED', amount),
    refund: (id, amount) => report(id, 'REFUNDED', amount),
    async cancel(id) {
      // The PSP releases what it did not capture; before approval, the whole amount.
      const { summary } = await details(id);
      return report(id, 'CANCELLED', summary.remainingAmountToCapture! > 0 ? summary.remainingAmountToCapture! : created.get(id)!.amount);
    },
    read,
    async advanceClock(ms) {
      await operatorPost(server.url, '/clock/advance', { seconds: Math.ceil(ms / 1000) });
    },
    async receiveEvents() {
      throw new Error('PSP v3 has no webhooks (skipped: events-delivered-once)');
    },
  };
}
